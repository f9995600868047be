"""The app as an analyst meets it (issue 23): every key discoverable (footer and help), the
comments and profile screens, the pickers, screenshots. At 80×24 and 120×40, with and
without NO_COLOR; each asserts on what the terminal shows."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from textual.widgets import Input, OptionList, Static

from heetui.engine.filters import parse_filter
from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.footer import KeyFooter
from heetui.tui.modals import FilterScreen, TextScreen
from heetui.tui.profile_screen import ProfileScreen
from heetui.tui.textual_internals import FooterKey
from heetui.tui.verbatim_screen import VerbatimScreen
from helpers import table_headings
from tui_helpers import running, screen_text, settle, table

# (width, height, NO_COLOR): both sizes, each with and without colour across the tests
LOOKS = [(80, 24, True), (120, 40, False)]
LOOK_IDS = ["80x24-no-color", "120x40-color"]


@pytest.fixture(scope="module")
def survey():
    return open_survey()


@pytest.fixture(params=LOOKS, ids=LOOK_IDS)
def look(request, monkeypatch) -> tuple[int, int]:
    """The terminal's (width, height), with NO_COLOR set where the look asks for it."""
    width, height, no_color = request.param
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    return width, height


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


def footer_fits(app) -> list[str]:
    """The footer's keys, after checking that each is drawn whole inside the screen."""
    footer = app.screen.query_one(KeyFooter)
    assert footer.max_scroll_x == 0  # nothing runs off the right edge
    keys = list(app.screen.query(FooterKey))
    for k in keys:
        assert k.region.right <= app.size.width and k.region.width > 0, k
    return [k.key for k in keys if "-command-palette" not in k.classes]


async def test_main_footer_ranks_keys_and_fits(survey, look):
    width, _ = look
    async with running(HeetuiApp(survey), look) as (app, pilot):
        keys = footer_fits(app)
        line = footer_line(app)
        # the most used first, help always there (the rest are one key away)
        assert keys[:5] == ["b", "f", "slash", "g", "v"]
        assert "question_mark" in keys and "^p palette" in line
        if width >= 120:  # chart, comments, profile, export, copy and screenshot in view
            assert keys[:9] == ["b", "f", "slash", "g", "v", "p", "e", "y", "S"]
            for label in ("Chart", "Comments", "Profile", "Export", "Copy", "Screenshot"):
                assert f" {label} " in line
            legend = app.query_one("#legend", Static)
            assert legend.size.height == 1  # the hint line stays one line beside the list
        assert "? Help" in line
        assert len(line.rstrip()) <= width


async def test_comments_view_search_help_and_header(survey, look):
    async with running(HeetuiApp(survey), look) as (app, pilot):
        flt = parse_filter(app.codebook, "seniority=2")
        app.set_view(replace(app.view, banner="stakeholder_type", filters=(flt,)))
        await settle(app, pilot)
        t = table(app)
        t.move_cursor(row=t.get_row_index("row:2"),
                      column=t.get_column_index("stakeholder_type=2"))
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, VerbatimScreen)
        header = str(screen.query_one("#vsummary", Static).render())
        assert header.startswith("Cell: Stakeholder type = NHS Trust × relationship = Fairly "
                                 "positive │ Filter: Seniority = Other role\n")
        # Enter searches and hands the keys back to the comments: t is the theme key now
        await pilot.press("slash", *"team", "enter")
        await settle(app, pilot)
        assert screen.focused is screen.query_one("#vlist", OptionList)
        await pilot.press("t")
        await pilot.pause()
        assert screen.query_one("#vsearch", Input).value == "team"
        themes = screen.query_one("#vthemes", OptionList)
        assert screen.focused is themes
        themes.highlighted = themes.get_option_index("t9")
        theme = "Supportive individuals"
        assert theme in str(themes.highlighted_option.prompt)
        await pilot.press("enter")
        await settle(app, pilot)
        header = str(screen.query_one("#vsummary", Static).render())
        named = header.split("\n")[0]
        assert named == ("Cell: Stakeholder type = NHS Trust × relationship = Fairly positive"
                         f" │ Filter: Seniority = Other role │ Theme: {theme} │ "
                         "Search: 'team'")
        assert re.match(r"\d+ respondents, \d+ comments", header.split("\n")[1])
        shown = screen_text(app)
        assert "Cell: Stakeholder type = NHS Trust" in shown and "Search: 'team'" in shown
        # the same theme again clears it
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Theme:" not in str(screen.query_one("#vsummary", Static).render())
        await check_comments_keys(app, pilot, screen)


async def check_comments_keys(app, pilot, screen: VerbatimScreen) -> None:
    """The comments view's own footer and its own help: n, p, t and how themes are picked
    and cleared; Esc goes back to the comments."""
    keys = footer_fits(app)
    assert keys[:4] == ["n", "p", "slash", "t"]
    assert "question_mark" in keys
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, TextScreen) and app.screen.name == "help"
    body = str(app.screen.query_one(Static).render())
    assert "Keys of the comments view" in body and "Statistics conventions" not in body
    for key in ("n, PgDn", "p, PgUp", "t ", "/ ", "Esc"):
        assert re.search(rf"^  {re.escape(key)}", body, re.M), key
    assert 'Enter on the same\ntheme again, or on "All themes", clears it' in body
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is screen


