"""Pilot tests of the comments view: drill-down, themes, search, paging, disclosure."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input, OptionList, Static

from heetui.engine.comments import CellRef, Selection, describe
from heetui.engine.disclosure import refusal
from heetui.engine.filters import Filter, parse_filter
from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.banner_picker import BannerScreen
from heetui.tui.textual_internals import notifications
from heetui.tui.verbatim_screen import ALL, VerbatimScreen, narrowings_line
from helpers import HOSTILE_COMMENTS as HOSTILE
from helpers import comment_bundle as disclosure_bundle
from helpers import small_comment_bundle as _small_bundle
from tui_helpers import burst, running, settle, table


@pytest.fixture(scope="module")
def survey():
    return open_survey()


def summary(app) -> str:
    return str(app.screen.query_one("#vsummary", Static).render())


def comment_list(app) -> OptionList:
    return app.screen.query_one("#vlist", OptionList)


async def open_cell(app, pilot, row_key: str, column_key: str) -> None:
    t = table(app)
    t.move_cursor(row=t.get_row_index(row_key), column=t.get_column_index(column_key))
    await pilot.press("enter")
    await settle(app, pilot)


def test_the_header_names_each_narrowing_in_the_engines_words(survey):
    cb = survey.codebook
    cell = CellRef("advocacy", (1,), "Agree · strongly", (Filter("stakeholder_type", (1,)),))
    sel = Selection("improve", (Filter("seniority", (1,)), Filter("org_type", (1, 2))), cell,
                    (1,), ' "a b" c ')
    assert describe(cb, sel) == (
        "Stakeholder type = HEI · advocacy = Agree · strongly · Seniority = Chair/CEO/"
        "Executive Director · Organisation type = NHS Trust or HEI · comments on improve · "
        "theme Funding transparency and timing · search '\"a b\" c'")
    assert narrowings_line(cb, sel) == (
        "Cell: Stakeholder type = HEI × advocacy = Agree · strongly │ Filter: Seniority = "
        "Chair/CEO/Executive Director · Organisation type = NHS Trust or HEI │ Question: "
        "improve │ Theme: Funding transparency and timing │ Search: '\"a b\" c'")
    assert narrowings_line(cb, Selection()) == "All respondents, every comment"
    assert describe(cb, Selection()) == "All respondents"


async def test_enter_on_cell_lists_its_comments_and_esc_returns(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        app.set_view(replace(app.view, banner="stakeholder_type"))
        await settle(app, pilot)
        await open_cell(app, pilot, "row:4", "stakeholder_type=2")
        assert isinstance(app.screen, VerbatimScreen)
        assert summary(app).startswith(
            "Cell: Stakeholder type = NHS Trust × relationship = Fairly negative\n"
            "30 respondents, 29 comments")
        assert comment_list(app).option_count == 29
        first = comment_list(app).get_option_at_index(0).prompt.plain
        assert "Stakeholder type: NHS Trust" in first and "Themes:" in first
        await pilot.press("b")  # table keys do nothing here
        await pilot.pause()
        assert not isinstance(app.screen, BannerScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, VerbatimScreen)
        assert table(app).cursor_coordinate == (table(app).get_row_index("row:4"),
                                                table(app).get_column_index("stakeholder_type=2"))


async def test_themes_search_and_paging(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("v")
        await settle(app, pilot)
        assert "All respondents, every comment\n602 respondents, 796 comments" in summary(app)
        assert "page 1 of 16" in summary(app)
        await pilot.press("n")
        await settle(app, pilot)
        assert "showing 51–100" in summary(app) and "page 2 of 16" in summary(app)
        await pilot.press("p")
        await settle(app, pilot)
        assert "showing 1–50" in summary(app)
        themes = app.screen.query_one("#vthemes", OptionList)
        themes.focus()
        themes.highlighted = themes.get_option_index("t3")
        label = str(themes.get_option_at_index(themes.highlighted).prompt)
        count = int(label.rsplit("(", 1)[1].rstrip(")"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert f", {count} comments" in summary(app)
        await pilot.press("slash")
        await pilot.press(*"mailbox", "enter")
        await settle(app, pilot)
        lst = comment_list(app)
        assert lst.option_count >= 1
        prompt = lst.get_option_at_index(0).prompt
        hits = [prompt.plain[s.start:s.end] for s in prompt.spans if "reverse" in str(s.style)]
        assert hits and all(h.lower() == "mailbox" for h in hits)


async def test_comment_search_typed_ahead_in_one_burst(survey):
    """/ and a word arriving together in the comments view: the word is searched, and its
    n, p and t neither turn pages nor jump to the themes (they arrive before / has moved
    focus to the search box)."""
    from textual.widgets import Input

    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, VerbatimScreen)
        burst(app, "slash", *"placement", "enter")
        await settle(app, pilot)
        assert app.screen.query_one("#vsearch", Input).value == "placement"
        assert "showing 1–" in summary(app)
        lst = comment_list(app)
        assert lst.option_count >= 1
        assert "placement" in lst.get_option_at_index(0).prompt.plain.lower()


async def test_small_group_is_refused_in_the_app(tmp_path):
    async with running(HeetuiApp(open_survey(_small_bundle(tmp_path)))) as (app, pilot):
        await open_cell(app, pilot, "row:1", "total")  # the group of 4
        assert isinstance(app.screen, VerbatimScreen)
        assert refusal(5) in summary(app) and "4 respondents" not in summary(app)
        assert [comment_list(app).get_option_at_index(i).prompt.plain
                for i in range(comment_list(app).option_count)] == [refusal(5)]


async def test_a_withheld_choice_leaves_the_previous_comments_and_every_list(tmp_path):
    """From a group's comments: a theme carried by one person shows that comment (the
    group of 40 may be read; today it was refused and the theme list emptied, so only Esc
    got out), and a search matching nothing is answered by a notification while the
    comments, the themes and the header stay as they were."""
    s = open_survey(disclosure_bundle(tmp_path))
    many = Selection(filters=(parse_filter(s.codebook, "grp=many"),))
    async with running(HeetuiApp(s)) as (app, pilot):
        app.push_screen(VerbatimScreen(s, many))
        await settle(app, pilot)
        themes = app.screen.query_one("#vthemes", OptionList)
        assert themes.option_count == 3 and comment_list(app).option_count == 40
        themes.focus()
        themes.highlighted = themes.get_option_index("t2")  # Rare: one person
        await pilot.press("enter")
        await settle(app, pilot)
        assert "1 comment" in summary(app) and comment_list(app).option_count == 1
        before = summary(app)
        await pilot.press("slash", *"zebra", "enter")
        await settle(app, pilot)
        assert any(n.message == refusal(5) for n in notifications(app))
        assert summary(app) == before and comment_list(app).option_count == 1
        assert themes.option_count == 3
        assert app.screen.query_one("#vsearch", Input).value == ""
        themes.focus()
        themes.highlighted = themes.get_option_index(ALL)
        await pilot.press("enter")
        await settle(app, pilot)
        assert comment_list(app).option_count == 40 and "40 comments" in summary(app)


async def test_hostile_text_is_shown_literally(tmp_path):
    async with running(HeetuiApp(open_survey(_small_bundle(tmp_path, HOSTILE)))) as (app, pilot):
        await pilot.press("v")
        await settle(app, pilot)
        texts = [comment_list(app).get_option_at_index(i).prompt.plain
                 for i in range(comment_list(app).option_count)]
        joined = "\n".join(texts)
        assert "[bold red]shout[/] and [link=http://x]click[/link]" in joined
        assert "\x1b" not in joined and "\\x1b[2J" in joined and "\\x07" in joined
        assert "\u202e" not in joined and "\\u202e" in joined and "שלום עולם" in joined
        assert "more characters]" in joined  # the 100 KB comment is cut in the list
        spans = [s for i in range(comment_list(app).option_count)
                 for s in comment_list(app).get_option_at_index(i).prompt.spans
                 if "link" in str(s.style) or "red" in str(s.style)]
        assert spans == []  # no markup was interpreted


async def test_back_from_comments_under_the_palette_leaves_the_palette(survey):
    """Escape reaching the comments screen after the command palette opened on top of it
    closes only the palette: the screen behind a modal still counts as "current", so it
    must not pop the palette and leave."""
    from textual.command import CommandPalette

    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("v")
        await settle(app, pilot)
        comments = app.screen
        assert isinstance(comments, VerbatimScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        comments.action_back()  # the Escape typed ahead, handled late
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is comments
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
