"""A rating grid's summary on an Excel sheet: a row per item (with its letter and bases),
a column per scale point, net and mean, each value with its letters in the next cell. The
one-table export and the tab book share ``write_grid_table``; sizes and print setup follow
output.xlsx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from heetui.engine.results import Crosstab
from heetui.output.atomic import atomic_path
from heetui.output.facts import export_lines
from heetui.output.tables import (
    base_mark,
    column_heading,
    legend,
    marks,
    untested_notes,
)
from heetui.output.xlsx import (
    LABEL_WIDTH,
    VALUE_WIDTH,
    WORKBOOK_OPTIONS,
    add_formats,
    fit_row,
    legend_sentences,
    merge_text,
    print_setup,
    sheet_name,
    write_title,
)
from heetui.survey.codebook import Codebook
from heetui.survey.text import safe_text


def write_grid_xlsx(gt: Crosstab, path: Path, cb: Codebook | None = None) -> Path:
    """Write atomically (see output.xlsx.write_xlsx)."""
    import xlsxwriter

    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        ws = wb.add_worksheet(sheet_name(gt.question.id))
        write_grid_table(ws, gt, add_formats(wb), facts=export_lines(cb) if cb else [])
        wb.close()
    return path


def write_grid_table(ws: Any, gt: Crosstab, fmt: dict[str, Any],
                     nav: tuple[str, str] | None = None, facts: list[str] | None = None
                     ) -> None:
    bases = [("Base", "base", "base")] + ([("Weighted base", "weighted_base", "wbase"),
                                           ("Effective base", "effective_base", "wbase")]
                                          if gt.weighted else [])
    first = 1 + len(bases)  # the first measure's column
    letter_w = max([4] + [len(marks(c)) + 2 for r in gt.rows for c in r.cells])
    pair = VALUE_WIDTH + letter_w
    last = first + 2 * len(gt.rows) - 1 + sum(r.has_se for r in gt.rows)
    full = LABEL_WIDTH + VALUE_WIDTH * len(bases) + pair * len(gt.rows)
    ws.set_column(0, 0, LABEL_WIDTH)
    ws.set_column(1, first - 1, VALUE_WIDTH + 2)
    ws.set_column(first, last, VALUE_WIDTH)
    r = write_title(ws, gt, fmt, 0, last, full, nav, facts or [])
    head_row = r
    ws.write_string(r, 0, "Item", fmt["th"])
    for k, (label, _, _) in enumerate(bases):
        ws.write_string(r, 1 + k, label, fmt["th_right"])
    col = first
    places = []
    for m in gt.rows:
        places.append(col)
        head = safe_text(m.display_label)
        ws.merge_range(r, col, r, col + 1, head, fmt["head"])
        ws.set_column(col + 1, col + 1, letter_w)
        col += 2
        if m.has_se:
            ws.write_string(r, col, "SE", fmt["head"])
            col += 1
    fit_row(ws, r, [(safe_text(m.display_label), pair) for m in gt.rows], bold=True)
    for i, c in enumerate(gt.columns):
        r += 1
        label = safe_text(column_heading(c))
        ws.write_string(r, 0, label + base_mark(c), fmt["label"])
        fit_row(ws, r, [(label, LABEL_WIDTH)])
        for k, (_, attr, f) in enumerate(bases):
            ws.write_number(r, 1 + k, getattr(c, attr), fmt[f])
        for m, at in zip(gt.rows, places, strict=True):
            cell = m.cells[i]
            if m.is_value and cell.value is not None:
                ws.write_number(r, at, cell.value, fmt[m.kind])
            elif cell.percent is not None:
                ws.write_number(r, at, cell.percent / 100,
                                fmt["pct_bold" if m.is_summary else "pct"])
            if marks(cell):
                ws.write_string(r, at + 1, marks(cell), fmt["sig"])
            if m.has_se and cell.se is not None:
                ws.write_number(r, at + 2, cell.se, fmt["se"])
    r += 1
    for line in legend_sentences(legend(gt)) + [safe_text(n) for n in untested_notes(gt)]:
        r += 1
        merge_text(ws, r, 0, last, line, fmt["note"])
        fit_row(ws, r, [(line, full)])
    ws.freeze_panes(head_row + 1, 1)
    print_setup(ws, 0, head_row)