async def test_profile_shows_p_values_and_the_group(survey, look):
    async with running(HeetuiApp(survey), look) as (app, pilot):
        app.set_view(replace(app.view, filters=(
            parse_filter(app.codebook, "stakeholder_type=NHS Trust"),)))
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        shown = screen_text(app)
        rows = [line for line in shown.splitlines() if " · " in line and "%" in line
                or "Mean score" in line]
        significant = screen.result.significant
        # five closed-question rows and two of the coded themes of the open-ended questions
        assert len(rows) == len(significant) == 7
        assert sum(r.question in ("improve", "relationship_why") for r in significant) == 2
        for line in rows:  # every row's p-value in view, whole
            assert re.search(r" p(=0\.\d+|<0\.001) ", line), line
        # the variables that define the group are named apart, not ranked as findings
        assert "Left out, true by definition: stakeholder_type (the group's own); " \
               "org_type (a finer or coarser version)." in re.sub(r"\s+", " ", shown)
        assert all(r.question not in ("stakeholder_type", "org_type") for r in screen.result.rows)
        assert footer_fits(app)[:2] == ["a", "escape"]
        await pilot.press("a")  # every row tested: still every p-value in view
        await settle(app, pilot)
        for line in screen_text(app).splitlines()[5:-2]:
            if " · " in line:
                assert re.search(r" (p=0\.\d+|p<0\.001|p=1|not tested)", line), line
        await pilot.press("a", "enter")  # the first row: its question, group vs rest
        await settle(app, pilot)
        status = str(app.query_one("#status", Static).render())
        assert "Group: Stakeholder type = NHS Trust (base " in status
        ct = app.crosstab
        assert f"(base {ct.columns[1].base:,}) vs rest (base {ct.columns[2].base:,})" in status
        assert ct.columns[1].base < ct.total.base and f"base {ct.total.base:,}" not in status
        assert "Filter:" not in status


async def test_group_heading_whole_with_its_letter(survey):
    """A long group name is not cut and keeps its letter, which the rest's "38%A" names."""
    async with running(HeetuiApp(survey), (80, 24)) as (app, pilot):
        group = (parse_filter(app.codebook, "seniority=1"),)
        app.set_view(replace(app.view, question="effectiveness", group=group))
        await settle(app, pilot)
        heads = table_headings(table(app))
        assert heads[2].replace("/ ", "/") == \
            "Seniority = Chair/CEO/Executive Director (A)"
        assert heads[3] == "Rest (B)" and "…" not in heads[2]
        assert table(app).cell_text("row:3", "__group__=2").endswith("A")


@pytest.mark.parametrize("no_color", [True, False], ids=["no-color", "color"])
async def test_filter_values_ticked_and_unticked_differ_in_glyphs(survey, monkeypatch,
                                                                  no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    async with running(HeetuiApp(survey), (80, 24)) as (app, pilot):
        await pilot.press("f", "enter", "down", "space")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        shown = screen_text(app)
        assert re.search(r"\[ \] HEI\b", shown), shown
        assert re.search(r"\[x\] NHS Trust\b", shown), shown
        assert re.search(r"\[ \] Other\b", shown), shown
        assert "▐X▌" not in shown


async def test_question_search_is_cleared_once_a_question_is_chosen(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("slash", *"time")
        await pilot.pause()
        questions = app.query_one("#questions", OptionList)
        first = str(questions.get_option_at_index(0).prompt)
        assert first.startswith("1 of ") and "match 'time'" in first  # plainly filtered
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.question == "views_timing"
        assert app.query_one("#search", Input).value == ""
        listed = [questions.get_option_at_index(i) for i in range(questions.option_count)]
        assert len([o for o in listed if not o.disabled]) == 15  # the whole list again
        assert questions.get_option_at_index(questions.highlighted).id == "views_timing"
        assert app.focused is table(app)


async def test_screenshots_numbered_in_order_and_drawn_for_rsvg(survey, tmp_path,
                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "heetui-relationship-2.svg").write_text("an earlier session's")
    async with running(HeetuiApp(survey), (80, 24)) as (app, pilot):
        for _ in range(3):
            await pilot.press("S")
            await pilot.pause()
            await pilot.press("enter")  # the proposed name: never one that exists
            await pilot.pause()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["heetui-relationship-2.svg", "heetui-relationship-3.svg",
                     "heetui-relationship-4.svg", "heetui-relationship.svg"]
    assert (tmp_path / "heetui-relationship-2.svg").read_text() == "an earlier session's"
    svg = (tmp_path / "heetui-relationship.svg").read_text()
    assert svg.startswith("<svg")
    # no text run starts with spaces: librsvg would drop them (numbers left-aligned)
    assert not re.search(r"<text\b[^>]*>&#160;", svg)
    assert re.search(r'<text\b[^>]*>602</text>', svg)
