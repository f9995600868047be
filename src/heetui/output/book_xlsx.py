"""A tab book as one Excel workbook: a Contents sheet (survey, provenance, settings,
legend, one linked row per table), a Findings sheet (every significant difference, ranked,
each linked to its table), then one sheet per table.

One sheet per table rather than all tables on one sheet: each sheet prints with its own
title, span header and column headings repeated at the top of every page (Excel and
LibreOffice repeat one band of rows per sheet), a link lands on the table's first cell,
the sheet tabs are a second index, and a table can be copied or deleted on its own. Each
table sheet is written by output.xlsx.write_table, as the one-table export writes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from heetui.engine.book import Book, Finding
from heetui.engine.results import is_percent
from heetui.output.atomic import atomic_path
from heetui.output.book_text import (
    book_facts,
    book_legend,
    differences,
    findings_note,
)
from heetui.output.facts import one_line
from heetui.output.xlsx import (
    WORKBOOK_OPTIONS,
    add_formats,
    fit_row,
    merge_text,
    print_setup,
    sheet_name,
    write_table,
)
from heetui.survey.codebook import Codebook

CONTENTS = "Contents"
FINDINGS = "Findings"
MAX_LINKS = 65_000  # Excel's limit is 65,530 hyperlinks per sheet

# (heading, width) of the contents' table list and of the findings
CONTENTS_COLUMNS = (("Table", 14), ("Question", 20), ("Text", 64), ("Base", 9),
                    ("Base description", 34))
FINDINGS_COLUMNS = (("Rank", 6), ("Table", 18), ("Question", 46), ("Row", 28),
                    ("Higher", 22), ("value", 8), ("Lower", 22), ("value", 8), ("Gap", 11),
                    ("p", 9), ("p adj.", 9))
P_FORMAT = '[<0.0001]"<0.0001"_);0.0000_)'


def table_sheet_names(book: Book) -> list[str]:
    """"T01 relationship", …: numbered, so unique; at most 31 characters."""
    digits = max(2, len(str(len(book.tables))))
    return [sheet_name(f"T{i + 1:0{digits}d} {ct.question.id}")
            for i, ct in enumerate(book.tables)]


def link(sheet: str) -> str:
    return f"internal:'{sheet}'!A1"  # sheet names never hold a quote (sheet_name)


def write_book_xlsx(book: Book, cb: Codebook, path: Path) -> Path:
    """Write the workbook atomically: a temporary file beside ``path``, renamed when
    complete."""
    import xlsxwriter

    path = Path(path)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        fmt = add_formats(wb)
        fmt["title_big"] = wb.add_format({"bold": True, "font_size": 15, "valign": "top",
                                          "text_wrap": True})
        fmt["p"] = wb.add_format({"num_format": P_FORMAT, "valign": "top"})
        fmt["points"] = wb.add_format({"num_format": '0.0" pts"_)', "valign": "top"})
        fmt["units"] = wb.add_format({"num_format": '0.00" units"_)', "valign": "top"})
        fmt["f_pct"] = wb.add_format({"num_format": "0%_)", "valign": "top"})
        fmt["f_score"] = wb.add_format({"num_format": "0.0_)", "valign": "top"})
        fmt["f_mean"] = wb.add_format({"num_format": "0.00_)", "valign": "top"})
        names = table_sheet_names(book)
        _contents(wb.add_worksheet(CONTENTS), book, cb, names, fmt)
        _findings(wb.add_worksheet(FINDINGS), book, names, fmt)
        for i, (ct, name) in enumerate(zip(book.tables, names, strict=True)):
            ws = wb.add_worksheet(name)
            write_table(ws, ct, fmt, nav=(link(CONTENTS),
                                          f"← Contents (table {i + 1} of {len(names)})"))
        wb.close()
    return path


def _contents(ws: Any, book: Book, cb: Codebook, names: list[str],
              fmt: dict[str, Any]) -> None:
    widths = [w for _, w in CONTENTS_COLUMNS]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    last = len(widths) - 1
    value_width = sum(widths[1:])
    title = f"{one_line(cb.title)}: tab book"
    merge_text(ws, 0, 0, last, title, fmt["title_big"])
    fit_row(ws, 0, [(title, sum(widths))], size=15, bold=True)
    r = 1
    facts = book_facts(book, cb)
    facts.append(("Legend", "\n".join(book_legend(book))))
    for label, text in facts:
        # each line of a fact (a banner span, a legend sentence) on a row of its own
        for k, line in enumerate(text.split("\n")):
            r += 1
            if k == 0:
                ws.write_string(r, 0, label, fmt["bold"])
            merge_text(ws, r, 1, last, line, fmt["text" if label != "Data" else "note"])
            fit_row(ws, r, [(line, value_width)])
    r += 2
    ws.write_url(r, 0, link(FINDINGS), fmt["link"],
                 string=f"Findings: {differences(len(book.findings))}")
    r += 2
    head = r
    for c, (heading, _) in enumerate(CONTENTS_COLUMNS):
        ws.write_string(r, c, heading, fmt["th_right" if heading == "Base" else "th"])
    for i, (ct, name) in enumerate(zip(book.tables, names, strict=True)):
        r += 1
        _link_or_text(ws, r, 0, name, f"Table {i + 1}", i, fmt)
        _link_or_text(ws, r, 1, name, one_line(ct.question.id), i, fmt)
        text, base = one_line(ct.question.text), one_line(ct.base_text)
        ws.write_string(r, 2, text, fmt["text"])
        ws.write_number(r, 3, ct.total.base, fmt["int"])
        ws.write_string(r, 4, base, fmt["text"])
        fit_row(ws, r, [(text, widths[2]), (base, widths[4]),
                        (one_line(ct.question.id), widths[1])])
    print_setup(ws, head, head)
    ws.freeze_panes(head + 1, 0)


def _link_or_text(ws: Any, r: int, c: int, sheet: str, text: str, i: int,
                  fmt: dict[str, Any]) -> None:
    if i < MAX_LINKS // 2:  # two links per table on the contents sheet
        ws.write_url(r, c, link(sheet), fmt["link"], string=text)
    else:
        ws.write_string(r, c, text, fmt["text"])


def _findings(ws: Any, book: Book, names: list[str], fmt: dict[str, Any]) -> None:
    widths = [w for _, w in FINDINGS_COLUMNS]
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    last = len(widths) - 1
    title = "Findings: every significant difference in the book, ranked by gap"
    merge_text(ws, 0, 0, last, title, fmt["title_big"])
    fit_row(ws, 0, [(title, sum(widths))], size=15, bold=True)
    note = findings_note(book)
    merge_text(ws, 1, 0, last, note, fmt["note"])
    fit_row(ws, 1, [(note, sum(widths))])
    ws.write_url(2, 0, link(CONTENTS), fmt["link"], string="← Contents")
    head = 4
    for c, (heading, _) in enumerate(FINDINGS_COLUMNS):
        right = c in (5, 7, 8, 9, 10) or heading == "Rank"
        ws.write_string(head, c, heading, fmt["th_right" if right else "th"])
    r = head
    for n, f in enumerate(book.findings, 1):
        r += 1
        ws.write_number(r, 0, n, fmt["int"])
        table = f"{f.table + 1}. {one_line(f.question)}"
        if n <= MAX_LINKS:
            ws.write_url(r, 1, link(names[f.table]), fmt["link"], string=table)
        else:
            ws.write_string(r, 1, table, fmt["text"])
        cells = [(one_line(f.question_text), 2), (one_line(f.row), 3),
                 (one_line(f.higher), 4), (one_line(f.lower), 6)]
        for text, c in cells:
            ws.write_string(r, c, text, fmt["text"])
        _value(ws, r, 5, f, f.higher_value, fmt)
        _value(ws, r, 7, f, f.lower_value, fmt)
        ws.write_number(r, 8, f.gap, fmt["units" if f.kind == "mean" else "points"])
        ws.write_number(r, 9, f.p_value, fmt["p"])
        ws.write_number(r, 10, f.p_adjusted, fmt["p"])
        fit_row(ws, r, [(t, widths[c]) for t, c in cells] + [(table, widths[1])])
    if not book.findings:
        merge_text(ws, head + 1, 0, last, "No significant difference.", fmt["text"])
    print_setup(ws, head, head)
    ws.freeze_panes(head + 1, 0)


def _value(ws: Any, r: int, c: int, f: Finding, value: float, fmt: dict[str, Any]) -> None:
    if is_percent(f.kind):
        ws.write_number(r, c, value / 100, fmt["f_pct"])
    else:
        ws.write_number(r, c, value, fmt["f_mean" if f.kind == "mean" else "f_score"])

