"""A formatted Excel sheet of a crosstab: title, state, span header, bases, percents,
letters, legend, print setup. ``write_table`` writes one table on a sheet; the one-table
export (``write_xlsx``) and the tab book (output.book_xlsx) both use it.

Widths and heights are set from the text, so that nothing overlaps or is cut when the
sheet is shown or printed: text cells wrap, and each row is as tall as its longest
wrapped text (estimated conservatively for a wide fallback font, as LibreOffice uses when
Calibri is missing). Text from data or a codebook is always a string cell, never a
formula.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from heetui.engine.disclosure import WITHHELD_MARK
from heetui.engine.results import SE_LABEL, Crosstab, Row
from heetui.output.atomic import atomic_path
from heetui.output.facts import export_lines
from heetui.output.numbers import fixed
from heetui.output.tables import (
    MEAN_BASE_LABEL,
    PERCENTS,
    Shown,
    base_mark,
    column_heading,
    legend,
    marks,
    mean_bases,
    question_title,
    state_line,
    untested_notes,
)
from heetui.output.text_table import SpanGroup, span_blocks, span_groups
from heetui.output.xlsxwriter_internals import merge_unpadded
from heetui.survey.codebook import Codebook
from heetui.survey.text import safe_text

LABEL_WIDTH = 40  # the row-label column, in Excel's character units
# column-width units across landscape A4 inside print_setup's margins at 100 %: about 95 in
# LibreOffice (its stand-in for Calibri is wider; Excel fits some 135), a little to spare
PRINTABLE_WIDTH = 90
# the same for the table's columns alone (set widths, no prose to wrap): LibreOffice 7.4
# printed 119 units on a page at 70 %; Excel fits more
PAGE_COLUMNS = 105
# the smallest print scale of a wide table: 11-point text prints at 7.7 points. A table
# wider than a page at this scale continues on further pages, split between whole spans,
# with the row labels and Total repeated on each (as the text table's blocks)
MIN_SCALE = 70
VALUE_WIDTH = 8
LINE_POINTS = 15.0  # one line of 11-point text
CHARS_PER_UNIT = 1.12  # characters of 11-point text per unit of column width; prose
# measured 1.25-1.45 in LibreOffice with DejaVu Sans (its stand-in for Calibri), about
# 1.2-1.3 in Excel with Calibri
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False,
                    "in_memory": True}  # no temporary file per sheet (slow with thousands)
# the date a workbook says it was made: fixed, so that the same table written twice is the
# same file byte for byte (a plan re-run, outputs compared); the zip's own times are fixed
CREATED = datetime.datetime(2000, 1, 1)


def new_workbook(path: Path) -> Any:
    """A workbook heetui writes (an xlsxwriter Workbook): its options, and no time of
    writing inside."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    wb.set_properties({"created": CREATED})
    return wb

FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"},
    "note": {"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"},
    "head": {"bold": True, "align": "center", "text_wrap": True, "valign": "bottom",
             "bottom": 1},
    "span": {"bold": True, "align": "center", "text_wrap": True, "valign": "bottom",
             "bottom": 1, "bg_color": "#DDEBF7"},
    # numbers end in "_)", a space as wide as ")", so letters beside them stand apart
    "base": {"italic": True, "num_format": "0_)", "valign": "top"},
    "wbase": {"italic": True, "num_format": "0.0_)", "valign": "top"},
    "pct": {"num_format": "0%_)", "valign": "top"},
    "pct_bold": {"num_format": "0%_)", "bold": True, "valign": "top"},
    "mean": {"num_format": "0.00_)", "bold": True, "valign": "top"},
    "score": {"num_format": "0.0_)", "bold": True, "valign": "top"},
    "stat": {"num_format": "0.00_)", "valign": "top"},
    "se": {"num_format": "(0.00)", "font_color": "#555555", "valign": "top"},
    "sig": {"bold": True, "font_color": "#1F4E79", "valign": "top"},
    "label": {"text_wrap": True, "valign": "top"},
    "label_bold": {"bold": True, "text_wrap": True, "valign": "top"},
    "label_base": {"italic": True, "text_wrap": True, "valign": "top"},
    "link": {"font_color": "#0563C1", "underline": 1, "valign": "top"},
    "bold": {"bold": True, "text_wrap": True, "valign": "top"},
    "th": {"bold": True, "text_wrap": True, "valign": "bottom", "bottom": 1},
    "th_right": {"bold": True, "text_wrap": True, "valign": "bottom", "bottom": 1,
                 "align": "right", "indent": 1},
    "text": {"text_wrap": True, "valign": "top"},
    "int": {"num_format": "#,##0_)", "valign": "top"},
    "count": {"num_format": "#,##0_)", "valign": "top"},
    "count_bold": {"num_format": "#,##0_)", "bold": True, "valign": "top"},
    "count_below": {"num_format": "#,##0_)", "font_color": "#555555", "valign": "top"},
}


