"""The distinctive words of an open-ended question by the table's banner: each column's
terms with how many people use them (engine.words); Enter on a term lists the column's
comments holding it, in the comments view (engine.words.term_comments)."""

from __future__ import annotations

from contextlib import suppress

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from heetui.engine import Audit, Filter, Survey, Words, distinctive_words, term_comments
from heetui.output.help import WORDS_HELP, WORDS_KEYS
from heetui.output.words_report import column_heading, column_note, heading, term_line, term_width
from heetui.tui.failures import attempt
from heetui.tui.footer import KeyFooter
from heetui.tui.modals import SafeOptionList, close
from heetui.tui.plain import plain
from heetui.tui.verbatim_screen import VerbatimScreen

TOP = 10  # terms a column lists, as `heetui words` does by default


class WordsScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back", id="words.back", tooltip="back to the table")]
    HELP_NAME = "words"
    HELP_TITLE = "Keys of the distinctive words"
    HELP_KEYS = WORDS_KEYS
    HELP_NOTES = WORDS_HELP
    DEFAULT_CSS = """
    WordsScreen #wsummary { height: auto; padding: 0 1; text-style: bold; background: $panel; }
    WordsScreen #wlist { height: 1fr; }
    """

    def __init__(self, survey: Survey, question: str, banner: str,
                 filters: tuple[Filter, ...] = (), audit: Audit | None = None) -> None:
        super().__init__()
        self.survey = survey
        self.question = question
        self.banner = banner
        self.filters = filters
        self.audit = audit if audit is not None else Audit()  # the app's: groups shown
        self.words: Words | None = None

    def compose(self) -> ComposeResult:
        yield Static(f"Finding the distinctive words of {self.question}…", id="wsummary",
                     markup=False)
        yield SafeOptionList(id="wlist")
        yield KeyFooter()

    def on_mount(self) -> None:
        with suppress(NoMatches):  # closed by a key typed ahead before it finished mounting
            self.query_one(OptionList).loading = True
            self._compute()

    @work(thread=True, exclusive=True)
    def _compute(self) -> None:
        words, error = attempt(lambda: distinctive_words(self.survey, self.question,
                                                         self.banner, self.filters, TOP))
        self.app.call_from_thread(self._show, words, error)

    def _show(self, words: Words | None, error: str | None) -> None:
        if not self.is_attached:
            return  # closed while the words were counted
        with suppress(NoMatches):  # the screen is being taken down right now
            self._fill(words, error)

    def _fill(self, words: Words | None, error: str | None) -> None:
        lst = self.query_one(OptionList)
        lst.loading = False
        summary = self.query_one("#wsummary", Static)
        if words is None:
            summary.update(error or "No words.")
            self.notify(error or "No words.", severity="warning", markup=False)
            return
        self.words = words
        filters = "; ".join(f.describe(self.survey.codebook) for f in self.filters)
        summary.update(heading(words) + (f"\nFilter: {filters}" if filters else "")
                       + "\nEnter on a term: that column's comments holding it.")
        lst.clear_options()
        width = max((term_width(c) for c in words.columns), default=0)  # one for all
        for k, c in enumerate(words.columns):
            lst.add_option(Option(plain(column_heading(c), "bold"), disabled=True))
            note = column_note(c)
            if note:
                lst.add_option(Option(plain(f"  {note}", "dim"), disabled=True))
            lst.add_options([Option(plain(term_line(t, width)), id=f"{k}:{i}")
                             for i, t in enumerate(c.terms)])
        first = next((i for i in range(lst.option_count)
                      if not lst.get_option_at_index(i).disabled), None)
        lst.highlighted = first
        lst.focus()

    @on(OptionList.OptionSelected, "#wlist")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Enter on a term: the comments of the column's people holding it."""
        if self.words is None or event.option.id is None:
            return
        k, _, i = event.option.id.partition(":")
        column = self.words.columns[int(k)]
        term = column.terms[int(i)].term
        sel, error = attempt(lambda: term_comments(self.survey, self.question, self.banner,
                                                   column.key, term, self.filters))
        if sel is None:
            self.notify(error or "No comments.", severity="warning", markup=False)
            return
        self.app.push_screen(VerbatimScreen(self.survey, sel, self.audit))

    def action_back(self) -> None:
        close(self)
