"""Regenerate screenshots/ (SVG, plus PNG when rsvg-convert is installed).

Usage: python scripts/screenshots.py [NAME ...]  (names: only those shots)
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from heetui.engine.filters import parse_filter
from heetui.engine.session import Survey, open_survey
from heetui.output.atomic import atomic_path, write_bytes
from heetui.output.svg import for_rsvg
from heetui.tui.app import HeetuiApp

OUT = Path(__file__).resolve().parent.parent / "screenshots"
Step = Callable[[HeetuiApp, object], Awaitable[None]]


async def _settle(app: HeetuiApp, pilot: object) -> None:
    await pilot.pause()  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def step(*keys: str, filtered: str = "", cell: tuple[str, str] | None = None,
         **view: Any) -> Step:
    """What a shot does before it is taken: change the view (``filtered``: keep the
    respondents one filter matches), put the table's cursor on ``cell`` (row key, column
    key), then press ``keys`` one by one, letting the app settle after each."""

    async def run(app: HeetuiApp, pilot: object) -> None:
        changes = dict(view)
        if filtered:
            changes["filters"] = (parse_filter(app.codebook, filtered),)
        if changes:
            app.set_view(replace(app.view, **changes))
        await _settle(app, pilot)
        if cell is not None:
            table = app.query_one("#table")
            table.move_cursor(row=table.get_row_index(cell[0]),  # type: ignore[attr-defined]
                              column=table.get_column_index(  # type: ignore[attr-defined]
                                  cell[1]))
        for key in keys:
            await pilot.press(key)  # type: ignore[attr-defined]
            await _settle(app, pilot)
    return run


NHS = "stakeholder_type=NHS Trust"
SHOTS: list[tuple[str, tuple[int, int], Step]] = [
    ("main", (120, 40), step()),
    ("main-80x24", (80, 24), step()),
    ("banner-standard", (120, 40), step(banner="standard")),
    ("banner-standard-80x24", (80, 24), step(banner="standard")),
    ("chart-relationship-by-standard-banner", (120, 40), step("g", banner="standard")),
    ("effectiveness-by-region-nhs-weighted", (120, 40),
     step(question="effectiveness", banner="region", filtered=NHS, weighted=True)),
    ("words-by-stakeholder-type", (120, 40),
     step(question="words", banner="stakeholder_type", show="both")),
    ("comments-nhs-trust-fairly-negative", (120, 40),
     step("enter", banner="stakeholder_type", cell=("row:4", "stakeholder_type=2"))),
    ("profile-nhs-trust", (120, 40), step("p", filtered=NHS)),
    ("distinctive-words-improve-by-stakeholder-type", (120, 40),
     step("d", question="improve", banner="stakeholder_type")),
    ("chart-relationship-by-stakeholder-type", (120, 40), step("g", banner="stakeholder_type")),
    ("coding", (120, 40), step("K", question="improve")),
    ("overview", (120, 40), step("o")),
    ("help", (120, 40), step("question_mark")),
]


def grid_survey(folder: Path) -> Survey:
    """A small survey with a rating grid (the bundled one has none), from seeded answers."""
    import numpy as np
    import polars as pl

    from heetui.survey.write import write_bundle

    rng = np.random.default_rng(7)
    n = 400
    items = [("rate_1", "Speed of service", [.1, .15, .35, .3, .1]),
             ("rate_2", "Value for money", [.2, .25, .3, .15, .1]),
             ("rate_3", "Staff attitude", [.05, .1, .3, .45, .1]),
             ("rate_4", "Website", [.15, .2, .3, .2, .15])]
    codes = [1, 2, 3, 4, 9]
    frame = pl.DataFrame({"respondent_id": list(range(1, n + 1)),
                          **{i: rng.choice(codes, n, p=p).tolist() for i, _, p in items}})
    codebook = {"survey": {"title": "Customer survey (illustrative grid)"},
                "questions": [{
                    "id": "rate", "type": "grid", "text": "How would you rate us on each of these?",
                    "items": [{"id": i, "label": label} for i, label, _ in items],
                    "options": [{"code": 1, "label": "Very poor", "value": 1},
                                {"code": 2, "label": "Poor", "value": 2},
                                {"code": 3, "label": "Good", "value": 3},
                                {"code": 4, "label": "Very good", "value": 4},
                                {"code": 9, "label": "Don't know"}],
                    "nets": [{"label": "Good or very good", "codes": [3, 4]}]}]}
    return open_survey(write_bundle(folder, codebook, frame, None, force=True))


GRID_SHOTS: list[tuple[str, tuple[int, int], Step]] = [
    ("grid-summary", (120, 40), step()),
    ("grid-chart", (120, 40), step("g")),
]


async def shoot(survey: Survey, name: str, size: tuple[int, int], step: Step) -> Path:
    app = HeetuiApp(survey)
    async with app.run_test(size=size) as pilot:
        await step(app, pilot)
        svg = app.export_screenshot(title=f"heetui — {name}")
    target = OUT / f"{name}.svg"
    write_bytes(target, for_rsvg(svg).encode("utf-8"), replace=True)  # as the app's S does
    return target


def main(names: list[str]) -> None:
    import tempfile

    OUT.mkdir(exist_ok=True)
    survey = open_survey()
    grid = grid_survey(Path(tempfile.mkdtemp()) / "grid")
    converter = shutil.which("rsvg-convert")
    shots = [(survey, s) for s in SHOTS] + [(grid, s) for s in GRID_SHOTS]
    unknown = set(names) - {name for _, (name, _, _) in shots}
    if unknown:
        raise SystemExit(f"No screenshot is named {', '.join(sorted(unknown))}.")
    for who, (name, size, step) in shots:
        if names and name not in names:
            continue
        svg = asyncio.run(shoot(who, name, size, step))
        print(svg.relative_to(OUT.parent))
        if converter:
            png = svg.with_suffix(".png")
            with atomic_path(png, replace=True) as tmp:
                subprocess.run([converter, "-o", str(tmp), str(svg)], check=True)
            print(png.relative_to(OUT.parent))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
