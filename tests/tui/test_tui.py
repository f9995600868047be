"""Pilot tests of the app: every interaction, asserting on what the table shows."""

from __future__ import annotations

import polars as pl
import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import OptionList, Static

from heetui.engine.crosstab import crosstab
from heetui.engine.filters import Filter
from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.banner_picker import BannerScreen
from heetui.tui.browser import QuestionBrowser
from heetui.tui.modals import FilterScreen, TextScreen
from heetui.tui.textual_internals import notifications
from helpers import same_table, table_headings
from tui_helpers import BASE, add_filter, burst, running, settle, status, table


@pytest.fixture(scope="module")
def survey():
    return open_survey()


def headings(app) -> list[str]:
    return table_headings(table(app))


async def choose_banner(app, pilot, var_id: str) -> None:
    await pilot.press("b")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, BannerScreen)
    ol = screen.query_one(OptionList)
    ol.highlighted = ol.get_option_index(var_id)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_opens_on_first_question_with_total_base(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        assert app.view.question == "relationship"
        assert table(app).cell_text(BASE, "total") == "602"
        assert "Very positive" in str(table(app).get_cell("row:1", "label"))
        assert table(app).cell_text("row:1", "total") == "31%"
        assert "relationship: How would you describe" in str(
            app.query_one("#qtext", Static).render())
        assert "Banner: none" in status(app) and "Unweighted" in status(app)
        assert app.focused is table(app)


async def test_search_and_choose_question(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("slash")
        await pilot.press(*"effective")
        await pilot.pause()
        ol = app.query_one(QuestionBrowser).query_one(OptionList)
        ids = [ol.get_option_at_index(i).id for i in range(ol.option_count)]
        assert [i for i in ids if i] == ["effectiveness"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.question == "effectiveness"
        assert "Very effective" in str(table(app).get_cell("row:1", "label"))
        assert app.focused is table(app)


async def test_search_typed_ahead_in_one_burst(survey):
    """/ then a word arriving together (typed fast, pasted, or queued behind an SSH link):
    the word goes into the search box, and none of its letters runs a table key (w weights,
    o overview, s letters), though they reach the table before / has moved focus."""
    from textual.widgets import Input

    async with running(HeetuiApp(survey)) as (app, pilot):
        burst(app, "slash", *"words")
        await settle(app, pilot)
        assert app.query_one("#search", Input).value == "words"
        assert app.screen is app.screen_stack[0]  # no overview opened by the o
        assert not app.view.weighted and app.view.letters
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.question == "words"
        await pilot.press("slash", "slash")  # a second / while typing is a character
        assert app.query_one("#search", Input).value.endswith("/")


async def test_banner_filter_weights_and_letters(survey):
    """The issue's walk-through: effectiveness by region, NHS Trusts, weighted."""
    from heetui.engine.crosstab import TabRequest, crosstab
    from heetui.engine.filters import parse_filter

    async with running(HeetuiApp(survey)) as (app, pilot):
        app.query_one(QuestionBrowser).query_one(OptionList).focus()
        app.query_one(QuestionBrowser).select("effectiveness")
        await pilot.press("enter")
        await settle(app, pilot)
        await choose_banner(app, pilot, "region")
        assert headings(app)[1:3] == ["Total", "East of England (A)"]
        assert "London (F)" in headings(app)
        await add_filter(app, pilot, "stakeholder_type", ["NHS Trust"])
        assert table(app).cell_text(BASE, "total") == "399"
        assert "Filter: Stakeholder type = NHS Trust (base 399)" in status(app)
        await pilot.press("w")
        await settle(app, pilot)
        assert "Weighted" in status(app)
        assert table(app).get_row("base:Base (effective)")
        expected = crosstab(survey, TabRequest(
            "effectiveness", "region", (parse_filter(survey.codebook, "stakeholder_type=2"),),
            weighted=True))
        for r in expected.rows:
            if r.kind != "category":
                continue
            for col, cell in zip(expected.columns, r.cells, strict=True):
                shown = table(app).cell_text(f"row:{r.key}", col.key)
                assert shown == f"{cell.percent:.0f}%{''.join(cell.sig)}"
        assert any(c.sig for r in expected.rows for c in r.cells)  # letters are on screen
        await pilot.press("x")
        await settle(app, pilot)
        assert table(app).cell_text(BASE, "total") == "602"
        assert "No filter" in status(app)


async def test_keys_typed_after_choosing_a_banner_are_acted_on(survey):
    """b Down Enter w c in one burst: the banner is chosen, then weights and counts switch
    (the w and c reach the picker before it has closed; they must not be lost)."""
    async with running(HeetuiApp(survey)) as (app, pilot):
        burst(app, "b", "down", "down", "enter", "w", "c")  # past the named banner
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0]
        assert (app.view.banner, app.view.weighted, app.view.show) == \
            ("stakeholder_type", True, "both")
        assert "NHS Trust (B)" in headings(app)
        assert "Weighted" in status(app)


async def test_pickers_by_mouse(survey):
    """A click chooses a banner, picks a filter variable, and ticks a value once."""
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("b")
        await pilot.pause()
        # the first segment, under its heading (below the named banners)
        await pilot.click("#banners", offset=(5, 5))
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0] and app.view.banner == "stakeholder_type"
        await pilot.press("f")
        await pilot.pause()
        await pilot.click("#filter-vars", offset=(5, 2))  # the second variable
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FilterScreen) and screen.variable == "org_type"
        values = screen.query_one("#filter-values")
        assert app.focused is values
        await pilot.click("#filter-values", offset=(8, 1))
        await pilot.pause()
        assert values.selected == [app.codebook.get("org_type").options[0].code]
        await pilot.click("#filter-values", offset=(8, 1))
        await pilot.pause()
        assert values.selected == []


