"""The heetui terminal app: question browser, crosstab, banner, filters and toggles.

Every number comes from ``heetui.engine``; queries run in worker threads and a result
is shown only if no newer request was made meanwhile. A table whose sums are already cached
(asked before, or prefetched while the banner picker rested on it) is shown at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Header, Static

from heetui.config import UserConfig, config_path
from heetui.engine import (
    GROUP_COLUMN,
    Applied,
    Audit,
    Crosstab,
    Filter,
    GridSummary,
    Histogram,
    ProfileRow,
    Selection,
    Survey,
    TabRequest,
    describe_group,
    histogram,
    is_grid,
    settings_banner,
    table,
    table_ready,
)
from heetui.output.help import STATISTICS_HELP, TABLE_KEYS
from heetui.output.tables import base_count, short_legend
from heetui.tui.banner_picker import NO_BANNER, BannerScreen
from heetui.tui.browser import QuestionBrowser
from heetui.tui.chart_view import ChartView
from heetui.tui.coding_entry import CodingEntry
from heetui.tui.commands import PlainCommands, palette_commands
from heetui.tui.edit_actions import EditActions
from heetui.tui.failures import attempt
from heetui.tui.footer import KeyFooter
from heetui.tui.keymap import checked_keymap, remapped
from heetui.tui.keys import help_text
from heetui.tui.latest import Latest
from heetui.tui.lean import LeanApp
from heetui.tui.modals import FilterScreen, TextScreen
from heetui.tui.profile_screen import ProfileScreen
from heetui.tui.search_key import SEARCH_BINDING, in_text_box
from heetui.tui.state import ViewState
from heetui.tui.table_view import LABEL_WIDTH, NARROW_LABEL_WIDTH, CrosstabTable
from heetui.tui.textual_internals import keymap
from heetui.tui.verbatim_screen import VerbatimScreen
from heetui.tui.view_actions import ViewActions
from heetui.tui.words_screen import WordsScreen

NARROW = 100
# the table's own keys for a banner wider than the screen (tui/table_view.CrosstabTable)
SIDEWAYS_KEYS = ("←, →, >, <", "scroll sideways: ← → a column at a time, > (shift+→) the next "
                 "page of columns, < (shift+←) the previous one, Home and End the first and "
                 "last; a column that does not fit whole is left blank")
HELP_PAGE = 100  # the help page's width (TextScreen)
LOADING_DELAY = 0.15  # seconds before a slow table shows its loading overlay
PREFETCH_DELAY = 0.08  # seconds the banner picker's highlight rests before prefetching
# Surveys up to this many respondents get their tables computed in the event loop (the
# slowest table, multi-response by an overlapping banner, takes about 50 ms at one million
# on the benchmark machine, twice that at two): handing a quick query to a thread costs more,
# as the thread starts after the screen repaints and then shares the GIL with it
INLINE_RESPONDENTS = 2_000_000


class HeetuiApp(ViewActions, EditActions, CodingEntry, LeanApp):
    TITLE = "heetui"
    COMMANDS = {PlainCommands}  # the palette shows codebook text as text (tui/commands)
    AUTO_FOCUS = "#table"
    CSS = """
    #main { height: 1fr; }
    #right { width: 1fr; }
    #qtext { height: auto; max-height: 4; padding: 0 1; text-style: bold; }
    #legend { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    #status { height: auto; max-height: 2; padding: 0 1; background: $panel; }
    .hidden { display: none; }
    """
    # the order is the footer's: most useful first (as many as fit are shown, ? always);
    # every binding has an id, for the settings file's [keys] (tui/keymap.py)
    BINDINGS = [
        Binding("b", "banner", "Banner", id="table.banner",
                tooltip="banner: pivot by a segment, a question, a named banner (standard: "
                "the report's), or build one: Space adds the highlighted variable as the next "
                "span (again: removes it), n nests it within the last span, Backspace undoes, "
                "s saves it by name (--by NAME), / finds, Enter applies"),
        Binding("f", "filter", "Filter", id="table.filter",
                tooltip="filter: pick a variable (Enter), tick values (Space: [x] ticked, [ ] "
                "not), shift+Tab back to the variables to tick another's, apply (a); values "
                "ticked on one variable are alternatives (or), the variables all apply "
                "together (and), as --filter does on the command line, and the status line "
                "names each; untick all of a variable's values to remove its filter; Enter on a "
                "saved filter (@name, listed last) applies it"),
        replace(SEARCH_BINDING, id="table.search", tooltip="search questions by id or words "
                "of their text; Enter opens the highlighted one and clears the search (while "
                "it is applied, the list's first line says how many of the questions match)"),
        Binding("g", "toggle_chart", "Chart", id="table.chart",
                tooltip="table ↔ chart of the same view (filters, banner, weights); the chart "
                "redraws on resize"),
        Binding("v", "verbatims", "Comments", id="table.comments",
                tooltip="the comments of the whole survey, or of the filtered respondents"),
        Binding("p", "profile", "Profile", id="table.profile",
                tooltip="profile of the current filter: where the group differs from the "
                "rest, ranked, with p-values; a shows every row; variables that define the "
                "group are left out and named"),
        Binding("e", "export", "Export", id="table.export",
                tooltip="export the current table as a formatted xlsx: a dialog says what it "
                "will write and proposes a name in the working folder (or the settings' "
                "output folder): heetui-relationship-by-standard-nhs-trust-weighted.xlsx "
                "(question, banner, filter values, weighting; -2, -3, … when taken); edit it "
                "or press Enter; a name that exists is replaced only after a second Enter, a "
                "file the survey is read from never"),
        Binding("y", "copy", "Copy", id="table.copy",
                tooltip="copy the current table: t as TSV (pastes into Excel as cells, the "
                "numbers of tab --format csv), m as Markdown; through the terminal (OSC 52: "
                "works over SSH in terminals that allow it) and, where one applies, the "
                "system clipboard (wl-copy, xclip, xsel, pbcopy or clip.exe)"),
        Binding("S", "screenshot_svg", "Screenshot", key_display="S", id="app.screenshot",
                tooltip="save an SVG screenshot of the screen as it was when pressed, named "
                "in the same dialog (heetui-<question>….svg, numbered when taken); drawn right "
                "by browsers and by librsvg"),
        Binding("K", "code", "Code", key_display="K", id="table.code",
                tooltip="code comments: the coding view of the open-ended question on show "
                "(in the question list: the one highlighted), else of one picked from a list; "
                "digits toggle themes, / and A search-and-apply, n the next uncoded comment"),
        Binding("q", "quit", "Quit", id="app.quit",
                tooltip="quit (ctrl+q works even while typing in the search box)"),
        Binding("w", "toggle_weights", "Weights", id="table.weights",
                tooltip="weighting: unweighted → each of the survey's weights in turn (its own "
                "first, then those computed to targets) → unweighted; the status line names "
                "the weight in use when there are several"),
        Binding("B", "book", "Tab book", key_display="B", id="table.book",
                tooltip="write the tab book of the current banner, filters and weighting "
                "(every question, xlsx), named in the same dialog (heetui-book-by-…); a "
                "progress bar, Esc cancels"),
        Binding("c", "cycle_show", "Counts", id="table.counts",
                tooltip="cells: percents → percents and counts → counts"),
        Binding("s", "toggle_letters", "Letters", id="table.letters",
                tooltip="significance letters on / off"),
        Binding("l", "sig_level", "α level", id="table.sig_level",
                tooltip="significance level 0.05 → 0.01 → 0.1 → 0.05/0.1 → 0.01/0.05 (two "
                "levels: upper-case letters at the first, lower-case at the second)"),
        Binding("x", "clear_filters", "Clear filters", id="table.clear_filters",
                tooltip="clear all filters"),
        Binding("W", "weights_page", "Weights page", key_display="W", id="table.weights_page",
                tooltip="the survey's weights: each one's efficiency, effective base and "
                "extremes, and the report of each weight computed to targets (targets met, "
                "iterations, caps), as heetui weight prints them"),
        Binding("d", "words", "Words", id="table.words",
                tooltip="distinctive words of the open-ended question on show by the banner: "
                "each column's words and two-word phrases with their people (the filters "
                "apply); Enter on one lists that column's comments holding it"),
        Binding("o", "overview", "Overview", id="app.overview",
                tooltip="survey overview: study facts, provenance and the sample profile with "
                "bases"),
        Binding("left_square_bracket", "toggle_browser", "Question list", key_display="[",
                id="table.question_list",
                tooltip="show / hide the question list (hidden by default below 100 columns)"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="app.help",
                tooltip="help: every key of the screen it is pressed on (the table's page "
                "adds the statistics conventions)"),
        Binding("C", "view_command", "Command", key_display="C", id="table.command",
                tooltip="the heetui tab command that prints this table (question, banner, "
                "filters, weighting, levels, cells, decimals, the survey's file and "
                "workspace), shown and copied like y's table, for a script or a message"),
        # the analyst's edits, written to the survey's workspace file (tui/edit_actions.py)
        Binding("space", "mark", "Mark", id="table.mark",
                tooltip="mark the answer under the cursor for a net (✓ before its label), or "
                "unmark it; the cursor moves down a row"),
        Binding("n", "net", "Net", id="table.net",
                tooltip="net the marked answers: asks the net's label, then the net is a row "
                "of the question's tables (single or multi-response)"),
        Binding("r", "rename_answer", "Rename answer", id="table.rename_answer",
                tooltip="rename the answer under the cursor (its label, wherever it shows)"),
        Binding("R", "rename_question", "Rename question", key_display="R",
                id="table.rename_question",
                tooltip="rename the question on show: its text and its short label"),
        Binding("F", "save_filter", "Save filter", key_display="F", id="table.save_filter",
                tooltip="save the filter by name: --filter @name on the command line"),
        Binding("D", "save_segment", "Save segment", key_display="D",
                id="table.save_segment",
                tooltip="save the filter as a segment (a derived variable: the filter's "
                "respondents and Everyone else), listed with the banner picker's segments "
                "and the filter picker's variables"),
        Binding("u", "undo_edit", "Undo edit", id="table.undo_edit",
                tooltip="undo the last edit made in this session (net, rename, saved filter, "
                "segment, banner or coding): the workspace file as it was before it"),
        Binding("P", "add_to_plan", "Add to plan", key_display="P", id="table.add_to_plan",
                tooltip="add this table to the workspace's tab plan: its heetui tab command "
                "writing a workbook, which heetui run makes again (on the next wave too)"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit_typing"),
        Binding("escape", "focus_table", "Table", show=False, id="table.focus",
                tooltip="back to the table"),
    ]
    HELP_TITLE = "Keys of the table (the footer shows the most used; ? lists them all)"
    HELP_KEYS = (*TABLE_KEYS, SIDEWAYS_KEYS)
    HELP_NOTES = f"Statistics conventions\n\n{STATISTICS_HELP}"

    def __init__(self, survey: Survey, inputs: tuple[Path, ...] = (),
                 config: UserConfig | None = None, resume: bool = False) -> None:
        """``inputs``: the files the survey was read from beside its bundle (the .csv or
        .sav a cached bundle was imported from), never written by the app. ``config``: the
        settings file as read (heetui.config; by default the built-in settings): its
        defaults set the first view, its keys rebind the app's. ``resume`` (the command
        line's app): open on the last view kept in the survey's workspace, where the
        settings' defaults give way to it, and keep the view there as it changes."""
        super().__init__()
        self.survey = survey
        self.inputs = inputs
        self.codebook = survey.codebook
        self.config = config or UserConfig(config_path())
        keys, self._config_problems = checked_keymap(self.config)
        self.set_keymap(keys)
        self.view, problem = self._resume_view(self._first_view(), resume)
        self._config_problems += [problem] if problem else []
        self.crosstab: Crosstab | None = None
        self.comment_audit = Audit()  # the comment groups shown while the app runs
        self._latest = Latest()
        self._pending: int | None = None  # token of the table being computed
        self._prefetching: ViewState | None = None  # the view the banner picker rests on
        self._prefetch_lock = threading.Lock()
        self._texts: dict[str, str] = {}  # what the Static lines show
        self._focus_table = False
        self._cursor_target: tuple[str, str] | None = None
        self._narrow = False
        self.edits_done: list[list[Applied]] = []  # this session's, for undo (edit_actions)
        self.title = self.codebook.title

    # ---- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield QuestionBrowser(self.codebook, id="browser")
            with Vertical(id="right"):
                yield Static("", id="qtext", markup=False)
                yield CrosstabTable(id="table")
                yield ChartView(id="chart", classes="hidden")
                yield Static("", id="legend", markup=False)
        yield Static("", id="status", markup=False)
        yield KeyFooter()

    def _first_view(self) -> ViewState:
        """The opening question, with the settings' banner, levels, decimals and bases."""
        c = self.config
        banner, problem = settings_banner(self.codebook, c)
        if problem is not None:
            self._config_problems.append(problem)
        return ViewState(question=self.codebook.opening, banner=banner,
                         sig_level=c.sig_level[0], loose_level=c.sig_level[1],
                         decimals=c.decimals, low_base=c.low_base,
                         min_test_base=c.min_test_base)

    def on_mount(self) -> None:
        theme = self.config.theme
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        elif theme is not None:
            self._config_problems.append(
                f"{self.config.where('defaults', 'theme')}: no theme is called {theme!r} "
                f"(themes: {', '.join(sorted(self.available_themes))}).")
        for problem in self._config_problems:
            self.notify(problem, severity="warning", timeout=15)
        self.report_workspace_problems()
        self.query_one(CrosstabTable).focus()
        self.refresh_table()

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self._narrow:
            self._narrow = narrow
            # narrow terminals give the table the whole width; [ or / shows the list
            self.query_one(QuestionBrowser).set_class(narrow, "hidden")
            if self.crosstab is not None:
                self.query_one(CrosstabTable).show(self.crosstab, self.view, self.label_width)

    @property
    def label_width(self) -> int:
        return NARROW_LABEL_WIDTH if self._narrow else LABEL_WIDTH

    # ---- tabulation --------------------------------------------------------------------

    def set_view(self, view: ViewState) -> None:
        self.view = view
        self.keep_view()
        self.refresh_table()

    def refresh_table(self) -> None:
        """Recompute the table: at once for a survey of up to INLINE_RESPONDENTS or a table
        whose sums are cached, else in a worker. The loading overlay and "computing…" appear
        only if the worker takes longer than LOADING_DELAY: drawing them on every quick change
        would cost extra layouts and repaints while the query runs (and holds the GIL
        against its Python part)."""
        token = self._pending = self._latest.next()
        req = self.view.request()
        if self.survey.respondents <= INLINE_RESPONDENTS or table_ready(self.survey,
                                                                           self._asked(req)):
            # a quick query or none: show it in this refresh, not via a worker and back
            self._show(self.view, token, *self._compute(req))
            return
        self.set_timer(LOADING_DELAY, lambda: self._show_loading(token))
        self._tabulate(self.view, token)

    def _compute(self, req: TabRequest) -> tuple[Crosstab | None, str | None]:
        return attempt(lambda: table(self.survey, self._asked(req)))

    def _histogram_of(self, view: ViewState) -> Callable[[], Histogram]:
        """The histogram of ``view``'s table, computed by the engine when the chart asks."""
        return lambda: histogram(self.survey, self._asked(view.request()))

    def _asked(self, req: TabRequest) -> TabRequest:
        """A grid's summary sets its items side by side: the banner waits for the next
        question."""
        return replace(req, banner=None, group=()) if is_grid(self.survey, req) else req

    def prefetch(self, view: ViewState) -> None:
        """Compute ``view``'s table in the background once a choice rests on it for
        PREFETCH_DELAY (the banner picker's highlight), so choosing it shows it at once.
        Scrolling past choices starts nothing; a choice made while its prefetch still runs
        waits for that query instead of running it twice (the engine's cache)."""
        self._prefetching = view
        self.set_timer(PREFETCH_DELAY, lambda: self._start_prefetch(view))

    def _start_prefetch(self, view: ViewState) -> None:
        if self._prefetching is view and not table_ready(self.survey,
                                                         self._asked(view.request())):
            self._prefetch(view)

    @work(thread=True, group="prefetch", exit_on_error=False)
    def _prefetch(self, view: ViewState) -> None:
        # one prefetch query at a time (a query cannot be stopped once it runs); a banner
        # the highlight left while waiting is skipped
        with self._prefetch_lock:
            if self._prefetching is view:
                self._compute(view.request())  # fills the engine's cache; mistakes are
                # reported when the banner is chosen

    def _show_loading(self, token: int) -> None:
        if self._pending == token and self.is_running:
            self.query_one(CrosstabTable).loading = True
            self._update_status(loading=True)

    @work(thread=True, exclusive=True, group="tabulate")
    def _tabulate(self, view: ViewState, token: int) -> None:
        self.call_from_thread(self._show, view, token, *self._compute(view.request()))

    def _show(self, view: ViewState, token: int, ct: Crosstab | None,
              error: str | None) -> None:
        if not self._latest.is_current(token) or not self.is_running:
            return  # a newer request superseded this one, or the app is closing
        self._pending = None
        table = self.query_one(CrosstabTable)
        table.loading = False
        if (self.focused is None or self._focus_table) and self.screen is self.screen_stack[0]:
            table.focus()  # focus is lost while the table shows its loading state
        self._focus_table = False
        if ct is None:
            self.notify(error or "The table could not be computed.", severity="error", markup=False)
            self._update_status()
            return
        self.crosstab = ct
        table.show(ct, view, self.label_width)
        if self._cursor_target is not None:
            table.place_cursor(*self._cursor_target)
            self._cursor_target = None
        self.query_one(QuestionBrowser).select(ct.question.id)
        chart = self.query_one(ChartView)
        if chart.display:
            chart.show(ct, self.codebook.benchmarks, self._histogram_of(view))
        q = ct.question
        self._set_text("qtext", f"{q.id}: {q.text}\n{ct.base_text}")
        # "? help" ends the legend for the command line's sake; the footer shows ? here, and
        # without it the legend stays on one line beside the question list at 120 columns
        self._set_text("legend", short_legend(ct).removesuffix("  ? help"))
        self._update_status()

    def _set_text(self, widget_id: str, text: str) -> None:
        """Update a Static only when its text changes: every update re-lays out the screen."""
        if self._texts.get(widget_id) != text:
            self._texts[widget_id] = text
            self.query_one(f"#{widget_id}", Static).update(text)

    def _update_status(self, loading: bool = False) -> None:
        v = self.view
        banner = self.crosstab.banner.describe() if self.crosstab and self.crosstab.banner \
            and not loading else (v.banner or "none")
        if isinstance(self.crosstab, GridSummary) and not loading:
            banner = "none (grid items)"
        if v.group:
            banner = "group vs rest"
        parts = [f"Banner: {banner}", self._weighting_text()]
        ct = self.crosstab if not loading else None
        if v.group:  # the filters give way to the group: its base, and the rest's
            bases = ""
            if ct is not None and ct.group and len(ct.columns) > 2:
                bases = (f" (base {base_count(ct.columns[1])}) vs rest "
                         f"(base {base_count(ct.columns[2])})")
            parts.append(f"Group: {describe_group(self.codebook, v.group)}{bases}")
        elif v.filters:
            flt = "; ".join(f.describe(self.codebook) for f in v.filters)
            base = f" (base {base_count(self.crosstab.total)})" if self.crosstab and not loading \
                else ""
            parts.append(f"Filter: {flt}{base}")
        else:
            parts.append("No filter")
        counts = "weighted counts" if v.weighted else "counts"
        shown = {"percent": "%", "count": counts, "both": f"% + {counts}"}[v.show]
        parts.append(f"Show: {shown}")
        parts.append(f"Letters: {'on' if v.letters else 'off'} α={v.levels_text}")
        if loading:
            parts.append("computing…")
        self._set_text("status", " │ ".join(parts))

    # ---- actions -----------------------------------------------------------------------

    # every key of the main screen acts on its table, except these, which work anywhere
    APP_WIDE_ACTIONS = frozenset({"quit", "help", "overview", "screenshot_svg"})
    TABLE_ACTIONS = frozenset(b.action for b in BINDINGS
                              if isinstance(b, Binding)) - APP_WIDE_ACTIONS

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Table actions belong to the main screen, not to pickers or the comments view; a /
        typed in a text box is a character."""
        stack = self.screen_stack
        if not stack:
            return False  # the app is closing: its screens are gone
        if action == "search" and in_text_box(stack[-1]):
            return False
        return not (action in self.TABLE_ACTIONS and stack[-1] is not stack[0])

    @on(QuestionBrowser.Chosen)
    def _question_chosen(self, event: QuestionBrowser.Chosen) -> None:
        self._focus_table = True
        if self._narrow:
            self.query_one(QuestionBrowser).add_class("hidden")
        self.set_view(replace(self.view, question=event.variable))

    def action_search(self) -> None:
        browser = self.query_one(QuestionBrowser)
        browser.remove_class("hidden")
        self.screen.set_focus(browser.query_one("#search"))  # now: see search_key

    def action_focus_table(self) -> None:
        self.query_one(CrosstabTable).focus()

    def action_toggle_browser(self) -> None:
        self.query_one(QuestionBrowser).toggle_class("hidden")

    def action_banner(self) -> None:
        def pivot(banner: str) -> ViewState:
            return replace(self.view, banner=None if banner == NO_BANNER else banner, group=())

        def chosen(result: str | None) -> None:
            self._prefetching = None
            if result is not None:
                self.set_view(pivot(result))

        self.push_screen(BannerScreen(self.codebook, self.view.banner,
                                      lambda banner: self.prefetch(pivot(banner)),
                                      save=self.save_banner), chosen)

    def action_filter(self) -> None:
        def chosen(result: tuple[Filter, ...] | None) -> None:
            if result is not None and result != self.view.filters:
                self.set_view(replace(self.view, filters=result))

        self.push_screen(FilterScreen(self.codebook, self.view.filters), chosen)

    def action_clear_filters(self) -> None:
        if self.view.filters or self.view.group:
            self.set_view(replace(self.view, filters=(), group=()))
            self.notify("Filters cleared.")

    def action_toggle_weights(self) -> None:
        """Unweighted → each of the survey's weights (its own first) → unweighted."""
        names: list[str | None] = [None, *self.survey.weight_names()]
        if len(names) == 1:
            self.notify("This survey has no weight variable.", severity="warning")
            return
        now = self.survey.codebook.settings.weight if self.view.weighted else None
        chosen = names[(names.index(now) + 1) % len(names)] if now in names else None
        self.survey.choose_weight(chosen)
        self.codebook = self.survey.codebook
        self.set_view(replace(self.view, weighted=chosen is not None))

    def _weighting_text(self) -> str:
        """The status line's weighting: the weight named when the survey has several."""
        if not self.view.weighted:
            return "Unweighted"
        if len(self.survey.weight_names()) < 2:
            return "Weighted"
        return f"Weighted: {self.survey.codebook.settings.weight}"

    def action_weights_page(self) -> None:
        from heetui.tui.weights_screen import WeightsScreen

        chosen = self.survey.codebook.settings.weight if self.view.weighted else None
        self.push_screen(WeightsScreen(self.survey, chosen))

    def action_cycle_show(self) -> None:
        self.set_view(self.view.next_show())

    def action_toggle_letters(self) -> None:
        self.set_view(replace(self.view, letters=not self.view.letters))

    def action_sig_level(self) -> None:
        self.set_view(self.view.next_sig_level())

    def action_help(self) -> None:
        """The keys of the screen ? was pressed on (and the statistics, on the table's)."""
        if not self._showing("help"):
            title = "Help" if self.screen is self.screen_stack[0] else \
                f"Help: {getattr(self.screen, 'HELP_NAME', 'this screen')}"
            width = min(HELP_PAGE, self.size.width * 98 // 100) - 6  # border, padding, bar
            self.push_screen(TextScreen(title, help_text(self, self.screen, width), "help"))

    def _showing(self, kind: str) -> bool:
        return any(isinstance(s, TextScreen) and s.name == kind for s in self.screen_stack)

    @on(CrosstabTable.CellSelected)
    def _cell_chosen(self, event: CrosstabTable.CellSelected) -> None:
        """Enter on a cell: the comments of the respondents counted in it."""
        ct = self.crosstab
        table = self.query_one(CrosstabTable)
        if ct is None or self._pending is not None:
            return  # the table on screen is about to be replaced
        cell = table.cell_ref(event.cell_key.row_key.value or "",
                              event.cell_key.column_key.value or "")
        if cell is not None:
            filters = () if self.view.group else self.view.filters
            self.push_screen(VerbatimScreen(self.survey, Selection(filters=filters, cell=cell),
                                            self.comment_audit))

    def action_toggle_chart(self) -> None:
        """Table ↔ chart of the same view (filters, banner, weights)."""
        table, chart = self.query_one(CrosstabTable), self.query_one(ChartView)
        showing = chart.display
        chart.set_class(showing, "hidden")
        table.set_class(not showing, "hidden")
        if not showing and self.crosstab is not None:
            chart.show(self.crosstab, self.codebook.benchmarks, self._histogram_of(self.view))
            chart.focus()
        else:
            table.focus()

    def action_profile(self) -> None:
        """Where the filtered group differs from everyone else, across every question."""
        group = self.view.group or self.view.filters
        if not group:
            self.notify("Set a filter first (f): the profile compares that group with the "
                        "rest.", severity="warning")
            return

        def chosen(row: ProfileRow | None) -> None:
            if row is not None:  # that question, with the group as a banner column
                self._cursor_target = (f"row:{row.row_key}", GROUP_COLUMN)  # on the group's cell
                self._focus_table = True
                self.set_view(replace(self.view, question=row.question, group=group))

        self.push_screen(ProfileScreen(self.survey, group, self.view.weighted), chosen)

    def action_verbatims(self) -> None:
        """Comments of the whole survey, or of the filtered respondents."""
        self.push_screen(VerbatimScreen(self.survey, Selection(filters=self.view.filters),
                                        self.comment_audit))

    def action_words(self) -> None:
        """The distinctive words of the open-ended question on show, by the banner."""
        v = self.codebook.find(self.view.question)
        if v is None or v.type != "open":
            self.notify("Distinctive words are for an open-ended question: open one first "
                        "(/ finds it), then press d.", severity="warning")
        elif self.view.group or not self.view.banner:
            self.notify("Choose a banner first (b): the words compare its columns.",
                        severity="warning")
        else:
            self.push_screen(WordsScreen(self.survey, v.id, self.view.banner,
                                         self.view.filters, self.comment_audit))

    async def action_quit(self) -> None:
        """Quit at once: queries still running are stopped, not waited for."""
        self.survey.interrupt()
        self.write_view_now()  # the last change, if its worker has not written it yet
        self.exit()

    def action_overview(self) -> None:
        self._load_overview()

    @work(thread=True, exclusive=True, group="overview")
    def _load_overview(self) -> None:
        from heetui.engine import overview
        from heetui.output.info import info_text

        width = max(40, min(94, self.size.width - 10))
        survey = self.survey
        workspace = (survey.workspace, len(survey.workspace_problems))  # the file in use
        body, error = attempt(lambda: info_text(overview(survey), self.codebook, width,
                                                workspace))
        self.call_from_thread(self._show_overview, body, error)

    def _show_overview(self, body: str | None, error: str | None) -> None:
        if not self.is_running:
            return  # the app is closing
        if body is None:
            self.notify(error or "The overview could not be made.", severity="error",
                        markup=False)
        elif not self._showing("overview"):
            self.push_screen(TextScreen("Survey overview", body, "overview"))

    def update_view(self, **changes: object) -> None:
        # changes are ViewState fields by name (the command palette's question= and banner=);
        # **changes cannot be typed field by field; replace rejects an unknown name at run time
        self.set_view(replace(self.view, **changes))  # type: ignore[arg-type]

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification is plain text, whoever sends it (a widget's notify passes
        markup=True by default): a message quotes labels, file names and errors, which
        must not be read as markup (tui/plain)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        keys = keymap(self)  # the keys as the settings file rebound them
        yield from palette_commands([remapped(b, keys) for b in self.BINDINGS
                                     if isinstance(b, Binding)], self.codebook,
                                    self.run_action, self.update_view)
