"""A tab book: every question of the survey (or a chosen set) by one banner, with the
significant differences of the whole book ranked first (findings).

Each table is the crosstab ``heetui tab`` computes for the same question and options; they
are computed together (engine.survey_wide). A finding is one significant test of a table:
two columns of a span, or a column against Total or the rest; the gap is in percentage
points for percent and score rows, in scale units for means. With ``book_bh`` the
Benjamini–Hochberg correction is applied once over every test of the book instead of
within each span of each row, and only the tests it keeps are findings. Differences that
hold by definition (a question by its own variable, or a finer or coarser version of it:
engine.related) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import ClassVar

from heetui.engine.crosstab import TabRequest
from heetui.engine.grid import MAX_GRID_ITEMS, grid_table
from heetui.engine.lookup import resolve_variable
from heetui.engine.related import defines
from heetui.engine.results import Crosstab, PairTest, in_points
from heetui.engine.session import Survey
from heetui.engine.stats import adjust, significant_at
from heetui.engine.survey_wide import Progress, crosstabs
from heetui.errors import EngineError
from heetui.survey.codebook import Codebook, Variable


@dataclass(frozen=True)
class BookRequest:
    table: TabRequest  # banner, filters, weighting and test settings (its question unused)
    questions: tuple[str, ...] = ()  # () = every question that tabulates, codebook order
    group: str | None = None  # only the questions of this codebook group
    book_bh: bool = False  # findings: BH over the whole book instead of per span and row


@dataclass(frozen=True)
class Finding:
    table: int  # index into Book.tables
    question: str
    question_text: str
    row: str  # the row's label as shown (NET: … for nets)
    kind: str
    higher: str  # the higher column's heading (label and letter)
    lower: str  # the other column's, or "Total" / "Rest"
    higher_value: float  # percent (0–100) or mean/score
    lower_value: float
    gap: float  # higher − lower: points for percent and score rows, units for means
    p_value: float
    p_adjusted: float

    @property
    def unit(self) -> str:
        return "points" if in_points(self.kind) else "units"


@dataclass(frozen=True)
class Book:
    kind: ClassVar[str] = "book"  # what the output formats are registered under
    request: BookRequest
    tables: tuple[Crosstab, ...]
    findings: tuple[Finding, ...]  # ranked: percent and score gaps first, by size; means


def book_questions(cb: Codebook, req: BookRequest) -> list[Variable]:
    """The questions a book holds, in codebook order; open-ended ones only when their
    comments are coded to themes."""
    if req.questions:
        out: list[Variable] = []
        for q in req.questions:
            grid = cb.grid(q) if q not in cb else None
            out += cb.items(grid) if grid else [resolve_variable(cb, q, "question",
                                                                 allow_open=True)]
        return out
    pool = [v for v in cb.variables if v.type != "open" or cb.coded(v)]
    if req.group is not None:
        groups = sorted({v.group for v in cb.variables if v.group})
        chosen = [v for v in pool if v.group.casefold() == req.group.casefold()]
        if not chosen:
            raise EngineError(f"No question is in the group {req.group!r}; choose one of: "
                              f"{', '.join(groups) or '(none)'}.")
        return chosen
    return pool


def tab_book(survey: Survey, req: BookRequest, progress: Progress | None = None) -> Book:
    questions = book_questions(survey.codebook, req)
    coded_ok = survey.bundle.verbatims is not None
    ids = [v.id for v in questions if v.type != "open" or coded_ok]
    tables = _with_grids(survey, req, ids, crosstabs(survey, req.table, ids, progress))
    return Book(req, tables, _findings(tables, req))


def _with_grids(survey: Survey, req: BookRequest, ids: list[str],
                tables: Iterable[Crosstab]) -> tuple[Crosstab, ...]:
    """The tables with each grid's summary (unbannered: its items side by side, with the
    book's filters, weighting and tests) before the first of its items; a grid of more
    than MAX_GRID_ITEMS items has its items' tables only."""
    cb = survey.codebook
    out: list[Crosstab] = []
    seen: set[str] = set()
    for qid, ct in zip(ids, tables, strict=True):
        grid = cb.get(qid).grid
        g = cb.grid(grid) if grid else None
        if g and grid not in seen and len(g.items) <= MAX_GRID_ITEMS:
            seen.add(grid)
            out.append(grid_table(survey, replace(req.table, question=grid, banner=None,
                                                  group=(), compare="pairs")))
        out.append(ct)
    return tuple(out)


def _findings(tables: tuple[Crosstab, ...], req: BookRequest) -> tuple[Finding, ...]:
    tested: list[tuple[int, PairTest]] = [(i, t) for i, ct in enumerate(tables)
                                          for t in ct.tests if t.tested]
    if req.book_bh:
        adjusted = adjust([t.p_value or 0.0 for _, t in tested], "bh")
        kept = [(i, replace(t, p_adjusted=pa, significant=significant_at(
            pa, t.statistic or 0.0, req.table.sig_level)))
                for (i, t), pa in zip(tested, adjusted, strict=True)]
    else:
        kept = tested
    found = [f for i, t in kept if t.significant and not _defining(tables[i], t)
             for f in [_finding(tables[i], i, t)] if f]
    # gaps and p-values rounded for the order: their last bits depend on the order DuckDB's
    # threads add the groups, and tied findings must not swap between runs (the sort is
    # stable, so ties keep the tables' order)
    found.sort(key=lambda f: (f.kind == "mean", -round(abs(f.gap), 9), round(f.p_value, 12)))
    return tuple(found)


def _defining(ct: Crosstab, t: PairTest) -> bool:
    span = next((c.span for c in ct.columns if c.letter == t.a), None)
    return span is not None and defines(ct, span)


def _finding(ct: Crosstab, index: int, t: PairTest) -> Finding | None:
    if t.a_value is None or t.b_value is None:
        return None
    row = next(r for r in ct.rows if r.key == t.row)
    headings = {c.letter: f"{c.label} ({c.letter})" for c in ct.columns if c.letter}
    a, b = headings[t.a], headings.get(t.b, t.b)  # b: a column, or Total / Rest
    (hi, hv), (lo, lv) = sorted([(a, t.a_value), (b, t.b_value)], key=lambda x: -x[1])
    return Finding(index, ct.question.id, ct.question.text, row.display_label, row.kind,
                   hi, lo, hv, lv, hv - lv, t.p_value or 0.0, t.p_adjusted or 0.0)
