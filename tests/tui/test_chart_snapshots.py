"""SVG snapshots of the chart view's plotext kinds (histogram, box plots, means ± SE, trend)
at 120×40 and 80×24, with colour and under NO_COLOR, on a survey with a numeric question
(`pytest --snapshot-update` after a deliberate change; look at them as PNGs with
rsvg-convert)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chart_helpers import age_bundle
from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.chart_view import ChartView

SIZES = [(120, 40), (80, 24)]
KINDS = ["histogram", "box", "means", "trend"]


@pytest.fixture(scope="module")
def ages(tmp_path_factory):
    return open_survey(age_bundle(tmp_path_factory.mktemp("age") / "b"))


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("colour", [True, False], ids=["colour", "no-colour"])
@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
@pytest.mark.parametrize("kind", KINDS)
def test_chart_kind(snap_compare, ages, monkeypatch, kind, size, colour):
    if colour:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", "1")
    banner = "age_band" if kind == "trend" else "stakeholder_type"

    async def run_before(pilot) -> None:
        app = pilot.app
        app.set_view(replace(app.view, question="AGE", banner=banner))
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)
        chart = app.query_one(ChartView)
        while chart.kind != kind:
            await pilot.press("k")
            await _settle(pilot)

    assert snap_compare(HeetuiApp(ages), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
def test_bar_chart_without_colour(snap_compare, monkeypatch, size):
    """heetui's own stacked bars under NO_COLOR (tests/test_snapshots.py has them in
    colour): the fill characters tell the options apart."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        app = pilot.app
        app.set_view(replace(app.view, question="relationship", banner="stakeholder_type"))
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)

    assert snap_compare(HeetuiApp(open_survey()), terminal_size=size, run_before=run_before)
