"""What y copies: the table as TSV (a spreadsheet pastes it as cells) or as Markdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from heetui.tui.footer import KeyFooter
from heetui.tui.keys import key_names, own_bindings
from heetui.tui.modals import Modal, close
from heetui.tui.textual_internals import keymap

TSV, MARKDOWN = "tsv", "md"


class CopyChoice(Modal[str | None]):
    """Returns TSV or MARKDOWN, or None when cancelled."""

    BINDINGS = [Binding("t,enter", "choose('tsv')", "TSV", key_display="t", id="copy.tsv",
                        tooltip="TSV: pastes into Excel or LibreOffice as cells, numbers as "
                        "numbers"),
                Binding("m", "choose('md')", "Markdown", id="copy.markdown",
                        tooltip="Markdown: pastes into notes, tickets and chat as a table"),
                Binding("escape", "cancel", "Cancel", id="copy.cancel")]
    DEFAULT_CSS = """
    CopyChoice { align: center middle; }
    CopyChoice > Vertical { width: 64; max-width: 95%; height: auto; border: thick $accent;
                            background: $surface; padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        keys = own_bindings(self, keymap(self.app))
        with Vertical():
            yield Label("Copy the table as", markup=False)
            for b in keys:
                yield Label(f"  {key_names(b):<10} {b.tooltip or b.description}", markup=False)
        yield KeyFooter()

    def action_choose(self, kind: str) -> None:
        close(self, kind)

    def action_cancel(self) -> None:
        close(self, None)