FILTER_KEYS = ("f", "enter", "space", "down", "down", "space", "a")


@pytest.mark.parametrize("at_once", [False, True], ids=["typed-slowly", "one-burst"])
async def test_filter_by_keys_alone(survey, raw, at_once):
    """f, Enter on the first variable, Space, Down, Down, Space, a: the filter holds its
    first and third value. Typed slowly (Space ticks the first value before any arrow key
    has highlighted one), and arriving in one burst (a fast typist, or keys queued behind a
    slow SSH link: they reach the variable list before focus moves to the values, and a
    Space must tick the value highlighted when it was typed, not where later arrows go)."""
    async with running(HeetuiApp(survey)) as (app, pilot):
        if at_once:
            burst(app, *FILTER_KEYS)
        else:
            for key in FILTER_KEYS:
                await pilot.press(key)
                await pilot.pause()
        await settle(app, pilot)
        st = app.codebook.get("stakeholder_type")
        codes = (st.options[0].code, st.options[2].code)
        assert app.view.filters == (Filter("stakeholder_type", codes),)
        expected = raw.filter(pl.col("stakeholder_type").is_in(codes)).height
        assert table(app).cell_text(BASE, "total") == f"{expected:,}"
        assert "Filter: Stakeholder type" in status(app)


async def test_filter_can_be_removed_by_unticking(survey, raw):
    expected = str(raw.filter((pl.col("region_6") == 1) | (pl.col("region_8") == 1)).height)
    async with running(HeetuiApp(survey)) as (app, pilot):
        await add_filter(app, pilot, "region", ["London", "National"])
        assert table(app).cell_text(BASE, "total") == expected
        assert "Region = London or National" in status(app)
        await add_filter(app, pilot, "seniority", ["Other role"])
        assert int(table(app).cell_text(BASE, "total")) < int(expected)
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        vl = screen.query_one("#filter-vars", OptionList)
        vl.highlighted = vl.get_option_index("seniority")
        await pilot.press("enter")
        await pilot.pause()
        screen.query_one("#filter-values").deselect_all()
        await pilot.press("a")
        await settle(app, pilot)
        assert table(app).cell_text(BASE, "total") == expected
        assert "Seniority" not in status(app)


