"""The coding view's small questions: which question to code, which theme (a list of the
frame's themes, each with its number and count) and whether to go ahead (deleting a
theme)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from heetui.survey.codebook import Theme, Variable
from heetui.survey.text import safe_text
from heetui.tui.modals import Modal, SafeOptionList, close
from heetui.tui.plain import plain


def theme_line(number: int, theme: Theme, count: int, width: int, mark: str = "") -> Text:
    """A theme as the coding view lists it: ``mark``, its digit key (the first nine), how
    many comments carry it (right-aligned in ``width``), its label."""
    key = str(number) if number <= 9 else " "
    return Text(f"{mark}{key} {count:>{width},} {safe_text(theme.label)}")


def count_width(counts: Sequence[int]) -> int:
    """The width of the widest count, as theme_line writes it."""
    return max((len(f"{n:,}") for n in counts), default=1)


class ThemePicker(Modal[int | None]):
    """Returns the code of the theme chosen (Enter), or None (Esc)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="theme_picker.cancel")]
    HELP_NAME = "theme picker"
    DEFAULT_CSS = """
    ThemePicker { align: center middle; }
    ThemePicker > Vertical { width: 72; max-width: 98%; height: auto; max-height: 90%;
                             border: thick $accent; background: $surface; padding: 0 1; }
    ThemePicker OptionList { height: auto; max-height: 20; text-wrap: nowrap;
                             text-overflow: ellipsis; }
    ThemePicker Label { width: 100%; }  /* a long line wraps at the box's width */
    ThemePicker .picker-what { color: $text-muted; }
    """

    def __init__(self, title: str, what: str,
                 themes: Sequence[tuple[int, Theme, int]]) -> None:
        """``themes``: (number in the frame, theme, comments carrying it) of each offered."""
        super().__init__()
        self.title_text = title
        self.what = what
        self.themes = themes

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain(self.title_text)
            if self.what:
                yield Label(Text(self.what), classes="picker-what")
            width = count_width([c for _, _, c in self.themes])
            yield SafeOptionList(*[Option(theme_line(n, t, c, width), id=f"t{t.code}")
                                   for n, t, c in self.themes], id="picker-themes")
            yield Label("↑↓ choose, Enter picks the theme, Esc cancels", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#picker-themes", OptionList))

    @on(OptionList.OptionSelected, "#picker-themes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        close(self, int((event.option.id or "t0")[1:]))

    def action_cancel(self) -> None:
        close(self, None)


class Confirm(Modal[bool]):
    """Returns True when Enter (or y) goes ahead, False on Esc (or n)."""

    BINDINGS = [Binding("enter,y", "answer(True)", "Go ahead", key_display="Enter",
                        id="confirm.yes"),
                Binding("escape,n", "answer(False)", "Cancel", key_display="Esc",
                        id="confirm.no")]
    HELP_NAME = "confirmation"
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 64; max-width: 98%; height: auto; border: thick $warning;
                         background: $surface; padding: 0 1; }
    Confirm Label { width: 100%; }  /* a long line wraps at the box's width */
    """

    def __init__(self, title: str, what: str) -> None:
        super().__init__()
        self.title_text = title
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain(self.title_text)
            yield Label(Text(self.what))
            yield Label("Enter or y goes ahead, Esc or n cancels", markup=False)

    def action_answer(self, yes: bool) -> None:
        close(self, yes)


class QuestionPicker(Modal[str | None]):
    """Which open-ended question to code: returns its id (Enter), or None (Esc)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="question_picker.cancel")]
    HELP_NAME = "question to code"
    DEFAULT_CSS = """
    QuestionPicker { align: center middle; }
    QuestionPicker > Vertical { width: 72; max-width: 98%; height: auto; max-height: 90%;
                                border: thick $accent; background: $surface; padding: 0 1; }
    QuestionPicker OptionList { height: auto; max-height: 20; }
    """

    def __init__(self, questions: Sequence[Variable]) -> None:
        super().__init__()
        self.questions = questions

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = plain("Code the comments of")
            yield SafeOptionList(*[Option(plain(f"{v.id}: {v.short}"), id=v.id)
                                   for v in self.questions], id="picker-questions")
            yield Label("↑↓ choose, Enter opens the coding view, Esc cancels", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#picker-questions", OptionList))

    @on(OptionList.OptionSelected, "#picker-questions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        close(self, event.option.id)

    def action_cancel(self) -> None:
        close(self, None)
