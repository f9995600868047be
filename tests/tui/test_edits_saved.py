"""Filters and banners saved from the app (tui/edit_actions.py, tui/banner_picker.py): by
name in the workspace file, listed in the pickers at once, usable on the command line; a
filter saved as a segment is a banner span and a filter. Bases are checked against polars
on the raw Parquet."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import polars as pl
import pytest
from textual.widgets import OptionList

from heetui.engine import Filter, open_survey, parse_filter, write_filters
from heetui.tui.app import HeetuiApp
from heetui.tui.banner_picker import BannerScreen
from heetui.tui.modals import FilterScreen
from heetui.tui.textual_internals import notifications
from helpers import table_headings
from tui_helpers import BASE, add_filter, answer, running, settle, table

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LONDON = 6  # region's code for London (a multi-response question: region_6)


@pytest.fixture
def ws(tmp_path):
    return tmp_path / "w.toml"


def options(screen, list_id: str) -> dict[str, str]:
    ol = screen.query_one(list_id, OptionList)
    return {o.id: str(o.prompt) for o in (ol.get_option_at_index(i)
                                          for i in range(ol.option_count)) if o.id}


def warnings(app) -> list[str]:
    return [n.message for n in notifications(app) if n.severity == "warning"]


async def test_save_filter_by_name_listed_and_applied(ws, raw):
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        await add_filter(app, pilot, "region", ["London"])
        await pilot.press("F")
        await pilot.pause()
        await answer(app, pilot, "london")
        saved = tomllib.loads(ws.read_text())["filter"]["london"]
        assert saved == {"label": "Region = London", "when": f"region={LONDON}"}
        await pilot.press("x")  # clear the filter, then apply the saved one from the picker
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        assert options(app.screen, "#filter-vars")["@london"] == \
            f"@london: Region = London (region={LONDON})"
        ol = app.screen.query_one("#filter-vars", OptionList)
        ol.highlighted = ol.get_option_index("@london")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.filters == (Filter("region", (LONDON,)),)
        london = raw.filter(pl.col(f"region_{LONDON}") == 1).height
        assert table(app).cell_text(BASE, "total") == str(london)


async def test_save_filter_as_a_segment(ws, raw):
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        await add_filter(app, pilot, "stakeholder_type", ["NHS Trust"])
        await add_filter(app, pilot, "region", ["London"])
        await pilot.press("D")
        await pilot.pause()
        await answer(app, pilot, "trusts_london", "NHS Trusts in London")
        entry = tomllib.loads(ws.read_text())["derived"]["trusts_london"]
        assert [a["when"] for a in entry["answers"]] == [
            f"stakeholder_type=2 & region={LONDON}", "else"]
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("b")  # a segment of the banner picker
        await pilot.pause()
        assert isinstance(app.screen, BannerScreen)
        ol = app.screen.query_one(OptionList)
        ol.highlighted = ol.get_option_index("trusts_london")
        await pilot.press("enter")
        await settle(app, pilot)
        assert table_headings(table(app))[2:] == ["NHS Trusts in London (A)",
                                                  "Everyone else (B)"]
        both = raw.filter((pl.col("stakeholder_type") == 2)
                          & (pl.col(f"region_{LONDON}") == 1)).height
        assert table(app).cell_text(BASE, app.crosstab.columns[1].key) == str(both)
        await pilot.press("f")  # and a variable of the filter picker
        await pilot.pause()
        assert "trusts_london" in options(app.screen, "#filter-vars")


async def test_save_banner_built_in_the_picker(tmp_path, monkeypatch):
    """Saved in the default workspace, as the command line finds it: --by NAME works."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    survey = open_survey()
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        ol = screen.query_one(OptionList)
        for span in ("stakeholder_type", "region"):
            ol.highlighted = ol.get_option_index(span)
            await pilot.press("space")
        await pilot.press("s")
        await pilot.pause()
        await answer(app, pilot, "by_type_region", "Type and region")
        assert app.screen is screen  # back in the picker, the banner listed by name
        assert "Type and region (by_type_region)" in options(screen, "#banners")[
            "by_type_region"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.banner == "by_type_region"
        shown = app.crosstab
    entry = tomllib.loads(survey.workspace.path.read_text())["banner"]["by_type_region"]
    assert entry["spans"] == ["stakeholder_type", "region"]
    out = subprocess.run([sys.executable, "-m", "heetui", "tab", "relationship", "--by",
                          "by_type_region", "--format", "csv"], capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": f"{ROOT}/src"})
    assert out.returncode == 0, out.stderr
    assert all(c.label in out.stdout for c in shown.columns)


async def test_a_refused_edit_is_said_and_leaves_the_file(ws):
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        await add_filter(app, pilot, "region", ["London"])
        await pilot.press("F")
        await pilot.pause()
        await answer(app, pilot, "london")
        before = ws.read_bytes()
        for name in ("2nd", "relationship"):  # not a name; a question's
            await pilot.press("D")
            await pilot.pause()
            await answer(app, pilot, name, "x")
        said = warnings(app)
        assert len(said) == 2 and "must start with a letter" in said[0], said
        assert ws.read_bytes() == before
        await pilot.press("u")  # the refused edits left nothing to undo but the filter,
        await settle(app, pilot)
        assert not ws.exists()  # whose edit made the file


def test_filters_written_read_back_the_same(survey):
    """Every categorical variable's answers, a band and numeric ranges: written as
    --filter takes them and parsed again, the same filters."""
    cb = survey.codebook
    filters = [Filter(v.id, tuple(o.code for o in v.options[::2]))
               for v in cb.categorical if v.options and v.type != "numeric"]
    for f in filters:
        assert parse_filter(cb, f.written(cb)) == f
    numeric = next((v for v in cb.closed if v.type == "numeric"), None)
    if numeric is not None:
        for ranges in [((18.0, 34.5, True, True), (50.0, 50.0, True, True)),
                       ((1e-07, float("inf"), False, False),),
                       ((float("-inf"), 12345678.0, False, True),)]:
            f = Filter(numeric.id, (), ranges)
            assert parse_filter(cb, f.written(cb)) == f
    assert write_filters(cb, filters[:2]) == " & ".join(f.written(cb) for f in filters[:2])