async def test_display_toggles(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        await choose_banner(app, pilot, "stakeholder_type")
        positive = table(app).cell_text("row:net1", "stakeholder_type=3")
        assert positive == "80%A"
        text = table(app).get_cell("row:net1", "stakeholder_type=3")
        marked = [text.plain[sp.start:sp.end] for sp in text.spans if "reverse" in str(sp.style)]
        assert marked == ["A"]  # letters stand out without colour (NO_COLOR)
        await pilot.press("c")
        await settle(app, pilot)
        assert table(app).cell_text("row:net1", "stakeholder_type=3") == "80%A (101)"
        assert "Show: % + counts" in status(app)
        await pilot.press("c")
        await settle(app, pilot)
        assert table(app).cell_text("row:net1", "stakeholder_type=3") == "101A"
        await pilot.press("c", "s")
        await settle(app, pilot)
        assert table(app).cell_text("row:net1", "stakeholder_type=3") == "80%"
        assert "Letters: off" in status(app)
        await pilot.press("s", "l")
        await settle(app, pilot)
        assert "α=0.01" in status(app)
        # not significant at 1%
        assert table(app).cell_text("row:net1", "stakeholder_type=3") == "80%"
        await pilot.press("l", "l")  # then the pairs: capitals at 5%, lower case at 10%
        await settle(app, pilot)
        assert "α=0.05/0.1" in status(app)
        assert table(app).cell_text("row:net1", "stakeholder_type=3") == "80%A"
        assert table(app).cell_text("row:net2", "stakeholder_type=1") == "16%c"


async def test_help_overview_and_quit():
    # its own survey: quitting stops the survey's queries for good
    async with running(HeetuiApp(open_survey())) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen) and app.screen.name == "help"
        body = str(app.screen.query_one(Static).render())
        for key in ("b ", "f ", "w ", "x ", "c ", "s ", "l ", "o ", "ctrl+p"):
            assert key in body
        assert "Statistics conventions" in body and "effective base" in body
        # its footer lists the keys that work here, not the table's behind it
        assert footer_keys(app.screen) == [("escape", "Back")]
        await pilot.press("escape")
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, TextScreen) and app.screen.name == "overview"
        body = str(app.screen.query_one(Static).render())
        assert "Synthetic data calibrated" in body.replace("\n", " ")
        assert "NHS Trust" in body and "399" in body and "Respondents: 602" in body
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TextScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_command_palette_reaches_actions(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for t in ("Banner", "Filter", "Clear filters", "Weights", "Counts", "Letters",
                  "α level", "Overview", "Help", "Open: words", "Banner: Region"):
            assert t in titles, t
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Banner: Region")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.view.banner == "region"


async def test_stale_results_are_discarded(survey):
    from heetui.engine.crosstab import TabRequest, crosstab

    async with running(HeetuiApp(survey)) as (app, pilot):
        old = crosstab(survey, TabRequest("words"))
        stale = app._latest.next() - 1  # a token issued before the newest one
        app._show(app.view, stale, old, None)
        assert table(app).crosstab is not None
        assert table(app).crosstab.question.id == "relationship"


async def test_engine_error_is_a_notification(survey, monkeypatch):
    from dataclasses import replace

    async with running(HeetuiApp(survey)) as (app, pilot):
        app.set_view(replace(app.view, banner="relationship_why"))  # not a banner
        await settle(app, pilot)
        assert any("open-ended" in n.message for n in notifications(app))
        assert not table(app).loading


async def test_small_terminal(survey):
    async with running(HeetuiApp(survey), (80, 24)) as (app, pilot):
        assert table(app).cell_text(BASE, "total") == "602"
        assert not app.query_one(QuestionBrowser).display  # the table gets the width
        await pilot.press("slash")
        await pilot.pause()
        assert app.query_one(QuestionBrowser).display
        await pilot.press(*"region", "enter")
        await settle(app, pilot)
        assert app.view.question == "region"
        assert not app.query_one(QuestionBrowser).display  # hidden again after choosing
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.query_one(QuestionBrowser).display
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert not app.query_one(QuestionBrowser).display


async def test_a_terminal_resized_under_a_picker_resizes_both_screens(survey):
    """The pickers skip Textual's second layout when they open, not a real resize: the
    picker and the table behind it both follow the terminal."""
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("b")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, BannerScreen)
        main = app.screen_stack[0]
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert picker.size == (80, 24) and main.size == (80, 24)
        assert picker.query_one(OptionList).region.right <= 80
        assert table(app).region.right <= 80
        assert not app.query_one(QuestionBrowser).display  # narrow layout behind the picker
        await pilot.press("escape")
        await settle(app, pilot)
        assert table(app).region.width == 80


