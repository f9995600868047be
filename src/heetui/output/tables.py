"""Crosstab renderers shared by the CLI and the TUI: text, csv, json, md.

They format numbers the engine computed; they compute nothing new.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from typing import Any, Literal

from heetui.engine.results import Cell, Column, Crosstab, Row
from heetui.output.cells import cell_text
from heetui.output.numbers import fixed

Show = Literal["percent", "count", "both"]
LOW_MARK = "*"
UNTESTED_MARK = "!"


def legend(ct: Crosstab) -> str:
    corr = {"none": "no multiplicity correction", "bonferroni": "Bonferroni correction",
            "bh": "Benjamini-Hochberg (FDR) correction"}[ct.correction]
    parts = [
        f"Letters: significantly higher than the column with that letter (two-sided z-test, "
        f"p < {ct.sig_level:g}, pooled proportion, no continuity correction, {corr}"
        + ("; overlapping columns use the overlap correction" if ct.overlapping else "")
        + ("; weighted tests use effective bases" if ct.weighted else "") + ").",
        f"{LOW_MARK} low base (< {ct.low_base}); {UNTESTED_MARK} not tested ("
        + ("effective " if ct.weighted else "") + f"base < {ct.min_test_base}).",
        "Percent of respondents in the column base"
        + (" (multi-response: columns can sum past 100)" if ct.question.type == "multi" else "")
        + "; means exclude Don't know, SE in brackets.",
    ]
    return " ".join(parts)


def untested_notes(ct: Crosstab) -> list[str]:
    """One line per reason something was not tested: the banner columns, then the pairs
    (grouped by row), so that no test is dropped without a word."""
    notes = [f"Not tested: {column_heading(c)}: {c.not_tested}." for c in ct.columns
             if c.not_tested]
    labels = {r.key: r.label for r in ct.rows}
    by_reason: dict[tuple[str, str], list[str]] = {}
    for t in ct.tests:
        if t.reason:
            by_reason.setdefault((t.row, t.reason), []).append(f"{t.a}/{t.b}")
    for (row, reason), pairs in by_reason.items():
        notes.append(f"Not tested: {labels.get(row, row)}, {', '.join(pairs)}: {reason}.")
    return notes


def short_legend(ct: Crosstab) -> str:
    """One line for narrow screens; the full legend is in the help."""
    corr = "" if ct.correction == "none" else f", {ct.correction}"
    overlap = ", overlap-corrected" if ct.overlapping else ""
    pairs = [t for t in ct.tests if t.reason]
    skipped = f"  {len(pairs)} pair(s) not tested: {pairs[0].reason}" if pairs else ""
    return (f"Letter = higher than that column (z-test p<{ct.sig_level:g}{corr}{overlap})  "
            f"{LOW_MARK} base<{ct.low_base}  {UNTESTED_MARK} base<{ct.min_test_base}: "
            f"not tested{skipped}  ? help")


def state_line(ct: Crosstab) -> str:
    weights = "Weighted" if ct.weighted else "Unweighted"
    flt = "; ".join(ct.filter_text) if ct.filter_text else "none"
    banner = ct.banner.short if ct.banner else "none"
    return f"Banner: {banner} | {weights} | Filters: {flt} | {ct.base_text}"


def column_heading(c: Column) -> str:
    return c.label + (f" ({c.letter})" if c.letter else "")


def base_mark(c: Column) -> str:
    if c.letter is not None and not c.tested:
        return UNTESTED_MARK
    return LOW_MARK if c.low_base else ""


def format_cell(cell: Cell, row: Row, show: Show = "percent", decimals: int = 0,
                letters: bool = True) -> str:
    sig = "".join(cell.sig) if letters else ""
    if row.kind in ("mean", "score"):
        if cell.value is None:
            return "-"
        dec = 2 if row.kind == "mean" else 1
        return f"{fixed(cell.value, dec)}{sig}"
    if cell.percent is None:
        return "-"
    pct = f"{fixed(cell.percent, decimals)}%"
    if show == "count":
        return f"{cell.count}{sig}"
    if show == "both":
        return f"{pct}{sig} ({cell.count})"
    return pct + sig


def format_se(cell: Cell, row: Row) -> str:
    if row.kind not in ("mean", "score") or cell.se is None:
        return ""
    return f"({fixed(cell.se, 2 if row.kind == 'mean' else 1)})"


def base_rows(ct: Crosstab) -> list[tuple[str, list[str]]]:
    rows = [("Base (unweighted)", [f"{c.base}{base_mark(c)}" for c in ct.columns])]
    if ct.weighted:
        rows.append(("Base (weighted)", [fixed(c.weighted_base, 1) for c in ct.columns]))
        rows.append(("Base (effective)", [fixed(c.effective_base, 1) for c in ct.columns]))
    return rows


def body_rows(ct: Crosstab, show: Show = "percent", decimals: int = 0,
              letters: bool = True) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for r in ct.rows:
        label = f"NET: {r.label}" if r.kind == "net" else r.label
        out.append((label, [format_cell(c, r, show, decimals, letters) for c in r.cells]))
        if r.kind in ("mean", "score"):
            out.append(("  (standard error)", [format_se(c, r) for c in r.cells]))
    return out


def render_text(ct: Crosstab, show: Show = "percent", decimals: int = 0,
                width: int = 120) -> str:
    label_w = max(24, min(44, max(len(r.label) for r in ct.rows) + 5))
    ncol = len(ct.columns)
    col_w = max(9, min(14, (width - label_w) // max(ncol, 1)))
    heads = [textwrap.wrap(column_heading(c), col_w - 1) or [""] for c in ct.columns]
    depth = max(len(h) for h in heads)
    lines = [f"{ct.question.id}: {ct.question.text}", state_line(ct), ""]
    for k in range(depth):
        cells = [(h[k] if k < len(h) else "").rjust(col_w) for h in heads]
        lines.append(" " * label_w + "".join(cells))
    for label, values in base_rows(ct) + body_rows(ct, show, decimals):
        lines.append(_fit(label, label_w) + "".join(v.rjust(col_w) for v in values))
    lines += ["", *textwrap.wrap(legend(ct), width)]
    for note in untested_notes(ct):
        lines += textwrap.wrap(note, width, subsequent_indent="  ")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _fit(label: str, w: int) -> str:
    return (label if len(label) < w else label[: w - 2] + "…").ljust(w)


def render_md(ct: Crosstab, show: Show = "percent", decimals: int = 0) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    head = ["", *[esc(column_heading(c)) for c in ct.columns]]
    lines = [f"**{esc(ct.question.id)}**: {esc(ct.question.text)}", "",
             f"_{esc(state_line(ct))}_", "",
             "| " + " | ".join(head) + " |",
             "|" + "---|" + "---:|" * len(ct.columns)]
    for label, values in base_rows(ct) + body_rows(ct, show, decimals):
        lines.append("| " + " | ".join([esc(label), *values]) + " |")
    lines += ["", esc(legend(ct))]
    return "\n".join(lines) + "\n"


def _num(x: float | None, nd: int = 6) -> float | None:
    return None if x is None else round(x, nd)


def to_json(ct: Crosstab) -> dict[str, Any]:
    q, b = ct.question, ct.banner
    return {
        "question": {"id": q.id, "text": q.text, "type": q.type, "base": ct.base_text},
        "banner": None if b is None else {
            "id": b.id, "label": b.short,
            "spans": [{"id": s.id, "label": s.label} for s in b.spans]},
        "compare": ct.compare,
        "weighted": ct.weighted,
        "filters": [{"variable": f.variable, "codes": list(f.codes), "text": t}
                    for f, t in zip(ct.filters, ct.filter_text, strict=True)],
        "sig_level": ct.sig_level, "correction": ct.correction,
        "low_base_threshold": ct.low_base, "min_test_base": ct.min_test_base,
        "overlapping_banner": ct.overlapping,
        "columns": [{"key": c.key, "label": c.label, "letter": c.letter, "code": c.code,
                     "base": c.base, "weighted_base": _num(c.weighted_base),
                     "effective_base": _num(c.effective_base), "low_base": c.low_base,
                     "tested": c.tested, "not_tested": c.not_tested, "span": c.span}
                    for c in ct.columns],
        "rows": [{"key": r.key, "label": r.label, "kind": r.kind, "codes": list(r.codes),
                  "cells": [{"count": c.count, "weighted_count": _num(c.weighted_count),
                             "percent": _num(c.percent), "value": _num(c.value),
                             "se": _num(c.se), "sig": list(c.sig), "vs": c.vs}
                            for c in r.cells]}
                 for r in ct.rows],
        "tests": [{"row": t.row, "columns": [t.a, t.b], "tested": t.tested,
                   "z": _num(t.statistic), "p_value": _num(t.p_value, 8),
                   "p_adjusted": _num(t.p_adjusted, 8), "significant": t.significant,
                   "reason": t.reason} for t in ct.tests],
        "legend": legend(ct),
    }


def render_json(ct: Crosstab) -> str:
    return json.dumps(to_json(ct), ensure_ascii=False, indent=2) + "\n"


def render_csv(ct: Crosstab) -> str:
    """Tidy CSV: one line per cell, every field a spreadsheet or script needs."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["question", "banner", "weighted", "filters", "column", "letter", "base",
                "weighted_base", "effective_base", "low_base", "row", "kind", "count",
                "weighted_count", "percent", "value", "se", "sig"])
    flt = "; ".join(ct.filter_text)
    for r in ct.rows:
        for c, cell in zip(ct.columns, r.cells, strict=True):
            w.writerow([ct.question.id, ct.banner.id if ct.banner else "", ct.weighted,
                        cell_text(flt), cell_text(c.label), c.letter or "", c.base,
                        _num(c.weighted_base), _num(c.effective_base), c.low_base,
                        cell_text(r.label), r.kind, cell.count,
                        _num(cell.weighted_count), _num(cell.percent), _num(cell.value),
                        _num(cell.se), "".join(cell.sig)])
    return buf.getvalue()


def render(ct: Crosstab, fmt: str, show: Show = "percent", decimals: int = 0,
           width: int = 120) -> str:
    if fmt == "text":
        return render_text(ct, show, decimals, width)
    if fmt == "md":
        return render_md(ct, show, decimals)
    if fmt == "json":
        return render_json(ct)
    if fmt == "csv":
        return render_csv(ct)
    raise ValueError(f"unknown format {fmt!r}")
