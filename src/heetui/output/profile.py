"""Render a segment profile as text, csv, json or md."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from heetui.engine.profiling import Profile, ProfileRow
from heetui.engine.results import in_points, is_percent
from heetui.output.cells import cell_text
from heetui.output.markup import md_text
from heetui.output.numbers import fixed, value_decimals

CORRECTION_NAMES = {"none": "no multiplicity correction", "bonferroni": "Bonferroni",
                    "bh": "Benjamini-Hochberg (FDR)"}


def fmt_value(r: ProfileRow, v: float) -> str:
    if is_percent(r.kind):
        return f"{fixed(v)}%"
    return fixed(v, value_decimals(r.kind))


def fmt_diff(r: ProfileRow) -> str:
    unit = " pts" if in_points(r.kind) else ""
    dec = 0 if is_percent(r.kind) else value_decimals(r.kind)
    return f"{fixed(r.difference, dec, sign=True)}{unit}"


def _label(r: ProfileRow, width: int) -> str:
    """The row's question and answer, cut to ``width``."""
    label = f"{r.question} · {r.row}"
    return label if len(label) <= width else label[: width - 1] + "…"


def _bars(r: ProfileRow, width: int) -> tuple[str, str]:
    """The group's and the others' bars, on one scale: 0–100 % for percents, else the larger
    of the two values."""
    top = 100.0 if is_percent(r.kind) else max(abs(r.group_value), abs(r.other_value), 1e-9)
    return bar(r.group_value, top, width), bar(r.other_value, top, width)


def bar(value: float, top: float, width: int = 12) -> str:
    """A sparkline-style bar of ``value`` on a scale to ``top``."""
    if top <= 0:
        return ""
    eighths = int(round(max(0.0, value) / top * width * 8))
    full, rest = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")).ljust(width)[:width]


def heading(p: Profile) -> str:
    other = "the rest" if p.against == "rest" else "everyone"
    return (f"Profile of {p.group_text} (n={p.group_size:,}) against {other}"
            f"{', weighted' if p.weighted else ''}"
            f"{', design-based t-tests' if p.design else ''}: {len(p.significant)} significant "
            f"differences (p < {p.sig_level:g}"
            + (f"; {len(p.loose_only)} more at p < {p.loose_level:g}"
               if p.loose_level is not None else "")
            + f", {CORRECTION_NAMES[p.correction]})")


def left_out(p: Profile) -> str:
    """The questions left out because they define the group, named (they differ by
    definition, and are kept out of the multiplicity correction too)."""
    own = list(dict.fromkeys(f.variable for f in p.group))
    parts = [f"{', '.join(own)} (the group's own)"]
    if p.defining:
        parts.append(f"{', '.join(p.defining)} (a finer or coarser version)")
    return "Left out, true by definition: " + "; ".join(parts) + "."


def fmt_p(r: ProfileRow) -> str:
    """The adjusted p-value as a reader scans it: p=0.029, p<0.001."""
    if r.p_value is None or r.p_adjusted is None:
        return f"not tested: {r.not_tested}"
    p = "p<0.001" if r.p_adjusted < 0.001 else f"p={r.p_adjusted:.2g}"
    return p + (" (looser level)" if r.significant_loose and not r.significant else "")


def row_line(r: ProfileRow, against: str, label_width: int = 48, bar_width: int = 12) -> str:
    """A row of the text profile: the group's value and bar, then those of the rest or of
    Total (``against``), the difference and p."""
    group, other = _bars(r, bar_width)
    return (f"{_label(r, label_width):<{label_width}} group {fmt_value(r, r.group_value):>6} "
            f"{group} {against:<5} {fmt_value(r, r.other_value):>6} {other} {fmt_diff(r):>9}  "
            f"{fmt_p(r)}")


