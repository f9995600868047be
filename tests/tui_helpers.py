"""The app under Pilot: running it headless, waiting for its work, reading its screen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from heetui.tui.app import HeetuiApp
from heetui.tui.modals import FilterScreen
from heetui.tui.table_view import CrosstabTable
from heetui.tui.textual_internals import composited_lines

BASE = "base:Base (unweighted)"


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@asynccontextmanager
async def running(app: HeetuiApp, size: tuple[int, int] = (120, 40)
                  ) -> AsyncIterator[tuple[HeetuiApp, Pilot]]:
    """The app running headless at ``size``, with its first table made."""
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot


def table(app) -> CrosstabTable:
    return app.query_one(CrosstabTable)


def status(app) -> str:
    return str(app.query_one("#status", Static).render())


def burst(app, *keys: str) -> None:
    """Queue keys all at once, no pause between them (a fast typist, a paste, or keys held
    up behind a slow SSH link); pilot.press waits for the app after each key."""
    from textual import events
    from textual.keys import key_to_character

    for key in keys:
        app.post_message(events.Key(key, key_to_character(key)))


async def add_filter(app, pilot, var_id: str, labels: list[str]) -> None:
    await pilot.press("f")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, FilterScreen)
    vars_list = screen.query_one("#filter-vars", OptionList)
    vars_list.highlighted = vars_list.get_option_index(var_id)
    await pilot.press("enter")
    await pilot.pause()
    v = app.codebook.get(var_id)
    values = screen.query_one("#filter-values")
    for o in v.options:
        if o.label in labels:
            values.select(o.code)
    await pilot.press("a")
    await settle(app, pilot)


def screen_text(app) -> str:
    """What the terminal shows now, as plain text: the lines Textual composes for the
    screen (the same ones its screenshots are drawn from), modals over what they cover."""
    return "\n".join(composited_lines(app.screen))


def watch_errors(app: HeetuiApp) -> list[str]:
    """Every message the app shows as an error (kept, though notifications fade)."""
    errors: list[str] = []
    real = app.notify

    def notify(message: str, *args, **kwargs):
        if kwargs.get("severity") == "error":
            errors.append(message)
        return real(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return errors


async def answer(app, pilot, *values: str) -> None:
    """Fill the edit dialog on top (tui/edit_modals.py), box by box, and press Enter in
    the last."""
    from textual.widgets import Input

    from heetui.tui.edit_modals import EditDialog

    dialog = app.screen
    assert isinstance(dialog, EditDialog)
    for i, value in enumerate(values):
        dialog.query_one(f"#edit-{i}", Input).value = value
    dialog.query_one(f"#edit-{len(values) - 1}", Input).focus()
    await pilot.press("enter")
    await settle(app, pilot)
