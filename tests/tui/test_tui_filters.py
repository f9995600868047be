"""The filter picker: ticks on several variables in one visit all apply (ANDed), values
ticked within a variable are alternatives (ORed), as on the command line; the status line
names every condition. Counts checked against polars on the raw respondents."""

from __future__ import annotations

import polars as pl
from textual.widgets import OptionList

from heetui.engine.filters import Filter
from heetui.tui.app import HeetuiApp
from heetui.tui.modals import FilterScreen
from tui_helpers import BASE, running, settle, status, table


def _values(screen: FilterScreen) -> dict[str, bool]:
    sl = screen.query_one("#filter-values")
    return {str(sl.get_option_at_index(i).prompt): sl.get_option_at_index(i).value in
            sl.selected for i in range(sl.option_count)}


async def _go_to(pilot, screen: FilterScreen, var_id: str) -> None:
    """Move the variables' highlight to ``var_id`` with the arrow keys, then Enter."""
    ol = screen.query_one("#filter-vars", OptionList)
    target = ol.get_option_index(var_id)
    while ol.highlighted != target:
        await pilot.press("down" if (ol.highlighted or 0) < target else "up")
    await pilot.press("enter")
    await pilot.pause()


async def _tick(pilot, screen: FilterScreen, label: str) -> None:
    sl = screen.query_one("#filter-values")
    target = next(i for i in range(sl.option_count)
                  if str(sl.get_option_at_index(i).prompt) == label)
    while sl.highlighted != target:
        await pilot.press("down")
    await pilot.press("space")
    await pilot.pause()


async def test_ticks_on_two_variables_combine(survey, raw):
    expected = raw.filter((pl.col("stakeholder_type") == 2) & (pl.col("region_6") == 1))
    expected = expected.filter(pl.col("relationship").is_not_null()).height
    assert expected == 108
    app = HeetuiApp(survey)
    async with running(app) as (app, pilot):
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FilterScreen)
        await _go_to(pilot, screen, "stakeholder_type")
        await _tick(pilot, screen, "NHS Trust")
        await pilot.press("shift+tab")  # back to the variables
        await pilot.pause()
        await _go_to(pilot, screen, "region")
        await _tick(pilot, screen, "London")
        await pilot.press("a")
        await settle(app, pilot)
        assert app.view.filters == (Filter("stakeholder_type", (2,)), Filter("region", (6,)))
        assert table(app).cell_text(BASE, "total") == str(expected)
        line = status(app)
        assert "Stakeholder type = NHS Trust" in line and "Region = London" in line
        assert f"(base {expected})" in line
        # reopened: both are still ticked, and both variables marked
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FilterScreen)
        await _go_to(pilot, screen, "stakeholder_type")
        assert _values(screen)["NHS Trust"] and sum(_values(screen).values()) == 1
        await pilot.press("shift+tab")
        await _go_to(pilot, screen, "region")
        assert _values(screen)["London"] and sum(_values(screen).values()) == 1
        ol = screen.query_one("#filter-vars", OptionList)
        marked = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
        assert sum(p.endswith(" ●") for p in marked) == 2
        await pilot.press("escape")
        await settle(app, pilot)
        assert table(app).cell_text(BASE, "total") == str(expected)


async def test_values_within_a_variable_are_alternatives(survey, raw):
    """HEI or Other, and London: (HEI ∪ Other) ∩ London."""
    expected = raw.filter(pl.col("stakeholder_type").is_in([1, 3]) & (pl.col("region_6") == 1)
                          & pl.col("relationship").is_not_null()).height
    app = HeetuiApp(survey)
    async with running(app) as (app, pilot):
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        await _go_to(pilot, screen, "region")
        await _tick(pilot, screen, "London")
        await pilot.press("shift+tab")
        await _go_to(pilot, screen, "stakeholder_type")
        await _tick(pilot, screen, "HEI")
        await _tick(pilot, screen, "Other")
        await pilot.press("a")
        await settle(app, pilot)
        assert table(app).cell_text(BASE, "total").rstrip("*") == str(expected)  # * low base
        assert "Stakeholder type = HEI or Other" in status(app)
        assert "Region = London" in status(app)
        # unticking one variable in a later visit drops only its filter
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        await _go_to(pilot, screen, "region")
        await _tick(pilot, screen, "London")
        await pilot.press("a")
        await settle(app, pilot)
        assert app.view.filters == (Filter("stakeholder_type", (1, 3)),)
        assert "Region" not in status(app)
