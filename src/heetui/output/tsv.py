"""A table as tab-separated values: what a spreadsheet pastes as cells (the app's copy, y).

The layout is the table's (headings across, a row per answer), and every number is the one
``heetui tab --format csv`` writes for that cell, unformatted (no % sign, no letters beside
it), so the spreadsheet reads it as a number: percents as percents of the column base,
means and scores as their values, counts as counts (weighted beside weighted percents).
A row's significance marks follow it on a row of their own, and a mean's own base (the
"(base of the mean)" row of text and Markdown, a grid summary's "Base of the mean") its
SE. Text is made safe for a spreadsheet as in the csv (output.cells), and a tab or line
break inside a label becomes a space so that it cannot shift the cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from heetui.engine.results import SE_LABEL, Cell, Crosstab, Row
from heetui.output.cells import cell_text
from heetui.output.tables import (
    MEAN_BASE_LABEL,
    Show,
    column_heading,
    counts_weighted,
    legend,
    marks,
    mean_bases,
    question_title,
    rounded,
    span_titles,
    state_line,
)

SIG_LABEL = "  (significance)"


def number(x: float | int | None) -> str:
    """A number exactly as the csv writes it (rounded there to 6 decimals); "" if none."""
    if x is None:
        return ""
    return str(x if isinstance(x, int) else rounded(x))


def _text(s: str) -> str:
    return cell_text(" ".join(s.replace("\t", " ").splitlines()))


def _line(cells: Sequence[str]) -> str:
    return "\t".join(cells)


def _values(cells: Sequence[Cell], value: str) -> list[str]:
    """One field of each cell ("percent", "value", "count", "weighted_count", "se"), ""
    where the cell is withheld."""
    return ["" if c.withheld else number(getattr(c, value)) for c in cells]


def _row_lines(ct: Crosstab, r: Row, show: Show, letters: bool,
               weighted_counts: bool) -> list[list[str]]:
    label = _text(r.display_label)
    count = "weighted_count" if counts_weighted(ct, show, weighted_counts) else "count"
    if r.is_value:
        lines = [[label, *_values(r.cells, "value")]]
    elif show == "count":
        lines = [[label, *_values(r.cells, count)]]
    else:
        lines = [[label, *_values(r.cells, "percent")]]
        if show == "both":
            lines.append([f"  ({count.replace('_', ' ')})", *_values(r.cells, count)])
    if r.has_se:
        lines.append([f"  ({SE_LABEL})", *_values(r.cells, "se")])
    if mean_bases(ct, r) is not None:  # as text and Markdown show it: the csv's count
        lines.append([f"  ({MEAN_BASE_LABEL})", *_values(r.cells, "count")])
    sig = ["" if c.withheld else marks(c) for c in r.cells]
    if letters and any(sig):
        lines.append([SIG_LABEL, *sig])
    return lines


def render_tsv(ct: Crosstab, show: Show = "percent", letters: bool = True,
               weighted_counts: bool = True) -> str:
    """The table as tab-separated lines: title, headings, bases, rows, legend."""
    cols = ct.columns
    lines: list[list[str]] = [[_text(question_title(ct, True))], [_text(state_line(ct))]]
    if ct.banner is not None:  # a span's title over its first column, as in Markdown
        titles = span_titles(ct)
        lines.append(["", *[_text(t) if i == 0 or t != titles[i - 1] else ""
                            for i, t in enumerate(titles)]])
    lines.append(["", *[_text(column_heading(c)) for c in cols]])
    lines.append(["Base (unweighted)", *["" if c.withheld else number(c.base) for c in cols]])
    if ct.weighted:
        lines.append(["Base (weighted)",
                      *["" if c.withheld else number(c.weighted_base) for c in cols]])
        lines.append(["Base (effective)",
                      *["" if c.withheld else number(c.effective_base) for c in cols]])
    for r in ct.rows:
        lines += _row_lines(ct, r, show, letters, weighted_counts)
    lines += [[], [_text(legend(ct))]]
    return "\n".join(_line(x) for x in lines) + "\n"
