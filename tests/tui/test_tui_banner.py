"""The app's banner tables: building a banner in the picker, span titles over the columns,
row labels and Total kept in place while scrolling, every span reachable by keys."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.banner_picker import BannerScreen
from helpers import table_headings, table_span_line
from tui_helpers import running, settle, status, table


@pytest.fixture(scope="module")
def survey():
    return open_survey()


async def open_picker(app, pilot) -> BannerScreen:
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(app.screen, BannerScreen)
    return app.screen


def highlight(screen: BannerScreen, option_id: str) -> None:
    ol = screen.query_one(OptionList)
    ol.highlighted = ol.get_option_index(option_id)


def prompt(screen: BannerScreen, option_id: str) -> str:
    ol = screen.query_one(OptionList)
    return str(ol.get_option_at_index(ol.get_option_index(option_id)).prompt)


async def test_spans_are_added_in_the_order_ticked_and_nested(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        screen = await open_picker(app, pilot)
        for var in ("seniority", "region"):
            highlight(screen, var)
            await pilot.press("space")
        highlight(screen, "stakeholder_type")
        await pilot.press("n")  # stakeholder type within region, the last span
        await pilot.pause()
        assert prompt(screen, "seniority").startswith("[1]")
        assert prompt(screen, "stakeholder_type").startswith("[2]")
        assert prompt(screen, "org_type").startswith("[ ]")  # distinct glyphs, no colour
        built = str(screen.query_one("#banner-built").render())
        assert "1. Seniority" in built and "2. Stakeholder type within Region" in built
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.banner == "seniority,stakeholder_type/region"
        assert "Seniority | Stakeholder type within Region" in status(app)
        heads = table_headings(table(app))
        assert heads[1:4] == ["Total", "Chair/CEO/ Executive Director (A)", "Other role (B)"]
        assert heads[4] == "HEI (C)" and len(heads) == 1 + 1 + 2 + 3 * 8


async def test_space_again_removes_backspace_undoes_and_a_named_banner_adds_its_spans(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        screen = await open_picker(app, pilot)
        highlight(screen, "standard")
        await pilot.press("space")
        highlight(screen, "region")
        await pilot.press("space")
        highlight(screen, "seniority")
        await pilot.press("space")  # ticked already: removed
        assert screen.spans == ["stakeholder_type", "hee_team", "region"]
        await pilot.press("backspace")
        assert screen.spans == ["stakeholder_type", "hee_team"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.view.banner is None  # cancelled: nothing applied


async def test_named_banner_by_enter_shows_spans_with_titles(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        screen = await open_picker(app, pilot)
        highlight(screen, "standard")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.banner == "standard"
        ct = table(app).crosstab
        assert [c.base for c in ct.columns] == [602, 76, 399, 127, 112, 490, 304, 350, 243]
        line = table_span_line(table(app))
        assert line.index("Stakeholder type") < line.index("Seniority") < \
            line.index("HEE teams")
        assert "Banner: Report banner (Stakeholder type | Seniority | HEE teams)" in status(app)


async def test_find_narrows_the_list_and_keys_type_there(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        screen = await open_picker(app, pilot)
        await pilot.press("slash", "r", "e", "g", "i", "o", "n")  # n types, it does not nest
        await pilot.pause()
        assert isinstance(screen.focused, Input) and screen.focused.value == "region"
        ol = screen.query_one(OptionList)
        ids = [ol.get_option_at_index(i).id for i in range(ol.option_count)]
        assert [i for i in ids if i] == ["region"] and not screen.spans
        await pilot.press("enter")  # back to the list, on the one match
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.banner == "region"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_span_reachable_with_labels_and_total_in_place(survey, size):
    async with running(HeetuiApp(survey), size) as (app, pilot):
        screen = await open_picker(app, pilot)
        for var in ("region", "stakeholder_type", "hee_team"):
            highlight(screen, var)
            await pilot.press("space")
        await pilot.press("enter")
        await settle(app, pilot)
        t = table(app)
        keys = [c.key.value for c in t.columns.values()]
        seen = set()
        for _ in range(len(keys)):
            await pilot.press("right")
            await pilot.pause()
            seen.add(keys[t.cursor_coordinate.column])
        assert {k for k in keys if k not in ("label", "total")} <= seen
        shown = "\n".join(t.render_line(y).text for y in range(t.size.height))
        if size[0] < 120:
            assert t.scroll_x > 0  # it scrolled to reach the last span
        # the row labels and Total stay on screen, the last span is titled, its letters shown
        assert "Very positive" in shown and "Total" in shown and "HEE teams" in shown
        assert "LWABs (" in shown
        await pilot.press("enter")  # the base row of the last column: its comments
        await settle(app, pilot)
        assert app.screen.__class__.__name__ == "VerbatimScreen"
        assert "LWABs" in str(app.screen.query_one("#vsummary").render())
