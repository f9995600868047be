"""The question browser: questions and segments grouped, filtered as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from heetui.survey.codebook import Codebook, Variable


def matches(v: Variable, query: str) -> bool:
    """Every word of the query appears in the id, label or text."""
    hay = f"{v.id} {v.short} {v.text} {v.group}".casefold()
    return all(word in hay for word in query.casefold().split())


class QuestionBrowser(Vertical):
    DEFAULT_CSS = """
    QuestionBrowser { width: 32; border-right: tall $panel; }
    QuestionBrowser Input { margin: 0; border: tall $panel; }
    QuestionBrowser OptionList { height: 1fr; border: none; }
    """

    class Chosen(Message):
        def __init__(self, variable: str) -> None:
            super().__init__()
            self.variable = variable

    def __init__(self, codebook: Codebook, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ search questions", id="search")
        yield OptionList(id="questions")

    def on_mount(self) -> None:
        self.refill("")

    def refill(self, query: str) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        current = None
        items: list[Option | None] = []
        # open-ended questions are listed when their comments are coded to themes
        order = [v for v in self.codebook.questions
                 if v.type != "open" or self.codebook.themes] + list(self.codebook.segments)
        for v in order:
            if not matches(v, query):
                continue
            group = v.group or ("Sample profile" if v.role == "segment" else "Questions")
            if group != current:
                items.append(Option(f"── {group}", disabled=True))
                current = group
            kind = {"multi": " [multi]", "open": " [themes]", "numeric": " [mean]"}.get(v.type, "")
            items.append(Option(Text(f"{v.id}{kind}\n  {v.short}"), id=v.id))
        ol.add_options(items)
        first = next((i for i, o in enumerate(items) if o is not None and not o.disabled),
                     None)
        if first is not None:
            ol.highlighted = first

    def select(self, var_id: str) -> None:
        ol = self.query_one(OptionList)
        try:
            ol.highlighted = ol.get_option_index(var_id)
        except Exception:  # the question is filtered out of the list
            return

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self.refill(event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            opt = ol.get_option_at_index(ol.highlighted)
            if opt.id:
                self.post_message(self.Chosen(opt.id))

    @on(OptionList.OptionSelected, "#questions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
