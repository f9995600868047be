"""Arranging a computed crosstab for reading: answers sorted by Total, empty answers and
banner columns left out. Numbers and letters are the crosstab's own; nothing is recomputed.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from heetui.engine.results import Crosstab, GridSummary, Row

# answers that stay in their place when the others are sorted: they are not a point of
# view to rank (Don't know, None of these, Other, Refused, Not applicable …)
_NON_SUBSTANTIVE = re.compile(
    r"^(don'?t know|dk|none( of (these|the above))?|other|other \(.*\)|refused|prefer not to "
    r"say|not applicable|n/?a|no (views?|opinion)( one way or (the )?other)?|i have no views"
    r".*|can'?t say|not sure)$", re.IGNORECASE)


def keeps_place(ct: Crosstab, row: Row) -> bool:
    """Rows that sorting leaves where they are: nets, means, scores, exclusive answers,
    answers a scale's mean leaves out, and answers such as Don't know."""
    if row.is_summary:
        return True
    opt = ct.question.option(row.codes[0]) if row.codes else None
    if opt is None:
        return True
    excluded = ct.question.has_mean and opt.value is None
    return opt.exclusive or excluded or bool(_NON_SUBSTANTIVE.match(opt.label.strip()))


def _ranking(ct: Crosstab) -> Row | None:
    """The row a grid's items are sorted by: its first net (such as top-two box), else its
    mean, else none."""
    return next((r for r in ct.rows if r.kind == "net"),
                next((r for r in ct.rows if r.kind == "mean"), None))


def _arrange_grid(ct: Crosstab, sort: bool, hide_empty: bool) -> Crosstab:
    """A grid's summary: items sorted by the ranking row, highest first; empty scale points
    (no item has an answer) and items no one answered left out."""
    keep = list(range(len(ct.columns)))
    by = _ranking(ct)
    if sort and by is not None:
        def value(i: int) -> float:
            cell = by.cells[i]
            got = cell.value if by.is_value else cell.percent
            return -(got if got is not None else -math.inf)
        keep.sort(key=value)
    rows = list(ct.rows)
    if hide_empty:
        keep = [i for i in keep if ct.columns[i].base > 0]
        rows = [r for r in rows if r.is_value or any(c.count for c in r.cells)]
    return replace(ct, columns=tuple(ct.columns[i] for i in keep),
                   rows=tuple(replace(r, cells=tuple(r.cells[i] for i in keep)) for r in rows))


def arrange(ct: Crosstab, sort_by_total: bool = False, hide_empty: bool = False) -> Crosstab:
    """Sorted by Total and with empty answers and columns hidden, as asked (a grid: its
    items sorted and its empty scale points and items hidden)."""
    if isinstance(ct, GridSummary):
        return _arrange_grid(ct, sort_by_total, hide_empty)
    rows = list(ct.rows)
    if sort_by_total:
        movable = [i for i, r in enumerate(rows) if not keeps_place(ct, r)]
        ranked = sorted((rows[i] for i in movable),
                        key=lambda r: -(r.cells[0].percent or 0.0))  # stable: ties keep order
        for i, r in zip(movable, ranked, strict=True):
            rows[i] = r
    columns = ct.columns
    if hide_empty:
        rows = [r for r in rows if r.is_value or r.cells[0].count > 0]
        keep = [i for i, c in enumerate(ct.columns) if i == 0 or c.base > 0]
        columns = tuple(ct.columns[i] for i in keep)
        rows = [replace(r, cells=tuple(r.cells[i] for i in keep)) for r in rows]
    return replace(ct, rows=tuple(rows), columns=columns)
