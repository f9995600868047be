"""The analyst's edits made in the app: mark rows and net them, rename an answer or a
question, save the filter by name or as a segment, save a banner (from the banner picker),
undo. Each is made by ``heetui.engine.edits`` and written by ``apply_edit`` to the survey's
workspace file, which reshapes the survey; the app then reads the new model everywhere
(question list, pickers, table, chart) and says what was written to which file.

No edit is checked here beyond what the person must give (marked rows, a filter): the
engine refuses, in one sentence, anything that would not apply, and leaves the file as it
was."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Literal

from textual.app import App
from textual.widgets import Input

from heetui import engine  # engine.edits: the front door's edit functions
from heetui.engine import (
    Applied,
    Crosstab,
    Edit,
    GridSummary,
    Survey,
    apply_edit,
    describe_group,
    resolve_banner,
    undo_edit,
    write_filters,
)
from heetui.output.names import export_stem
from heetui.survey.codebook import Codebook, Variable
from heetui.tui.browser import QuestionBrowser
from heetui.tui.edit_modals import NAME_RULE, EditDialog, Field
from heetui.tui.failures import attempt, attempted
from heetui.tui.state import ViewState
from heetui.tui.table_view import CrosstabTable
from heetui.tui.view_command import NotACommand, shell_line

ROW_KINDS = {"net": "net", "mean": "mean", "score": "mean score", "stat": "statistic"}
EVERYONE_ELSE = "Everyone else"  # a segment's second answer: the respondents the filter leaves
MESSAGE_SECONDS = 10  # how long "… written to FILE" stays


Severity = Literal["warning", "error"]


def apply_edits(survey: Survey, make: Callable[[], Sequence[Edit]],
                edits_done: list[list[Applied]]) -> tuple[list[Applied], str | None, Severity]:
    """Make the edits and write them one by one, until one is refused: those written (one
    step for undo, added to ``edits_done``), and the sentence refusing the rest."""
    made, error, severity = attempted(make)
    done: list[Applied] = []
    for edit in made or ():
        applied, error, severity = attempted(partial(apply_edit, survey, edit))
        if applied is None:
            break
        done.append(applied)
    if done:
        edits_done.append(done)
    return done, error, severity


def undo_last(survey: Survey, edits_done: list[list[Applied]]
              ) -> tuple[list[str], str | None, Severity]:
    """Put back the entries of the last step of ``edits_done``, newest first: what each
    undo wrote, and the sentence refusing one (the step keeps the entries not undone)."""
    if not edits_done:
        return [], "No edit made in this session is left to undo.", "warning"
    group = edits_done.pop()
    undone: list[str] = []
    error: str | None = None
    severity: Severity = "warning"
    for applied in reversed(group):
        back, error, severity = attempted(partial(undo_edit, survey, applied))
        if back is None:
            break
        undone.append(back.message)
    if error is not None:
        edits_done.append(group[:len(group) - len(undone)])
    return undone, error, severity


class EditActions(App[None]):
    """Mixed into the app; relies on ``survey``, ``codebook``, ``crosstab``, ``view``,
    ``set_view`` and ``edits_done`` (the edits made in this session, newest last: each a
    group of entries written together, undone together)."""

    survey: Survey
    codebook: Codebook
    crosstab: Crosstab | None
    view: ViewState
    edits_done: list[list[Applied]]
    set_view: Callable[[ViewState], None]
    view_argv: Callable[[], list[str]]  # the view's heetui tab command (tui/view_actions)

    # ---- writing -------------------------------------------------------------------------

    def _apply(self, make: Callable[[], Sequence[Edit]]) -> bool:
        """Make the edits and write them, one by one; say what was written where (or the
        one sentence refusing it). The entries written are one step for undo."""
        done, error, severity = apply_edits(self.survey, make, self.edits_done)
        if done:
            self.notify("\n".join(a.message for a in done), timeout=MESSAGE_SECONDS)
            self.reshaped()
        if error is not None:
            self.notify(error, severity=severity)
        return error is None

    def reshaped(self) -> None:
        """Show the survey as its workspace now shapes it: the question list, the pickers
        (opened afresh from ``codebook``) and the table; a view that names something the
        edit took away (an undone segment as the banner) leaves it out."""
        cb = self.codebook = self.survey.codebook
        self.title = cb.title
        browser = self.query_one(QuestionBrowser)
        browser.codebook = cb
        browser.refill(browser.query_one("#search", Input).value)
        self.set_view(_still_shown(cb, self.view))

    def action_undo_edit(self) -> None:
        """Put back the entries of the last edit made in this session."""
        undone, error, severity = undo_last(self.survey, self.edits_done)
        if undone:
            self.notify("\n".join(undone), timeout=MESSAGE_SECONDS)
            self.reshaped()
        if error is not None:
            self.notify(error, severity=severity)

    def report_workspace_problems(self) -> None:
        """One notification naming, by line, every entry of the workspace that does not
        apply to the survey (left out of it)."""
        problems = self.survey.workspace_problems
        ws = self.survey.workspace
        if not problems or ws is None:
            return
        lines = [f"line {p.line}: {p.message}" if p.line else p.message for p in problems]
        self.notify(f"{len(problems)} edit{'s' if len(problems) > 1 else ''} of the workspace "
                    f"{ws.path} left out:\n" + "\n".join(lines), severity="warning",
                    timeout=30)

    # ---- rows: mark, net, rename ---------------------------------------------------------

    def _table(self) -> CrosstabTable:
        return self.query_one(CrosstabTable)

    def _cursor_row(self) -> str:
        t = self._table()
        if not t.row_count:
            return ""
        return t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value or ""

    def _answers_table(self) -> Crosstab | None:
        """The crosstab on show when its rows are answers (not a grid's items)."""
        ct = self.crosstab
        if not self._table().display:
            self.notify("Rows are marked, netted and renamed on the table: g shows it.",
                        severity="warning")
            return None
        if isinstance(ct, GridSummary) or ct is None:
            self.notify("A grid's summary lists its items: open one item (its answers are "
                        "its rows) to mark, net or rename them.", severity="warning")
            return None
        return ct

    def action_mark(self) -> None:
        """Mark the row under the cursor for a net (or unmark it), and move down a row."""
        if self._answers_table() is None:
            return
        t = self._table()
        if self.focused is not t:
            self.notify("Space marks the table's rows: Esc goes back to the table.",
                        severity="warning")
            return
        if t.toggle_mark(self._cursor_row()):
            t.action_cursor_down()
        else:
            self.notify("Space marks a row of answers for a net; the cursor is on a base.",
                        severity="warning")

    def action_net(self) -> None:
        """A net of the marked answers, under a label asked for."""
        ct = self._answers_table()
        if ct is None:
            return
        rows = self._table().marked_rows()
        if not rows:
            self.notify("Mark the answers to net with Space first, then press n.",
                        severity="warning")
            return
        bad = next((r for r in rows if r.kind != "category"), None)
        if bad is not None:
            self.notify(f"Only answers go into a net: {bad.display_label!r} is a "
                        f"{ROW_KINDS.get(bad.kind, bad.kind)}. Unmark it (Space).",
                        severity="warning")
            return
        q = ct.question.id
        codes = [str(c) for r in rows for c in r.codes]

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None and self._apply(
                    lambda: [engine.edits.add_net(self.survey, q, values[0], codes)]):
                self._table().clear_marks()

        self.push_screen(EditDialog(
            f"Net of answers of {q}", "Answers: " + "; ".join(r.label for r in rows),
            [Field("Label of the net:")]), chosen)

    def action_rename_answer(self) -> None:
        """A new label for the answer under the cursor."""
        ct = self._answers_table()
        if ct is None:
            return
        row = self._table().row_of(self._cursor_row())
        if row is None or row.kind != "category" or len(row.codes) != 1:
            what = f"{row.display_label!r} is a {ROW_KINDS.get(row.kind, row.kind)}" \
                if row is not None else "the cursor is on a base"
            self.notify(f"r renames the answer under the cursor; {what}.", severity="warning")
            return
        q, code = ct.question.id, str(row.codes[0])

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None:
                self._apply(lambda: [engine.edits.relabel_answer(self.survey, q, code, values[0])])

        self.push_screen(EditDialog(f"Rename an answer of {q}", f"Answer {code}: {row.label}",
                                    [Field("New label:", row.label)]), chosen)

    def action_rename_question(self) -> None:
        """New text and short label for the question on show."""
        v = self.codebook.find(self.view.question)
        if v is None:  # a grid's summary: its items are the variables
            self.notify(f"{self.view.question} is a grid; open one of its items to rename "
                        "it.", severity="warning")
            return
        self.push_screen(EditDialog(
            f"Rename question {v.id}", "",
            [Field("Question text:", v.text),
             Field("Short label (tables, banners, lists):", v.label, optional=True)]),
            lambda values: self._rename(v, values))

    def _rename(self, v: Variable, values: tuple[str, ...] | None) -> None:
        if values is None:
            return
        text, label = values
        new_text = text if text != v.text else None
        new_label = label if label != v.label and label else None
        if new_text is None and new_label is None:
            self.notify("Nothing changed.")
            return
        self._apply(lambda: engine.edits.rename_question(self.survey, v.id, new_text, new_label))

    # ---- filters and banners -------------------------------------------------------------

    def _filter_written(self, key: str) -> tuple[str, str] | None:
        """The filter on show as written (conditions) and in words; None, said, if none."""
        filters = self.view.group or self.view.filters
        if not filters:
            self.notify(f"Set a filter first (f), then {key} saves it.", severity="warning")
            return None
        written, error, severity = attempted(lambda: write_filters(self.codebook, filters))
        if written is None:
            self.notify(error or "The filter cannot be written.", severity=severity)
            return None
        return written, describe_group(self.codebook, filters)

    def action_save_filter(self) -> None:
        """Save the filter on show by name (@name)."""
        found = self._filter_written("F")
        if found is None:
            return
        when, words = found

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None:
                self._apply(lambda: [engine.edits.save_filter(self.survey, values[0], when,
                                                              label=words)])

        self.push_screen(EditDialog("Save the filter by name", f"{words}\n({when})",
                                    [Field(f"Name, as in --filter @name ({NAME_RULE}):")]),
                         chosen)

    def action_save_segment(self) -> None:
        """Save the filter on show as a segment: its respondents, and everyone else."""
        found = self._filter_written("D")
        if found is None:
            return
        when, words = found

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None:
                name, label = values
                self._apply(lambda: [engine.edits.derive(
                    self.survey, name, [(label, when), (EVERYONE_ELSE, engine.edits.ELSE)],
                    text=words)])

        self.push_screen(EditDialog(
            "Save the filter as a segment",
            f"{words}\n({when}); its answers: this filter, and {EVERYONE_ELSE}",
            [Field(f"Name of the segment ({NAME_RULE}):"),
             Field("Label of its first answer:", words)]), chosen)

    def save_banner(self, name: str, spans: list[str], label: str) -> Codebook | None:
        """Save a banner built in the banner picker; the survey's model with it, or None
        (the sentence refusing it shown)."""
        if self._apply(lambda: [engine.edits.save_banner(self.survey, name, spans, label)]):
            return self.codebook
        return None

    def action_add_to_plan(self) -> None:
        """Add the table on show to the workspace's tab plan: its command, writing a
        workbook `heetui run` makes again (on this wave or the next)."""
        try:
            argv = self.view_argv()
        except NotACommand as e:
            self.notify(e.message(), severity="warning", timeout=10)
            return
        v = self.view
        stem = export_stem(self.codebook, v.question, v.banner, v.filters, v.weighted)
        name = re.sub(r"[^A-Za-z0-9_]+", "_", stem.removeprefix("heetui-"))[:60].strip("_")

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is None:
                return
            words = _without(argv, ("--data", "--workspace"))  # `heetui run` gives them
            words += ["--format", "xlsx", "-o", values[1]]
            self._apply(lambda: [engine.edits.plan_output(self.survey, values[0], words)])

        self.push_screen(EditDialog("Add the table to the tab plan", shell_line(argv),
                                    [Field(f"Name of the output ({NAME_RULE}):",
                                           name if name[:1].isalpha() else f"t_{name}"),
                                     Field("The workbook it writes:", f"{stem}.xlsx")]),
                         chosen)


def _without(argv: list[str], options: tuple[str, ...]) -> list[str]:
    """``argv`` without the options named (each with its value)."""
    out: list[str] = []
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in options:
            skip = True
        else:
            out.append(word)
    return out


def _still_shown(cb: Codebook, view: ViewState) -> ViewState:
    """``view`` without what the codebook no longer has (a segment undone, say): its
    question, else the survey's first; its banner, else none; its filters on variables
    still there."""
    question = view.question if cb.find(view.question) is not None or cb.grid(
        view.question) is not None else cb.opening
    banner = view.banner
    if banner is not None:
        _, error = attempt(partial(resolve_banner, cb, banner))
        banner = banner if error is None else None
    return replace(view, question=question, banner=banner,
                   filters=tuple(f for f in view.filters if f.variable in cb),
                   group=tuple(f for f in view.group if f.variable in cb))