async def test_loading_overlay_only_for_slow_tables(survey, monkeypatch):
    """Large surveys compute tables in a worker: a quick table replaces the old one without
    a loading overlay; a slow one shows the overlay after LOADING_DELAY, and Enter on the
    stale table opens nothing meanwhile."""
    import asyncio
    import threading
    from dataclasses import replace

    import heetui.tui.app as app_module

    monkeypatch.setattr(app_module, "INLINE_RESPONDENTS", 0)  # as for a large survey
    # a table done before LOADING_DELAY is quick: a long delay makes every table quick here,
    # whatever the machine's load (the overlay must not be drawn before the delay is up)
    delay = app_module.LOADING_DELAY
    monkeypatch.setattr(app_module, "LOADING_DELAY", 60.0)
    async with running(HeetuiApp(survey)) as (app, pilot):
        survey.clear_cache()  # a cached table is shown at once, without a worker
        seen_loading = []
        app.set_view(replace(app.view, banner="stakeholder_type"))
        while app._pending is not None:
            seen_loading.append(table(app).loading)
            await asyncio.sleep(0.005)
        await settle(app, pilot)
        assert seen_loading and not any(seen_loading)
        assert "Stakeholder type" in status(app)
        monkeypatch.setattr(app_module, "LOADING_DELAY", delay)

        real = app_module.table
        release = threading.Event()

        def slow(*args, **kwargs):  # held until the test has seen the loading state
            assert release.wait(60)
            return real(*args, **kwargs)

        monkeypatch.setattr(app_module, "table", slow)
        survey.clear_cache()
        app.set_view(replace(app.view, banner="seniority"))
        for _ in range(3000):  # until LOADING_DELAY's timer has fired (however late)
            if table(app).loading:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert table(app).loading and "computing" in status(app)
        table(app).focus()
        await pilot.press("enter")
        assert len(app.screen_stack) == 1  # no comments of the table being replaced
        release.set()
        await settle(app, pilot)
        assert not table(app).loading and app.crosstab.banner.id == "seniority"
        assert "computing" not in status(app) and "Seniority" in status(app)


async def test_a_small_surveys_table_changes_without_a_worker(survey):
    """Up to INLINE_RESPONDENTS the new table is computed and shown in the same call (no
    thread hand-off, one repaint), with the numbers crosstab() gives."""
    from dataclasses import replace

    async with running(HeetuiApp(survey)) as (app, pilot):
        survey.clear_cache()
        view = replace(app.view, banner="seniority")
        app.set_view(view)
        assert app._pending is None and not app.workers  # shown already, nothing running
        assert table(app).crosstab is app.crosstab and "Seniority" in status(app)
        # the table is the one a separately opened survey (its own cache) computes ...
        fresh = open_survey(survey.bundle.path)
        try:
            same_table(app.crosstab, crosstab(fresh, view.request()))
        finally:
            fresh.close()
        # ... and its bases and counts are the raw data's (tests/reference.py)
        import numpy as np

        from reference import Bundle

        ref = Bundle.read(survey.bundle.path)
        answered = ref.answered("relationship")
        members = [np.ones(ref.df.height, dtype=bool), *ref.columns("seniority")]
        ct = app.crosstab
        assert len(ct.columns) == len(members)
        for i, (col, member) in enumerate(zip(ct.columns, members, strict=True)):
            base = int((answered & member).sum())
            assert col.base == base
            assert table(app).cell_text(BASE, col.key).rstrip("*!") == str(base)
            for row, (_, codes) in zip(ct.rows, ref.rows("relationship"), strict=False):
                hits = int((answered & member & ref.option("relationship", codes)).sum())
                assert row.cells[i].count == hits
                assert row.cells[i].percent == pytest.approx(100 * hits / base)


