"""A tab book (engine.book) as md, json or csv, and the parts every book format shares:
the survey facts and settings of the contents page, the legend in sentences, the findings
note and the way a finding's values are written.

Each table is rendered exactly as ``heetui tab`` renders it (output.tables); nothing here
computes a number.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

from heetui.engine.book import Book, Finding
from heetui.engine.results import Crosstab, GridSummary, is_percent
from heetui.output.facts import one_line, produced, survey_facts
from heetui.output.grid_output import render_grid_md
from heetui.output.markup import md_text
from heetui.output.numbers import fixed, value_decimals
from heetui.output.tables import (
    PERCENTS,
    Shown,
    base_count,
    column_heading,
    family_text,
    legend,
    render_csv,
    render_md,
    table_name,
    to_json,
)
from heetui.output.xlsx import legend_sentences
from heetui.survey.codebook import Codebook
from heetui.survey.text import counted

COMPARE_TEXT = {
    "pairs": "each pair of columns within a span (letters)",
    "total": "each column against Total (▲/▼)",
    "rest": "each column against everyone not in it (▲/▼)",
}
CORRECTION_TEXT = {
    "none": "none",
    "bonferroni": "Bonferroni, within each span of each row",
    "bh": "Benjamini-Hochberg (FDR), within each span of each row",
}


def banner_lines(book: Book) -> list[str]:
    """The banner's name, then each span with its columns and their letters."""
    if not book.tables or book.tables[0].banner is None:
        return ["none (Total only)"]
    ct = book.tables[0]
    assert ct.banner is not None
    lines = [one_line(ct.banner.describe())]
    for span in ct.banner.spans:
        cols = [c for c in ct.columns if c.span == span.id]
        lines.append(f"{one_line(span.label)}: "
                     + ", ".join(one_line(column_heading(c)) for c in cols))
    return lines


def settings_facts(book: Book, cb: Codebook) -> list[tuple[str, str]]:
    """Banner, filters, weighting and test settings: (label, text) pairs."""
    req = book.request.table
    first = book.tables[0] if book.tables else None
    filters = "; ".join(one_line(t) for t in first.filter_text) if first else ""
    if not filters and req.filters:
        filters = "; ".join(one_line(f"{f.variable} = {', '.join(map(str, f.codes))}")
                            for f in req.filters)
    if req.weighted:
        note = one_line(cb.survey.get("weight_note") or "").strip()
        if note and not note.endswith("."):
            note += "."
        weighting = (f"Weighted by {one_line(cb.settings.weight or 'the weight')}. "
                     + (f"{note} " if note else "")
                     + "Bases shown unweighted, weighted and effective (Kish).")
    else:
        weighting = "Unweighted"
    low = first.low_base if first else (req.low_base or cb.settings.low_base)
    mtb = first.min_test_base if first else (req.min_test_base or cb.settings.min_test_base)
    level = f"α = {req.sig_level:g}" + (
        "" if req.loose_level is None else f" (upper-case letters) and α = "
        f"{req.loose_level:g} (lower-case letters, hollow △/▽)")
    tests = (f"Two-sided z-tests at {level}; compared: "
             f"{COMPARE_TEXT.get(req.compare, req.compare)}; correction: "
             f"{CORRECTION_TEXT.get(req.correction, req.correction)}"
             f"{family_text(first) if first else ''}; low base < {low} "
             f"(marked *), not tested below {mtb} (marked !)")
    return [("Banner", "\n".join(banner_lines(book))), ("Filters", filters or "none"),
            ("Weighting", weighting), ("Tests", tests), ("Findings", findings_note(book))]


def book_facts(book: Book, cb: Codebook) -> list[tuple[str, str]]:
    """What the contents page says before the list of tables: (label, text) pairs."""
    return survey_facts(cb) + settings_facts(book, cb)


