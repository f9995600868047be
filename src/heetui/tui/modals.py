"""Pickers and information screens: filter, help, survey overview (the banner picker is in
banner_picker.py), and what they share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakSet

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widgets import Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from heetui.engine import Filter, parse_filters
from heetui.survey.codebook import FILTER_MARK, Codebook
from heetui.tui.failures import attempt
from heetui.tui.footer import KeyFooter
from heetui.tui.plain import plain
from heetui.tui.textual_internals import background_screens, laid_out_size

_closed: WeakSet[Screen[Any]] = WeakSet()


def close(screen: Screen[Any], result: object = None) -> None:
    """Dismiss a screen once, and only while it is on top. Typed-ahead keys can deliver a
    choice after another modal (help, the command palette) opened over the picker: the
    picker is still "current" (visible behind it), but dismissing it would pop the modal
    on top and leave the picker answered yet on screen, so a later Escape answered twice."""
    if screen.is_active and screen not in _closed:
        _closed.add(screen)
        screen.dismiss(result)


Result = TypeVar("Result")


class Modal(ModalScreen[Result]):
    """A screen over the table, laid out once when it opens.

    Textual sends a newly shown screen a Resize for the size it was just laid out at, and a
    modal screen answers every Resize by laying itself out again and re-laying out the
    screens behind it: two more full repaints (about 60 ms at 120×40) before a typed-ahead
    key is read. Only a size the screens were not laid out at is passed on; a terminal
    resize is."""

    def on_resize(self, event: Resize) -> None:
        # Textual calls each class's handler, subclass first: this one runs before Screen's
        # own (_on_resize), and prevent_default skips that
        if event.size == laid_out_size(self) and all(
                laid_out_size(screen) == event.size for screen in background_screens(self.app)):
            event.prevent_default()
            event.stop()


class SafeOptionList(OptionList):
    """An option list whose PageDown and PageUp work at any size. Textual lays out an
    option list's lines only once it has room on screen; a list squeezed to nothing (a
    picker on a terminal of 60×12 or smaller) had no lines, and a page move raised
    KeyError. Without room, a page is one option."""

    def action_page_down(self) -> None:
        if self.scrollable_content_region.area:
            super().action_page_down()  # type: ignore[no-untyped-call]  # Textual: untyped
        else:
            self.action_cursor_down()

    def action_page_up(self) -> None:
        if self.scrollable_content_region.area:
            super().action_page_up()  # type: ignore[no-untyped-call]  # Textual: untyped
        else:
            self.action_cursor_up()


class PickList(SafeOptionList):
    """An option list that acts on Enter or a click in the same step. OptionList announces
    the choice in a message handled later, by when keys typed straight after Enter have
    already gone to the list: they were lost (after a banner was chosen) or landed in the
    wrong list (the filter picker's Space and arrows)."""

    def __init__(self, *options: Option | None, on_pick: Callable[[str | None], None],
                 id: str | None = None) -> None:
        super().__init__(*options, id=id)
        self._on_pick = on_pick

    def action_select(self) -> None:
        i = self.highlighted
        if i is not None and not self.get_option_at_index(i).disabled:
            self._on_pick(self.get_option_at_index(i).id)


TICKED, UNTICKED = "[x] ", "[ ] "  # as the banner picker marks its spans: [1], [ ]


class ValueList(SafeOptionList, SelectionList[int]):
    """The filter picker's values. Space (or a click) ticks the highlighted value at once;
    SelectionList ticks it from a message handled later, by when arrow keys typed after
    the Space have moved the highlight, so the wrong value was ticked.

    A value is drawn [x] ticked and [ ] not: SelectionList draws both as the same ▐X▌ in
    different colours, which NO_COLOR (and many a colour-blind reader) cannot tell apart."""

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.get_option_at_index(self.highlighted))

    def _get_left_gutter_width(self) -> int:
        # Textual's private layout hook (no public one): see heetui.tui.textual_internals
        return len(TICKED)

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the prompt, without SelectionList's button
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        ticked = selection.value in self.selected
        under = next(iter(line)).style or self.rich_style
        style = under + Style(bold=ticked, meta={"option": index})
        return Strip([Segment(TICKED if ticked else UNTICKED, style), *line])


