"""Wide tables print readably: a banner wider than a landscape A4 page at MIN_SCALE prints
across pages that break between whole spans (a span wider than a page between its
columns), at MIN_SCALE, with the row labels and Total repeated on every page and the title,
state and legend within those repeated columns (never cut at a page's edge). A table that
fits stays one page wide. Legends name only what the table holds. (Checked by eye too: a
LibreOffice PDF of a 26-column banner, see the commit message.)"""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from heetui.engine.crosstab import TabRequest
from heetui.engine.grid import table
from heetui.output.tables import legend, span_titles
from heetui.output.xlsx import LABEL_WIDTH, MIN_SCALE, PAGE_COLUMNS, write_xlsx

WIDE = "region,org_type,stakeholder_type,seniority,hee_team,in_contact"


def _widths(ws, last: int) -> list[float]:
    """The columns' widths as set (the file stores each with Excel's padding added)."""
    return [round(ws.column_dimensions[get_column_letter(c)].width - 0.7109375, 3)
            for c in range(1, last + 1)]


@pytest.mark.parametrize("weighted", [False, True])
def test_a_wide_banner_prints_in_pages_of_whole_spans(survey, tmp_path, weighted):
    ct = table(survey, TabRequest("relationship", WIDE, weighted=weighted))
    assert len(ct.columns) >= 26
    write_xlsx(ct, tmp_path / "w.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx").active
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.scale) >= MIN_SCALE
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_cols == "$A:$C"  # row labels and Total on every page
    breaks = [b.id for b in ws.col_breaks.brk]  # the (0-based) sheet column starting a page
    assert breaks
    widths = _widths(ws, 1 + 2 * len(ct.columns))
    repeated = sum(widths[:3])
    room = PAGE_COLUMNS * 100 / MIN_SCALE
    edges = [3, *breaks, 1 + 2 * len(ct.columns)]
    for a, b in zip(edges, edges[1:], strict=False):  # each page fits at MIN_SCALE
        assert repeated + sum(widths[a:b]) <= room + 1e-9, (a, b)
    titles = span_titles(ct)
    pair = widths[1] + widths[2]
    for col in breaks:  # a page starts a span, unless the span is wider than a page
        i = (col - 1) // 2
        if titles[i] == titles[i - 1]:
            assert titles.count(titles[i]) * pair > room - repeated, titles[i]
    # the title and legend lie within the repeated columns
    for rng in ws.merged_cells.ranges:
        text = ws.cell(rng.min_row, rng.min_col).value
        if text and (text.startswith("relationship") or text.startswith("Letters")):
            assert rng.max_col <= 3, text
    assert widths[0] == LABEL_WIDTH


def test_a_table_that_fits_stays_one_page_wide(survey, tmp_path):
    ct = table(survey, TabRequest("relationship", "stakeholder_type"))
    write_xlsx(ct, tmp_path / "n.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "n.xlsx").active
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert not ws.col_breaks.brk and not ws.print_title_cols
    assert column_index_from_string("A") == 1


def test_legends_name_only_what_the_table_holds(survey):
    alone = table(survey, TabRequest("relationship"))  # no banner: no test ran
    assert "Letters" not in legend(alone) and "low base" not in legend(alone)
    words = table(survey, TabRequest("words", "stakeholder_type"))  # no mean row
    assert "Don't know" not in legend(words) and "SE" not in legend(words)
    assert "Letters" in legend(words)
    rel = table(survey, TabRequest("relationship", "stakeholder_type"))
    assert "Don't know" in legend(rel) and "low base (< 100)" in legend(rel)
    big = table(survey, TabRequest("relationship", "in_contact"))
    if all(not c.low_base for c in big.columns):
        assert "low base" not in legend(big)


def test_the_client_sees_question_text_not_ids_unless_asked(survey, tmp_path):
    from heetui.engine.book import BookRequest, tab_book
    from heetui.output.book_html import render_book_html
    from heetui.output.book_xlsx import write_book_xlsx
    from heetui.output.formats import Options, rendered
    from heetui.output.tables import Shown, render_md

    book = tab_book(survey, BookRequest(TabRequest("", "stakeholder_type"),
                                        ("relationship", "relationship_why")))
    ct = book.tables[0]
    for ids in (False, True):
        wb = openpyxl.load_workbook(write_book_xlsx(book, survey.codebook,
                                                    tmp_path / f"{ids}.xlsx", Shown(ids=ids)))
        sheet = wb[wb.sheetnames[2]]
        assert sheet.title.startswith("T01 relationship" if ids else "T01 How would you")
        assert sheet["A1"].value == (f"relationship: {ct.question.text}" if ids
                                     else ct.question.text)
        heads = [c.value for row in wb["Contents"].iter_rows() for c in row
                 if c.value in ("Question", "Text")]
        assert heads == (["Question", "Text"] if ids else ["Text"])
        ranked = [r[1] for r in wb["Findings"].iter_rows(min_row=6, values_only=True)
                  if r[1]]
        assert ranked and all(x in (("1. relationship", "2. relationship_why") if ids
                                    else ("Table 1", "Table 2")) for x in ranked)
        html = render_book_html(book, survey.codebook, Shown(ids=ids))
        assert ("<h2>Table 2. relationship_why:" in html) == ids
        md = rendered(book, "md", Options(ids=ids, codebook=survey.codebook))
        assert ("## Table 2. relationship\\_why" in md) == ids
        assert ("**relationship: How" in render_md(ct, ids=ids)) == ids
