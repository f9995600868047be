"""Edits made on the table's rows (tui/edit_actions.py): mark answers and net them, rename
an answer or the question, undo; each written to the survey's workspace file and shown at
once. Net percents are checked against polars on the raw Parquet, not the engine."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest
from textual.widgets import Input, Static

from heetui.engine import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.textual_internals import notifications
from tui_helpers import answer, running, screen_text, settle, table


@pytest.fixture
def ws(tmp_path):
    return tmp_path / "w.toml"


def app_on(ws) -> HeetuiApp:
    return HeetuiApp(open_survey(workspace=ws))


async def mark(app, pilot, *row_keys: str) -> None:
    for key in row_keys:
        table(app).place_cursor(key, "total")
        await pilot.press("space")
    await pilot.pause()


def net_row(app, label: str) -> str:
    row = next(r for r in app.crosstab.rows if r.kind == "net" and r.label == label)
    return f"row:{row.key}"


def messages(app) -> list[str]:
    return [n.message for n in notifications(app)]


def percent(part: int, base: int) -> str:
    return f"{round(100 * part / base)}%"


async def test_net_of_two_marked_answers_single(ws, raw):
    async with running(app_on(ws)) as (app, pilot):
        await mark(app, pilot, "row:2", "row:3")
        assert "✓" in str(table(app).get_cell("row:2", "label"))
        await pilot.press("n")
        await pilot.pause()
        assert "Fairly positive" in str(app.screen.query_one(".edit-what", Static).render())
        await answer(app, pilot, "Warm")
        answered = raw.filter(pl.col("relationship").is_not_null())
        warm = answered.filter(pl.col("relationship").is_in([2, 3])).height
        assert table(app).cell_text(net_row(app, "Warm"), "total") == \
            percent(warm, answered.height)
        assert "✓" not in str(table(app).get_cell("row:2", "label"))  # marks cleared
        assert 'label = "Warm"' in ws.read_text() and "codes = [2, 3]" in ws.read_text()
        assert any("written to" in m and str(ws) in m for m in messages(app))


async def test_net_of_two_marked_answers_multi(ws, raw):
    async with running(app_on(ws)) as (app, pilot):
        app.set_view(replace(app.view, question="words"))
        await settle(app, pilot)
        await mark(app, pilot, "row:1", "row:3")
        await pilot.press("n")
        await pilot.pause()
        await answer(app, pilot, "One or three")
        assert "One or three" in ws.read_text()
        cols = [c for c in raw.columns if c.startswith("words_")]
        answered = raw.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in cols))
        either = answered.filter((pl.col("words_1") == 1) | (pl.col("words_3") == 1)).height
        assert table(app).cell_text(net_row(app, "One or three"), "total") == \
            percent(either, answered.height)


async def test_net_refused_for_a_row_that_is_not_an_answer(ws):
    async with running(app_on(ws)) as (app, pilot):
        await mark(app, pilot, "row:2", "row:3")
        await pilot.press("n")
        await pilot.pause()
        await answer(app, pilot, "Warm")
        before = ws.read_bytes()
        for row, kind in ((net_row(app, "Warm"), "is a net"), ("row:mean", "is a mean")):
            await mark(app, pilot, row, "row:3")
            await pilot.press("n")
            await settle(app, pilot)
            assert app.screen is app.screen_stack[0]  # no dialog: refused at once
            refusals = [m for m in messages(app) if "Only answers go into a net" in m]
            assert len(refusals) == 1 and kind in refusals[-1]
            assert ws.read_bytes() == before
            await mark(app, pilot, row, "row:3")  # unmarked again
            assert table(app).marked == set()
            app.clear_notifications()
        table(app).place_cursor("base:Base (unweighted)", "total")
        await pilot.press("space")
        assert any("the cursor is on a base" in m for m in messages(app))


async def test_rename_answer_and_question(ws):
    async with running(app_on(ws)) as (app, pilot):
        table(app).place_cursor("row:1", "total")
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one("#edit-0", Input).value == "Very positive"
        await answer(app, pilot, "Glowing")
        assert "Glowing" in str(table(app).get_cell("row:1", "label"))
        assert '1 = "Glowing"' in ws.read_text()
        await pilot.press("R")
        await pilot.pause()
        await answer(app, pilot, "How do you get on with HEE?", "Getting on")
        assert "relationship: How do you get on with HEE?" in str(
            app.query_one("#qtext", Static).render())
        text = ws.read_text()
        assert 'text = "How do you get on with HEE?"' in text and 'label = "Getting on"' in text
        assert app.codebook.get("relationship").short == "Getting on"


async def test_undo_restores_the_file_byte_for_byte(ws):
    ws.write_text("# my notes, kept\n[question.advocacy]\nlabel = \"Advocacy\"\n")
    original = ws.read_bytes()
    async with running(app_on(ws)) as (app, pilot):
        table(app).place_cursor("row:1", "total")
        await pilot.press("r")
        await pilot.pause()
        await answer(app, pilot, "Glowing")
        after_rename = ws.read_bytes()
        await mark(app, pilot, "row:2", "row:3")
        await pilot.press("n")
        await pilot.pause()
        await answer(app, pilot, "Warm")
        assert "NET: Warm" in str(table(app).get_cell(net_row(app, "Warm"), "label"))
        await pilot.press("R")
        await pilot.pause()
        await answer(app, pilot, "New text", "New label")  # two entries: one undo
        await pilot.press("u")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert ws.read_bytes() == after_rename
        assert all("NET: Warm" not in str(table(app).get_cell(k, "label"))
                   for k in table(app).rows)
        await pilot.press("u")
        await settle(app, pilot)
        assert ws.read_bytes() == original
        assert "Very positive" in str(table(app).get_cell("row:1", "label"))
        assert any(m.startswith("Undid: ") for m in messages(app))
        await pilot.press("u")
        await settle(app, pilot)
        assert any("No edit made in this session" in m for m in messages(app))
        assert ws.read_bytes() == original


async def test_workspace_problems_named_by_line_on_opening(ws):
    ws.write_text("[question.relationship]\nlabels = { 99 = \"Gone\" }\n\n"
                  "[question.no_such_question]\ntext = \"x\"\n")
    async with running(app_on(ws)) as (app, pilot):
        shown = [m for m in messages(app) if "left out" in m]
        assert len(shown) == 1
        assert "line 2:" in shown[0] and "line 4:" in shown[0] and str(ws) in shown[0]


async def test_an_edit_shows_in_the_chart_on_screen(ws):
    async with running(app_on(ws)) as (app, pilot):
        await pilot.press("g")  # the chart on show while the answer is renamed
        await settle(app, pilot)
        assert "Glowing" not in screen_text(app)
        await pilot.press("g")
        table(app).place_cursor("row:1", "total")
        await pilot.press("r")
        await pilot.pause()
        await answer(app, pilot, "Glowing")
        await pilot.press("g")
        await settle(app, pilot)
        assert "Glowing" in screen_text(app)
        await pilot.press("R")  # renamed with the chart on show: redrawn at once
        await pilot.pause()
        await answer(app, pilot, "Renamed while charted", "")
        assert "Renamed while charted" in screen_text(app)
