"""The long monkey run (outside CI): many random keys and clicks on the app.

Usage: python scripts/monkey.py [--events 50000] [--seed 7] [--mouse] [--data PATH]
Prints what was sent, how long it took and whether the app still tabulates afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from heetui.opening import open_path  # noqa: E402
from heetui.tui.app import HeetuiApp  # noqa: E402
from heetui.tui.state import ViewState  # noqa: E402
from monkey_driver import back_to_main, monkey  # noqa: E402


async def run(events: int, seed: int, mouse: bool, data: str | None) -> None:
    # the edits random keys make go to a workspace in the run's own folder, never the
    # survey's own workspace
    app = HeetuiApp(open_path(data, workspace=Path.cwd() / "workspace.toml"))
    start = time.perf_counter()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        sent = await monkey(pilot, seed, events, mouse)
        alive = app.is_running
        await back_to_main(pilot)
        app.set_view(ViewState(question="relationship"))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        base = app.query_one("#table").get_cell("base:Base (unweighted)", "total")
    print(f"seed {seed}: {sent['keys']:,} keys and {sent['clicks']:,} clicks in "
          f"{time.perf_counter() - start:.0f} s; still running: {alive}; "
          f"Total base afterwards: {str(base).strip()}; no exception raised")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--mouse", action="store_true")
    ap.add_argument("--data")
    args = ap.parse_args()
    os.chdir(tempfile.mkdtemp(prefix="heetui-monkey-"))  # exports and screenshots go here
    asyncio.run(run(args.events, args.seed, args.mouse, args.data))


if __name__ == "__main__":
    main()
