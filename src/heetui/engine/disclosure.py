"""Disclosure control: the one rule deciding whose comments and theme counts may be shown.

A group is decided on before anything narrows it: the distinct people whose comments its
filters and cell hold, whatever question, theme or search is chosen afterwards (a search
within a group that may be read shows nothing its reader could not find by reading it
all). A group of fewer than the minimum is refused, and so is one whose showing would
single out a smaller one by comparison: its complement in its view, its overlap with
another column of its table, or its difference from a group shown earlier in the session.
A refusal and an empty answer read the same and never give a count, so trying words,
themes or questions one at a time tells nothing about who wrote what.

Theme tables of open-ended questions follow the same rule, cell by cell, as SPSS's
HIDESMALLCOUNTS does: a column of fewer than the minimum commenters (or whose complement
is that small) is withheld in every output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from heetui.engine.results import Cell, Column, Crosstab
from heetui.errors import EngineError

WITHHELD_MARK = "#"  # what outputs print for a withheld base or cell
WITHHELD_NOTE = (WITHHELD_MARK + " withheld: fewer than {k} commenters, or a column that "
                 "would single them out")


class DisclosureError(EngineError):
    """The selected group's comments may not be shown (or there are none to show)."""


def refusal(threshold: int) -> str:
    """The one answer to a refused group and to an empty one: the same sentence, no count."""
    return (f"No comments can be shown for this selection: none match it, or they would "
            f"come from fewer than the minimum group of {threshold} respondents that "
            "protects their confidentiality.")


def may_show(group: int, related: Iterable[int], threshold: int) -> bool:
    """The one decision: a group of ``group`` distinct people may be shown when it reaches
    ``threshold`` and no group its showing singles out by comparison (``related``:
    complements, overlaps, differences; 0 singles out nobody) is smaller than that."""
    return group >= threshold and not any(0 < n < threshold for n in related)


# ---- theme tables ------------------------------------------------------------------------

def withhold_themes(ct: Crosstab, threshold: int) -> Crosstab:
    """A theme table with every column ``may_show`` refuses withheld: its base and cells
    zeroed and flagged (outputs print a mark), its letters and tests gone. A column is
    judged with its complement in the table; within a span, more columns are withheld
    until those withheld hold at least ``threshold`` people, so Total minus the shown
    columns cannot give them back; with several spans, whose columns could be subtracted
    from each other, one withheld column withholds them all (Total stays)."""
    total = ct.total.base
    if not may_show(total, (), threshold):
        hidden = set(range(len(ct.columns)))
    else:
        hidden = {i for i, c in enumerate(ct.columns)
                  if c.letter is not None and not may_show(c.base, (total - c.base,), threshold)}
        hidden |= _secondary(ct.columns, hidden, threshold)
        if hidden and len({c.span for c in ct.columns if c.span is not None}) > 1:
            # columns of two spans can be subtracted from each other (Total less a column of
            # one span less one of another can leave a few people): Total alone is shown
            hidden = {i for i, c in enumerate(ct.columns) if c.span is not None}
    if not hidden:
        return ct
    letters = {x for i in hidden if (x := ct.columns[i].letter) is not None}
    if ct.loose_level is not None:  # with two levels, a lower-case letter is the looser one
        letters |= {x.lower() for x in letters}
    columns = tuple(_withheld_column(c) if i in hidden else c
                    for i, c in enumerate(ct.columns))
    rows = tuple(replace(r, cells=tuple(
        Cell(0, 0.0, None, withheld=True) if i in hidden
        else replace(cell, sig=tuple(x for x in cell.sig if x not in letters))
        for i, cell in enumerate(r.cells))) for r in ct.rows)
    tests = () if 0 in hidden else tuple(t for t in ct.tests
                                         if t.a not in letters and t.b not in letters)
    note = WITHHELD_NOTE.format(k=threshold)
    return replace(ct, columns=columns, rows=rows, tests=tests,
                   base_text=f"{ct.base_text}; {note}")


def _secondary(columns: tuple[Column, ...], hidden: set[int], threshold: int) -> set[int]:
    """Columns withheld beside the first ones so that each span's withheld columns hold
    at least ``threshold`` people together (smallest first)."""
    more: set[int] = set()
    for span in {c.span for c in columns if c.span is not None}:
        members = [i for i, c in enumerate(columns) if c.span == span]
        out = [i for i in members if i in hidden]
        if not out:
            continue
        held = sum(columns[i].base for i in out)
        for i in sorted((i for i in members if i not in hidden), key=lambda i: columns[i].base):
            if held >= threshold:
                break
            more.add(i)
            held += columns[i].base
    return more


def _withheld_column(c: Column) -> Column:
    return replace(c, base=0, weighted_base=0.0, effective_base=0.0, low_base=False,
                   tested=c.letter is None, not_tested=None if c.letter is None else "withheld",
                   withheld=True)

