"""Text from a codebook reaches every screen as plain text: a group name written as a link
to the quit action, a title with a stray closing tag, labels holding ``[/]`` and ``[X]``
are shown character for character, never obeyed, never a crash (tui/plain)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from textual.command import CommandPalette

from heetui.engine.filters import Filter
from heetui.engine.session import open_survey
from heetui.survey.write import write_bundle
from heetui.tui.app import HeetuiApp
from heetui.tui.banner_picker import BannerScreen
from heetui.tui.modals import FilterScreen, TextScreen
from heetui.tui.profile_screen import ProfileScreen
from heetui.tui.state import ViewState
from heetui.tui.textual_internals import composited_lines, notifications
from helpers import codebook, single
from tui_helpers import running, settle

TITLE = "Results [b]x[/b] [/]"
GROUP = "[@click=app.quit]Wave two[/]"
SEG_LABEL = "[/]Seg"
NORTH = "[@click=app.quit]N[/]"
SOUTH = "S [X]y"
QTEXT = "Q [red]one[/red] [$accent]z"
YES = "[link='x']Yes[/link]"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile") / "bundle"
    variables = [single("seg", [NORTH, SOUTH], "segment", label=SEG_LABEL, group=GROUP),
                 single("q1", [YES, "No [/]"], group=TITLE),
                 single("q2", ["A", "B"], group=GROUP)]
    variables[1]["text"] = QTEXT
    cb = codebook(variables, title=TITLE)
    cb["banners"] = [{"id": "ban", "label": GROUP, "spans": ["seg"]}]
    n = 60
    df = pl.DataFrame({"respondent_id": pl.Series(range(1, n + 1), dtype=pl.UInt32),
                       "seg": pl.Series([1 + i % 2 for i in range(n)], dtype=pl.UInt8),
                       "q1": pl.Series([1 + (i // 3) % 2 for i in range(n)], dtype=pl.UInt8),
                       "q2": pl.Series([1 + (i // 5) % 2 for i in range(n)], dtype=pl.UInt8)})
    path = write_bundle(folder, cb, df, None, force=True)
    survey = open_survey(Path(path))
    yield survey
    survey.close()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a stray click on the footer's Export writes here


def shown(app: HeetuiApp) -> str:
    return "\n".join(composited_lines(app.screen))


def where(app: HeetuiApp, text: str) -> tuple[int, int]:
    for y, line in enumerate(composited_lines(app.screen)):
        if text in line:
            return line.index(text), y
    raise AssertionError(f"{text!r} is not on screen:\n{shown(app)}")


async def until_shown(app: HeetuiApp, pilot, *texts: str) -> None:
    """Wait (for events, not for a time) until the screen shows every text: the palette
    gathers its entries in a worker of its own."""
    for _ in range(200):
        if all(t in shown(app) for t in texts):
            return
        await pilot.pause(0.02)
    assert all(t in shown(app) for t in texts), shown(app)


async def click_on(app: HeetuiApp, pilot, text: str) -> None:
    """Click on each character of ``text`` where the screen shows it: a link would act."""
    x, y = where(app, text)
    for dx in range(len(text)):
        await pilot.click(offset=(x + dx, y))
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_main_screen_shows_codebook_text_as_text(hostile):
    app = HeetuiApp(hostile)
    async with running(app, (120, 40)) as (app, pilot):
        screen = shown(app)
        assert TITLE in screen  # the header
        assert "── [@click=app.quit]Wave" in screen and f"── {TITLE}" in screen  # the list
        assert QTEXT in screen  # the question text over the table
        assert YES in screen and "No [/]" in screen  # row labels
        await click_on(app, pilot, "[@click=app.quit]Wave")
        app.set_view(ViewState(question="q1", banner="ban"))
        await settle(app, pilot)
        screen = shown(app)
        assert NORTH[:13] in screen and SOUTH in screen  # headings (a long one wraps)
        assert f"Banner: {GROUP}" in screen or SEG_LABEL in screen  # the status line
        await click_on(app, pilot, SOUTH)
        assert app.is_running


async def test_pickers_show_codebook_text_as_text(hostile):
    app = HeetuiApp(hostile)
    async with running(app, (120, 40)) as (app, pilot):
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BannerScreen)
        screen = shown(app)
        assert f"{GROUP} (ban): {SEG_LABEL}" in screen and f"[ ] {SEG_LABEL}  (seg)" in screen
        await click_on(app, pilot, "@click=app.quit")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        assert SEG_LABEL in shown(app)
        await pilot.press("enter")  # the first variable: seg
        await pilot.pause()
        screen = shown(app)
        assert NORTH in screen and SOUTH in screen
        await click_on(app, pilot, "app.quit")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running


async def test_palette_shows_codebook_text_as_text(hostile):
    app = HeetuiApp(hostile)
    async with running(app, (120, 40)) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Banner")
        await until_shown(app, pilot, f"Banner: {GROUP}", f"Banner: {SEG_LABEL}")
        x, y = where(app, f"Banner: {GROUP}")
        await pilot.click(offset=(x + len("Banner: [@click="), y))  # on "app.quit"
        await settle(app, pilot)
        assert app.is_running and app.view.banner == "ban"  # the entry's own command ran
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open")
        await until_shown(app, pilot, "Open: q1", QTEXT)  # the question's text: its help
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_notifications_titles_overview_profile_and_chart(hostile):
    app = HeetuiApp(hostile)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:  # toasts drawn
        await settle(app, pilot)
        app.screen.notify(f"About {GROUP}")  # a widget's notify asks for markup
        app.notify(f"And {TITLE}", severity="error", markup=True)
        await pilot.pause()
        assert [n.message for n in notifications(app)] == [f"About {GROUP}", f"And {TITLE}"]
        assert all(not n.markup for n in notifications(app))
        await until_shown(app, pilot, f"About {GROUP}", f"And {TITLE}")
        await click_on(app, pilot, "app.quit")
        app.clear_notifications()
        await pilot.press("o")  # the overview
        await settle(app, pilot)
        assert isinstance(app.screen, TextScreen)
        assert TITLE in shown(app)
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(TextScreen(GROUP, "body", "probe"))  # a page titled from data
        await pilot.pause()
        assert GROUP in shown(app)
        await click_on(app, pilot, GROUP)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("g")  # the chart of q1
        await settle(app, pilot)
        assert YES in shown(app)
        await pilot.press("g")
        await pilot.pause()
        app.set_view(ViewState(question="q1", filters=(Filter("seg", (1,)),)))
        await settle(app, pilot)
        assert f"{SEG_LABEL} = {NORTH}" in shown(app)  # the status line
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, ProfileScreen)
        assert NORTH in shown(app)  # the group, named in the profile's heading
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