async def test_a_choice_arriving_under_another_modal_is_ignored(survey):
    """A picker's choice handled after the command palette opened over it is dropped: it
    must not dismiss the palette, nor let the picker's next Escape answer the picker a
    second time (InvalidStateError)."""
    from heetui.tui.banner_picker import NO_BANNER
    from heetui.tui.modals import close

    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("b")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, BannerScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        close(picker, NO_BANNER)  # the late choice: ignored, the palette stays on top
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")  # closes the palette
        await pilot.pause()
        assert app.screen is picker
        await pilot.press("escape")  # closes the picker, once
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
        close(picker, None)  # a key typed ahead after it closed: ignored
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BannerScreen)


async def test_footers_do_not_pile_up_when_rebuilt(survey):
    """Rebuilding the footer leaves nothing behind: Textual's Footer keeps every key it
    ever showed (watchers of a setting that never changes), about 20 KB per rebuild, which
    a long session of key presses would turn into hundreds of MB."""
    import gc

    from heetui.tui.footer import KeyFooter
    from heetui.tui.textual_internals import FooterKey

    async with running(HeetuiApp(survey)) as (app, pilot):
        footer = app.screen.query_one(KeyFooter)
        for _ in range(40):
            footer.call_next(footer.recompose)  # in the footer's own message loop
            await pilot.pause()
        gc.collect()
        on_screen = len(app.screen.query(FooterKey))
        alive = sum(isinstance(o, FooterKey) for o in gc.get_objects())
        assert on_screen > 5 and alive <= 3 * on_screen, (alive, on_screen)


def footer_keys(screen) -> list[tuple[str, str]]:
    from heetui.tui.textual_internals import FooterKey

    return [(k.key, k.description) for k in screen.query(FooterKey)]


async def test_the_footer_is_rebuilt_only_when_its_keys_change(survey, monkeypatch):
    """Opening and closing a picker leaves the main footer's keys as they are (each rebuild
    repaints the whole screen); keys that do change are shown."""
    from heetui.tui.textual_internals import FooterKey

    async with running(HeetuiApp(survey)) as (app, pilot):
        main = app.screen
        before = list(main.query(FooterKey))
        assert ("b", "Banner") in footer_keys(main) and ("f", "Filter") in footer_keys(main)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BannerScreen)
        assert list(main.query(FooterKey)) == before
        await pilot.press("down", "enter")
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        assert ("a", "Apply") in footer_keys(app.screen)  # the filter picker's own keys
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is main and list(main.query(FooterKey)) == before
        zoom = Binding("z", "bell", "Zoom")  # a key for an action not shown yet, ranked
        monkeypatch.setattr(HeetuiApp, "BINDINGS", [zoom, *HeetuiApp.BINDINGS])  # first
        app.bind("z", "bell", description="Zoom")
        app.refresh_bindings()
        await settle(app, pilot)
        assert ("z", "Zoom") in footer_keys(main)
        assert ("b", "Banner") in footer_keys(main)


async def test_objects_of_the_loaded_app_are_frozen_until_it_closes(survey):
    """Full garbage collections skip what was loaded before the first table (survey, DuckDB,
    the first screen) while the app runs, and get it back when the app closes."""
    import gc

    assert gc.get_freeze_count() == 0
    async with running(HeetuiApp(survey)) as (app, pilot):
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


async def test_a_new_theme_is_used(survey):
    """The theme is looked up once per name; choosing another one still takes effect."""
    async with running(HeetuiApp(survey)) as (app, pilot):
        assert app.current_theme.name == app.theme
        dark = app.screen.styles.background
        app.theme = "textual-light"
        await settle(app, pilot)
        assert app.current_theme.name == "textual-light"
        assert app.screen.styles.background != dark


