"""The pieces of a table's outputs shared by every renderer (legends, bases, cells, state
line), and a crosstab as csv, json and md (its text: output.text_table; a grid summary's
text and md: output.grid_output). Where a crosstab and a grid summary word a piece
differently, the piece dispatches on the result's type.

They format numbers the engine computed; they compute nothing new. Which renderer writes
which format is registered once, in output.formats.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import singledispatch
from typing import Any, Literal

from heetui.engine.disclosure import WITHHELD_MARK
from heetui.engine.results import SE_LABEL, Cell, Column, Crosstab, GridSummary, PairTest, Row
from heetui.output.cells import cell_text
from heetui.output.markup import md_text
from heetui.output.numbers import fixed, value_decimals

Show = Literal["percent", "count", "both"]


@dataclass(frozen=True)
class Shown:
    """What the cells of a table show in a workbook or a book: percents, counts or both,
    and whether counts beside weighted percents are weighted."""

    show: Show = "percent"
    weighted_counts: bool = True
    ids: bool = False  # name questions by id beside their text (the analyst's, not a client's)

    def count(self, ct: Crosstab, cell: Cell) -> float:
        """A cell's count as shown: the weighted count beside weighted percents (unless
        asked otherwise), else respondents."""
        return (cell.weighted_count if counts_weighted(ct, self.show, self.weighted_counts)
                else cell.count)

    def note(self, ct: Crosstab) -> str:
        return count_note(ct, self.show, self.weighted_counts)


PERCENTS = Shown()


def question_title(ct: Crosstab, ids: bool = False) -> str:
    """A table's title as a client reads it: the question's text; with ``ids``, its id
    first ("relationship: How would you…")."""
    return f"{ct.question.id}: {ct.question.text}" if ids else ct.question.text


def table_name(i: int, question: str, ids: bool = False) -> str:
    """The ``i``-th table of a book as its contents and findings name it: "Table 14", or
    with ``ids`` "14. relationship_why"."""
    return f"{i + 1}. {question}" if ids else f"Table {i + 1}"
LOW_MARK = "*"
UNTESTED_MARK = "!"


CORRECTION_TEXT = {"none": "no multiplicity correction", "bonferroni": "Bonferroni correction",
                   "bh": "Benjamini-Hochberg (FDR) correction"}


@singledispatch
def legend(ct: Crosstab) -> str:
    """What the table's marks and numbers mean, naming only what the table holds: the test
    (when any pair was tested) with its level or levels, the low-base and not-tested marks
    (when a column carries them), percents and means (when it has rows of them)."""
    return _legend(ct, "Percent of respondents in the column base" + (
        " (multi-response: columns can sum past 100)" if ct.question.type == "multi" else ""))


@legend.register
def _grid_legend(gt: GridSummary) -> str:
    return _legend(gt, "Percent of the respondents who answered the item")


def _legend(ct: Crosstab, values: str) -> str:
    parts = [tests_text(ct), base_marks_text(ct), values_text(ct, values)]
    return " ".join(p for p in parts if p)


@singledispatch
def tests_text(ct: Crosstab) -> str:
    """What the letters or marks say and how they were tested (the legend's first sentence,
    the chart's key too); empty when no pair was tested."""
    if not tested(ct):
        return ""
    corr = CORRECTION_TEXT[ct.correction]
    what = {"pairs": "Letters: significantly higher than the column with that letter in the "
                     "same span",
            "total": f"{VS_MARKS['higher']}/{VS_MARKS['lower']}: significantly higher/lower "
                     "than Total",
            "rest": f"{VS_MARKS['higher']}/{VS_MARKS['lower']}: significantly higher/lower "
                    "than everyone not in the column",
            "previous": f"{VS_MARKS['higher']}/{VS_MARKS['lower']}: significantly higher/lower "
                        "than the column before it in the same span"}[ct.compare]
    return (f"{what}{levels_text(ct)} ({test_text(ct)}, {corr}{family_text(ct)}"
            + ("; overlapping columns use the overlap correction" if ct.overlapping
               and not ct.design else "")
            + ("; weighted tests use effective bases" if ct.weighted and not ct.design else "")
            + ").")


@tests_text.register
def _grid_tests_text(gt: GridSummary) -> str:
    if not tested(gt):
        return ""
    many = len(gt.columns) > 2 and gt.correction != "none"
    return ("Letters: significantly higher than the item with that letter in the same "
            f"column{levels_text(gt)} (paired z-test on the respondents who answered both, "
            f"linearised variance, no continuity correction, {CORRECTION_TEXT[gt.correction]}"
            + (" over the item pairs of each column" if many else "")
            + ("; weighted" if gt.weighted else "") + ").")


def tested(ct: Crosstab) -> bool:
    """Whether any pair of the table was tested (else no legend for letters)."""
    return any(t.tested for t in ct.tests)


def lettered(ct: Crosstab) -> bool:
    """Whether the table marks differences by letters (columns, or a grid's items, tested
    in pairs) rather than by ▲/▼ against Total or the rest."""
    return ct.compare == "pairs"


def levels_text(ct: Crosstab) -> str:
    """The level of the marks: ", p < 0.05"; with two levels, which case (or mark) stands
    for which."""
    if ct.loose_level is None:
        return f", p < {ct.sig_level:g}"
    if lettered(ct):
        return (f": upper case at p < {ct.sig_level:g}, lower case at p < "
                f"{ct.loose_level:g} only")
    return (f": {VS_MARKS['higher']}/{VS_MARKS['lower']} at p < {ct.sig_level:g}, "
            f"{VS_MARKS['higher_loose']}/{VS_MARKS['lower_loose']} at p < "
            f"{ct.loose_level:g} only")


def base_marks_text(ct: Crosstab) -> str:
    """The low-base and not-tested marks, each when a column carries it."""
    shown = {base_mark(c) for c in ct.columns}
    parts = []
    if LOW_MARK in shown:
        parts.append(f"{LOW_MARK} low base (< {ct.low_base})")
    if UNTESTED_MARK in shown:
        parts.append(f"{UNTESTED_MARK} not tested (" + ("effective " if ct.weighted else "")
                     + f"base < {ct.min_test_base})")
    return "; ".join(parts) + "." if parts else ""


def values_text(ct: Crosstab, percents: str) -> str:
    """What the values are: percents (when a row has them), then means and scores (when a
    row has them) and what they leave out."""
    parts = [percents] if any(not r.is_value for r in ct.rows) else []
    if any(r.has_se for r in ct.rows):
        unscored = any(o.value is None for o in ct.question.options) and any(
            o.value is not None for o in ct.question.options)
        parts.append(("means leave out answers without a score (such as Don't know), "
                      if unscored else "") + "SE in brackets")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""


FAMILY_TEXT = {"subtable": " within each subtable (the columns of one outer option of a "
                           "nested span, as SPSS CTABLES)",
               "span": " over all the tests of each span (nested spans too)"}


def test_text(ct: Crosstab) -> str:
    """The column test, as the legend names it."""
    if ct.design:
        return f"two-sided t-test, {ct.design}"
    return "two-sided z-test, pooled proportion, no continuity correction"


def variance_kind(ct: Crosstab) -> str:
    """How the table's variances were computed: by the survey's design (strata and PSUs),
    from Kish effective bases (weighted), or as a simple random sample."""
    return "design" if ct.design else "effective base" if ct.weighted else "simple"


def family_text(ct: Crosstab) -> str:
    """Which tests a correction adjusts together, where that is a choice to name: a nested
    span's subtables or whole span; else each span, when there are several."""
    if ct.correction == "none":
        return ""
    if ct.nested:
        return FAMILY_TEXT[ct.correction_family]
    return " within each span" if ct.banner and len(ct.banner.spans) > 1 else ""


def untested_notes(ct: Crosstab) -> list[str]:
    return not_tested_notes(ct.columns, ct.rows, ct.tests, column_heading)


def not_tested_notes(columns: Sequence[Column], rows: Sequence[Row],
                     tests: Sequence[PairTest], heading: Callable[[Column], str]
                     ) -> list[str]:
    """One line per reason something was not tested: the columns (a grid's items), then
    the pairs (grouped by row), so that no test is dropped without a word."""
    notes = [f"Not tested: {heading(c)}: {c.not_tested}." for c in columns if c.not_tested]
    labels = {r.key: r.label for r in rows}
    by_reason: dict[tuple[str, str], list[str]] = {}
    for t in tests:
        if t.reason:
            by_reason.setdefault((t.row, t.reason), []).append(f"{t.a}/{t.b}")
    for (row, reason), pairs in by_reason.items():
        notes.append(f"Not tested: {labels.get(row, row)}, {', '.join(pairs)}: {reason}.")
    return notes


@singledispatch
def short_legend(ct: Crosstab) -> str:
    """One line for narrow screens; the full legend is in the help."""
    overlap = ", overlap-corrected" if ct.overlapping and not ct.design else ""
    test = "design-based t-test" if ct.design else "z-test"
    if ct.compare == "pairs":
        what = "Letter = higher than that column"
    else:
        what = f"{VS_MARKS['higher']}{VS_MARKS['lower']} = higher/lower than {ct.compare}"
    return _short_legend(ct, what, test, overlap)


@short_legend.register
def _grid_short_legend(gt: GridSummary) -> str:
    return _short_legend(gt, "Letter = higher than that item", "paired z-test", "")


def _short_legend(ct: Crosstab, what: str, test: str, overlap: str) -> str:
    corr = "" if ct.correction == "none" else f", {ct.correction}"
    pairs = [t for t in ct.tests if t.reason]
    skipped = f"  {len(pairs)} pair(s) not tested: {pairs[0].reason}" if pairs else ""
    level = f"p<{ct.sig_level:g}"
    if ct.loose_level is not None:
        hollow = f"{VS_MARKS['higher_loose']}{VS_MARKS['lower_loose']}"
        level = (f"upper {level}, lower p<{ct.loose_level:g}" if lettered(ct)
                 else f"{level}, {hollow} p<{ct.loose_level:g}")
    return (f"{what} ({test} {level}{corr}{overlap})  "
            f"{LOW_MARK} base<{ct.low_base}  {UNTESTED_MARK} base<{ct.min_test_base}: "
            f"not tested{skipped}  ? help")


def state_line(ct: Crosstab) -> str:
    weights = "Weighted" if ct.weighted else "Unweighted"
    flt = "; ".join(ct.filter_text) if ct.filter_text else "none"
    return f"{scope_text(ct)} | {weights} | Filters: {flt} | {ct.base_text}"


@singledispatch
def scope_text(ct: Crosstab) -> str:
    """What the columns are, as the state line opens: the banner."""
    return f"Banner: {banner_text(ct)}"


@scope_text.register
def _grid_scope_text(gt: GridSummary) -> str:
    return f"Grid of {len(gt.columns)} items"


def banner_text(ct: Crosstab) -> str:
    """The banner's name and, when it has several spans or a name of its own, its spans."""
    return ct.banner.describe() if ct.banner else "none"


def column_heading(c: Column) -> str:
    """A column's heading under its span title (see span_titles), with its letter."""
    return (c.heading or c.label) + (f" ({c.letter})" if c.letter else "")


def base_mark(c: Column) -> str:
    if c.withheld:
        return ""
    if c.letter is not None and not c.tested:
        return UNTESTED_MARK
    return LOW_MARK if c.low_base else ""


# against Total or the rest; hollow at the looser of two levels only
VS_MARKS = {"higher": "▲", "lower": "▼", "higher_loose": "△", "lower_loose": "▽"}


def marks(cell: Cell) -> str:
    """A cell's significance marks: the letters it beats, or ▲/▼ against Total or rest."""
    return "".join(cell.sig) + VS_MARKS.get(cell.vs or "", "")


def format_cell(cell: Cell, row: Row, show: Show = "percent", decimals: int = 0,
                letters: bool = True, count_weighted: bool = False) -> str:
    if cell.withheld:
        return WITHHELD_MARK
    sig = marks(cell) if letters else ""
    if row.is_value:
        if cell.value is None:
            return "-"
        return f"{fixed(cell.value, value_decimals(row.kind))}{sig}"
    if cell.percent is None:
        return "-"
    pct = f"{fixed(cell.percent, decimals)}%"
    count = fixed(cell.weighted_count, 0) if count_weighted else str(cell.count)
    if show == "count":
        return f"{count}{sig}"
    if show == "both":
        return f"{pct}{sig} ({count})"
    return pct + sig


def format_se(cell: Cell, row: Row) -> str:
    if not row.has_se or cell.se is None:
        return ""
    return f"({fixed(cell.se, value_decimals(row.kind))})"


MEAN_BASE_LABEL = "base of the mean"


def mean_bases(ct: Crosstab, row: Row) -> list[str] | None:
    """A mean row's own base in each column (the respondents with a scored answer, as
    SPSS's valid N of a mean), when it differs from a column's base because some answers
    (such as Don't know) have no score; else None."""
    if row.kind != "mean" or all(c.count == col.base for c, col in
                                 zip(row.cells, ct.columns, strict=True)):
        return None
    return [WITHHELD_MARK if c.withheld else str(c.count) for c in row.cells]


def base_rows(ct: Crosstab) -> list[tuple[str, list[str]]]:
    rows = [("Base (unweighted)", [base_text(c) for c in ct.columns])]
    if ct.weighted:
        rows.append(("Base (weighted)", [base_text(c, c.weighted_base) for c in ct.columns]))
        rows.append(("Base (effective)", [base_text(c, c.effective_base)
                                          for c in ct.columns]))
    return rows


def base_text(c: Column, value: float | None = None) -> str:
    """A column's base as printed (``value``: its weighted or effective base): the withheld
    mark for a column the disclosure rule withholds."""
    if c.withheld:
        return WITHHELD_MARK
    return f"{c.base}{base_mark(c)}" if value is None else fixed(value, 1)


def base_count(c: Column) -> str:
    """A column's base in running text ("base 1,234"), or the withheld mark."""
    return WITHHELD_MARK if c.withheld else f"{c.base:,}"


def counts_weighted(ct: Crosstab, show: Show, weighted_counts: bool = True) -> bool:
    """Whether the counts shown are weighted: next to weighted percents, unless asked."""
    return ct.weighted and weighted_counts and show != "percent"


def count_note(ct: Crosstab, show: Show, weighted_counts: bool = True) -> str:
    """What the counts in the cells are, when counts are shown."""
    if show == "percent":
        return ""
    if counts_weighted(ct, show, weighted_counts):
        return "Counts are weighted (sums of weights, rounded)."
    return "Counts are unweighted respondents." + (" Percents are weighted." if ct.weighted
                                                   else "")


def body_rows(ct: Crosstab, show: Show = "percent", decimals: int = 0,
              letters: bool = True, weighted_counts: bool = True
              ) -> list[tuple[str, list[str]]]:
    cw = counts_weighted(ct, show, weighted_counts)
    out: list[tuple[str, list[str]]] = []
    for r in ct.rows:
        out.append((r.display_label,
                    [format_cell(c, r, show, decimals, letters, cw) for c in r.cells]))
        if r.has_se:
            out.append((f"  ({SE_LABEL})", [format_se(c, r) for c in r.cells]))
        own = mean_bases(ct, r)
        if own is not None:
            out.append((f"  ({MEAN_BASE_LABEL})", own))
    return out


def span_titles(ct: Crosstab) -> list[str]:
    """The title over each column ("" for Total): its span's label; for a nested span the
    outer option its columns share first, so that a narrow title still shows it."""
    labels = {s.id: s.label for s in ct.banner.spans} if ct.banner else {}
    return [f"{c.group} · {labels[c.span or '']}" if c.group else labels.get(c.span or "", "")
            for c in ct.columns]


def render_md(ct: Crosstab, show: Show = "percent", decimals: int = 0,
              weighted_counts: bool = True, ids: bool = False) -> str:
    """A Markdown table; with a banner, its header row names each span over its first
    column and the column headings follow as the first row."""
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    esc = md_text
    heads = [esc(column_heading(c)) for c in ct.columns]
    lines = [f"**{esc(question_title(ct, ids))}**", "",
             f"_{esc(state_line(ct))}_", ""]
    rule = "|" + "---|" + "---:|" * len(ct.columns)
    if ct.banner is None:
        lines += [row(["", *heads]), rule]
    else:
        titles = span_titles(ct)
        firsts = [t if i == 0 or t != titles[i - 1] else "" for i, t in enumerate(titles)]
        lines += [row(["", *[f"**{esc(t)}**" if t else "" for t in firsts]]), rule,
                  row(["", *[f"**{h}**" for h in heads]])]
    for label, values in base_rows(ct) + body_rows(ct, show, decimals,
                                                   weighted_counts=weighted_counts):
        lines.append(row([esc(label), *map(esc, values)]))
    lines += ["", esc(" ".join(filter(None, [count_note(ct, show, weighted_counts),
                                             legend(ct)])))]
    return "\n".join(lines) + "\n"


def rounded(x: float | None, nd: int = 6) -> float | None:
    """A number as json and csv write it: rounded to ``nd`` decimals (the TSV copies it)."""
    return None if x is None else round(x, nd)


@singledispatch
def to_json(ct: Crosstab) -> dict[str, Any]:
    q, b = ct.question, ct.banner
    return {
        "question": {"id": q.id, "text": q.text, "type": q.type, "base": ct.base_text},
        "grid": None,  # a grid summary's: see below
        "banner": None if b is None else {
            "id": b.id, "label": b.short,
            "spans": [{"id": s.id, "label": s.label} for s in b.spans]},
        "compare": ct.compare,
        "weighted": ct.weighted,
        "filters": [{"variable": f.variable, "codes": list(f.codes), "text": t,
                     **({"ranges": [{"low": None if math.isinf(lo) else lo,
                                     "high": None if math.isinf(hi) else hi,
                                     "low_included": li, "high_included": hi_in}
                                    for lo, hi, li, hi_in in f.ranges]} if f.ranges else {})}
                    for f, t in zip(ct.filters, ct.filter_text, strict=True)],
        "sig_level": ct.sig_level, "loose_level": ct.loose_level,
        "correction": ct.correction, "correction_family": ct.correction_family,
        "variance": variance_kind(ct), "design": ct.design,
        "low_base_threshold": ct.low_base, "min_test_base": ct.min_test_base,
        "overlapping_banner": ct.overlapping,
        "columns": [{"key": c.key, "label": c.label, "letter": c.letter, "code": c.code,
                     **_shown({"base": c.base, "weighted_base": rounded(c.weighted_base),
                               "effective_base": rounded(c.effective_base)}, c.withheld),
                     "low_base": c.low_base, "tested": c.tested, "not_tested": c.not_tested,
                     "span": c.span, "withheld": c.withheld}
                    for c in ct.columns],
        "rows": [{"key": r.key, "label": r.label, "kind": r.kind, "codes": list(r.codes),
                  "cells": [{**_shown({"count": c.count,
                                       "weighted_count": rounded(c.weighted_count)}, c.withheld),
                             "percent": rounded(c.percent), "value": rounded(c.value),
                             "se": rounded(c.se), "sig": list(c.sig), "vs": c.vs,
                             "withheld": c.withheld,
                             # a mean's own base: respondents with a scored answer
                             **(_shown({"mean_base": c.count}, c.withheld)
                                if r.kind == "mean" else {})}
                            for c in r.cells]}
                 for r in ct.rows],
        "tests": [{"row": t.row, "columns": [t.a, t.b], "tested": t.tested,
                   "z": rounded(t.statistic), "p_value": rounded(t.p_value, 8),
                   "p_adjusted": rounded(t.p_adjusted, 8), "significant": t.significant,
                   "significant_loose": t.significant_loose, "reason": t.reason} for t in ct.tests],
        "legend": legend(ct),
    }


@to_json.register
def _grid_json(gt: GridSummary) -> dict[str, Any]:
    """A grid summary's JSON is a crosstab's whose columns are the items, named with the
    grid."""
    out: dict[str, Any] = to_json.dispatch(Crosstab)(gt)
    out["question"]["type"] = "grid"
    out["grid"] = {"id": gt.grid.id, "items": list(gt.grid.items)}
    return out


def _shown(numbers: dict[str, object], withheld: bool) -> dict[str, object]:
    """Numbers of a cell or column for json and csv: null where withheld."""
    return {k: None if withheld else v for k, v in numbers.items()}


def render_json(ct: Crosstab) -> str:
    return json.dumps(to_json(ct), ensure_ascii=False, indent=2) + "\n"


def render_csv(ct: Crosstab) -> str:
    """Tidy CSV: one line per cell, every field a spreadsheet or script needs."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["question", "banner", "weighted", "filters", "span", "column", "letter", "base",
                "weighted_base", "effective_base", "low_base", "row", "kind", "count",
                "weighted_count", "percent", "value", "se", "sig"])
    flt = "; ".join(ct.filter_text)
    for r in ct.rows:
        for c, cell in zip(ct.columns, r.cells, strict=True):
            w.writerow([ct.question.id, ct.banner.id if ct.banner else "", ct.weighted,
                        cell_text(flt), c.span or "", cell_text(c.label), c.letter or "",
                        *_shown({"b": c.base, "w": rounded(c.weighted_base),
                                 "e": rounded(c.effective_base)}, c.withheld).values(),
                        c.low_base, cell_text(r.label), r.kind,
                        *_shown({"n": cell.count, "w": rounded(cell.weighted_count)},
                                cell.withheld).values(),
                        rounded(cell.percent), rounded(cell.value),
                        rounded(cell.se), marks(cell)])
    return buf.getvalue()