def findings_note(book: Book) -> str:
    how = ("Corrected once over every test of the book (Benjamini-Hochberg, FDR): p adj. is "
           "that adjusted p-value" if book.request.book_bh else
           "Significant as in the tables (correction: "
           f"{CORRECTION_TEXT.get(book.request.table.correction, '')}): p adj. is the "
           "p-value after that correction")
    found = (differences(len(book.findings)) + (", ranked by gap: percentage points for "
             "percents and scores first, then means in scale units" if book.findings else ""))
    return (f"{found}. {how}. Differences "
            "true by definition (a question by its own variable, or a finer or coarser "
            "version of it) are left out.")


def differences(n: int) -> str:
    return "No significant difference" if n == 0 else counted(n, "significant difference")


def book_legend(book: Book) -> list[str]:
    """The tables' legend as separate sentences (a multi-response table's, which says the
    most, when there is one)."""
    if not book.tables:
        return []
    ct = next((t for t in book.tables if t.question.type == "multi"), book.tables[0])
    return legend_sentences(legend(ct))


def value_text(f: Finding, value: float) -> str:
    if is_percent(f.kind):
        return f"{fixed(value)}%"
    return fixed(value, value_decimals(f.kind))


def gap_text(f: Finding) -> str:
    return f"{fixed(f.gap, 1 if is_percent(f.kind) else value_decimals(f.kind))} {f.unit}"


def p_text(p: float) -> str:
    return "<0.0001" if p < 0.0001 else f"{p:.4f}"


# ---- md ----------------------------------------------------------------------------------

def md_anchor(i: int) -> str:
    return f"table-{i + 1}"


# a table's Markdown by its type (Crosstab.kind, GridSummary.kind), as `heetui tab --format
# md` writes it
_TABLE_MD: dict[str, Callable[[Any, Shown], str]] = {
    Crosstab.kind: lambda ct, shown: render_md(ct, shown.show,
                                               weighted_counts=shown.weighted_counts,
                                               ids=shown.ids),
    GridSummary.kind: lambda gt, shown: render_grid_md(gt, shown.show, ids=shown.ids)}


def render_book_md(book: Book, cb: Codebook, shown: Shown = PERCENTS) -> str:
    return "".join(md_chunks(book, cb, shown))


def md_chunks(book: Book, cb: Codebook, shown: Shown = PERCENTS) -> Iterator[str]:
    """The text of ``render_book_md``: the contents and findings, then a table at a
    time."""
    out = [f"# {md_text(cb.title)}: tab book", ""]
    for label, text in book_facts(book, cb):
        lines = text.split("\n")
        out.append(f"- **{label}:** {md_text(lines[0])}")
        out += [f"    - {md_text(x)}" for x in lines[1:]]
    legend_lines = book_legend(book)
    if legend_lines:
        out += ["", "**Legend**", ""] + [f"- {md_text(x)}" for x in legend_lines]
    out += ["", '<a id="contents"></a>', "", "## Contents", "", "- [Findings](#findings)"]
    out += [f"- [{md_text(table_name(i, ct.question.id, shown.ids))}](#{md_anchor(i)}): "
            f"{md_text(ct.question.text)} (base {base_count(ct.total)})"
            for i, ct in enumerate(book.tables)]
    out += ["", '<a id="findings"></a>', "", "## Findings", "", md_text(findings_note(book)),
            ""]
    if book.findings:
        out += ["| # | Table | Row | Higher | value | Lower | value | Gap | p | p adj. |",
                "|---:|---|---|---|---:|---|---:|---:|---:|---:|"]
        for n, f in enumerate(book.findings, 1):
            out.append(
                f"| {n} | [{md_text(table_name(f.table, f.question, shown.ids))}]"
                f"(#{md_anchor(f.table)}) | "
                f"{md_text(f.row)} | {md_text(f.higher)} | {value_text(f, f.higher_value)} | "
                f"{md_text(f.lower)} | {value_text(f, f.lower_value)} | {gap_text(f)} | "
                f"{p_text(f.p_value)} | {p_text(f.p_adjusted)} |")
    else:
        out.append("No significant difference.")
    yield "\n".join(out)
    for i, ct in enumerate(book.tables):  # a table at a time
        yield "\n" + "\n".join([
            "", f'<a id="{md_anchor(i)}"></a>', "",
            f"## Table {i + 1}" + (f". {md_text(ct.question.id)}" if shown.ids else ""),
            "", _TABLE_MD[ct.kind](ct, shown).rstrip("\n"),
            "", "[Contents](#contents)"])
    yield "\n"


