"""App timings: launch to first table, banner change to updated table, verbatim search
first page and peak RSS, Pilot-driven; launch and banner change again in a real terminal
(tmux). Run after bench_engine.py (it reuses its bundles).

Usage: python benchmarks/bench_tui.py [--sizes 10000 1000000 10000000]
Each size runs in fresh processes (three; medians) so start-up and memory are measured
honestly.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = r"""
import asyncio, json, resource, sys, time
t0 = time.perf_counter()
from heetui.engine.filters import parse_filter
from heetui.engine.session import open_survey
from heetui.engine.comments import Selection, verbatims
from heetui.tui.app import HeetuiApp

async def main():
    survey = open_survey(sys.argv[1])
    app = HeetuiApp(survey)
    out = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while app.crosstab is None:
            await asyncio.sleep(0.002)
        out["launch_to_first_table_ms"] = (time.perf_counter() - t0) * 1000
        times = []
        # region last: the overlapping banner stays on for the filter changes below
        for banner in ("stakeholder_type", "seniority", "hee_team", "org_type", "region"):
            app.crosstab = None
            t = time.perf_counter()
            app.update_view(banner=banner)
            while app.crosstab is None or app.crosstab.banner is None \
                    or app.crosstab.banner.id != banner:
                await asyncio.sleep(0.001)
            times.append((time.perf_counter() - t) * 1000)
        out["banner_change_ms"] = sorted(times)[len(times) // 2]
        times = []
        for spec in ("stakeholder_type=HEI", "org_type=NHS Trust", "seniority=1",
                     "hee_team=1,2", "region=2"):
            filters = (parse_filter(survey.codebook, spec),)
            app.crosstab = None
            t = time.perf_counter()
            app.update_view(filters=filters)
            while app.crosstab is None or app.crosstab.filters != filters:
                await asyncio.sleep(0.001)
            times.append((time.perf_counter() - t) * 1000)
        out["filter_change_ms"] = sorted(times)[len(times) // 2]
    s = []
    for term in ("contact", "funding", "deadline", "support", "region"):
        t = time.perf_counter()
        verbatims(survey, Selection(search=term), 0, 50)
        s.append((time.perf_counter() - t) * 1000)
    out["verbatim_search_first_page_ms"] = sorted(s)[len(s) // 2]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))

asyncio.run(main())
"""


def _pane(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                          text=True).stdout


def _wait(session: str, text: str, timeout: float = 60) -> float:
    """Poll the pane until ``text`` shows; the time it showed (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if text in _pane(session):
            return time.perf_counter()
        time.sleep(0.002)
    raise RuntimeError(f"{text!r} did not appear in tmux:\n{_pane(session)}")


def tmux_once(path: Path) -> tuple[float, float, float, float]:
    """Launch → table on screen; picker Enter → new banner's columns on screen (ms), once
    after the highlight rested on the banner for 0.3 s (as when reading the list: the app
    prefetches it) and once chosen at once (Down and Enter in one burst: no prefetch); then
    a filter applied in the filter picker (`a`) → the filtered table on screen."""
    session = f"bench-{uuid.uuid4().hex[:8]}"
    cmd = f"{sys.executable} -m heetui --data {path}"
    for _ in range(40):  # a previous tmux server may still be shutting down
        t0 = time.perf_counter()
        started = subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120",
                                  "-y", "40", cmd], capture_output=True)
        if started.returncode == 0:
            break
        time.sleep(0.25)
    else:
        raise RuntimeError(f"tmux would not start: {started.stderr.decode()}")
    try:
        launch = _wait(session, "Base (unweighted)") - t0
        subprocess.run(["tmux", "send-keys", "-t", session, "b"], check=True)
        _wait(session, "Pivot by")
        subprocess.run(["tmux", "send-keys", "-t", session, "Down"], check=True)
        time.sleep(0.3)  # the highlight moves to the first segment (stakeholder type)
        t1 = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
        banner = _wait(session, "NHS Trust (B)") - t1
        subprocess.run(["tmux", "send-keys", "-t", session, "b"], check=True)
        _wait(session, "Pivot by")
        t2 = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, "Down", "Enter"], check=True)
        at_once = _wait(session, "HEI (B)") - t2  # organisation type's second column
        subprocess.run(["tmux", "send-keys", "-t", session, "f"], check=True)
        _wait(session, "Space ticks values")
        # Enter picks the first variable (stakeholder type), Space ticks its first value
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter", "Space"], check=True)
        time.sleep(0.3)
        t3 = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, "a"], check=True)
        filtered = _wait(session, "(base ") - t3  # the status line's filtered base
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return launch * 1000, banner * 1000, at_once * 1000, filtered * 1000


def tmux_timings(path: Path, runs: int = 3) -> dict[str, float]:
    if shutil.which("tmux") is None:
        return {}
    got = [tmux_once(path) for _ in range(runs)]
    return {"tmux_launch_ms": statistics.median(g[0] for g in got),
            "tmux_banner_ms": statistics.median(g[1] for g in got),
            "tmux_banner_at_once_ms": statistics.median(g[2] for g in got),
            "tmux_filter_ms": statistics.median(g[3] for g in got)}


def pilot_timings(path: Path, runs: int = 3) -> dict[str, float]:
    """The Pilot figures of ``runs`` fresh processes: the median of each."""
    got = []
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-c", CHILD, str(path)], check=True,
                           capture_output=True, text=True)
        got.append(json.loads(r.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(g[k] for g in got) for k in got[0]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000, 10_000_000])
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        path = HERE / "_bundles" / f"hee_{n}"
        if not (path / "respondents.parquet").exists():
            sys.exit(f"{path} is missing: run benchmarks/bench_engine.py first")
        subprocess.run([sys.executable, "-m", "heetui", "info", "--data", str(path)],
                       check=True, capture_output=True)  # validate once (cached)
        rows.append({"respondents": n, **pilot_timings(path), **tmux_timings(path)})
    old = HERE / "tui_results.json"
    kept = {r["respondents"]: r for r in json.loads(old.read_text())} if old.exists() else {}
    merged = {**kept, **{r["respondents"]: r for r in rows}}  # sizes not rerun are kept
    old.write_text(json.dumps([v for _, v in sorted(merged.items())], indent=2) + "\n")
    sys.path.insert(0, str(HERE))
    import report

    print(report.write())


if __name__ == "__main__":
    main()
