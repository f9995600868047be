"""A formatted Excel sheet of a crosstab: title, state, bases, percents, letters, legend."""

from __future__ import annotations

from pathlib import Path

from heetui.engine.results import SE_LABEL, Crosstab
from heetui.output.atomic import atomic_path
from heetui.output.tables import (
    base_mark,
    column_heading,
    legend,
    marks,
    span_titles,
    state_line,
)


def default_name(ct: Crosstab, suffix: str = "xlsx") -> str:
    banner = f"-by-{ct.banner.id.replace(',', '-').replace('/', '-within-')}" if ct.banner \
        else ""
    weighted = "-weighted" if ct.weighted else ""
    return f"heetui-{ct.question.id}{banner}{weighted}.{suffix}"


def write_xlsx(ct: Crosstab, path: Path) -> Path:
    """Write atomically: a temporary file in the same folder, renamed when complete."""
    import xlsxwriter

    with atomic_path(Path(path)) as tmp:
        # text from data or a codebook is always a string cell, never a formula
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                            "strings_to_urls": False})
        _sheet(wb, ct)
        wb.close()
    return path


def _sheet(wb: object, ct: Crosstab) -> None:
    ws = wb.add_worksheet(ct.question.id[:31])  # type: ignore[attr-defined]
    fmt = {name: wb.add_format(spec) for name, spec in {  # type: ignore[attr-defined]
        "title": {"bold": True, "font_size": 13},
        "note": {"italic": True, "font_color": "#555555"},
        "head": {"bold": True, "align": "center", "text_wrap": True, "valign": "top",
                 "bottom": 1},
        "span": {"bold": True, "align": "center", "bottom": 1, "bg_color": "#DDEBF7"},
        "base": {"italic": True, "num_format": "0"},
        "wbase": {"italic": True, "num_format": "0.0"},
        "pct": {"num_format": "0%"},
        "pct_bold": {"num_format": "0%", "bold": True},
        "mean": {"num_format": "0.00", "bold": True},
        "score": {"num_format": "0.0", "bold": True},
        "se": {"num_format": "(0.00)", "font_color": "#555555"},
        "sig": {"bold": True, "font_color": "#1F4E79"},
        "label": {}, "label_bold": {"bold": True},
    }.items()}
    ws.write(0, 0, f"{ct.question.id}: {ct.question.text}", fmt["title"])
    ws.write(1, 0, state_line(ct), fmt["note"])
    r = 3
    ws.set_column(0, 0, 44)
    if ct.banner is not None:  # a span header row, merged over each span's columns
        titles = span_titles(ct)
        i = 1
        while i < len(titles):
            j = i
            while j + 1 < len(titles) and titles[j + 1] == titles[i]:
                j += 1
            first, last = 1 + 2 * i, 2 + 2 * j
            ws.merge_range(r, first, r, last, titles[i], fmt["span"])
            i = j + 1
        r += 1
    head_row = r
    for i, c in enumerate(ct.columns):
        col = 1 + 2 * i
        ws.merge_range(r, col, r, col + 1, column_heading(c), fmt["head"])
        ws.set_column(col, col, 9)
        ws.set_column(col + 1, col + 1, 6)
    r += 1
    ws.write(r, 0, "Base (unweighted)", fmt["base"])
    for i, c in enumerate(ct.columns):
        ws.write_number(r, 1 + 2 * i, c.base, fmt["base"])
        if base_mark(c):
            ws.write(r, 2 + 2 * i, base_mark(c), fmt["sig"])
    if ct.weighted:
        for label, attr in (("Base (weighted)", "weighted_base"),
                            ("Base (effective)", "effective_base")):
            r += 1
            ws.write(r, 0, label, fmt["base"])
            for i, c in enumerate(ct.columns):
                ws.write_number(r, 1 + 2 * i, getattr(c, attr), fmt["wbase"])
    for row in ct.rows:
        r += 1
        bold = row.is_summary
        ws.write(r, 0, row.display_label,
                 fmt["label_bold" if bold else "label"])
        for i, cell in enumerate(row.cells):
            col = 1 + 2 * i
            if row.is_value:
                if cell.value is not None:
                    ws.write_number(r, col, cell.value, fmt[row.kind])
            elif cell.percent is not None:
                ws.write_number(r, col, cell.percent / 100, fmt["pct_bold" if bold else "pct"])
            if marks(cell):
                ws.write(r, col + 1, marks(cell), fmt["sig"])
        if row.is_value:
            r += 1
            ws.write(r, 0, f"  {SE_LABEL}", fmt["note"])
            for i, cell in enumerate(row.cells):
                if cell.se is not None:
                    ws.write_number(r, 1 + 2 * i, cell.se, fmt["se"])
    r += 2
    ws.write(r, 0, legend(ct), fmt["note"])
    ws.freeze_panes(head_row + 2, 1)
