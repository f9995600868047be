"""Arranging a computed crosstab for reading: answers sorted by Total, empty answers and
banner columns left out. Numbers and letters are the crosstab's own; nothing is recomputed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from heetui.engine.results import Crosstab, Row

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


def arrange(ct: Crosstab, sort_by_total: bool = False, hide_empty: bool = False) -> Crosstab:
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
