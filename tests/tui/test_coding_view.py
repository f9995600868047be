"""The coding view (tui/coding_screen.py): digits code the highlighted comment and write the
workspace, search-and-apply codes every hit, n goes to the next uncoded comment, u puts the
file back, and a refused edit is one sentence. Comments and counts are checked against
polars on the survey's stored comments, the file with tomllib."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import polars as pl
import pytest
from textual.widgets import Input, OptionList, Static

from heetui.engine import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.coding_modals import ThemePicker
from heetui.tui.coding_screen import CodingScreen
from heetui.tui.textual_internals import notifications
from heetui.tui.verbatim_screen import VerbatimScreen
from tui_helpers import burst, running, screen_text, settle

Q = "improve"


@pytest.fixture
def ws(tmp_path):
    return tmp_path / "w.toml"


@pytest.fixture(scope="module")
def comments() -> pl.DataFrame:
    """The question's stored comments in the order they are listed, with their themes as
    stored (the survey's own frame) and whether they are blank."""
    path = open_survey().bundle.verbatims
    return (pl.read_parquet(path).filter(pl.col("question") == Q).sort("comment_id")
            .with_columns(blank=pl.col("text").fill_null("").str.strip_chars() == ""))


def carrying(comments: pl.DataFrame, code: int) -> set[int]:
    """Ids of the non-blank comments whose stored themes hold ``code``."""
    return set(comments.filter(~pl.col("blank") & pl.col("themes").list.contains(code))
               ["comment_id"].to_list())


async def coding(app, pilot) -> CodingScreen:
    app.set_view(replace(app.view, question=Q))
    await settle(app, pilot)
    await pilot.press("K")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, CodingScreen) and screen.question == Q
    return screen


def highlighted(screen: CodingScreen) -> int:
    comment = screen.comment()
    assert comment is not None
    return comment.key


def panel_line(screen: CodingScreen, code: int) -> str:
    panel = screen.query_one("#cthemes", OptionList)
    return str(panel.get_option(f"t{code}").prompt)


def frame(ws, question: str = Q) -> dict:
    return tomllib.loads(ws.read_text(encoding="utf-8"))["frame"][question]


def theme_entry(ws, code: int, question: str = Q) -> dict:
    return next(t for t in frame(ws, question)["themes"] if t["code"] == code)


def status_line(screen: CodingScreen) -> str:
    return str(screen.query_one("#cstatus", Static).render())


async def test_digits_code_the_comment_write_the_workspace_and_update_counts(ws, comments):
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        screen = await coding(app, pilot)
        first = highlighted(screen)
        assert first == comments["comment_id"][0]
        code = screen.frame_themes()[1].code  # the theme numbered 2
        had = carrying(comments, code)
        assert first not in had
        assert screen.counts is not None and \
            dict((t.code, n) for t, n in screen.counts.themes)[code] == len(had)
        await pilot.press("2")
        await settle(app, pilot)
        assert theme_entry(ws, code)["add"] == [first]
        assert str(ws) in status_line(screen) and f"Comment {first}" in status_line(screen)
        n = dict((t.code, k) for t, k in screen.counts.themes)[code]
        assert n == len(had) + 1
        assert f" {n} " in panel_line(screen, code) and panel_line(screen, code).startswith("●")
        assert highlighted(screen) == first  # still on the comment coded
        assert code in screen.comment().theme_codes
        await pilot.press("2")  # again: uncoded
        await settle(app, pilot)
        assert "add" not in theme_entry(ws, code)
        assert dict((t.code, k) for t, k in screen.counts.themes)[code] == len(had)
        non_blank = comments.filter(~pl.col("blank"))
        coded = non_blank.filter(pl.col("themes").list.len() > 0).height
        assert (screen.counts.comments, screen.counts.coded) == (non_blank.height, coded)
        summary = str(screen.query_one("#csummary", Static).render())
        assert f"{non_blank.height:,} comments · {coded:,} coded · " \
               f"{non_blank.height - coded:,} uncoded" in summary


