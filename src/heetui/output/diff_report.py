"""What moved between two books (engine.diffing) as text, Markdown and JSON: the changed
cells, largest change first, each with its test; then what is in one book only."""

from __future__ import annotations

import json
from dataclasses import asdict

from heetui.engine.diffing import BookDiff, CellChange
from heetui.output.markup import md_text

HEADERS = ("Question", "Row", "Column", "Before", "After", "Change", "p", "")


def heading(d: BookDiff) -> str:
    return (f"{len(d.changes):,} cells changed in {d.tables:,} tables compared; "
            f"{len(d.significant):,} significantly (two-sided, p < {d.sig_level:g}; no "
            "multiplicity correction).")


def _value(c: CellChange, x: float) -> str:
    return f"{x:.2f}" if c.kind in ("mean",) else f"{x:.1f}"


def _cells(c: CellChange) -> tuple[str, ...]:
    unit = "" if c.kind == "mean" else " pts"
    return (c.question, c.row, c.column, _value(c, c.before), _value(c, c.after),
            f"{c.change:+.2f}{unit}" if c.kind == "mean" else f"{c.change:+.1f}{unit}",
            "—" if c.p is None else f"{c.p:.3f}" if c.p >= 0.001 else "<0.001",
            "*" if c.significant else "")


def _one_side(d: BookDiff) -> list[str]:
    return ([f"In the first book only: {x}" for x in d.only_first]
            + [f"In the second book only: {x}" for x in d.only_second])


def _tests(d: BookDiff) -> str:
    tests = sorted({c.test for c in d.changes})
    return ("* significant. Tests: " + "; ".join(tests) + ".") if tests else ""


def render_text(d: BookDiff) -> str:
    rows = [HEADERS] + [_cells(c) for c in d.changes]
    widths = [max(len(r[j]) for r in rows) for j in range(len(HEADERS))]
    lines = [heading(d), ""]
    if d.changes:
        for k, r in enumerate(rows):
            lines.append("  ".join(x.ljust(widths[j]) if j < 3 else x.rjust(widths[j])
                                   for j, x in enumerate(r)).rstrip())
            if k == 0:
                lines.append("  ".join("─" * w for w in widths))
        lines += ["", _tests(d)]
    lines += _one_side(d)
    return "\n".join(lines).rstrip() + "\n"


def render_md(d: BookDiff) -> str:
    lines = [f"# {md_text(heading(d))}", ""]
    if d.changes:
        lines += ["| " + " | ".join(HEADERS[:-1]) + " | Significant |",
                  "|---|---|---|---:|---:|---:|---:|:---:|"]
        lines += ["| " + " | ".join(md_text(x) for x in _cells(c)) + " |" for c in d.changes]
        lines += ["", md_text(_tests(d))]
    lines += ["", *(f"- {md_text(x)}" for x in _one_side(d))]
    return "\n".join(lines).rstrip() + "\n"


def render_json(d: BookDiff) -> str:
    out = {"sig_level": d.sig_level, "tables": d.tables, "changed": len(d.changes),
           "significant": len(d.significant),
           "changes": [{**asdict(c), "change": c.change} for c in d.changes],
           "only_first": list(d.only_first), "only_second": list(d.only_second)}
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
