"""Taking results away from the app: xlsx export, tab book, clipboard copy, SVG screenshot.
Every file goes through the save dialog (tui.save_dialog): a proposed name carrying the
view (output.names), what will be written, and no existing file replaced unconfirmed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import App

from heetui.config import UserConfig
from heetui.engine import Crosstab, Survey, describe_group
from heetui.output.formats import MD, TSV, XLSX, Options, rendered, renderer_for
from heetui.output.names import export_stem, proposed_path
from heetui.output.tables import base_count
from heetui.survey.codebook import Codebook
from heetui.survey.write import bundle_inputs
from heetui.tui.failures import attempt
from heetui.tui.save_dialog import SaveChoice, SaveDialog
from heetui.tui.state import ViewState


class ExportActions(App[None]):
    """Mixed into the app; relies on ``survey``, ``crosstab``, ``view`` and ``codebook``."""

    survey: Survey
    crosstab: Crosstab | None
    view: ViewState
    codebook: Codebook
    inputs: tuple[Path, ...]  # what the survey was read from beside its bundle (a .csv, .sav)
    config: UserConfig  # the settings file: its output folder

    def _stem(self, question: str) -> str:
        v = self.view
        return export_stem(self.codebook, question, v.banner, v.group or v.filters, v.weighted)

    def _view_text(self) -> str:
        v = self.view
        parts = [f"by {v.banner}" if v.banner else "Total only",
                 describe_group(self.codebook, v.group or v.filters) or "everyone",
                 "weighted" if v.weighted else "unweighted"]
        return "; ".join(parts)

    def _ask(self, what: str, stem: str, suffix: str,
             write: Callable[[SaveChoice], None]) -> None:
        from heetui.output.atomic import FolderMissing

        try:  # the settings' output folder, else the working folder
            proposed = proposed_path(self.config, stem, suffix, here=Path.cwd())
        except FolderMissing as e:
            self.notify(e.message(), severity="error", markup=False)
            return
        ws = self.survey.workspace  # read, and written by every edit: never an output
        dialog = SaveDialog(what, proposed, bundle_inputs(self.survey.bundle.path)
                            + self.inputs + ((ws.path,) if ws is not None else ()))
        self.push_screen(dialog, lambda choice: write(choice) if choice else None)

    def _save(self, target: Path, write: Callable[[], object], what: str = "") -> None:
        """Run ``write`` and say how it went: a name taken meanwhile or a missing folder in
        one sentence, anything unforeseen as failures.attempt tells it."""
        from heetui.output.atomic import FolderMissing, WouldReplace

        def guarded() -> str | None:
            try:
                write()
            except WouldReplace:  # confirmed as new, then made meanwhile by someone else
                return "A file of that name appeared meanwhile; it was kept."
            except FolderMissing as e:
                return str(e)
            return None

        refused, error = attempt(guarded)
        self._saved(target, refused or error, what)

    def _saved(self, target: Path, error: str | None, what: str = "") -> None:
        if error:
            self.notify(f"Could not save {target.name}. {error}", severity="error",
                        markup=False)
        else:
            self.notify(f"Saved {what}{target}", markup=False)

    def action_export(self) -> None:
        """Save the current table as a formatted xlsx (the name proposed in a dialog)."""
        if self.crosstab is None:
            return
        ct = self.crosstab
        base = f"base {base_count(ct.total)}"

        out = renderer_for(ct, XLSX.name)  # a crosstab's or a grid summary's
        options = Options(show=self.view.show, codebook=self.codebook)

        def write(choice: SaveChoice) -> None:
            self._save(choice.path,
                       lambda: out.write(ct, choice.path, options, choice.replace))

        self._ask(f"The table {ct.question.id} ({self._view_text()}; {base}) as a formatted "
                  "Excel sheet", self._stem(ct.question.id), out.format.suffixes[0][1:], write)

    def action_book(self) -> None:
        """Write the tab book of the current banner, filters and weighting: every question
        of the survey in one xlsx (the name proposed in a dialog; Esc cancels the work)."""
        from heetui.tui.book_screen import BookScreen

        def write(choice: SaveChoice) -> None:
            self.push_screen(BookScreen(self.survey, self.view, choice.path, choice.replace))

        self._ask(f"The tab book: every question ({self._view_text()}) as an Excel workbook",
                  self._stem("book"), XLSX.suffixes[0][1:], write)

    def action_copy(self) -> None:
        """Copy the current table as TSV or Markdown, chosen in a small dialog."""
        if self.crosstab is None:
            return
        from heetui.tui.copy_choice import CopyChoice

        ct = self.crosstab
        self.push_screen(CopyChoice(), lambda kind: self._copy(ct, kind) if kind else None)

    def _copy(self, ct: Crosstab, kind: str) -> None:
        v = self.view
        fmt = TSV if kind == TSV.name else MD  # a crosstab's or a grid summary's renderer
        text = rendered(ct, fmt.name, Options(show=v.show, decimals=v.decimals,
                                              letters=v.letters))
        self.copy_text(text, f"Copied the table {ct.question.id} as " + (
            "TSV (pastes into a spreadsheet as cells)" if fmt is TSV else "Markdown"))

    def copy_text(self, text: str, what: str) -> None:
        """Copy through the terminal (OSC 52) and, where one applies, the system clipboard
        (tui/clipboard), in a worker: the app never waits for a clipboard tool. ``what``
        begins the sentence saying so ("Copied the table relationship as Markdown")."""
        from heetui.tui.clipboard import system_copier

        self.copy_to_clipboard(text)
        osc = "your terminal's clipboard (OSC 52)"
        command = system_copier()
        if command is None:
            self.notify(f"{what} to {osc}.")
        else:
            self._system_copy(command, text, f"{what} to {osc}")

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _system_copy(self, command: list[str], text: str, done: str) -> None:
        from heetui.tui.clipboard import copy_with

        name = Path(command[0]).name
        error = copy_with(command, text)
        message = f"{done} and the system clipboard ({name})." if error is None else \
            f"{done}; the system clipboard was not set: {error}."
        self.call_from_thread(self.notify, message, severity="information" if error is None
                              else "warning")

    def action_screenshot_svg(self) -> None:
        """Save the screen as SVG, taken now (before the dialog opens over it); drawn right
        by librsvg as well as browsers."""
        from heetui.output.atomic import write_bytes
        from heetui.output.svg import for_rsvg

        svg = for_rsvg(self.export_screenshot(title=f"heetui — {self.title}"))

        def write(choice: SaveChoice) -> None:
            self._save(choice.path,
                       lambda: write_bytes(choice.path, svg.encode("utf-8"), choice.replace),
                       "screenshot ")

        self._ask("A screenshot of the screen as it was when S was pressed (SVG)",
                  self._stem(self.view.question), "svg", write)
