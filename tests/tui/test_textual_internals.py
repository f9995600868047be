"""The private Textual API heetui relies on (heetui.tui.textual_internals), checked against
the Textual version it was read from. After upgrading Textual, run these, read the new
Textual's code for each helper, and move CHECKED_AGAINST on."""

from __future__ import annotations

from importlib.metadata import version

from textual.app import App, ComposeResult
from textual.driver import Driver
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Label, Static

from heetui.tui.modals import Modal
from heetui.tui.textual_internals import (
    CHECKED_AGAINST,
    FooterKey,
    background_screens,
    bindings_ready,
    composited_lines,
    driver,
    keymap,
    laid_out_size,
    notifications,
    prune_watchers,
)


def test_checked_against_the_installed_textual():
    assert version("textual") == CHECKED_AGAINST, (
        f"heetui.tui.textual_internals was checked against Textual {CHECKED_AGAINST}; "
        f"{version('textual')} is installed: check each helper against it, then update "
        "CHECKED_AGAINST")


class _Child(Widget):
    flag = reactive(False)


class _Host(Widget):
    flag = reactive(False)

    def compose(self) -> ComposeResult:
        yield _Child().data_bind(_Host.flag)  # registers a watcher on the host, as a
        # footer key's data_bind(compact=Footer.compact) does on the footer


class _Over(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Label("over")


class _App(App[None]):
    BINDINGS = [("z", "bell", "Ring")]

    def compose(self) -> ComposeResult:
        yield Static("hello internals")
        yield _Host()
        yield Footer()


async def test_the_helpers_do_what_heetui_needs():
    app = _App()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        base = app.screen
        assert isinstance(driver(app), Driver)
        assert laid_out_size(base) == Size(60, 20)
        assert any("hello internals" in line for line in composited_lines(base))
        assert any(k.description == "Ring" for k in base.query(FooterKey))
        assert bindings_ready(base.query_one(Footer))
        app.notify("noted")
        await pilot.pause()
        assert [n.message for n in notifications(app)] == ["noted"]
        assert keymap(app) == {}
        app.set_keymap({"ring": "?"})
        assert keymap(app) == {"ring": "question_mark"}  # as Textual applies it

        host = base.query_one(_Host)
        child = host.query_one(_Child)
        assert any(node is child for node, _ in getattr(host, "__watchers")["flag"])
        await child.remove()
        # Textual keeps a removed widget's watchers (why the footer prunes them)
        assert any(node is child for node, _ in getattr(host, "__watchers")["flag"])
        prune_watchers(host)
        assert not any(node is child for node, _ in getattr(host, "__watchers")["flag"])

        await app.push_screen(_Over())
        await pilot.pause()
        assert background_screens(app) == [base]  # a modal screen shows the one under it
        assert laid_out_size(app.screen) == Size(60, 20)
        assert any("over" in line for line in composited_lines(app.screen))


class _Modal(Modal[None]):
    def compose(self) -> ComposeResult:
        yield Label("modal")


async def test_a_modal_is_laid_out_again_only_for_a_new_size(monkeypatch):
    """Modal (built on laid_out_size and background_screens) passes on to Textual's Screen
    handler only a Resize for a size the screens were not laid out at."""
    relaid: list[Size] = []
    textual_handler = Screen._on_resize

    async def counting(self, event):
        if isinstance(self, _Modal):
            relaid.append(event.size)
        await textual_handler(self, event)

    monkeypatch.setattr(Screen, "_on_resize", counting)
    app = _App()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await app.push_screen(_Modal())
        await pilot.pause()
        await pilot.pause()
        assert relaid == []  # the Resize a new screen is sent for the size it opened at
        await pilot.resize_terminal(70, 22)
        await pilot.pause()
        await pilot.pause()
        assert Size(70, 22) in relaid


def test_the_value_list_overrides_a_hook_textual_still_calls():
    """modals.ValueList draws its own [x] marks and tells OptionList their width through
    this private method; were it renamed, the list would lay out for SelectionList's."""
    from textual.widgets import OptionList, SelectionList

    from heetui.tui.modals import ValueList

    assert "_get_left_gutter_width" in vars(OptionList)
    assert "_get_left_gutter_width" in vars(SelectionList)
    assert "_get_left_gutter_width" in vars(ValueList)