# the app's list: the same fields under a line of column titles, fitted to the width
FIXED = 1 + 6 + 1 + 1 + 6 + 1 + 1 + 10 + 2 + 8  # values, gaps, difference and p (p=0.0038)
MIN_LABEL = 30


def list_widths(width: int) -> tuple[int, int]:
    """Label and bar widths that fit a line of ``width``: bars shrink (to nothing) before
    the label goes below MIN_LABEL; the p-value always fits."""
    bar_width = max(0, min(12, (width - FIXED - MIN_LABEL) // 2))
    return max(8, width - FIXED - 2 * bar_width), bar_width


def list_header(p: Profile, width: int) -> str:
    label_width, bar_width = list_widths(width)
    other = "rest" if p.against == "rest" else "all"
    gap = " " * bar_width
    return (f"{'question · answer':<{label_width}} {'group':>6} {gap} {other:>6} {gap} "
            f"{'difference':>10}  p")


def list_line(r: ProfileRow, width: int) -> str:
    label_width, bar_width = list_widths(width)
    group, other = _bars(r, bar_width)
    line = (f"{_label(r, label_width):<{label_width}} {fmt_value(r, r.group_value):>6} "
            f"{group} {fmt_value(r, r.other_value):>6} {other} {fmt_diff(r):>10}  "
            f"{fmt_p(r)}")
    return line if len(line) <= width else line[: width - 1] + "…"


def render_text(p: Profile, show_all: bool = False) -> str:
    rows = p.listed(show_all)
    lines = [heading(p), ""]
    lines += [row_line(r, p.against) for r in rows] or ["(no significant difference)"]
    lines += ["", left_out(p)]
    return "\n".join(lines) + "\n"


def _record(r: ProfileRow, p: Profile) -> dict[str, Any]:
    key = "percent" if is_percent(r.kind) else "value"
    return {"question": r.question, "question_text": r.question_text, "row": r.row,
            "row_key": r.row_key, "kind": r.kind, f"group_{key}": round(r.group_value, 6),
            f"{'rest' if p.against == 'rest' else 'total'}_{key}": round(r.other_value, 6),
            "difference": round(r.difference, 6), "p_value": r.p_value,
            "p_adjusted": r.p_adjusted, "significant": r.significant,
            "significant_loose": r.significant_loose,
            "not_tested": r.not_tested, "group_base": r.group_base,
            f"{'rest' if p.against == 'rest' else 'total'}_base": r.other_base,
            "variance": "design" if p.design else "effective base" if p.weighted else "simple"}


def render_json(p: Profile, show_all: bool = False) -> str:
    rows = p.listed(show_all)
    return json.dumps([_record(r, p) for r in rows], ensure_ascii=False, indent=2) + "\n"


def render_csv(p: Profile, show_all: bool = False) -> str:
    rows = p.listed(show_all)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["question", "row", "kind", "group", "other", "difference", "p_value",
                "p_adjusted", "significant", "group_base", "other_base"])
    for r in rows:
        w.writerow([r.question, cell_text(r.row), r.kind, round(r.group_value, 6),
                    round(r.other_value, 6), round(r.difference, 6), r.p_value, r.p_adjusted,
                    r.significant, r.group_base, r.other_base])
    return buf.getvalue()


def render_md(p: Profile, show_all: bool = False) -> str:
    rows = p.listed(show_all)
    lines = [f"_{md_text(heading(p))}_", "",
             "| question | row | group | other | difference | p |",
             "|---|---|---:|---:|---:|---:|"]
    for r in rows:
        p_txt = "–" if r.p_adjusted is None else f"{r.p_adjusted:.3g}"
        lines.append(f"| {md_text(r.question)} | {md_text(r.row)} | "
                     f"{fmt_value(r, r.group_value)} | {fmt_value(r, r.other_value)} | "
                     f"{fmt_diff(r)} | {p_txt} |")
    lines += ["", f"_{md_text(left_out(p))}_"]
    return "\n".join(lines) + "\n"

