"""The one dialog every write from the app passes through (e, B, S): it proposes a file
name (output.names: numbered when taken), says what will be written, and replaces an
existing file only after a second Enter on the same name. A name the survey is read from
is refused (output.atomic.check_output), as on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from heetui.output.atomic import IsInput, WouldReplace, check_output
from heetui.tui.modals import Modal, close


@dataclass(frozen=True)
class SaveChoice:
    path: Path
    replace: bool  # the person confirmed replacing the existing file


class SaveDialog(Modal[SaveChoice | None]):
    """Returns the chosen path (and whether replacing it was confirmed), or None (Esc)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save.cancel")]
    DEFAULT_CSS = """
    SaveDialog { align: center middle; }
    SaveDialog > Vertical { width: 80; max-width: 98%; height: auto; border: thick $accent;
                            background: $surface; padding: 0 1; }
    SaveDialog Label { width: 100%; }
    SaveDialog #save-what { color: $text-muted; }
    SaveDialog #save-state.warning { color: $warning; text-style: bold; }
    """

    def __init__(self, what: str, proposed: Path, inputs: tuple[Path, ...] = ()) -> None:
        super().__init__()
        self.what = what
        self.proposed = proposed
        self.inputs = inputs
        self._confirming: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Save as"
            yield Label(Text(self.what), id="save-what")
            yield Input(self.proposed.name, id="save-name")
            yield Label(Text(self._hint()), id="save-state")

    def _hint(self) -> str:
        return f"Enter saves in {self.proposed.parent}, Esc cancels"

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    def _path(self, name: str) -> Path:
        path = Path(name).expanduser()
        if not path.suffix:
            path = path.with_name(path.name + self.proposed.suffix)
        return path if path.is_absolute() else self.proposed.parent / path

    def _say(self, text: str, warning: bool = True) -> None:
        state = self.query_one("#save-state", Label)
        state.update(Text(text))
        state.set_class(warning, "warning")

    @on(Input.Changed)
    def _edited(self) -> None:
        if self._confirming is not None:
            self._confirming = None
            self._say(self._hint(), warning=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            self._say("Give a file name, or Esc to cancel.")
            return
        path = self._path(name)
        if path.is_dir():
            self._say(f"{path} is a folder; give the name of a file.")
            return
        if not path.parent.is_dir():
            self._say(f"The folder {path.parent} does not exist.")
            return
        confirmed = self._confirming == path
        try:
            check_output(path, self.inputs, replace=confirmed)
        except IsInput as e:
            self._say(str(e))
            return
        except WouldReplace:
            self._confirming = path
            self._say(f"{path.name} already exists: Enter again replaces it, or change the "
                      "name.")
            return
        close(self, SaveChoice(path, confirmed))

    def action_cancel(self) -> None:
        close(self, None)
