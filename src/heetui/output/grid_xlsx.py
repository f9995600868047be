"""A rating grid's summary on an Excel sheet: a row per item (with its letter and bases),
a column per scale point, net and mean, each value with its letters in the next cell, in
the same (value, letters) columns as a crosstab's so that a big book's shared sheets hold
both. The one-table export and the tab book share ``write_grid_table``/``write_grid_block``;
sizes and print setup follow output.xlsx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from heetui.engine.results import GridSummary
from heetui.output.atomic import atomic_path
from heetui.output.facts import export_lines
from heetui.output.tables import (
    PERCENTS,
    Shown,
    base_mark,
    column_heading,
    marks,
)
from heetui.output.xlsx import (
    LABEL_WIDTH,
    Widths,
    add_formats,
    fit_row,
    merge_text,
    new_workbook,
    print_setup,
    set_widths,
    sheet_name,
    table_notes,
    table_widths,
    write_title,
)
from heetui.survey.codebook import Codebook
from heetui.survey.text import safe_text


def write_grid_xlsx(gt: GridSummary, path: Path, cb: Codebook | None = None,
                    shown: Shown = PERCENTS, replace: bool = False) -> Path:
    """Write atomically (see output.xlsx.write_xlsx)."""

    with atomic_path(Path(path), replace) as tmp:
        wb = new_workbook(tmp)
        ws = wb.add_worksheet(sheet_name(gt.question.id))
        write_grid_table(ws, gt, add_formats(wb), facts=export_lines(cb) if cb else [],
                         shown=shown)
        wb.close()
    return path


def write_grid_table(ws: Any, gt: GridSummary, fmt: dict[str, Any],
                     nav: tuple[str, str] | None = None, facts: list[str] | None = None,
                     shown: Shown = PERCENTS) -> None:
    """Write ``gt`` on a sheet of its own (see write_grid_block), the panes frozen under its
    headings and the print setup repeating them on every page."""
    widths = table_widths(gt)
    set_widths(ws, grid_pairs(gt), widths)
    head_row, _ = write_grid_block(ws, gt, fmt, widths, 0, nav, facts, shown)
    ws.freeze_panes(head_row + 1, 1)
    print_setup(ws, 0, head_row)


def _bases(gt: GridSummary) -> list[tuple[str, str, str]]:
    """The base columns: (heading, the Column's attribute, its format)."""
    return [("Base", "base", "base")] + ([("Weighted base", "weighted_base", "wbase"),
                                          ("Effective base", "effective_base", "wbase")]
                                         if gt.weighted else [])


def grid_pairs(gt: GridSummary) -> int:
    """How many (value, letters) column pairs the grid's block spans: its bases, its
    measures, and an SE beside each mean."""
    return len(_bases(gt)) + len(gt.rows) + sum(r.has_se for r in gt.rows)


def write_grid_block(ws: Any, gt: GridSummary, fmt: dict[str, Any], widths: Widths, top: int,
                     nav: tuple[str, str] | None = None, facts: list[str] | None = None,
                     shown: Shown = PERCENTS) -> tuple[int, int]:
    """Write ``gt`` from row ``top`` in the crosstabs' columns (label, then pairs of a value
    and its letters, sized ``widths``), so a grid shares a sheet with crosstabs: a row per
    item (and a count row under it when both are shown), a pair per base, scale point,
    net, mean and its SE. Returns the row of the headings and the row after the block."""
    bases = _bases(gt)
    pairs = grid_pairs(gt)
    full = LABEL_WIDTH + sum(widths) * pairs
    r = write_title(ws, gt, fmt, top, 2 * pairs, full, nav, facts or [], shown.ids)
    head_row = r
    ws.write_string(r, 0, "Item", fmt["th"])
    heads = [label for label, _, _ in bases]
    for m in gt.rows:
        heads += [safe_text(m.display_label)] + (["SE"] if m.has_se else [])
    for k, head in enumerate(heads):
        ws.merge_range(r, 1 + 2 * k, r, 2 + 2 * k, head, fmt["head"])
    fit_row(ws, r, [(h, sum(widths)) for h in heads], bold=True)
    for i, c in enumerate(gt.columns):
        r += 1
        label = safe_text(column_heading(c))
        ws.write_string(r, 0, label + base_mark(c), fmt["label"])
        fit_row(ws, r, [(label, LABEL_WIDTH)])
        for k, (_, attr, f) in enumerate(bases):
            ws.write_number(r, 1 + 2 * k, getattr(c, attr), fmt[f])
        _item_values(ws, gt, i, r, 1 + 2 * len(bases), fmt, shown)
        if shown.show == "both":
            r += 1
            _item_values(ws, gt, i, r, 1 + 2 * len(bases), fmt, Shown("count",
                                                                      shown.weighted_counts))
    r += 1
    for line in table_notes(gt, shown):
        r += 1
        merge_text(ws, r, 0, 2 * pairs, line, fmt["note"])
        fit_row(ws, r, [(line, full)])
    return head_row, r + 1


def _item_values(ws: Any, gt: GridSummary, i: int, r: int, col: int, fmt: dict[str, Any],
                 shown: Shown) -> None:
    """Item ``i``'s measures on sheet row ``r`` from column ``col``: percents with their
    letters, means with their SE; with ``shown`` counts, only the counts (grey)."""
    counts = shown.show == "count"
    for m in gt.rows:
        cell = m.cells[i]
        if m.is_value and cell.value is not None and not counts:
            ws.write_number(r, col, cell.value, fmt[m.kind])
        elif not m.is_value and cell.percent is not None:
            if counts:
                ws.write_number(r, col, shown.count(gt, cell), fmt["count_below"])
            else:
                ws.write_number(r, col, cell.percent / 100,
                                fmt["pct_bold" if m.is_summary else "pct"])
        if marks(cell) and not counts:
            ws.write_string(r, col + 1, marks(cell), fmt["sig"])
        col += 2
        if m.has_se:
            if cell.se is not None and not counts:
                ws.write_number(r, col, cell.se, fmt["se"])
            col += 2
