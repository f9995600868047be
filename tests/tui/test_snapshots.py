"""SVG snapshots of the main screen, the overview, charts and the coding view at 120×40
and 80×24."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp

SIZES = [(120, 40), (80, 24)]


@pytest.fixture(scope="module")
def survey():
    """The bundled survey with a workspace named the same in every run (the overview names
    it); the screens make no edit, so it is never written."""
    return open_survey(workspace=Path("/tmp/heetui-snapshots/hee2019.toml"))


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_main_screen(snap_compare, survey, size):
    assert snap_compare(HeetuiApp(survey), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_main_screen_banner_weighted(snap_compare, survey, size):
    async def run_before(pilot) -> None:
        app = pilot.app
        app.set_view(replace(app.view, question="effectiveness", banner="stakeholder_type",
                             weighted=True))
        await _settle(pilot)

    assert snap_compare(HeetuiApp(survey), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_standard_banner(snap_compare, survey, size):
    """The report's banner: span titles over the columns, row labels and Total in place."""
    async def run_before(pilot) -> None:
        app = pilot.app
        app.set_view(replace(app.view, banner="standard"))
        await _settle(pilot)

    assert snap_compare(HeetuiApp(survey), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_overview(snap_compare, survey, size):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("o")
        await _settle(pilot)

    assert snap_compare(HeetuiApp(survey), terminal_size=size, run_before=run_before)


CHARTS = [("relationship", "stakeholder_type"), ("words", None), ("advocacy", None)]


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
@pytest.mark.parametrize(("question", "banner"), CHARTS, ids=["stacked", "multi", "score"])
def test_chart(snap_compare, survey, size, question, banner):
    async def run_before(pilot) -> None:
        app = pilot.app
        app.set_view(replace(app.view, question=question, banner=banner))
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)
        if question == "advocacy":  # scroll to the net advocacy and benchmark chart
            app.query_one("#chart").scroll_end(animate=False)
            await _settle(pilot)

    assert snap_compare(HeetuiApp(survey), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_grid_summary(snap_compare, tmp_path_factory, size):
    """A rating grid opens on its summary: a row per item with its letter and base."""
    from helpers import grid_bundle

    grid = open_survey(grid_bundle(tmp_path_factory.mktemp("grid") / "b"))
    assert snap_compare(HeetuiApp(grid), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_coding_view(snap_compare, survey, size):
    """The coding view (K): an open-ended question's comments beside its numbered themes
    with their counts, ● on the highlighted comment's."""
    async def run_before(pilot) -> None:
        app = pilot.app
        app.set_view(replace(app.view, question="improve"))
        await _settle(pilot)
        await pilot.press("K")
        await _settle(pilot)

    assert snap_compare(HeetuiApp(survey), terminal_size=size, run_before=run_before)
