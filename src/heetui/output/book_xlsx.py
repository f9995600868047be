"""A tab book as one Excel workbook: a Contents sheet (survey, provenance, settings,
legend, one linked row per table), a Findings sheet (every significant difference, ranked,
each linked to its table), then the tables.

Up to SHEET_EACH tables, one sheet per table rather than all tables on one sheet: each
sheet prints with its own title, span header and column headings repeated at the top of
every page (Excel and LibreOffice repeat one band of rows per sheet), a link lands on the
table's first cell, the sheet tabs are a second index, and a table can be copied or deleted
on its own. A bigger book (a survey of thousands of variables) puts TABLES_PER_SHEET tables
on each sheet, one after another, each starting a printed page: thousands of sheet tabs
index nothing, and a workbook of thousands of sheets is slow to write (xlsxwriter checks
each new sheet's name against every earlier one) and to open (LibreOffice took over five
minutes to load a 3,001-sheet book that it opens in seconds as 61 sheets). The links still
land on each table's first cell. Each table is written by output.xlsx.write_block (a
grid by output.grid_xlsx.write_grid_block), as the one-table export writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from heetui.engine.book import Book, Finding
from heetui.engine.collector import collection_paused
from heetui.engine.disclosure import WITHHELD_MARK
from heetui.engine.results import Crosstab, GridSummary, in_points, is_percent
from heetui.output.atomic import atomic_path
from heetui.output.book_text import (
    book_facts,
    book_legend,
    differences,
    findings_note,
)
from heetui.output.facts import one_line
from heetui.output.grid_xlsx import grid_pairs, write_grid_block, write_grid_table
from heetui.output.tables import PERCENTS, Shown, table_name
from heetui.output.xlsx import (
    LABEL_WIDTH,
    MIN_SCALE,
    PRINTABLE_WIDTH,
    Widths,
    add_formats,
    fit_row,
    merge_text,
    new_workbook,
    page_plan,
    print_setup,
    set_widths,
    sheet_name,
    table_widths,
    write_block,
    write_table,
)
from heetui.output.xlsxwriter_internals import release
from heetui.survey.codebook import Codebook

CONTENTS = "Contents"
FINDINGS = "Findings"
MAX_LINKS = 65_000  # Excel's limit is 65,530 hyperlinks per sheet
SHEET_EACH = 250  # a book of up to this many tables has a sheet per table
TABLES_PER_SHEET = 50  # a bigger one has this many on each sheet
GAP = 2  # empty rows between two tables on one sheet

# (heading, width) of the contents' table list and of the findings
CONTENTS_COLUMNS = (("Table", 14), ("Question", 20), ("Text", 64), ("Base", 9),
                    ("Base description", 34))
FINDINGS_COLUMNS = (("Rank", 6), ("Table", 18), ("Question", 46), ("Row", 28),
                    ("Higher", 22), ("value", 8), ("Lower", 22), ("value", 8), ("Gap", 11),
                    ("p", 9), ("p adj.", 9))
P_FORMAT = '[<0.0001]"<0.0001"_);0.0000_)'


@dataclass(frozen=True)
class Place:
    """Where a table is: its sheet and its first row (0-based)."""

    sheet: str
    row: int = 0

    @property
    def link(self) -> str:
        return link(self.sheet, self.row)


def table_sheet_names(book: Book, ids: bool = False) -> list[str]:
    """"T01 How would you describe…" (with ``ids``: "T01 relationship"), …: numbered, so
    unique; at most 31 characters."""
    digits = max(2, len(str(len(book.tables))))
    return [sheet_name(f"T{i + 1:0{digits}d} {ct.question.id if ids else ct.question.text}")
            for i, ct in enumerate(book.tables)]


def link(sheet: str, row: int = 0) -> str:
    return f"internal:'{sheet}'!A{row + 1}"  # sheet names never hold a quote (sheet_name)


def write_book_xlsx(book: Book, cb: Codebook, path: Path, shown: Shown = PERCENTS,
                    replace: bool = False) -> Path:
    """Write the workbook atomically: a temporary file beside ``path``, renamed when
    complete. The collector is paused meanwhile (engine.collector) and the closed workbook
    released (output.xlsxwriter_internals), so its cells are never walked by it."""
    path = Path(path)
    with atomic_path(path, replace) as tmp, collection_paused():
        _write(book, cb, tmp, shown)
    return path


def _write(book: Book, cb: Codebook, tmp: Path, shown: Shown) -> None:

    wb = new_workbook(tmp)
    fmt = add_formats(wb)
    fmt["title_big"] = wb.add_format({"bold": True, "font_size": 15, "valign": "top",
                                      "text_wrap": True})
    fmt["p"] = wb.add_format({"num_format": P_FORMAT, "valign": "top"})
    fmt["points"] = wb.add_format({"num_format": '0.0" pts"_)', "valign": "top"})
    fmt["units"] = wb.add_format({"num_format": '0.00" units"_)', "valign": "top"})
    fmt["f_pct"] = wb.add_format({"num_format": "0%_)", "valign": "top"})
    fmt["f_score"] = wb.add_format({"num_format": "0.0_)", "valign": "top"})
    fmt["f_mean"] = wb.add_format({"num_format": "0.00_)", "valign": "top"})
    contents, findings = wb.add_worksheet(CONTENTS), wb.add_worksheet(FINDINGS)
    places = _tables(wb, book, fmt, shown)  # first, so the contents know where each one is
    _contents(contents, book, cb, places, fmt, shown.ids)
    _findings(findings, book, places, fmt, shown.ids)
    wb.close()
    release(wb)  # its cells freed as it goes, not walked by the collector


@dataclass(frozen=True)
class _Parts:
    """How a book writes a table of one type: on a sheet of its own, as a block of a shared
    sheet, and how many (value, letters) column pairs the block spans."""

    sheet: Callable[..., None]
    block: Callable[..., tuple[int, int]]
    columns: Callable[[Any], int]


# by the table's type (Crosstab.kind, GridSummary.kind): a grid keeps its row per item
_PARTS = {Crosstab.kind: _Parts(write_table, write_block, lambda ct: len(ct.columns)),
          GridSummary.kind: _Parts(write_grid_table, write_grid_block, grid_pairs)}


def _nav(i: int, total: int) -> tuple[str, str]:
    return link(CONTENTS), f"← Contents (table {i + 1} of {total})"


def _tables(wb: Any, book: Book, fmt: dict[str, Any], shown: Shown) -> list[Place]:
    """Write every table: a sheet each, or TABLES_PER_SHEET to a sheet for a big book."""
    total = len(book.tables)
    if total <= SHEET_EACH:
        names = table_sheet_names(book, shown.ids)
        for i, (ct, name) in enumerate(zip(book.tables, names, strict=True)):
            _PARTS[ct.kind].sheet(wb.add_worksheet(name), ct, fmt, nav=_nav(i, total), shown=shown)
        return [Place(name) for name in names]
    places: list[Place] = []
    for first in range(0, total, TABLES_PER_SHEET):
        tables = book.tables[first:first + TABLES_PER_SHEET]
        name = sheet_name(f"Tables {first + 1}–{first + len(tables)}")
        places += _shared_sheet(wb.add_worksheet(name), name, tables, first, total, fmt,
                                shown)
    return places


def _shared_sheet(ws: Any, name: str, tables: tuple[Crosstab, ...], first: int, total: int,
                  fmt: dict[str, Any], shown: Shown) -> list[Place]:
    """Tables one after another on one sheet, each starting a printed page; the columns as
    wide as the widest table needs. A grid keeps its row per item: its block uses the same
    (value, letters) columns."""
    each = [table_widths(ct) for ct in tables]
    widths: Widths = (max(w for w, _ in each), max(w for _, w in each))
    columns = max(_PARTS[ct.kind].columns(ct) for ct in tables)
    set_widths(ws, columns, widths)
    places: list[Place] = []
    top = 0
    for k, ct in enumerate(tables):
        places.append(Place(name, top))
        _, top = _PARTS[ct.kind].block(ws, ct, fmt, widths, top, nav=_nav(first + k, total),
                                       shown=shown)
        top += GAP
    crosstab = next((ct for ct in tables if ct.kind == Crosstab.kind), None)
    pages = page_plan(crosstab, widths) if crosstab is not None else None
    print_setup(ws, pages=pages)  # a wide banner: pages of whole spans, as each table's
    if pages is None or not pages.breaks:
        ws.fit_to_pages(0, 0)  # fitting to a page would drop the page breaks: a scale instead
        width = LABEL_WIDTH + sum(widths) * columns
        ws.set_print_scale(max(MIN_SCALE, min(100, 100 * PRINTABLE_WIDTH // width)))
    ws.set_h_pagebreaks([p.row for p in places[1:]])
    ws.freeze_panes(0, 1)
    return places


def _contents(ws: Any, book: Book, cb: Codebook, places: list[Place],
              fmt: dict[str, Any], ids: bool) -> None:
    columns = [c for c in CONTENTS_COLUMNS if ids or c[0] != "Question"]
    widths = [w for _, w in columns]
    at = {heading: c for c, (heading, _) in enumerate(columns)}
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
    for c, (heading, _) in enumerate(columns):
        ws.write_string(r, c, heading, fmt["th_right" if heading == "Base" else "th"])
    for i, (ct, place) in enumerate(zip(book.tables, places, strict=True)):
        r += 1
        _link_or_text(ws, r, 0, place, f"Table {i + 1}", i, fmt)
        if ids:
            _link_or_text(ws, r, at["Question"], place, one_line(ct.question.id), i, fmt)
        text, base = one_line(ct.question.text), one_line(ct.base_text)
        ws.write_string(r, at["Text"], text, fmt["text"])
        if ct.total.withheld:
            ws.write_string(r, at["Base"], WITHHELD_MARK, fmt["text"])
        else:
            ws.write_number(r, at["Base"], ct.total.base, fmt["int"])
        ws.write_string(r, at["Base description"], base, fmt["text"])
        fit_row(ws, r, [(text, widths[at["Text"]]), (base, widths[at["Base description"]]),
                        (one_line(ct.question.id) if ids else "", widths[1])])
    print_setup(ws, head, head)
    ws.freeze_panes(head + 1, 0)


def _link_or_text(ws: Any, r: int, c: int, place: Place, text: str, i: int,
                  fmt: dict[str, Any]) -> None:
    if i < MAX_LINKS // 2:  # two links per table on the contents sheet
        ws.write_url(r, c, place.link, fmt["link"], string=text)
    else:
        ws.write_string(r, c, text, fmt["text"])


def _findings(ws: Any, book: Book, places: list[Place], fmt: dict[str, Any],
              ids: bool) -> None:
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
        table = table_name(f.table, one_line(f.question), ids)
        if n <= MAX_LINKS:
            ws.write_url(r, 1, places[f.table].link, fmt["link"], string=table)
        else:
            ws.write_string(r, 1, table, fmt["text"])
        cells = [(one_line(f.question_text), 2), (one_line(f.row), 3),
                 (one_line(f.higher), 4), (one_line(f.lower), 6)]
        for text, c in cells:
            ws.write_string(r, c, text, fmt["text"])
        _value(ws, r, 5, f, f.higher_value, fmt)
        _value(ws, r, 7, f, f.lower_value, fmt)
        ws.write_number(r, 8, f.gap, fmt["points" if in_points(f.kind) else "units"])
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

