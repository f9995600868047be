"""The small dialog every workspace edit made in the app asks its words in: a net's label,
an answer's or a question's new text, a saved filter's, segment's or banner's name.

It says what the edit will do (the answers of a net, the conditions of a filter), holds
one box per thing asked, and returns what was typed; the engine (``heetui.engine.edits``)
checks it and writes it, so the dialog itself refuses only an empty answer."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from heetui.tui.modals import Modal, close
from heetui.tui.plain import plain

# what a saved filter's, segment's or banner's name may hold (the engine's rule, said)
NAME_RULE = "letters, digits and _, starting with a letter"


@dataclass(frozen=True)
class Field:
    """One box of the dialog: what it asks, what it holds at first, whether it may be
    left empty."""

    label: str
    value: str = ""
    optional: bool = False


class EditDialog(Modal[tuple[str, ...] | None]):
    """Returns what each box holds (stripped), in order, or None (Esc). Enter in a box
    moves to the next one; in the last, it answers."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="edit.cancel")]
    HELP_NAME = "workspace edit"
    DEFAULT_CSS = """
    EditDialog { align: center middle; }
    EditDialog > Vertical { width: 80; max-width: 98%; height: auto; max-height: 90%;
                            border: thick $accent; background: $surface; padding: 0 1; }
    EditDialog Label { width: 100%; }
    EditDialog .edit-what { color: $text-muted; }
    EditDialog #edit-state.warning { color: $warning; text-style: bold; }
    """

    def __init__(self, title: str, what: str, fields: list[Field]) -> None:
        super().__init__()
        self.title_text = title
        self.what = what
        self.fields = fields

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain(self.title_text)
            if self.what:
                yield Label(Text(self.what), classes="edit-what")
            for i, f in enumerate(self.fields):
                yield Label(Text(f.label))
                yield Input(f.value, id=f"edit-{i}")
            yield Label(Text(self._hint()), id="edit-state")

    def _hint(self) -> str:
        return "Enter saves, Esc cancels" if len(self.fields) == 1 else \
            "Enter goes to the next box, and saves from the last; Esc cancels"

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#edit-0", Input))

    def _boxes(self) -> list[Input]:
        return [self.query_one(f"#edit-{i}", Input) for i in range(len(self.fields))]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        boxes = self._boxes()
        i = boxes.index(event.input)
        if i + 1 < len(boxes):
            self.set_focus(boxes[i + 1])
            return
        values = tuple(b.value.strip() for b in boxes)
        empty = next((f for f, v in zip(self.fields, values, strict=True)
                      if not v and not f.optional), None)
        if empty is not None:
            state = self.query_one("#edit-state", Label)
            state.update(Text(f"{empty.label.rstrip(':')} is empty: type it, or Esc to "
                              "cancel."))
            state.add_class("warning")
            return
        close(self, values)

    def action_cancel(self) -> None:
        close(self, None)
