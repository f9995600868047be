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


async def shoot(survey: Survey, name: str, size: tuple[int, int], step: Step) -> Path:
    app = HeetuiApp(survey)
    async with app.run_test(size=size) as pilot:
        await step(app, pilot)
        svg = app.export_screenshot(title=f"heetui — {name}")
    target = OUT / f"{name}.svg"
    write_bytes(target, for_rsvg(svg).encode("utf-8"))  # as the app's S writes them
    return target


def main() -> None:
    OUT.mkdir(exist_ok=True)
    survey = open_survey()
    converter = shutil.which("rsvg-convert")
    for name, size, step in SHOTS:
        svg = asyncio.run(shoot(survey, name, size, step))
        print(svg.relative_to(OUT.parent))
        if converter:
            png = svg.with_suffix(".png")
            with atomic_path(png) as tmp:
                subprocess.run([converter, "-o", str(tmp), str(svg)], check=True)
            print(png.relative_to(OUT.parent))


if __name__ == "__main__":
    main()
