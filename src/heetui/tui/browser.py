"""The question browser: questions and segments grouped, filtered as you type; choosing a
question clears the search, and a filtered list says so on its first line."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from heetui.survey.codebook import Codebook, Grid, Variable
from heetui.tui.modals import SafeOptionList
from heetui.tui.plain import plain


def matches(v: Variable | Grid, query: str) -> bool:
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

    def __init__(self, codebook: Codebook, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.codebook = codebook
        self.current: str | None = None  # the question on show, kept highlighted

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ search questions", id="search")
        yield SafeOptionList(id="questions")

    def on_mount(self) -> None:
        self.refill("")

    def refill(self, query: str) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        current = None
        items: list[Option | None] = []
        # open-ended questions are listed when their comments are coded to themes
        order = [v for v in self.codebook.questions
                 if v.type != "open" or self.codebook.coded(v)] + list(self.codebook.segments)
        grids = {g.id: g for g in self.codebook.grids}
        found = [v for v in order if matches(v, query)
                 or (v.grid in grids and matches(grids[v.grid], query))]
        listed: set[str] = set()
        if query.strip():  # say plainly that the list is not the whole survey
            items.append(Option(plain(f"{len(found)} of {len(order)} match "
                                      f"{query.strip()!r}"), disabled=True))
        for v in found:
            group = v.group or ("Sample profile" if v.role == "segment" else "Questions")
            if group != current:
                items.append(Option(plain(f"── {group}"), disabled=True))
                current = group
            if v.grid in grids and v.grid not in listed:  # a grid, then its items under it
                listed.add(v.grid)
                g = grids[v.grid]
                items.append(Option(plain(f"{g.id} [grid]\n  {g.label or g.text}"), id=g.id))
            kind = {"multi": " [multi]", "open": " [themes]", "numeric": " [mean]"}.get(v.type, "")
            indent = "  " if v.grid else ""
            items.append(Option(plain(f"{indent}{v.id}{kind}\n  {indent}{v.short}"), id=v.id))
        ol.add_options(items)
        ids = [o.id if o is not None and not o.disabled else None for o in items]
        if not query.strip() and self.current in ids:
            ol.highlighted = ids.index(self.current)
        else:
            ol.highlighted = next((i for i, o in enumerate(ids) if o is not None), None)

    def select(self, var_id: str) -> None:
        self.current = var_id
        ol = self.query_one(OptionList)
        try:
            ol.highlighted = ol.get_option_index(var_id)
        except Exception:  # the question is filtered out of the list
            return

    def choose(self, var_id: str) -> None:
        """Announce a chosen question and clear the search: the whole list again, on it."""
        self.current = var_id
        self.post_message(self.Chosen(var_id))
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""  # refills the list (Input.Changed)

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self.refill(event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            opt = ol.get_option_at_index(ol.highlighted)
            if opt.id:
                self.choose(opt.id)

    @on(OptionList.OptionSelected, "#questions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.choose(event.option.id)
