"""The banner picker: one segment or question, a banner named in the codebook, or a banner
built here of several spans side by side (the order ticked), one nested within another."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from heetui.survey.codebook import NEST, Codebook, Variable
from heetui.tui.edit_modals import NAME_RULE, EditDialog, Field
from heetui.tui.modals import Modal, PickList, close
from heetui.tui.plain import plain

NO_BANNER = "__none__"
HELP = (" Enter chooses · Space adds or removes a span · n nests in the last span · "
        "Backspace undoes · s saves it by name · / finds · Esc cancels")
# saves a built banner by name, label and spans: the survey's model with it, or None
SaveBanner = Callable[[str, list[str], str], Codebook | None]


class BannerScreen(Modal[str | None]):
    """Returns the banner as written for the engine ("a,b/c", a banner's id, or NO_BANNER),
    or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss_none", "Back", id="banner.back"),
                Binding("space", "tick", "Add span", id="banner.add_span"),
                Binding("n", "nest", "Nest", id="banner.nest"),
                Binding("backspace", "undo", "Undo", id="banner.undo"),
                Binding("s", "save", "Save by name", id="banner.save",
                        tooltip="save the banner built (its spans) by name in the workspace: "
                        "listed with the named banners, and --by NAME on the command line"),
                Binding("slash", "find", "Find", key_display="/", priority=True,
                        id="banner.find")]
    DEFAULT_CSS = """
    BannerScreen { align: center middle; }
    BannerScreen > Vertical { width: 84; max-width: 98%; height: 90%; border: thick $accent;
                              background: $surface; }
    BannerScreen OptionList { height: 1fr; }
    BannerScreen #banner-find { margin: 0; border: tall $panel; }
    BannerScreen #banner-built { height: auto; padding: 0 1; background: $panel; }
    BannerScreen Label { width: 1fr; }
    """

    def __init__(self, codebook: Codebook, current: str | None,
                 preview: Callable[[str], None] | None = None,
                 save: SaveBanner | None = None) -> None:
        super().__init__()
        self.codebook = codebook
        self.current = current
        self.preview = preview  # told each banner the highlight rests on, while none built
        self.save = save
        self.spans: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(" Pivot by: choose one, or build a banner of several spans")
            yield Input(placeholder="/ find a segment or question", id="banner-find")
            yield PickList(*self._options(""), id="banners", on_pick=self._pick)
            yield Static(self._built_text(), id="banner-built", markup=False)
            yield Label(HELP)

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        if self.current is not None and self.current in self._ids():
            ol.highlighted = ol.get_option_index(self.current)
        else:
            ol.highlighted = 0
        self.set_focus(ol)  # now, not after keys already typed

    # ---- the list ------------------------------------------------------------------------

    def _variables(self) -> list[tuple[str, list[Variable]]]:
        cb = self.codebook
        return [("Segments", [v for v in cb.segments if v.categorical]),
                ("Questions", [v for v in cb.questions if v.categorical])]

    def _ids(self) -> set[str]:
        return {NO_BANNER} | {b.id for b in self.codebook.banners} | {
            v.id for _, vs in self._variables() for v in vs}

    def _options(self, query: str) -> list[Option | None]:
        q = query.casefold().strip()

        def found(*texts: str) -> bool:
            return not q or any(q in t.casefold() for t in texts)

        opts: list[Option | None] = []
        if found("no banner total only"):
            opts.append(Option("(no banner: Total only)", id=NO_BANNER))
        named = [b for b in self.codebook.banners if found(b.id, b.label, *b.spans)]
        if named:
            opts.append(Option("── Named banners", disabled=True))
            opts += [Option(plain(f"{b.label} ({b.id}): {self._spans_text(b.spans)}"),
                            id=b.id) for b in named]
        for title, variables in self._variables():
            shown = [v for v in variables if found(v.id, v.short, v.text)]
            if shown:
                opts.append(Option(f"── {title}", disabled=True))
                opts += [Option(plain(f"{self._mark(v.id)} {v.short}  ({v.id}"
                                     f"{', overlapping' if v.type == 'multi' else ''})"),
                                id=v.id) for v in shown]
        return opts

    def _mark(self, var_id: str) -> str:
        """[k] for a variable in the k-th span being built, [ ] otherwise."""
        for k, span in enumerate(self.spans, start=1):
            if var_id in span.split(NEST):
                return f"[{k}]"
        return "[ ]"

    def _spans_text(self, spans: list[str] | tuple[str, ...]) -> str:
        def label(span: str) -> str:
            return " within ".join(self.codebook.get(p).short for p in span.split(NEST))

        return " | ".join(label(s) for s in spans)

    def _built_text(self) -> str:
        if not self.spans:
            return "Banner: nothing built yet; Enter pivots by the highlighted line"
        return "Banner: " + "  ".join(f"{k}. {self._spans_text([s])}"
                                       for k, s in enumerate(self.spans, start=1)) + \
            "  (Enter applies)"

    def _refresh(self, keep: str | None = None) -> None:
        """The list again (the highlight kept, or on ``keep``) and the banner built."""
        ol = self.query_one(OptionList)
        if keep is None and ol.highlighted_option is not None:
            keep = ol.highlighted_option.id
        ol.clear_options()
        ol.add_options(self._options(self.query_one("#banner-find", Input).value))
        ids = [ol.get_option_at_index(i).id for i in range(ol.option_count)]
        ol.highlighted = ids.index(keep) if keep in ids else next(
            (i for i, o in enumerate(ids) if o is not None), None)
        self.query_one("#banner-built", Static).update(self._built_text())

    # ---- keys ----------------------------------------------------------------------------

    def _highlighted(self) -> str | None:
        opt = self.query_one(OptionList).highlighted_option
        return opt.id if opt is not None else None

    def _pick(self, choice: str | None) -> None:
        if self.spans:
            close(self, ",".join(self.spans))
        elif choice is not None:
            close(self, choice)

    def action_tick(self) -> None:
        choice = self._highlighted()
        if choice is None or choice == NO_BANNER:
            return
        named = self.codebook.banner(choice) if choice not in self.codebook else None
        if named is not None:
            self.spans += [s for s in named.spans if s not in self.spans]
        elif any(choice in s.split(NEST) for s in self.spans):
            self.spans = [s for s in self.spans if choice not in s.split(NEST)]
        else:
            self.spans.append(choice)
        self._refresh()

    def action_nest(self) -> None:
        choice = self._highlighted()
        if choice is None or choice not in self.codebook or not self.spans:
            self.app.notify("Add a span first (Space), then nest another variable within it "
                            "with n.", markup=False)
            return
        outer = self.spans[-1].split(NEST)[-1]
        if choice == outer:
            self.app.notify("A variable cannot be nested within itself.", markup=False)
            return
        self.spans[-1] = f"{choice}{NEST}{outer}"
        self._refresh()

    def action_undo(self) -> None:
        if self.spans:
            self.spans.pop()
            self._refresh()

    def action_save(self) -> None:
        """Save the banner built here by name; it is then listed with the named banners,
        highlighted, for Enter to pivot by it."""
        if self.save is None:
            return
        if not self.spans:
            self.app.notify("Build a banner first (Space adds spans), then s saves it by "
                            "name.", markup=False)
            return
        spans = list(self.spans)

        def named(values: tuple[str, ...] | None) -> None:
            if values is None or self.save is None:
                return
            name, label = values
            codebook = self.save(name, spans, label)
            if codebook is not None:
                self.codebook = codebook
                self.spans = []
                self._refresh(name)

        self.app.push_screen(EditDialog(
            "Save the banner by name", f"Spans: {self._spans_text(spans)}",
            [Field(f"Name, as in --by NAME ({NAME_RULE}):"),
             Field("Label (may be empty):", optional=True)]), named)

    def action_find(self) -> None:
        self.set_focus(self.query_one("#banner-find", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the find box, keys are characters (Space, n, / and Backspace included)."""
        if action in ("tick", "nest", "undo", "find", "save"):
            return not isinstance(self.focused, Input)
        return True

    @on(Input.Changed, "#banner-find")
    def _find(self, event: Input.Changed) -> None:
        self._refresh()

    @on(Input.Submitted, "#banner-find")
    def _found(self, event: Input.Submitted) -> None:
        self.set_focus(self.query_one(OptionList))

    @on(OptionList.OptionHighlighted)
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        if self.preview is not None and event.option.id is not None and not self.spans:
            self.preview(event.option.id)

    def action_dismiss_none(self) -> None:
        close(self, None)