async def test_banner_picker_prefetches_the_highlighted_banner(survey, monkeypatch):
    """Resting on a banner in the picker computes its table in the background; choosing it
    then shows the table without another query. Keys that only pass over a banner start
    nothing for it."""
    import asyncio

    import heetui.tui.app as app_module
    from heetui.engine.crosstab import TabRequest, crosstab, tab_ready

    # a resting time far longer than the three key presses take on a loaded machine
    monkeypatch.setattr(app_module, "PREFETCH_DELAY", 0.5)
    async with running(HeetuiApp(survey)) as (app, pilot):
        survey.clear_cache()
        crosstab(survey, app.view.request())  # the table on screen, as before
        queries: list[str] = []
        real = survey.query
        monkeypatch.setattr(survey, "query", lambda q: (queries.append(q), real(q))[1])
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BannerScreen)
        # the highlight passes the named banner, stakeholder type and org type and rests
        # on seniority
        burst(app, "down", "down", "down", "down")
        await pilot.pause()
        await asyncio.sleep(app_module.PREFETCH_DELAY + 0.2)
        await app.workers.wait_for_complete()
        resting = TabRequest(app.view.question, "seniority")
        assert tab_ready(survey, resting)
        for passed in ("stakeholder_type", "org_type"):
            assert not tab_ready(survey, TabRequest(app.view.question, passed))
        assert len(queries) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.crosstab is not None and app.crosstab.banner.id == "seniority"
        assert len(queries) == 1  # shown from the prefetched sums
        assert "Banner: Seniority" in status(app)
        # the prefetched table is the one a separately opened survey computes afresh
        fresh = open_survey(survey.bundle.path)
        try:
            expected = crosstab(fresh, app.view.request())
        finally:
            fresh.close()
        same_table(app.crosstab, expected)
        assert table(app).crosstab is app.crosstab
        # and its bases are the raw data's (tests/reference.py), as the table shows them
        import numpy as np

        from reference import Bundle

        ref = Bundle.read(survey.bundle.path)
        answered = ref.answered(app.view.question)
        members = [np.ones(ref.df.height, dtype=bool), *ref.columns("seniority")]
        assert len(expected.columns) == len(members)
        for col, member in zip(expected.columns, members, strict=True):
            base = int((answered & member).sum())
            assert col.base == base
            assert table(app).cell_text(BASE, col.key).rstrip("*!") == str(base)


async def test_escape_from_the_banner_picker_keeps_the_table(survey):
    """A prefetch never changes what is on screen: Escape leaves the old banner."""
    import asyncio

    import heetui.tui.app as app_module

    async with running(HeetuiApp(survey)) as (app, pilot):
        before = app.crosstab
        await pilot.press("b", "down")
        await asyncio.sleep(app_module.PREFETCH_DELAY + 0.1)
        await app.workers.wait_for_complete()
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.crosstab is before and app.view.banner is None
        assert "Banner: none" in status(app)


async def test_prefetches_run_one_at_a_time_and_skip_banners_left_behind(survey, monkeypatch):
    """Resting on three banners in turn while the first query is held: the first is
    queried, the second (left while the first ran) never is, the last is; never two queries
    at once. The query is held on an Event, and each step waits for the prefetch it starts
    (not for a time: on a loaded machine a timed rest could outlast the query)."""
    import threading

    from heetui.engine.crosstab import TabRequest, crosstab, tab_ready

    async with running(HeetuiApp(survey)) as (app, pilot):
        survey.clear_cache()
        crosstab(survey, app.view.request())
        active, most, queried = [0], [0], []
        lock = threading.Lock()
        release = threading.Event()
        real = survey.query

        def held(q):
            with lock:
                active[0] += 1
                most[0] = max(most[0], active[0])
            queried.append(q)
            assert release.wait(60)
            try:
                return real(q)
            finally:
                with lock:
                    active[0] -= 1

        def prefetches() -> int:
            return sum(w.group == "prefetch" for w in app.workers)

        async def until(condition) -> None:
            for _ in range(3000):
                if condition():
                    return
                await pilot.pause(0.01)
            raise AssertionError("the prefetch never started")

        monkeypatch.setattr(survey, "query", held)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("down")  # past the named banner
        await pilot.press("down")  # stakeholder type: its prefetch starts and is held
        await until(lambda: len(queried) == 1)
        await pilot.press("down")  # organisation type: its prefetch waits for the first
        await until(lambda: prefetches() == 2)
        await pilot.press("down")  # seniority, where the highlight rests
        await until(lambda: prefetches() == 3)
        release.set()
        await app.workers.wait_for_complete()
        q = app.view.question
        assert tab_ready(survey, TabRequest(q, "stakeholder_type"))
        assert not tab_ready(survey, TabRequest(q, "org_type"))
        assert tab_ready(survey, TabRequest(q, "seniority"))
        assert len(queried) == 2 and most[0] == 1
        await pilot.press("escape")
