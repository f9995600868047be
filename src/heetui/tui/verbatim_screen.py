"""The verbatim view: the comments behind a selection, with themes, search and paging."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from heetui.engine import (
    PAGE,
    Audit,
    Selection,
    Survey,
    Verbatim,
    VerbatimPage,
    narrowings,
    verbatims,
)
from heetui.output.comments import attribute_line, heading, summary
from heetui.output.help import COMMENTS_HELP, COMMENTS_KEYS
from heetui.survey.codebook import Codebook
from heetui.survey.text import safe_text
from heetui.tui.failures import attempt
from heetui.tui.footer import KeyFooter
from heetui.tui.latest import Latest
from heetui.tui.modals import close
from heetui.tui.quote_keys import save_quotes, toggle_star
from heetui.tui.search_key import SEARCH_BINDING, in_text_box

MAX_SHOWN = 4000  # characters of one comment shown in the list
STAR = "★"  # a comment starred for the report
ALL = "__all__"


def comment_text(v: Verbatim, terms: tuple[str, ...], starred: bool = False) -> Text:
    """A comment as literal text (never markup), with search matches highlighted; ★ marks
    one starred for the report."""
    t = Text((f"{STAR} " if starred else "") + heading(v), style="bold")
    attrs = attribute_line(v)
    if attrs:
        t.append("\n" + attrs, style="dim")
    if v.themes:
        t.append("\nThemes: " + "; ".join(v.themes), style="italic")
    body = safe_text(v.text, MAX_SHOWN)
    t.append("\n" + (body if body.strip() else "(blank)") + "\n")
    if terms:
        t.highlight_words(list(terms), style="bold reverse", case_sensitive=False)
    return t


def narrowings_line(cb: Codebook, sel: Selection) -> str:
    """Every narrowing of a selection, each named (the engine's ``narrowings``)."""
    parts = [f"{n.kind.capitalize()}: {(' × ' if n.kind == 'cell' else ' · ').join(n.parts)}"
             for n in narrowings(cb, sel)]
    return safe_text(" │ ".join(parts) or "All respondents, every comment")


def counts_line(page: VerbatimPage) -> str:
    """How many respondents and comments the narrowings leave, and the page shown."""
    pages = f" · page {page.offset // PAGE + 1} of {max(1, -(-page.total // PAGE))}"
    return summary(replace(page, description="")).removeprefix(" · ") + pages


class VerbatimScreen(Screen[None]):
    BINDINGS = [  # in the footer's order, most useful first
        Binding("n,pagedown", "next_page", "Next page", key_display="n",
                id="comments.next_page", tooltip="next 50 comments"),
        Binding("p,pageup", "prev_page", "Prev page", key_display="p",
                id="comments.prev_page", tooltip="previous 50 comments"),
        replace(SEARCH_BINDING, id="comments.search",
                tooltip='search the comments: words, or a "quoted phrase"; Enter searches'),
        Binding("t", "themes", "Themes", id="comments.themes",
                tooltip="to the theme list: Enter picks a theme, Enter again (or on All "
                "themes) clears it"),
        Binding("asterisk", "star", "Star", key_display="*", id="comments.star",
                tooltip="star the highlighted comment for the report (★), or unstar it; kept "
                "in the workspace"),
        Binding("Q", "save_quotes", "Quotes", key_display="Q", id="comments.quotes",
                tooltip="write the starred comments (this question's, or every question's) "
                "to a file for the report, by theme and attributed"),
        Binding("K", "code", "Code", key_display="K", id="comments.code",
                tooltip="code this question's comments in the coding view (every "
                "open-ended question listed: the highlighted comment's question)"),
        Binding("escape", "back", "Back", id="comments.back",
                tooltip="back to the table, at the same cell (from the search box: back to "
                "the comments)"),
    ]
    HELP_NAME = "comments"
    HELP_TITLE = "Keys of the comments view"
    HELP_KEYS = COMMENTS_KEYS
    HELP_NOTES = COMMENTS_HELP
    DEFAULT_CSS = """
    VerbatimScreen #vsummary { height: auto; padding: 0 1; text-style: bold;
                               background: $panel; }
    VerbatimScreen #vside { width: 40; }
    VerbatimScreen #vquestions { height: auto; max-height: 6; }
    VerbatimScreen #vthemes { height: 1fr; }
    VerbatimScreen #vlist { height: 1fr; }
    """

    class Code(Message):
        """Code the comments of ``question`` (the app opens the coding view)."""

        def __init__(self, question: str) -> None:
            super().__init__()
            self.question = question

    def __init__(self, survey: Survey, selection: Selection, audit: Audit | None = None) -> None:
        super().__init__()
        self.survey = survey
        self.selection = selection
        self.audit = audit if audit is not None else Audit()  # the app's: groups shown
        self.shown: tuple[Selection, VerbatimPage] | None = None  # what is on screen
        self.start = 0
        self.total = 0
        self._latest = Latest()

    def compose(self) -> ComposeResult:
        cb = self.survey.codebook
        yield Static("", id="vsummary", markup=False)
        with Horizontal():
            with Vertical(id="vside"):
                opens = [v for v in cb.variables if v.type == "open"]
                yield OptionList(Option("All open-ended questions", id=ALL),
                                 *[Option(Text(f"{v.id}: {v.short}"), id=v.id) for v in opens],
                                 id="vquestions")
                yield OptionList(id="vthemes")
            with Vertical():
                yield Input(placeholder='/ search: words, or a "quoted phrase"', id="vsearch")
                yield OptionList(id="vlist")
        yield KeyFooter()

    def on_mount(self) -> None:
        with suppress(NoMatches):  # closed by a key typed ahead before it finished mounting
            self.query_one("#vlist", OptionList).focus()
            self.load()

    # ---- loading -------------------------------------------------------------------------

    def load(self) -> None:
        if not self.is_attached:
            return
        self._header("loading…")  # the narrowings at once, the counts when they come
        self.query_one("#vlist", OptionList).loading = True
        self._fetch(self.selection, self.start, self._latest.next(), tuple(self.audit.shown))

    @work(thread=True, exclusive=True, group="verbatims")
    def _fetch(self, sel: Selection, offset: int, token: int,
               earlier: tuple[Selection, ...]) -> None:
        # a DisclosureError is an EngineError: its message says why nothing is shown
        page, error = attempt(lambda: verbatims(self.survey, sel, offset, PAGE,
                                                earlier=earlier))
        self.app.call_from_thread(self._show, token, page, error)

    def _show(self, token: int, page: VerbatimPage | None, error: str | None) -> None:
        if not self._latest.is_current(token) or not self.is_attached:
            return  # superseded, or the screen was closed while the query ran
        with suppress(NoMatches):  # the screen is being taken down right now
            self._fill(page, error)

    def _header(self, second: str) -> None:
        self.query_one("#vsummary", Static).update(
            f"{narrowings_line(self.survey.codebook, self.selection)}\n{second}")

    def _fill(self, page: VerbatimPage | None, error: str | None) -> None:
        lst = self.query_one("#vlist", OptionList)
        lst.loading = False
        if page is None:
            self.notify(error or "No comments.", severity="warning", markup=False)
            self._withheld(error or "No comments.")
            return
        lst.clear_options()
        self.audit.record(self.selection)
        self.shown = (self.selection, page)
        self.start = page.offset
        self.total = page.total
        self._header(counts_line(page))
        cb = self.survey.codebook
        lst.add_options([Option(comment_text(v, page.terms, v.key in cb.stars(v.question)),
                                id=f"c{v.comment_id}") for v in page.items])
        if not page.items:
            lst.add_option(Option("No comment matches this selection.", disabled=True))
        themes = self.query_one("#vthemes", OptionList)
        keep = themes.highlighted
        themes.clear_options()
        themes.add_option(Option(f"{'●' if not self.selection.themes else '○'} All themes",
                                 id=ALL))
        for tc in page.themes:
            mark = "●" if tc.code in self.selection.themes else "○"
            themes.add_option(Option(Text(f"{mark} {tc.label} ({tc.count})"), id=f"t{tc.code}"))
        if keep is not None and keep < themes.option_count:
            themes.highlighted = keep

    def _withheld(self, reason: str) -> None:
        """A selection refused (or empty): the one shown before stays, lists and all; with
        none before, the reason takes its place."""
        if self.shown is None:
            self._header(reason)
            lst = self.query_one("#vlist", OptionList)
            lst.clear_options()
            lst.add_option(Option(Text(reason), disabled=True))
            return
        self.selection, page = self.shown
        self.start = page.offset
        self.query_one("#vsearch", Input).value = self.selection.search
        self._header(counts_line(page))

    # ---- interaction ---------------------------------------------------------------------

    def _reselect(self, sel: Selection) -> None:
        self.selection = sel
        self.start = 0
        self.load()

    @on(OptionList.OptionSelected, "#vthemes")
    def _theme(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id or ALL
        themes = () if oid == ALL else (int(oid[1:]),)
        if themes == self.selection.themes:
            themes = ()
        self._reselect(replace(self.selection, themes=themes))

    @on(OptionList.OptionSelected, "#vquestions")
    def _question(self, event: OptionList.OptionSelected) -> None:
        oid = event.option.id
        self._reselect(replace(self.selection, question=None if oid == ALL else oid))

    @on(Input.Submitted, "#vsearch")
    def _search(self, event: Input.Submitted) -> None:
        # back to the comments now (Screen.set_focus), before the list turns to its loading
        # state, which cannot take focus: the keys typed next (t, n, p) act on the comments
        self.set_focus(self.query_one("#vlist", OptionList))
        self._reselect(replace(self.selection, search=event.value))

    def action_next_page(self) -> None:
        if self.start + PAGE < self.total:
            self.start += PAGE
            self.load()

    def action_prev_page(self) -> None:
        if self.start > 0:
            self.start = max(0, self.start - PAGE)
            self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "search" and in_text_box(self))

    def action_search(self) -> None:
        self.set_focus(self.query_one("#vsearch", Input))  # now: see search_key

    def action_star(self) -> None:
        lst = self.query_one("#vlist", OptionList)
        i = lst.highlighted
        if self.shown is None or i is None or i >= len(self.shown[1].items):
            return
        page = self.shown[1]
        starred = toggle_star(self.app, page.items[i])
        if starred is not None and i < lst.option_count:
            lst.replace_option_prompt_at_index(i, comment_text(page.items[i], page.terms,
                                                               starred))

    def action_save_quotes(self) -> None:
        save_quotes(self.app, self.selection.question)

    def action_themes(self) -> None:
        self.query_one("#vthemes", OptionList).focus()

    def action_code(self) -> None:
        """Code the question of the comments listed (every question listed: the
        highlighted comment's, else the first's)."""
        question = self.selection.question
        items = self.shown[1].items if self.shown is not None else ()
        i = self.query_one("#vlist", OptionList).highlighted or 0
        if question is None and i < len(items):
            question = items[i].question
        if question is None:
            self.notify("Pick a question (or a comment) first: K codes its comments.",
                        severity="warning")
            return
        self.post_message(self.Code(question))

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "vsearch":
            self.query_one("#vlist", OptionList).focus()
            return
        close(self)  # only while on top: not from under the command palette
