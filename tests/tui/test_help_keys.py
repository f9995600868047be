"""Every key the app has is written down where a reader looks for it: each screen's help
page (?) lists every binding of that screen, each picker's help line names its keys, and
the README's key table names every key of the table screen."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import Static

from heetui.engine.filters import parse_filter
from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.banner_picker import BannerScreen
from heetui.tui.coding_modals import Confirm, ThemePicker
from heetui.tui.coding_screen import CodingScreen
from heetui.tui.copy_choice import CopyChoice
from heetui.tui.keys import KEY_NAMES, key_table, own_bindings, screen_bindings
from heetui.tui.modals import FilterScreen, TextScreen
from heetui.tui.profile_screen import ProfileScreen
from heetui.tui.save_dialog import SaveDialog
from heetui.tui.verbatim_screen import VerbatimScreen
from tui_helpers import running, screen_text, settle

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def survey():
    return open_survey()


def names(b: Binding) -> list[str]:
    """Each key of a binding as written for a reader (independently of the app's own
    formatting: the raw names, or the binding's display)."""
    keys = [k.strip() for k in b.key.split(",")]
    if b.key_display and len(keys) == 1:
        return [b.key_display]
    return [KEY_NAMES.get(k, k) for k in keys]


async def help_of(app, pilot) -> str:
    screen = app.screen
    await pilot.press("f1")  # ? and F1 are one binding; F1 is never a character
    await pilot.pause()
    assert isinstance(app.screen, TextScreen) and app.screen.name == "help"
    body = str(app.screen.query_one(Static).render())
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is screen
    return body


def key_column(body: str) -> dict[str, str]:
    """The keys each entry of a help page lists (its first column), and the entry's text."""
    out = {}
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  ") and not line.startswith("   "):
            keys, _, text = line[2:].partition("  ")
            text = text.strip() or (lines[i + 1].strip() if i + 1 < len(lines) else "")
            for key in keys.split(", "):
                out[key.strip()] = text
    return out


def assert_listed(body: str, bindings: list[Binding], where: str) -> None:
    listed = key_column(body)
    for b in bindings:
        for name in names(b):
            assert name in listed, f"{where}: {name} ({b.action}) is not in its help"
            assert len(listed[name]) > 3, (where, name)  # and said what it does
        if b.tooltip:
            assert " ".join(b.tooltip.split()[:3]) in " ".join(body.split()), (where, b.action)


async def test_every_binding_of_every_screen_is_in_its_help(survey, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # B writes its book here if it finishes before Esc
    async with running(HeetuiApp(survey)) as (app, pilot):
        # the table
        main = app.screen
        body = await help_of(app, pilot)
        assert_listed(body, own_bindings(app) + own_bindings(main), "table")
        assert "Statistics conventions" in body
        # the comments
        await pilot.press("v")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, VerbatimScreen)
        body = await help_of(app, pilot)
        assert_listed(body, own_bindings(screen), "comments")
        acting = screen_bindings(app, screen)
        assert {"quit", "help", "screenshot_svg"} <= {b.action for b in acting}
        assert not {"banner", "filter", "export"} & {b.action for b in acting}
        assert_listed(body, acting, "comments")
        await pilot.press("escape")
        await settle(app, pilot)
        # the profile
        app.set_view(app.view.with_filter(parse_filter(app.codebook, "seniority=1"),
                                          "seniority"))
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        body = await help_of(app, pilot)
        assert_listed(body, screen_bindings(app, screen), "profile")
        assert "a " in body and "All rows" not in body.split("\n")[0]
        await pilot.press("escape")
        await settle(app, pilot)
        # pickers and pages over the table: their help line names each of their keys
        for key, kind in (("f", FilterScreen), ("b", BannerScreen), ("o", TextScreen),
                          ("B", SaveDialog), ("y", CopyChoice)):
            await pilot.press(key)
            await settle(app, pilot) if key in "oB" else await pilot.pause()
            assert isinstance(app.screen, kind), key
            shown = screen_text(app)
            for b in own_bindings(app.screen):
                if b.action.startswith(("app.", "screen.")):
                    continue  # Tab, shift+Tab and copying: Textual's, listed in help
                for name in names(b):
                    assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", shown, re.I), \
                        (kind.__name__, name)
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen is main


async def test_every_key_of_the_coding_view_is_in_its_help(survey, tmp_path):
    """The coding view's help page lists its keys; its pickers' help lines name theirs."""
    app = HeetuiApp(open_survey(workspace=tmp_path / "w.toml"))  # nothing is written
    async with running(app) as (app, pilot):
        app.set_view(replace(app.view, question="improve"))
        await settle(app, pilot)
        await pilot.press("K")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        body = await help_of(app, pilot)
        assert_listed(body, screen_bindings(app, screen), "coding")
        assert {"quit", "help"} <= {b.action for b in screen_bindings(app, screen)}
        for key, kind in (("m", ThemePicker), ("d", Confirm)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, kind), key
            shown = screen_text(app)
            for b in own_bindings(app.screen):
                for name in [] if b.action.startswith(("app.", "screen.")) else names(b):
                    assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", shown, re.I), \
                        (kind.__name__, name)
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.screen is screen
    assert not (tmp_path / "w.toml").exists()


def readme_key_table() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("| key | action |")
    return text[start:text.index("\n\n", start) + 1]


def test_readme_key_table_is_the_bindings():
    """The README's key table is the app's bindings as the help page lists them (keys,
    text, ids): a key added, rebound or reworded in the code and not in the README fails."""
    expected = key_table(HeetuiApp)
    assert readme_key_table() == expected, (
        "README's key table differs from the bindings; replace it with:\n" + expected)
    table = readme_key_table()
    for b in own_bindings(HeetuiApp.__new__(HeetuiApp)):  # and names every key, by hand
        for name in names(b):
            assert f"`{name}`" in table, f"README's key table lacks `{name}` ({b.action})"
        assert b.id and f"`{b.id}`" in table, b.action
