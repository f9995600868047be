"""What y copies: the table as TSV (a spreadsheet pastes it as cells) or as Markdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from heetui.tui.footer import KeyFooter
from heetui.tui.keymap import own, remapped
from heetui.tui.keys import key_names
from heetui.tui.modals import Modal, close
from heetui.tui.textual_internals import keymap

TSV, MARKDOWN = "tsv", "md"


class CopyChoice(Modal[str | None]):
    """Returns TSV or MARKDOWN, or None when cancelled."""

    BINDINGS = [Binding("t,enter", "choose('tsv')", "TSV", key_display="t", id="copy.tsv",
                        tooltip="TSV: pastes into a spreadsheet as cells"),
                Binding("m", "choose('md')", "Markdown", id="copy.markdown",
                        tooltip="Markdown: a table for notes, tickets and chat"),
                Binding("escape", "cancel", "Cancel", id="copy.cancel")]
    DEFAULT_CSS = """
    CopyChoice { align: center middle; }
    CopyChoice > Vertical { width: 64; max-width: 95%; height: auto; border: thick $accent;
                            background: $surface; padding: 1 2; }
    """

    def compose(self) -> ComposeResult:
        keys = [remapped(b, keymap(self.app)) for b in own(type(self))]
        with Vertical():
            yield Label("Copy the table as", markup=False)
            for b in keys:
                yield Label(f"  {key_names(b):<10} {b.tooltip or b.description}", markup=False)
        yield KeyFooter()

    def action_choose(self, kind: str) -> None:
        close(self, kind)

    def action_cancel(self) -> None:
        close(self, None)