async def test_search_and_apply_codes_every_hit(ws, comments):
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        screen = await coding(app, pilot)
        await pilot.press("slash", *"workforce", "enter")
        await settle(app, pilot)
        hits = set(comments.filter(pl.col("text").str.to_lowercase().str.contains(
            "workforce", literal=True))["comment_id"].to_list())
        assert 0 < len(hits) < 50
        page = screen.page
        assert page is not None and {v.key for v in page.items} == hits
        assert f"{len(hits):,} hits" in str(screen.query_one("#csummary", Static).render())
        await pilot.press("A")
        await settle(app, pilot)
        assert isinstance(app.screen, ThemePicker)
        picker = app.screen.query_one(OptionList)
        code = screen.frame_themes()[9].code  # the tenth: past the digits
        picker.highlighted = picker.get_option_index(f"t{code}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert theme_entry(ws, code)["search"] == ["workforce"]
        assert all(code in v.theme_codes for v in screen.page.items)
        expected = carrying(comments, code) | hits
        assert dict((t.code, n) for t, n in screen.counts.themes)[code] == len(expected)
        one, first = highlighted(screen), screen.frame_themes()[0].code  # one by one
        assert one == min(hits)
        await pilot.press("1")
        await settle(app, pilot)
        had = one in carrying(comments, first)
        assert one in theme_entry(ws, first)["remove" if had else "add"]
        assert (first in screen.comment().theme_codes) is not had


async def test_next_uncoded_moves_to_the_right_comment(ws, comments):
    uncoded = comments.filter(~pl.col("blank") & (pl.col("themes").list.len() == 0))
    ids = uncoded["comment_id"].to_list()
    listed = comments["comment_id"].to_list()
    assert len(ids) >= 3 and any(comments.filter(pl.col("comment_id") < ids[0])["blank"])
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        screen = await coding(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        seen = [highlighted(screen)]
        assert screen.start == listed.index(seen[-1]) // 50 * 50
        burst(app, "n", "1")  # typed ahead: 1 codes the comment n goes to (n passes it by now)
        await settle(app, pilot)
        seen.append(highlighted(screen))
        assert screen.start == listed.index(seen[-1]) // 50 * 50
        assert seen == ids[:2]
        first = screen.frame_themes()[0].code
        assert theme_entry(ws, first)["add"] == [ids[1]]
        for _ in range(len(ids) - 1):
            await pilot.press("n")
            await settle(app, pilot)
            seen.append(highlighted(screen))
        assert seen[2:] == ids[2:] + ids[:1]  # on to the end, then round to the start
        await pilot.press("U")  # only the uncoded: the blank ones are not listed
        await settle(app, pilot)
        assert [v.key for v in screen.page.items] == [i for i in ids if i != ids[1]]


async def test_undo_puts_the_file_back(ws, comments):
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        screen = await coding(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        after_first = ws.read_bytes()
        await pilot.press("down", "3")
        await settle(app, pilot)
        assert ws.read_bytes() != after_first
        await pilot.press("u")
        await settle(app, pilot)
        assert ws.read_bytes() == after_first
        assert status_line(screen).startswith("Undid: ")
        await pilot.press("u")
        await settle(app, pilot)
        assert not ws.exists() or "frame" not in tomllib.loads(ws.read_text())
        code = screen.frame_themes()[0].code
        n = len(carrying(comments, code))
        assert screen.counts is not None and screen.counts.themes[0] == (
            screen.frame_themes()[0], n)
        assert f" {n} " in panel_line(screen, code)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0]


async def test_a_refused_edit_is_one_sentence_and_the_file_stays(ws):
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        screen = await coding(app, pilot)
        ws.write_text("[frame\n", encoding="utf-8")  # broken by hand meanwhile
        before = ws.read_bytes()
        status = status_line(screen)
        await pilot.press("1")
        await settle(app, pilot)
        shown = [n for n in notifications(app) if n.severity != "information"]
        assert len(shown) == 1, shown
        message = shown[0].message
        assert shown[0].severity == "warning" and str(ws) in message
        assert message.endswith(".") and "\n" not in message and "Traceback" not in message
        assert ws.read_bytes() == before and status_line(screen) == status
        assert not screen.edits and screen.query_one("#csearch", Input).value == ""


async def test_from_the_comments_view_and_back(ws):
    """K in the comments view codes the highlighted comment's question; back there, its
    comments show the themes as coded."""
    async with running(HeetuiApp(open_survey(workspace=ws))) as (app, pilot):
        await pilot.press("v")
        await settle(app, pilot)
        comments_view = app.screen
        assert isinstance(comments_view, VerbatimScreen) and comments_view.shown is not None
        first = comments_view.shown[1].items[0]
        await pilot.press("K")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.question == first.question
        code = screen.frame_themes()[0].code
        key = highlighted(screen)
        await pilot.press("1", "escape")
        await settle(app, pilot)
        assert app.screen is comments_view
        shown = next(v for v in comments_view.shown[1].items if v.question == first.question
                     and v.text == first.text and v.attribution == first.attribution)
        assert (code in shown.theme_codes) is not (code in first.theme_codes)
        entry = theme_entry(ws, code, first.question)
        assert key in entry.get("add", []) + entry.get("remove", [])


async def test_the_pickers_explanation_wraps_whole_at_80_columns(ws):
    """At 80×24 the theme picker's sentence about keeping the search is read to its end
    (it was cut at the box's edge), wrapped inside the box."""
    async with running(HeetuiApp(open_survey(workspace=ws)), (80, 24)) as (app, pilot):
        await coding(app, pilot)
        await pilot.press("slash", *"workforce", "enter")
        await settle(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        assert isinstance(app.screen, ThemePicker)
        lines = screen_text(app).split("\n")
        k = next(i for i, line in enumerate(lines) if "Kept as a search" in line)
        inside = " ".join(line.split("█")[1].strip() for line in lines[k:k + 2])
        assert inside == ("Kept as a search: comments of a later wave that match it are "
                          "coded too."), lines[k:k + 2]
