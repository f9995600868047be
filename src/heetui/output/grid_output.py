"""A rating grid's summary table as text and Markdown, with a row per item and a column per
scale point, net and the mean (its JSON and CSV are a crosstab's: output.tables). They
format numbers the engine computed and compute nothing new."""

from __future__ import annotations

import textwrap

from heetui.engine.results import GridSummary
from heetui.output.markup import md_text
from heetui.output.numbers import fixed
from heetui.output.tables import (
    MEAN_BASE_LABEL,
    Show,
    base_mark,
    column_heading,
    format_cell,
    format_se,
    legend,
    mean_bases,
    question_title,
    state_line,
    untested_notes,
)
from heetui.output.text_table import GAP, column_width, heading_lines, label_width, wrap_words


def grid_rows(gt: GridSummary, show: Show = "percent", decimals: int = 0, letters: bool = True
              ) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Headings of the value columns and, per item, its label and the values as shown:
    bases first, then each measure (a mean with its SE beside it)."""
    heads = ["Base"] + (["Weighted base", "Effective base"] if gt.weighted else [])
    own = {r.key: mean_bases(gt, r) for r in gt.rows}
    for r in gt.rows:
        heads.append(r.display_label)
        if r.has_se:
            heads.append("SE")
        if own[r.key] is not None:
            heads.append(MEAN_BASE_LABEL.capitalize())
    cw = gt.weighted and show != "percent"
    rows = []
    for i, c in enumerate(gt.columns):
        values = [f"{c.base}{base_mark(c)}"]
        if gt.weighted:
            values += [fixed(c.weighted_base, 1), fixed(c.effective_base, 1)]
        for r in gt.rows:
            values.append(format_cell(r.cells[i], r, show, decimals, letters, cw))
            if r.has_se:
                values.append(format_se(r.cells[i], r))
            mb = own[r.key]
            if mb is not None:
                values.append(mb[i])
        rows.append((column_heading(c), values))
    return heads, rows


def render_grid_text(gt: GridSummary, show: Show = "percent", decimals: int = 0,
                     width: int = 120) -> str:
    heads, rows = grid_rows(gt, show, decimals)
    label_w = label_width([label for label, _ in rows], width)
    widths = [column_width([v[i] for _, v in rows], h) for i, h in enumerate(heads)]
    lines = heading_lines(gt, width)
    blocks: list[list[int]] = [[]]
    used = 0
    for i, w in enumerate(widths):
        if blocks[-1] and used + w + GAP > width - label_w:
            blocks.append([])
            used = 0
        blocks[-1].append(i)
        used += w + GAP
    for bi, cols in enumerate(blocks):
        if bi:
            lines.append("")
        wrapped = {i: wrap_words(heads[i], widths[i]) for i in cols}
        depth = max(len(w) for w in wrapped.values())
        for k in range(depth):
            cells = [(wrapped[i][k - depth + len(wrapped[i])]
                      if k >= depth - len(wrapped[i]) else "").rjust(widths[i]) for i in cols]
            lines.append(" " * label_w + "".join(" " * GAP + c for c in cells))
        for label, values in rows:
            fitted = label if len(label) < label_w else label[: label_w - 2] + "…"
            lines.append(fitted.ljust(label_w)
                         + "".join(" " * GAP + values[i].rjust(widths[i]) for i in cols))
    lines += ["", *textwrap.wrap(legend(gt), width)]
    for note in untested_notes(gt):
        lines += textwrap.wrap(note, width, subsequent_indent="  ")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_grid_md(gt: GridSummary, show: Show = "percent", decimals: int = 0,
                   ids: bool = False) -> str:
    esc = md_text
    heads, rows = grid_rows(gt, show, decimals)
    lines = [f"**{esc(question_title(gt, ids))}**", "", f"_{esc(state_line(gt))}_",
             "", "| Item | " + " | ".join(esc(h) for h in heads) + " |",
             "|---|" + "---:|" * len(heads)]
    lines += ["| " + " | ".join([esc(label), *map(esc, values)]) + " |"
              for label, values in rows]
    lines += ["", esc(legend(gt))]
    return "\n".join(lines) + "\n"