class FilterScreen(Modal[tuple[Filter, ...] | None]):
    """Pick a variable, then tick its values; move to another variable and tick more. Apply
    returns every filter: the values ticked on one variable are alternatives (any of them),
    the variables all apply together, as on the command line. A variable whose values are
    all unticked loses its filter; one not visited keeps the filter it had."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="filter.cancel"),
                Binding("a", "apply", "Apply", show=True, id="filter.apply")]
    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical { width: 90; max-width: 98%; height: 85%; border: thick $accent;
                              background: $surface; }
    FilterScreen Horizontal { height: 1fr; }
    FilterScreen OptionList { width: 1fr; height: 1fr; }
    FilterScreen SelectionList { width: 1fr; height: 1fr; }
    """

    def __init__(self, codebook: Codebook, filters: tuple[Filter, ...]) -> None:
        super().__init__()
        self.codebook = codebook
        self.filters = {f.variable: f for f in filters}
        self.ticked: dict[str, tuple[int, ...]] = {}  # the variables visited: their ticks
        self.variable: str | None = None

    def _prompt(self, var_id: str) -> Text:
        """A variable's line: ● when it filters (ticked in this visit, or before)."""
        on = bool(self.ticked[var_id]) if var_id in self.ticked else var_id in self.filters
        return plain(f"{self.codebook.get(var_id).short}{' ●' if on else ''}")

    def compose(self) -> ComposeResult:
        opts: list[Option | None] = [Option(self._prompt(v.id), id=v.id)
                                     for v in self.codebook.categorical]
        if self.codebook.filters:  # the workspace's (F saves one): Enter applies it
            opts.append(Option("── Saved filters", disabled=True))
            opts += [Option(plain(f"{FILTER_MARK}{f.id}: {f.label} ({f.when})"),
                            id=FILTER_MARK + f.id) for f in self.codebook.filters]
        saved = " (or applies a saved filter)" if self.codebook.filters else ""
        with Vertical():
            yield Label(f" Filter: Enter picks a variable{saved}, Space ticks values, "
                        "shift+Tab goes back to the variables; a applies every tick, Esc "
                        "cancels", id="filter-help")
            with Horizontal():
                yield PickList(*opts, id="filter-vars", on_pick=self.pick)
                yield ValueList(id="filter-values")
            yield KeyFooter()

    def on_mount(self) -> None:
        ol = self.query_one("#filter-vars", OptionList)
        ol.highlighted = 0
        self.set_focus(ol)  # now: keys typed right after f go to the list

    @on(OptionList.OptionHighlighted, "#filter-vars")
    def _highlight(self, event: OptionList.OptionHighlighted) -> None:
        self._load(event.option.id)

    def pick(self, var_id: str | None) -> None:
        """Show ``var_id``'s values and move to them, now (Screen.set_focus is immediate;
        Widget.focus would wait behind keys already typed); a saved filter applies."""
        if var_id is not None and var_id.startswith(FILTER_MARK):
            self._apply_saved(var_id)
            return
        self._load(var_id)
        self.set_focus(self.query_one("#filter-values", ValueList))

    def _apply_saved(self, name: str) -> None:
        """Every filter ticked so far, with the saved filter's conditions in place of the
        filters on their variables."""
        saved, error = attempt(lambda: parse_filters(self.codebook, [name]))
        if saved is None:
            self.app.notify(error or f"The saved filter {name} does not apply.",
                            severity="error", markup=False)
            return
        self._keep()
        taken = {f.variable for f in saved}
        close(self, tuple(f for f in self.result() if f.variable not in taken) + saved)

    def _keep(self) -> None:
        """Remember the ticks of the variable on show (before showing another, or applying),
        and mark it in the list of variables."""
        if self.variable is None:
            return
        sl = self.query_one("#filter-values", ValueList)
        selected = set(sl.selected)
        v = self.codebook.get(self.variable)
        self.ticked[self.variable] = tuple(o.code for o in v.options if o.code in selected)
        self.query_one("#filter-vars", OptionList).replace_option_prompt(
            self.variable, self._prompt(self.variable))

    def _codes(self, var_id: str) -> set[int]:
        if var_id in self.ticked:
            return set(self.ticked[var_id])
        return set(self.filters[var_id].codes) if var_id in self.filters else set()

    def _load(self, var_id: str | None) -> None:
        if var_id is None or var_id == self.variable:
            return
        self._keep()
        if var_id.startswith(FILTER_MARK):  # a saved filter: no values to tick
            self.variable = None
            self.query_one("#filter-values", ValueList).clear_options()
            return
        self.variable = var_id
        v = self.codebook.get(var_id)
        chosen = self._codes(var_id)
        sl = self.query_one("#filter-values", ValueList)
        sl.clear_options()
        sl.add_options([(plain(o.label), o.code, o.code in chosen) for o in v.options])
        sl.highlighted = 0  # Space ticks the first value straight away

    def result(self) -> tuple[Filter, ...]:
        """Every filter after this visit: the earlier ones first, in their order, then the
        variables newly ticked, in the codebook's order."""
        order = list(self.filters) + [v.id for v in self.codebook.categorical
                                      if v.id in self.ticked and v.id not in self.filters]
        out = []
        for var_id in order:
            if var_id not in self.ticked:
                out.append(self.filters[var_id])  # not visited: as it was
            elif self.ticked[var_id]:
                out.append(Filter(var_id, self.ticked[var_id]))
        return tuple(out)

    def action_apply(self) -> None:
        self._keep()
        close(self, self.result())

    def action_dismiss_none(self) -> None:
        close(self, None)


class TextScreen(Modal[None]):
    """A scrollable page of text (help, survey overview); Esc or q closes it."""

    BINDINGS = [Binding("escape", "close", "Back", id="page.back"),
                Binding("q", "close", "Back", id="page.back_q")]
    DEFAULT_CSS = """
    TextScreen { align: center middle; }
    TextScreen > VerticalScroll { width: 100; max-width: 98%; height: 90%;
                                  border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, title: str, body: str, kind: str) -> None:
        super().__init__(name=kind)  # a name, not an id: ids must be unique on the stack
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with VerticalScroll() as vs:
            vs.border_title = plain(self.title_text)
            vs.border_subtitle = "Esc or q to go back"
            yield Static(self.body, markup=False)
        # its own keys: the main footer, left as it is behind a modal (tui/footer.py),
        # would show table keys that do nothing here
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        close(self)
