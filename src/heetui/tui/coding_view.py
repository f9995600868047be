"""The coding view: one open-ended question's comments, page by page, beside its code frame
(numbered themes with their counts), to code from the keyboard.

The comments are listed by ``engine.verbatims`` (the disclosure rule applies as in the
comments view) and counted by ``engine.coding.coding_counts``, both in a worker thread after
each change; the keys and the edits are tui/coding_screen.py's."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from heetui import engine
from heetui.engine import (
    PAGE,
    Applied,
    Audit,
    Selection,
    Survey,
    Verbatim,
    VerbatimPage,
    narrowings,
)
from heetui.survey.codebook import Theme
from heetui.survey.text import safe_text
from heetui.tui.coding_modals import count_width, theme_line
from heetui.tui.failures import attempt
from heetui.tui.footer import KeyFooter
from heetui.tui.latest import Latest
from heetui.tui.modals import SafeOptionList, close
from heetui.tui.search_key import in_text_box
from heetui.tui.verbatim_screen import comment_text

Counts = engine.coding.CodingCounts
Want = tuple[int | None, int]  # the comment to highlight once loaded (its id), else a place
HINT = "Digits code the highlighted comment · n next uncoded · / search · ? every key"


class CodingView(Screen[bool]):
    """The listing (comments, theme list, counts) and moving about it; returns whether any
    edit was written (the app then shows the survey reshaped). tui/coding_screen.py adds
    the keys and the edits."""

    DEFAULT_CSS = """
    CodingView #csummary { height: auto; max-height: 3; padding: 0 1; text-style: bold;
                           background: $panel; }
    CodingView #cthemes { width: 40%; max-width: 52; height: 1fr; text-wrap: nowrap;
                          text-overflow: ellipsis; }
    CodingView #clist { height: 1fr; }
    CodingView #cstatus { height: auto; max-height: 2; padding: 0 1; background: $panel; }
    """

    def __init__(self, survey: Survey, question: str, edits: list[list[Applied]],
                 audit: Audit | None = None) -> None:
        """``edits``: the session's steps for undo (the app's, shared with the table's u)."""
        super().__init__()
        self.survey = survey
        self.question = question
        self.edits = edits
        self.audit = audit if audit is not None else Audit()
        self.selection = Selection(question=question)
        self.start = 0
        self.page: VerbatimPage | None = None
        self.counts: Counts | None = None
        self.shown: Selection | None = None  # the selection the list shows
        self.changed = False
        self.pending = False  # a page asked for and not yet shown
        self._queued: list[Callable[[], None]] = []  # keys waiting for it (``defer``)
        self._want: Want = (None, 0)
        self._latest = Latest()  # the page asked for last
        self._counted = Latest()  # the counts asked for last

    def compose(self) -> ComposeResult:
        yield Static("", id="csummary", markup=False)
        with Horizontal():
            yield SafeOptionList(id="cthemes")
            with Vertical():
                yield Input(placeholder='/ search: words, or a "quoted phrase"', id="csearch")
                yield SafeOptionList(id="clist")
        yield Static(HINT, id="cstatus", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        with suppress(NoMatches):  # closed by a key typed ahead before it finished mounting
            self.query_one("#clist", OptionList).focus()
            self.load()

    # ---- loading -------------------------------------------------------------------------

    def load(self, want: Want | None = None) -> None:
        """List the selection's page from ``start`` again, and count the frame (two
        queries side by side); then highlight ``want``: the comment with that id, else that
        place on the page."""
        if not self.is_attached:
            return
        if want is not None:
            self._want = want
        self.pending = True
        self._header()
        self._fetch(self.selection, self.start, self._latest.next(), tuple(self.audit.shown))
        self._count(self._counted.next())

    @work(thread=True, exclusive=True, group="coding-page")
    def _fetch(self, sel: Selection, offset: int, token: int,
               earlier: tuple[Selection, ...]) -> None:
        page, error = attempt(lambda: engine.verbatims(self.survey, sel, offset, PAGE,
                                                       earlier=earlier))
        if page is None and sel.uncoded:  # none left to code, rather than none to show?
            counts, _ = attempt(lambda: engine.coding.coding_counts(self.survey, self.question))
            if counts is not None and counts.uncoded == 0:
                error = "Every comment carries a theme now: U lists them all."
        self.app.call_from_thread(self._show, token, sel, page, error)

    @work(thread=True, exclusive=True, group="coding-counts")
    def _count(self, token: int) -> None:
        counts, error = attempt(lambda: engine.coding.coding_counts(self.survey, self.question))
        self.app.call_from_thread(self._show_counts, token, counts, error)

    def _show_counts(self, token: int, counts: Counts | None, error: str | None) -> None:
        if not self._counted.is_current(token) or not self.is_attached:
            return
        if counts is None:
            self.notify(error or "The themes could not be counted.", severity="warning")
            return
        self.counts = counts
        with suppress(NoMatches):  # the screen is being taken down right now
            self._header()
            self.show_themes()

    def _show(self, token: int, sel: Selection, page: VerbatimPage | None,
              error: str | None) -> None:
        if not self._latest.is_current(token) or not self.is_attached:
            return  # superseded, or the screen was closed while the query ran
        with suppress(NoMatches):  # the screen is being taken down right now
            self._fill(sel, page, error)

    def _fill(self, sel: Selection, page: VerbatimPage | None, error: str | None) -> None:
        self.pending = False
        if page is None:
            self._refused(sel, error or "No comments.")
            return
        self.audit.record(sel)
        self.page, self.shown, self.start = page, sel, page.offset
        lst = self.query_one("#clist", OptionList)
        lst.clear_options()
        lst.add_options([Option(comment_text(v, page.terms), id=f"c{v.key}")
                         for v in page.items])
        lst.highlighted = self._wanted_index(page) if page.items else None
        self._header()
        self.show_themes()
        queued, self._queued = self._queued, []
        for act in queued:
            act()

    def _wanted_index(self, page: VerbatimPage) -> int:
        key, index = self._want
        found = next((i for i, v in enumerate(page.items) if v.key == key), None)
        return found if found is not None else max(0, min(index, len(page.items) - 1))

    def _refused(self, sel: Selection, reason: str) -> None:
        """Nothing to list: a new narrowing goes back to the list shown before (the reason
        said); the same one emptied (its last comment coded) says so in the list. Keys
        typed ahead for the list asked for are dropped."""
        self._queued.clear()
        self.notify(reason, severity="warning")
        if self.shown is not None and sel != self.shown:
            self.selection, self.start = self.shown, self.page.offset if self.page else 0
            self.query_one("#csearch", Input).value = self.selection.search
            self.load()
            return
        self.page = None
        lst = self.query_one("#clist", OptionList)
        lst.clear_options()
        lst.add_option(Option(Text(reason), disabled=True))
        self._header()
        self.show_themes()

    def _header(self) -> None:
        cb = self.survey.codebook
        v = cb.get(self.question)
        first = " │ ".join([f"Coding {v.id}: {safe_text(v.short)}", *(
            f"{n.kind.capitalize()}: {safe_text(' · '.join(n.parts))}"
            for n in narrowings(cb, self.selection) if n.kind != "question")])
        c, p = self.counts, self.page
        parts = [f"{c.comments:,} comments · {c.coded:,} coded · {c.uncoded:,} uncoded"
                 if c is not None else ""]
        if self.pending:
            parts.append("loading…")
        elif p is not None:
            pages = max(1, -(-p.total // PAGE))
            what = "hits" if self.selection.search.strip() else "listed"
            parts.append(f"{p.total:,} {what} · page {p.offset // PAGE + 1} of {pages}")
        self.query_one("#csummary", Static).update(f"{first}\n{' │ '.join(filter(None, parts))}")

    # ---- the theme list ------------------------------------------------------------------

    def frame_themes(self) -> tuple[Theme, ...]:
        """The question's themes in order (the frame as the workspace now holds it)."""
        return self.survey.codebook.frame(self.question).themes

    def show_themes(self) -> None:
        """The theme list: each theme's number, count and label, ● on the highlighted
        comment's themes; the highlight stays on the same theme."""
        panel = self.query_one("#cthemes", OptionList)
        keep = self.panel_theme()
        per = {t.code: n for t, n in self.counts.themes} if self.counts else {}
        comment = self.comment()
        on_it = set(comment.theme_codes) if comment is not None else set()
        themes = self.frame_themes()
        panel.border_title = f"Themes (● #{comment.number})" if comment is not None else "Themes"
        panel.clear_options()
        nets = self.counts.nets if self.counts else ()
        width = count_width([*per.values(), *(k for _, k in nets)])
        panel.add_options([Option(theme_line(i, t, per.get(t.code, 0), width,
                                             "● " if t.code in on_it else "  "),
                                  id=f"t{t.code}") for i, t in enumerate(themes, 1)])
        panel.add_options([Option(Text(f"  net {k:>{width},}  {n.label} "
                                       f"({', '.join(map(str, n.codes))})",
                                       no_wrap=True, overflow="ellipsis"), disabled=True)
                           for n, k in nets])
        if not themes:
            panel.add_option(Option(Text("No themes yet: a adds one."), disabled=True))
            return
        codes = [t.code for t in themes]
        panel.highlighted = codes.index(keep.code) if keep is not None and \
            keep.code in codes else 0

    def panel_theme(self) -> Theme | None:
        """The theme the theme list highlights."""
        panel = self.query_one("#cthemes", OptionList)
        i = panel.highlighted
        if i is None or i >= panel.option_count:
            return None
        oid = panel.get_option_at_index(i).id
        if oid is None or not oid.startswith("t"):
            return None
        return self.survey.codebook.frame(self.question).theme(int(oid[1:]))

    def needs_theme(self) -> Theme | None:
        """The highlighted theme, or None and a sentence saying there is none."""
        t = self.panel_theme()
        if t is None:
            self.notify(f"{self.question} has no theme yet: a adds one.", severity="warning")
        return t

    def comment(self) -> Verbatim | None:
        """The highlighted comment."""
        i = self.query_one("#clist", OptionList).highlighted
        if self.page is None or i is None or i >= len(self.page.items):
            return None
        return self.page.items[i]

    @on(OptionList.OptionHighlighted, "#clist")
    def _moved(self) -> None:
        self.show_themes()

    # ---- listing -------------------------------------------------------------------------

    def status(self, message: str) -> None:
        """The line under the comments: what the last edit wrote where."""
        self.query_one("#cstatus", Static).update(safe_text(message))

    def reselect(self, sel: Selection, want: Want = (None, 0)) -> None:
        self.selection = sel
        self.start = 0
        self.load(want)

    def action_page(self, by: int) -> None:
        total = self.page.total if self.page is not None else 0
        start = self.start + by * PAGE
        if 0 <= start < total:
            self.start = start
            self.load((None, 0))

    def action_next_uncoded(self) -> None:
        """The next comment carrying no theme: with only the uncoded listed, the next one
        down; otherwise the question's whole list, on the engine's next uncoded comment."""
        if self.defer(self.action_next_uncoded):
            return
        comment, lst = self.comment(), self.query_one("#clist", OptionList)
        if self.selection.uncoded and self.page is not None and comment is not None:
            if lst.highlighted is not None and lst.highlighted + 1 < len(self.page.items):
                lst.highlighted += 1
            else:
                self.start = self.start + PAGE if self.start + PAGE < self.page.total else 0
                self.load((None, 0))
            return
        self.pending = True  # keys typed meanwhile wait for the comment found
        self._find_uncoded(comment.key if comment is not None else None, self._latest.next())

    @work(thread=True, exclusive=True, group="coding-page")
    def _find_uncoded(self, after: int | None, token: int) -> None:
        found, error = attempt(lambda: engine.coding.next_uncoded(self.survey, self.question,
                                                                  after))
        self.app.call_from_thread(self._found_uncoded, token, found, error)

    def _found_uncoded(self, token: int, position: int | None, error: str | None) -> None:
        if not self._latest.is_current(token) or not self.is_attached:
            return
        if position is None:
            self.pending = False
            self._queued.clear()
            self.notify(error or f"Every comment of {self.question} carries a theme.",
                        severity="warning" if error else "information")
            return
        self.selection = Selection(question=self.question)
        self.query_one("#csearch", Input).value = ""
        self.start = position // PAGE * PAGE
        self.load((None, position % PAGE))
        self.set_focus(self.query_one("#clist", OptionList))

    def defer(self, act: Callable[[], None]) -> bool:
        """While a page is being loaded, keep ``act`` (a key acting on the highlighted
        comment) for when it is shown: a key typed ahead acts where the keys before it
        led. Whether it was kept."""
        if self.pending:
            self._queued.append(act)
        return self.pending

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "search" and in_text_box(self))

    def action_search(self) -> None:
        self.set_focus(self.query_one("#csearch", Input))  # now: see search_key

    @on(Input.Submitted, "#csearch")
    def _search(self, event: Input.Submitted) -> None:
        self.set_focus(self.query_one("#clist", OptionList))
        self.reselect(replace(self.selection, search=event.value))

    def action_themes(self) -> None:
        self.set_focus(self.query_one("#cthemes", OptionList))

    def action_only_uncoded(self) -> None:
        self.reselect(replace(self.selection, uncoded=not self.selection.uncoded, themes=()))

    def action_only_theme(self) -> None:
        t = self.needs_theme()
        if t is not None:
            themes = () if self.selection.themes == (t.code,) else (t.code,)
            self.reselect(replace(self.selection, themes=themes, uncoded=False))

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id in ("csearch", "cthemes"):
            self.set_focus(self.query_one("#clist", OptionList))
            return
        close(self, self.changed)  # only while on top: not from under the command palette
