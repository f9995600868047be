"""Quotes from the app's comments view: * stars and unstars the highlighted comment (★ marks
it; written to the workspace, as `heetui quotes --star` writes it) and Q writes the starred
comments through the save dialog, in the format its name's suffix names."""

from __future__ import annotations

import tomllib

import openpyxl
from textual.widgets import Input, OptionList

from heetui import engine
from heetui.engine.session import open_survey
from heetui.output.formats import rendered
from heetui.tui.app import HeetuiApp
from heetui.tui.save_dialog import SaveDialog
from heetui.tui.verbatim_screen import STAR, VerbatimScreen
from tui_helpers import running, settle


def comment_list(app) -> OptionList:
    return app.screen.query_one("#vlist", OptionList)


async def open_improve(app, pilot) -> None:
    await pilot.press("v")
    await settle(app, pilot)
    assert isinstance(app.screen, VerbatimScreen)
    questions = app.screen.query_one("#vquestions", OptionList)
    questions.focus()
    questions.highlighted = questions.get_option_index("improve")
    await pilot.press("enter")
    await settle(app, pilot)
    comment_list(app).focus()
    await pilot.pause()


async def test_star_marks_writes_and_unstars_the_highlighted_comment(tmp_path):
    ws = tmp_path / "ws.toml"
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        await open_improve(app, pilot)
        lst = comment_list(app)
        lst.highlighted = 2
        await pilot.pause()
        page = app.screen.shown[1]
        key = page.items[2].key
        assert not lst.get_option_at_index(2).prompt.plain.startswith(STAR)
        await pilot.press("asterisk")
        await settle(app, pilot)
        assert tomllib.loads(ws.read_text())["quote"]["improve"]["starred"] == [key]
        assert lst.get_option_at_index(2).prompt.plain.startswith(f"{STAR} #3 · improve")
        assert lst.highlighted == 2  # the cursor stays where it was
        lst.highlighted = 0
        await pilot.press("asterisk")
        await settle(app, pilot)
        assert tomllib.loads(ws.read_text())["quote"]["improve"]["starred"] == [
            key, page.items[0].key]
        lst.highlighted = 2
        await pilot.press("asterisk")  # again: unstarred
        await settle(app, pilot)
        assert tomllib.loads(ws.read_text())["quote"]["improve"]["starred"] == [
            page.items[0].key]
        assert not lst.get_option_at_index(2).prompt.plain.startswith(STAR)
        await pilot.press("n", "p")  # a page shown again marks its starred comments
        await settle(app, pilot)
        assert comment_list(app).get_option_at_index(0).prompt.plain.startswith(STAR)


async def test_q_writes_the_starred_comments_where_the_dialog_says(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ws = tmp_path / "ws.toml"
    survey = open_survey(workspace=ws)
    for cid in (400, 700):
        engine.apply_edit(survey, engine.quotes.star(survey, "improve", cid))
    expected = rendered(engine.quotes.quotes(survey, "improve"), "md")
    async with running(HeetuiApp(survey)) as (app, pilot):
        await open_improve(app, pilot)
        await pilot.press("Q")
        await settle(app, pilot)
        assert isinstance(app.screen, SaveDialog)
        assert app.screen.proposed.name == "heetui-quotes-improve.md"
        await pilot.press("enter")
        await settle(app, pilot)
        assert (tmp_path / "heetui-quotes-improve.md").read_text() == expected
        await pilot.press("Q")
        await settle(app, pilot)
        app.screen.query_one(Input).value = "for-the-report.xlsx"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, VerbatimScreen)
        rows = list(openpyxl.load_workbook(tmp_path / "for-the-report.xlsx").active
                    .iter_rows(values_only=True))
        assert sum(1 for r in rows if r[0] == "improve") == expected.count("> — ")
        await pilot.press("Q")  # a name the survey is read from: refused in the dialog
        await settle(app, pilot)
        app.screen.query_one(Input).value = str(ws)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SaveDialog) and tomllib.loads(ws.read_text())["quote"]


async def test_q_with_nothing_starred_says_so_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with running(HeetuiApp(open_survey(workspace=tmp_path / "ws.toml"))) as (app, pilot):
        said: list[str] = []
        real = app.notify
        monkeypatch.setattr(app, "notify", lambda m, **k: (said.append(m), real(m, **k)))
        await open_improve(app, pilot)
        await pilot.press("Q")
        await settle(app, pilot)
        assert isinstance(app.screen, VerbatimScreen)
        assert any("No comment of improve is starred yet" in m for m in said)
        assert sorted(p.name for p in tmp_path.iterdir()) == []
