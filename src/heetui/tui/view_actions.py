"""The app's view beyond the session: kept in the survey's workspace, and shown as a command.

``ViewActions`` is a part of the app (tui/app.HeetuiApp): with ``resume`` (the command
line's app) each change of question, banner, filters, weighting, cells, letters or level
is written to the workspace's ``[view]`` in a worker thread, and once more on quitting;
``action_view_command`` shows and copies the ``heetui tab …`` command of the table on
screen (tui/view_command).
"""

from __future__ import annotations

import threading
from typing import Any

from textual import work

from heetui.config import UserConfig
from heetui.engine import Survey, is_grid, save_view
from heetui.errors import EngineError
from heetui.survey.codebook import Codebook
from heetui.survey.workspace import default_workspace
from heetui.tui.exports import ExportActions
from heetui.tui.last_view import kept_weight, restored, view_entry
from heetui.tui.modals import TextScreen
from heetui.tui.state import ViewState
from heetui.tui.view_command import NotACommand, Source, shell_line, tab_argv


class ViewActions(ExportActions):
    survey: Survey
    codebook: Codebook
    config: UserConfig
    view: ViewState

    def _resume_view(self, first: ViewState, resume: bool) -> tuple[ViewState, str | None]:
        """The view to open with: the workspace's last one over ``first`` when ``resume``
        (and a sentence when it no longer applies); from now on, changes are kept."""
        self._keeping = resume
        self._keep_lock = threading.Lock()
        self._opened = view_entry(self.codebook, first)  # kept only once it differs
        self._to_keep: dict[str, Any] | None = None
        self._keep_failed = False
        if not resume:
            return first, None
        ws = self.survey.workspace
        view, why = restored(self.codebook, self.survey.view, first,
                             self.survey.weight_names(),
                             str(ws.path) if ws is not None else "the workspace")
        weight = kept_weight(self.survey.view) if why is None else None
        if view.weighted and weight and weight != self.survey.codebook.settings.weight:
            self.survey.choose_weight(weight)  # a weight computed to targets, as it was left
            self.codebook = self.survey.codebook
        return view, why

    def keep_view(self) -> None:
        """Write the view's entry in a worker, when it changed (cheap: a dict compared)."""
        if not self._keeping:
            return
        entry = view_entry(self.codebook, self.view)
        with self._keep_lock:
            if entry == self._to_keep:
                return
            self._to_keep = entry
        self._write_view()

    @work(thread=True, group="keep_view", exit_on_error=False)
    def _write_view(self) -> None:
        error = self.write_view_now()
        if error is not None:
            self.call_from_thread(self.notify, error, severity="warning", timeout=10)

    def write_view_now(self) -> str | None:
        """Write the latest entry (a worker still writing an older one is waited for, so
        the file ends with the latest); a sentence the first time writing fails."""
        with self._keep_lock:
            entry = self._to_keep
            if entry is None or self._keep_failed:
                return None
            try:
                save_view(self.survey, entry, self._opened)
            except EngineError as e:
                self._keep_failed = True  # said once, not at every change
                return f"The view is not kept for next time: {e.message()}"
        return None

    # ---- every view is a command -------------------------------------------------------

    def view_source(self) -> Source:
        """Where the survey was read from, as the command line names it."""
        ws = self.survey.workspace
        own = self.survey.bundle.codebook.settings.weight
        if ws is None:
            return Source(self.survey.bundle.path, own_weight=own)
        given = ws.path if ws.path != default_workspace(ws.source) else None
        return Source(ws.source, given, own)

    def view_argv(self) -> list[str]:
        v = self.view
        return tab_argv(self.codebook, v, self.view_source(), self.config,
                        grid=is_grid(self.survey, v.request()))

    def action_view_command(self) -> None:
        """Show the ``heetui tab …`` command printing the table on screen, and copy it."""
        try:
            line = shell_line(self.view_argv())
        except NotACommand as e:
            self.notify(e.message(), severity="warning", timeout=10)
            return
        self.copy_text(line, "Copied the command of this view")
        body = (f"{line}\n\nprints this table: the same numbers, bases and letters (add "
                "--format csv, json or md, or -o FILE to write it). It is in your "
                "clipboard.")
        self.push_screen(TextScreen("The command of this view", body, "command"))