def write_xlsx(ct: Crosstab, path: Path, cb: Codebook | None = None,
               shown: Shown = PERCENTS, replace: bool = False) -> Path:
    """Write atomically: a temporary file in the same folder, renamed when complete. With
    the codebook, the sheet says which survey it comes from (export_lines); ``shown``:
    percents, counts, or both (a count row under each percent row). An existing file is
    replaced only with ``replace`` (output.atomic)."""

    with atomic_path(Path(path), replace) as tmp:
        # text from data or a codebook is always a string cell, never a formula
        wb = new_workbook(tmp)
        _sheet(wb, ct, export_lines(cb) if cb is not None else [], shown)
        wb.close()
    return path


def _sheet(wb: Any, ct: Crosstab, facts: list[str], shown: Shown = PERCENTS) -> None:
    ws = wb.add_worksheet(sheet_name(ct.question.id))
    write_table(ws, ct, add_formats(wb), facts=facts, shown=shown)


def add_formats(wb: Any) -> dict[str, Any]:
    """The workbook's cell formats (xlsxwriter formats belong to one workbook)."""
    return {name: wb.add_format(spec) for name, spec in FORMATS.items()}


def sheet_name(text: str) -> str:
    """A valid, readable sheet name: no []:*?/\\ or quotes, no control characters, at
    most 31 characters."""
    name = "".join(" " if ch in "[]:*?/\\'" or not ch.isprintable() else ch for ch in text)
    return " ".join(name.split())[:31].strip() or "Table"


# ---- measuring text ------------------------------------------------------------------------

@lru_cache(maxsize=65536)  # a book repeats its legend, state line and labels
def text_lines(text: str, width: float, size: float = 11, bold: bool = False) -> int:
    """How many lines ``text`` wraps to in a cell ``width`` units wide: greedy wrapping at
    spaces and after "/" (as Excel and LibreOffice break), long words split, with a
    character width on the generous side (LibreOffice's fallback for Calibri is wider)."""
    per_line = max(1, int(width * CHARS_PER_UNIT * 11 / size * (0.9 if bold else 1.0)))
    return sum(_wrapped(part, per_line) for part in str(text).split("\n"))


def _wrapped(text: str, per_line: int) -> int:
    lines, used = 1, 0
    for word in text.split():
        pieces = re.findall(r"[^/]*/|[^/]+", word)
        for k, piece in enumerate(pieces):
            need = len(piece) + (1 if k == 0 and used else 0)
            if used and used + need > per_line:
                lines, used, need = lines + 1, 0, len(piece)
            while need > per_line:  # a piece longer than a line is split anywhere
                lines, need = lines + 1, need - per_line
            used += need
    return lines


def lines_height(lines: int, size: float = 11) -> float:
    return math.ceil(lines * LINE_POINTS * size / 11 + 3)


def fit_row(ws: Any, row: int, texts: Sequence[tuple[str, float]], size: float = 11,
            bold: bool = False) -> None:
    """Make ``row`` tall enough for each (text, width) wrapped in it."""
    lines = max((text_lines(t, w, size, bold) for t, w in texts if t), default=1)
    if lines > 1 or size > 11:
        ws.set_row(row, lines_height(lines, size))


