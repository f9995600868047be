"""Differences true by definition: a question and a banner span (or a profile's group) that
say the same thing twice.

A question by its own variable, or by a finer or coarser version of it (organisation type by
stakeholder type), differs across the columns because of how the columns are made, not
because the people in them think differently: every answer is given in one column only, or
every column holds one answer only. Tab books leave such differences out of their findings,
and profiles leave such questions out of their rows (and of the multiplicity correction).
"""

from __future__ import annotations

from collections.abc import Sequence

from heetui.engine.results import Crosstab
from heetui.survey.codebook import NEST


def says_twice(counts: Sequence[Sequence[int]], whole: Sequence[int] | None = None) -> bool:
    """The rule on a table of counts, one row per answer and one column per group of
    respondents (each with respondents): every answer is given in one column only, or every
    column holds one answer only. ``whole``: the columns that are whole options of the
    other variable, when the others are not (the rest of a profile, every other option
    merged, holds many answers whatever the two variables); default every column."""
    if not counts or not counts[0]:
        return False
    columns = range(len(counts[0])) if whole is None else whole
    one_column = all(sum(n > 0 for n in row) <= 1 for row in counts)
    one_answer = all(sum(row[j] > 0 for row in counts) <= 1 for j in columns)
    return one_column or one_answer


def defines(ct: Crosstab, span: str) -> bool:
    """Whether a span and the table's question say the same thing twice: every answer is
    given in one column of the span only, or every column holds one answer only (the span's
    variable itself, or a finer or coarser version of it such as organisation type by
    stakeholder type). Their differences are true by definition, not findings."""
    if ct.question.id in span.split(NEST):
        return True
    cols = [i for i, c in enumerate(ct.columns) if c.span == span and c.base > 0]
    rows = [r for r in ct.rows if r.kind == "category"]
    if not cols or not rows:
        return False
    return says_twice([[r.cells[i].count for i in cols] for r in rows])


def defines_group(ct: Crosstab) -> bool:
    """Whether a profile's table (Total, the group, then the rest or everyone) says the same
    thing twice as its group: the rule of ``defines`` on the group and the respondents not
    in it (Total less the group), when both answer the question. The group is an option (or
    options) of its variables, the rest every other option merged, so the rule's "every
    column one answer only" asks it of the group's column (a coarser question: every
    Chair/CEO... is an executive; in a profile of the HEI, organisation type is HEI)."""
    rows = [r for r in ct.rows if r.kind == "category"]
    total, group = ct.columns[0], ct.columns[1]
    if not rows or group.base <= 0 or total.base - group.base <= 0:
        return False
    return says_twice([[r.cells[1].count, r.cells[0].count - r.cells[1].count] for r in rows],
                      whole=[0])