# ---- json --------------------------------------------------------------------------------

def _plain(v: Any) -> Any:
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    return str(v)


def book_json(book: Book, cb: Codebook) -> dict[str, Any]:
    """The book as one JSON object (every table's dict at once: for a large book write
    ``book_json_chunks`` instead)."""
    return {**_json_head(book, cb), "tables": [to_json(ct) for ct in book.tables],
            **_json_tail(book)}


def _json_head(book: Book, cb: Codebook) -> dict[str, Any]:
    req = book.request
    first = book.tables[0] if book.tables else None
    banner = None
    if first is not None and first.banner is not None:
        banner = to_json(first)["banner"]
    return {
        "survey": {"title": cb.title, **{k: _plain(v) for k, v in cb.survey.items()}},
        "produced": produced(),
        "banner": banner,
        "settings": {"weighted": req.table.weighted, "sig_level": req.table.sig_level,
                     "loose_level": req.table.loose_level,
                     "correction": req.table.correction,
                     "correction_family": req.table.correction_family,
                     "compare": req.table.compare,
                     "book_bh": req.book_bh,
                     "filters": list(first.filter_text) if first else []},
    }


def _json_tail(book: Book) -> dict[str, Any]:
    return {
        "findings": [{"rank": n, "table": f.table, "question": f.question,
                      "question_text": f.question_text, "row": f.row, "kind": f.kind,
                      "higher": f.higher, "lower": f.lower,
                      "higher_value": round(f.higher_value, 6),
                      "lower_value": round(f.lower_value, 6), "gap": round(f.gap, 6),
                      "unit": f.unit, "p_value": f.p_value, "p_adjusted": f.p_adjusted}
                     for n, f in enumerate(book.findings, 1)],
        "findings_note": findings_note(book),
    }


def _indented(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(..., indent=2)`` writes it ``level`` levels deep (a JSON
    string never holds a raw newline, so every newline starts a line of the layout)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)


def book_json_chunks(book: Book, cb: Codebook) -> Iterator[str]:
    """The text ``json.dumps(book_json(book, cb), ensure_ascii=False, indent=2) + "\\n"``
    writes, a table at a time: only one table's dict and text are held at once."""
    def members(d: dict[str, Any]) -> Iterator[str]:
        for k, v in d.items():
            yield f"{_indented(k, 1)}: {_indented(v, 1)}"

    yield "{\n  " + ",\n  ".join(members(_json_head(book, cb))) + ',\n  "tables": ['
    for i, ct in enumerate(book.tables):
        yield ("," if i else "") + "\n    " + _indented(to_json(ct), 2)
    yield ("\n  ]" if book.tables else "]") + ",\n  " + ",\n  ".join(
        members(_json_tail(book))) + "\n}\n"


# ---- csv ---------------------------------------------------------------------------------

def render_book_csv(book: Book) -> str:
    """Tidy: every table's lines as ``heetui tab --format csv`` writes them, the header
    once."""
    return "".join(csv_chunks(book))


def csv_chunks(book: Book) -> Iterator[str]:
    """The lines of ``render_book_csv``, a table at a time."""
    for i, ct in enumerate(book.tables):
        text = render_csv(ct)
        yield text if i == 0 else text.split("\n", 1)[1]
    if not book.tables:  # an empty book still says what its columns are
        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(
            ["question", "banner", "weighted", "filters", "span", "column", "letter", "base",
             "weighted_base", "effective_base", "low_base", "row", "kind", "count",
             "weighted_count", "percent", "value", "se", "sig"])
        yield header.getvalue()

