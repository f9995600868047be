"""Work that finishes after its screen has gone: a worker's result arriving once the screen
it reports to was popped (a key typed ahead, the monkey's back_to_main) or the app is
closing is dropped, never an error. Reproduced deterministically: the work is held on an
Event until the screen is gone."""

from __future__ import annotations

import threading

import pytest

import heetui.tui.book_screen as book_module
from heetui.tui.app import HeetuiApp
from heetui.tui.book_screen import BookScreen
from heetui.tui.save_dialog import SaveDialog
from tui_helpers import running, settle, watch_errors


@pytest.fixture()
def error_log(tmp_path, monkeypatch):
    from heetui.tui.failures import log_path

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    return log_path()


async def start_book(app, pilot) -> None:
    """B, then Enter on the name the save dialog proposes."""
    await pilot.press("B")
    await settle(app, pilot)
    assert isinstance(app.screen, SaveDialog)
    await pilot.press("enter")
    await pilot.pause()


def held_book(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """tab_book waits for ``release`` after telling ``started``, then reports progress."""
    started, release = threading.Event(), threading.Event()
    real = book_module.tab_book

    def held(survey, req, progress):
        started.set()
        assert release.wait(30)
        progress(1, 2)  # the screen is gone by now
        return real(survey, req, progress)

    monkeypatch.setattr(book_module, "tab_book", held)
    return started, release


async def test_book_popped_while_it_runs(survey, monkeypatch, error_log, tmp_path):
    started, release = held_book(monkeypatch)
    app = HeetuiApp(survey)
    errors = watch_errors(app)
    async with running(app, (100, 30)) as (app, pilot):
        await start_book(app, pilot)
        assert isinstance(app.screen, BookScreen)
        assert started.wait(30)
        await app.pop_screen()  # as the monkey's back_to_main does: not through Esc
        await pilot.pause()
        release.set()
        await settle(app, pilot)
        assert app.is_running and len(app.screen_stack) == 1
    assert errors == [] and not error_log.exists()
    assert not list(tmp_path.glob("*.xlsx"))  # the book stopped with its screen


async def test_book_running_when_the_app_closes(survey, monkeypatch, error_log):
    started, release = held_book(monkeypatch)
    app = HeetuiApp(survey)
    errors = watch_errors(app)
    async with running(app, (100, 30)) as (app, pilot):
        await start_book(app, pilot)
        assert started.wait(30)
        app.exit()
        await pilot.pause()
    release.set()  # the worker goes on after the app has closed
    worker_done = [w for w in app.workers if w.name == "_write"]
    for w in worker_done:
        await w.wait()
    assert errors == [] and not error_log.exists()


async def test_late_callbacks_after_the_app_closed(survey):
    """What a worker or timer delivers after the app has closed (its screens gone: Textual's
    app.screen raises ScreenStackError "No screens on stack", a query finds nothing) is
    dropped: a table, the loading state, the overview, a key's check."""
    from heetui.tui.footer import KeyFooter

    app = HeetuiApp(survey)
    async with running(app, (100, 30)) as (app, pilot):
        footer = app.query_one(KeyFooter)
        screen = app.screen
        token = app._latest.next()
        app._pending = token
        ct = app.crosstab
    assert app.screen_stack == []
    app._show(app.view, token, ct, None)
    app._show_loading(token)
    app._show_overview("body", None)
    for action in ("banner", "search", "help", "quit"):
        assert app.check_action(action, ()) is False
    footer.bindings_changed(screen)
