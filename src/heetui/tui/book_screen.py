"""Writing the tab book of the current view from the app: a progress bar over the tables,
Esc to cancel, a notification naming the file."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import Label, ProgressBar

from heetui.engine import BookRequest, Survey, tab_book
from heetui.tui.failures import attempt
from heetui.tui.modals import Modal, close
from heetui.tui.state import ViewState


class Cancelled(Exception):
    """The person pressed Esc while the book was being computed."""


class BookScreen(Modal[str | None]):
    """Returns the path written, or None when cancelled or failed (the failure notified)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="book.cancel")]
    DEFAULT_CSS = """
    BookScreen { align: center middle; }
    BookScreen > Vertical { width: 64; max-width: 95%; height: auto; border: thick $accent;
                            background: $surface; padding: 1 2; }
    BookScreen ProgressBar { width: 100%; }
    """

    def __init__(self, survey: Survey, view: ViewState, target: Path, replace: bool = False
                 ) -> None:
        super().__init__()
        self.survey = survey
        self.view = view
        self.target = target
        self.replace = replace  # confirmed in the save dialog
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Tab book by {self.view.banner or 'Total only'} → {self.target.name}",
                        markup=False)
            yield ProgressBar(id="book-progress", show_eta=False)
            yield Label("Esc cancels", id="book-state")

    def on_mount(self) -> None:
        self._write()

    def on_unmount(self) -> None:
        """Taken off the screen by any means (a key typed ahead, the app closing): the book
        stops at its next table, and its worker tells nobody."""
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        """In the worker: stop if cancelled, else move the bar (in the app's thread: this
        screen's widgets are looked up there, where they are known to exist)."""
        if self._cancel.is_set():
            raise Cancelled
        self._tell(self._set_progress, done, total)

    def _set_progress(self, done: int, total: int) -> None:
        if self.is_attached:
            with suppress(NoMatches):
                self.query_one(ProgressBar).update(progress=done, total=total)

    def _tell(self, callback: Callable[..., object], *args: object) -> None:
        """Run ``callback`` in the app's thread, unless the screen is gone: once it is
        unmounted the app may be closing, and calling into a closed app raises."""
        if self._cancel.is_set() and not self.is_attached:
            return
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            if self.app.is_running:
                raise  # not the app closing: a real fault

    @work(thread=True, exclusive=True, group="book")
    def _write(self) -> None:
        from heetui.output.formats import XLSX, Options, renderer

        workbook = renderer("book", XLSX.name)
        req = BookRequest(replace(self.view.request(), question=""))

        def run() -> Path | None:
            try:
                book = tab_book(self.survey, req, self._progress)
            except Cancelled:
                return None
            if self._cancel.is_set():
                return None
            workbook.write(book, self.target, Options(codebook=self.survey.codebook),
                           self.replace)
            return self.target

        path, error = attempt(run)
        self._tell(self._done, str(path) if path else None, error)

    def _done(self, path: str | None, error: str | None) -> None:
        if not self.app.is_running:
            return  # the app is closing
        if error:
            self.app.notify(f"Could not write the tab book. {error}", severity="error",
                            markup=False)
        elif path is None:
            self.app.notify("Tab book cancelled; nothing was written.", markup=False)
        else:
            self.app.notify(f"Saved the tab book {path}", markup=False)
        close(self, path)

    def action_cancel(self) -> None:
        self._cancel.set()
        self.query_one("#book-state", Label).update("Cancelling…")