def merge_text(ws: Any, row: int, first: int, last: int, text: str, fmt: Any) -> None:
    """Text across columns first…last of a row: one merged cell, for a format without
    borders or fill (xlsxwriter's merge_range pads the range with blank cells of the format,
    for borders and fill to reach across; a tab book of 3,000 tables had 120,000 of them)."""
    ws.write_string(row, first, text, fmt)
    if last > first:
        merge_unpadded(ws, row, first, last)


def print_setup(ws: Any, repeat_from: int | None = None, repeat_to: int | None = None,
                pages: Pages | None = None) -> None:
    """Landscape A4, one page wide (or, for a wide table, ``pages``: across pages at
    MIN_SCALE, breaking between spans, the label and Total columns on every page), the
    header rows on every page, page numbers."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    if pages is not None and pages.breaks:
        ws.set_print_scale(MIN_SCALE)
        ws.repeat_columns(0, 2)  # the row labels and Total (its value and letters)
        ws.set_v_pagebreaks([1 + 2 * i for i in pages.breaks])
    else:
        ws.fit_to_pages(1, 0)
    if repeat_from is not None:
        ws.repeat_rows(repeat_from, repeat_to if repeat_to is not None else repeat_from)
    ws.set_footer("&L&A&RPage &P of &N")


# ---- one table ---------------------------------------------------------------------------

def write_table(ws: Any, ct: Crosstab, fmt: dict[str, Any],
                nav: tuple[str, str] | None = None, facts: list[str] | None = None,
                shown: Shown = PERCENTS) -> None:
    """Write ``ct`` on a sheet of its own, from A1 (see write_block), with its columns'
    widths, the panes frozen under its headings and the print setup repeating its title and
    headings on every page."""
    widths = table_widths(ct)
    set_widths(ws, len(ct.columns), widths)
    head_row, _ = write_block(ws, ct, fmt, widths, 0, nav, facts, shown)
    ws.freeze_panes(head_row + 2, 1)
    print_setup(ws, 0, head_row, page_plan(ct, widths))


def text_span(ct: Crosstab, widths: Widths) -> tuple[int, float]:
    """The last sheet column and the width (units) of the title, state and legend lines:
    the whole table; for a table printed across pages, the label and Total columns, which
    every page repeats (a line merged wider would be cut at each page's edge)."""
    pair = sum(widths)
    if page_plan(ct, widths).breaks:
        return 2, LABEL_WIDTH + pair
    return 2 * len(ct.columns), LABEL_WIDTH + pair * len(ct.columns)


@dataclass(frozen=True)
class Pages:
    """How a table prints across pages: the pieces of spans (column indices, Total first)
    and the banner columns that start a new page (none: it fits one page wide)."""

    pieces: tuple[SpanGroup, ...]
    breaks: tuple[int, ...]


def page_plan(ct: Crosstab, widths: Widths) -> Pages:
    """The table on one page wide when it fits at MIN_SCALE or more; else in pages of
    whole spans (a span wider than a page split between its columns) at MIN_SCALE."""
    pair = sum(widths)
    groups = span_groups(ct)
    room = PAGE_COLUMNS * 100 // MIN_SCALE - LABEL_WIDTH
    if pair * len(ct.columns) <= room:
        return Pages(tuple(groups), ())
    blocks = span_blocks(groups, [pair] * len(ct.columns), room, gap=0)
    pieces = [groups[0]] + [g for b in blocks for g in b[1:]]
    return Pages(tuple(pieces), tuple(b[1].columns[0] for b in blocks[1:] if len(b) > 1))


Widths = tuple[int, int]  # of a table's value columns and of the letter columns beside them


def table_widths(ct: Crosstab) -> Widths:
    """Value columns wide enough for the weighted bases, letter columns for the marks."""
    cols = ct.columns
    letter_width = max([4] + [len(marks(c)) + 2 for r in ct.rows for c in r.cells]
                       + [len(base_mark(c)) + 2 for c in cols])
    value_width = max([VALUE_WIDTH] + [len(fixed(c.weighted_base, 1)) + 2 for c in cols])
    return value_width, letter_width


def set_widths(ws: Any, columns: int, widths: Widths) -> None:
    ws.set_column(0, 0, LABEL_WIDTH)
    for i in range(columns):
        ws.set_column(1 + 2 * i, 1 + 2 * i, widths[0])
        ws.set_column(2 + 2 * i, 2 + 2 * i, widths[1])


def write_block(ws: Any, ct: Crosstab, fmt: dict[str, Any], widths: Widths, top: int,
                nav: tuple[str, str] | None = None, facts: list[str] | None = None,
                shown: Shown = PERCENTS) -> tuple[int, int]:
    """Write ``ct`` from row ``top`` of columns sized ``widths``: title, state (banner,
    weighting, filters, base), the span header merged over each span's columns, column
    headings with letters, bases, percents (as numbers in % format; or counts, or both: a
    count row under each percent row) with their letters in the next cell, means and
    scores with their SE, legend. ``facts``: lines about the survey under the state line;
    ``nav``: an (internal link, text) after them. Returns the row of the column headings
    and the row after the table."""
    head_row = _heading(ws, ct, fmt, widths, top, nav, facts or [], shown.ids)
    r = _bases(ws, ct, fmt, head_row + 1)
    for row in ct.rows:
        r = _body_row(ws, ct, row, fmt, r + 1, shown)
    r += 1
    last, full = text_span(ct, widths)
    for line in table_notes(ct, shown):
        r += 1
        merge_text(ws, r, 0, last, line, fmt["note"])
        fit_row(ws, r, [(line, full)])
    return head_row, r + 1


def _body_row(ws: Any, ct: Crosstab, row: Row, fmt: dict[str, Any], r: int,
              shown: Shown) -> int:
    """One row of the table from sheet row ``r`` (with the count row under it when both
    are shown, and the SE row under a mean); returns the last sheet row written."""
    bold = row.is_summary
    label = safe_text(row.display_label)
    ws.write_string(r, 0, label, fmt["label_bold" if bold else "label"])
    fit_row(ws, r, [(label, LABEL_WIDTH)], bold=bold)
    counts = shown.show == "count" and not row.is_value
    for i, cell in enumerate(row.cells):
        col = 1 + 2 * i
        if cell.withheld:
            ws.write_string(r, col, WITHHELD_MARK, fmt["sig"])
        elif row.is_value:
            if cell.value is not None:
                ws.write_number(r, col, cell.value, fmt[row.kind])
        elif cell.percent is not None:
            if counts:
                ws.write_number(r, col, shown.count(ct, cell),
                                fmt["count_bold" if bold else "count"])
            else:
                ws.write_number(r, col, cell.percent / 100, fmt["pct_bold" if bold else "pct"])
        mark = marks(cell)
        if mark:
            ws.write_string(r, col + 1, mark, fmt["sig"])
    if shown.show == "both" and not row.is_value:
        r += 1
        for i, cell in enumerate(row.cells):
            if cell.percent is not None and not cell.withheld:
                ws.write_number(r, 1 + 2 * i, shown.count(ct, cell), fmt["count_below"])
    if row.has_se:
        r += 1
        ws.write_string(r, 0, f"  {SE_LABEL}", fmt["note"])
        for i, cell in enumerate(row.cells):
            if cell.se is not None:
                ws.write_number(r, 1 + 2 * i, cell.se, fmt["se"])
    own = mean_bases(ct, row)
    if own is not None:
        r += 1
        ws.write_string(r, 0, f"  {MEAN_BASE_LABEL}", fmt["note"])
        for i, cell in enumerate(row.cells):
            if cell.withheld:
                ws.write_string(r, 1 + 2 * i, WITHHELD_MARK, fmt["sig"])
            else:
                ws.write_number(r, 1 + 2 * i, cell.count, fmt["count_below"])
    return r


def write_title(ws: Any, ct: Crosstab, fmt: dict[str, Any], top: int, last: int, full: float,
                nav: tuple[str, str] | None, facts: list[str], ids: bool = False) -> int:
    """A table's title (its question's text; with ``ids``, its id first), state line, facts
    and link from row ``top``, merged over columns 0 to ``last`` (``full`` units wide);
    returns the row where the table itself starts."""
    title = safe_text(question_title(ct, ids))
    merge_text(ws, top, 0, last, title, fmt["title"])
    fit_row(ws, top, [(title, full)], size=13, bold=True)
    r = top + 1
    for line in [state_line(ct), *facts]:
        text = safe_text(line)
        merge_text(ws, r, 0, last, text, fmt["note"])
        fit_row(ws, r, [(text, full)])
        r += 1
    if nav is not None:
        ws.write_url(r, 0, nav[0], fmt["link"], string=nav[1])
        r += 1
    return max(r, top + 3)


def _heading(ws: Any, ct: Crosstab, fmt: dict[str, Any], widths: Widths, top: int,
             nav: tuple[str, str] | None, facts: list[str], ids: bool) -> int:
    """Title, state, facts, link, span header and column headings; returns the headings'
    row."""
    pair = sum(widths)
    r = write_title(ws, ct, fmt, top, *text_span(ct, widths), nav, facts, ids)
    if ct.banner is not None:  # a span header row, merged over each span's columns (over
        # each piece of a span that continues on the next printed page)
        spans: list[tuple[str, float]] = []
        seen: set[str] = set()
        for piece in page_plan(ct, widths).pieces[1:]:
            i, j = piece.columns[0], piece.columns[-1]
            title = safe_text(piece.title) + (" (continued)" if piece.title in seen else "")
            seen.add(piece.title)
            ws.merge_range(r, 1 + 2 * i, r, 2 + 2 * j, title, fmt["span"])  # bordered
            spans.append((title, pair * (j - i + 1)))
        fit_row(ws, r, spans, bold=True)
        r += 1
    heads = [safe_text(column_heading(c)) for c in ct.columns]
    for i, head in enumerate(heads):
        ws.merge_range(r, 1 + 2 * i, r, 2 + 2 * i, head, fmt["head"])
    fit_row(ws, r, [(h, pair) for h in heads], bold=True)
    return r


def _bases(ws: Any, ct: Crosstab, fmt: dict[str, Any], r: int) -> int:
    """The base rows from row ``r``; returns the last."""
    ws.write_string(r, 0, "Base (unweighted)", fmt["label_base"])
    for i, c in enumerate(ct.columns):
        if c.withheld:
            ws.write_string(r, 1 + 2 * i, WITHHELD_MARK, fmt["sig"])
        else:
            ws.write_number(r, 1 + 2 * i, c.base, fmt["base"])
        if base_mark(c):
            ws.write_string(r, 2 + 2 * i, base_mark(c), fmt["sig"])
    if ct.weighted:
        for label, attr in (("Base (weighted)", "weighted_base"),
                            ("Base (effective)", "effective_base")):
            r += 1
            ws.write_string(r, 0, label, fmt["label_base"])
            for i, c in enumerate(ct.columns):
                ws.write_number(r, 1 + 2 * i, getattr(c, attr), fmt["wbase"])
    return r


def table_notes(ct: Crosstab, shown: Shown) -> list[str]:
    """The lines under a table: what its counts are, its legend, what was not tested."""
    counts = shown.note(ct) + (" Each count is in the row under its percent."
                               if shown.show == "both" else "")
    return [line for line in [counts.strip(), *legend_lines(ct)] if line] + [
        safe_text(n) for n in untested_notes(ct)]


def legend_lines(ct: Crosstab) -> list[str]:
    """The legend in its sentences, one row each."""
    return legend_sentences(legend(ct))


def legend_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=\.) (?=[A-Z*!▲▼])", text) if s]
