"""Regenerate screenshots/ (SVG, plus PNG when rsvg-convert is installed).

Usage: python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

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


async def main_screen(app: HeetuiApp, pilot: object) -> None:
    await _settle(app, pilot)


async def region_nhs_weighted(app: HeetuiApp, pilot: object) -> None:
    f = parse_filter(app.codebook, "stakeholder_type=NHS Trust")
    app.set_view(replace(app.view, question="effectiveness", banner="region", filters=(f,),
                         weighted=True))
    await _settle(app, pilot)


async def standard_banner(app: HeetuiApp, pilot: object) -> None:
    app.set_view(replace(app.view, banner="standard"))
    await _settle(app, pilot)


async def standard_chart(app: HeetuiApp, pilot: object) -> None:
    await standard_banner(app, pilot)
    await pilot.press("g")  # type: ignore[attr-defined]
    await _settle(app, pilot)


async def words_by_type(app: HeetuiApp, pilot: object) -> None:
    app.set_view(replace(app.view, question="words", banner="stakeholder_type", show="both"))
    await _settle(app, pilot)


async def overview(app: HeetuiApp, pilot: object) -> None:
    await _settle(app, pilot)
    await pilot.press("o")  # type: ignore[attr-defined]
    await _settle(app, pilot)


async def help_screen(app: HeetuiApp, pilot: object) -> None:
    await _settle(app, pilot)
    await pilot.press("question_mark")  # type: ignore[attr-defined]
    await _settle(app, pilot)


async def comments(app: HeetuiApp, pilot: object) -> None:
    app.set_view(replace(app.view, banner="stakeholder_type"))
    await _settle(app, pilot)
    table = app.query_one("#table")
    table.move_cursor(row=table.get_row_index("row:4"),  # type: ignore[attr-defined]
                      column=table.get_column_index(  # type: ignore[attr-defined]
                          "stakeholder_type=2"))
    await pilot.press("enter")  # type: ignore[attr-defined]
    await _settle(app, pilot)


async def profile_nhs(app: HeetuiApp, pilot: object) -> None:
    f = parse_filter(app.codebook, "stakeholder_type=NHS Trust")
    app.set_view(replace(app.view, filters=(f,)))
    await _settle(app, pilot)
    await pilot.press("p")  # type: ignore[attr-defined]
    await _settle(app, pilot)


async def chart(app: HeetuiApp, pilot: object) -> None:
    app.set_view(replace(app.view, banner="stakeholder_type"))
    await _settle(app, pilot)
    await pilot.press("g")  # type: ignore[attr-defined]
    await _settle(app, pilot)


SHOTS: list[tuple[str, tuple[int, int], Step]] = [
    ("main", (120, 40), main_screen),
    ("main-80x24", (80, 24), main_screen),
    ("banner-standard", (120, 40), standard_banner),
    ("banner-standard-80x24", (80, 24), standard_banner),
    ("chart-relationship-by-standard-banner", (120, 40), standard_chart),
    ("effectiveness-by-region-nhs-weighted", (120, 40), region_nhs_weighted),
    ("words-by-stakeholder-type", (120, 40), words_by_type),
    ("comments-nhs-trust-fairly-negative", (120, 40), comments),
    ("profile-nhs-trust", (120, 40), profile_nhs),
    ("chart-relationship-by-stakeholder-type", (120, 40), chart),
    ("overview", (120, 40), overview),
    ("help", (120, 40), help_screen),
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


async def grid_chart(app: HeetuiApp, pilot: object) -> None:
    await _settle(app, pilot)
    await pilot.press("g")  # type: ignore[attr-defined]
    await _settle(app, pilot)


GRID_SHOTS: list[tuple[str, tuple[int, int], Step]] = [
    ("grid-summary", (120, 40), main_screen),
    ("grid-chart", (120, 40), grid_chart),
]


async def shoot(survey: Survey, name: str, size: tuple[int, int], step: Step) -> Path:
    app = HeetuiApp(survey)
    async with app.run_test(size=size) as pilot:
        await step(app, pilot)
        svg = app.export_screenshot(title=f"heetui — {name}")
    target = OUT / f"{name}.svg"
    write_bytes(target, for_rsvg(svg).encode("utf-8"))  # as the app's S writes them
    return target


def main() -> None:
    import tempfile

    OUT.mkdir(exist_ok=True)
    survey = open_survey()
    grid = grid_survey(Path(tempfile.mkdtemp()) / "grid")
    converter = shutil.which("rsvg-convert")
    for who, (name, size, step) in [(survey, s) for s in SHOTS] + [(grid, s)
                                                                   for s in GRID_SHOTS]:
        svg = asyncio.run(shoot(who, name, size, step))
        print(svg.relative_to(OUT.parent))
        if converter:
            png = svg.with_suffix(".png")
            with atomic_path(png) as tmp:
                subprocess.run([converter, "-o", str(tmp), str(svg)], check=True)
            print(png.relative_to(OUT.parent))


if __name__ == "__main__":
    main()
