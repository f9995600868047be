"""Tab book renderers (output.book_xlsx, book_html, book_text) read back as a reader meets
them: the workbook's contents link every table, each table sheet holds the engine's
numbers under a merged span header and prints landscape, one page wide, with its headings
repeated; findings in ranked order linked to their tables; the html page's anchors all
resolve; md, json and csv carry every table as ``heetui tab`` renders it."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import openpyxl
import pytest

from heetui.engine.book import Book, BookRequest, tab_book
from heetui.engine.crosstab import TabRequest
from heetui.output import book_xlsx
from heetui.output.book_html import render_book_html
from heetui.output.book_xlsx import write_book_xlsx
from heetui.output.formats import Options, rendered
from heetui.output.tables import (
    Shown,
    column_heading,
    marks,
    render_csv,
    render_md,
    span_titles,
    to_json,
)
from heetui.output.xlsx import write_xlsx
from helpers import located_links, same_blocks

IDS = Shown(ids=True)  # questions named by id too (the default names them by text only)
HOSTILE = '=HYPERLINK("http://example.invalid","x") <script>alert(1)</script> & "q"'


@pytest.fixture(scope="module")
def book(survey) -> Book:
    return tab_book(survey, BookRequest(TabRequest("", "standard", weighted=True)))


@pytest.fixture(scope="module")
def workbook(book, survey, tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "hee.xlsx"
    assert write_book_xlsx(book, survey.codebook, path, IDS) == path
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def page(book, survey) -> str:
    return render_book_html(book, survey.codebook)


def links(ws) -> list[tuple[int, str, str]]:
    """(row, text, target sheet) of every internal link on a sheet, each to a sheet's A1."""
    found = located_links(ws)
    assert all(target_row == 1 for *_, target_row in found), found
    return [(row, text, sheet) for row, text, sheet, _ in found]


def texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


# ---- xlsx ----------------------------------------------------------------------------------

def test_xlsx_sheets_contents_first_then_findings_then_one_per_table(workbook, book):
    names = workbook.sheetnames
    assert names[:2] == ["Contents", "Findings"]
    assert len(names) == 2 + len(book.tables) and len(set(n.casefold() for n in names)) == \
        len(names)
    for name, ct in zip(names[2:], book.tables, strict=True):
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\'")
        assert ct.question.id[:20] in name
        assert str(workbook[name]["A1"].value).startswith(f"{ct.question.id}: ")


def test_xlsx_contents_says_what_the_book_is_and_links_every_table(workbook, book, survey):
    ws = workbook["Contents"]
    cells = texts(ws)
    facts = survey.codebook.survey
    assert cells[0].startswith(survey.codebook.title)
    assert facts["provenance"] in cells and "Synthetic" in facts["provenance"]
    assert facts["fieldwork"] in cells
    assert any(date.today().isoformat() in c for c in cells)  # date produced
    by_label = {row[0].value: row[1].value for row in ws.iter_rows() if row[0].value}
    assert by_label["Banner"].startswith("Report banner")
    ct = book.tables[0]
    for span in ct.banner.spans:  # each span with its columns and their letters
        assert f"{span.label}: " + ", ".join(column_heading(c) for c in ct.columns
                                             if c.span == span.id) in cells
    assert by_label["Filters"] == "none" and by_label["Weighting"].startswith("Weighted")
    assert "α = 0.05" in by_label["Tests"] and "correction: none" in by_label["Tests"]
    assert "each pair of columns within a span" in by_label["Tests"]
    assert "Significant as in the tables" in by_label["Findings"]  # not book-wide BH
    # the legend wrapped over several rows, none of them a 400-character cell
    start = next(r for r in ws.iter_rows() if r[0].value == "Legend")[0].row
    legend = [ws.cell(start + k, 2).value for k in range(3)]
    assert legend[0].startswith("Letters:") and all(len(x) < 300 for x in legend)
    assert any("low base" in x for x in legend)
    # one linked row per table, in order, each to a sheet that exists
    table_links = [(r, t, s) for r, t, s in links(ws) if t.startswith("Table ")]
    assert [t for _, t, _ in table_links] == [f"Table {i + 1}" for i in range(len(book.tables))]
    for (row, _, sheet), ct in zip(table_links, book.tables, strict=True):
        assert sheet in workbook.sheetnames
        assert workbook[sheet]["A1"].value.startswith(ct.question.id + ":")
        assert ws.cell(row, 2).value == ct.question.id
        assert ws.cell(row, 3).value == ct.question.text
        assert ws.cell(row, 4).value == ct.total.base
    assert any(s == "Findings" for _, _, s in links(ws))


def test_xlsx_table_sheets_hold_the_engines_numbers(workbook, book):
    for name, ct in zip(workbook.sheetnames[2:], book.tables, strict=True):
        ws = workbook[name]
        rows = {r[0].value: r for r in ws.iter_rows() if r[0].value}
        # column headings with their letters, in order, each over a value and a letter cell
        head = next(r for r in ws.iter_rows() if r[1].value == column_heading(ct.columns[0]))
        assert [head[1 + 2 * i].value for i in range(len(ct.columns))] == \
            [column_heading(c) for c in ct.columns]
        for label, attr in (("Base (unweighted)", "base"), ("Base (weighted)", "weighted_base"),
                            ("Base (effective)", "effective_base")):
            assert [rows[label][1 + 2 * i].value for i in range(len(ct.columns))] == \
                pytest.approx([getattr(c, attr) for c in ct.columns])
        marks_row = [rows["Base (unweighted)"][2 + 2 * i].value for i in range(len(ct.columns))]
        assert marks_row == [("*" if c.low_base and c.tested else "!" if not c.tested else None)
                             if c.letter else None for c in ct.columns]
        for r in ct.rows:
            line = rows[r.display_label]
            for i, cell in enumerate(r.cells):
                got, sig = line[1 + 2 * i], line[2 + 2 * i]
                if r.is_value:
                    assert got.value == pytest.approx(cell.value)
                else:
                    assert got.value == pytest.approx(cell.percent / 100)
                    assert "%" in got.number_format
                assert (sig.value or "") == marks(cell)
    assert any(c.low_base for ct in book.tables for c in ct.columns)  # markers were checked


def test_xlsx_span_header_is_merged_over_each_span(workbook, book):
    for name, ct in zip(workbook.sheetnames[2:], book.tables, strict=True):
        ws = workbook[name]
        merged = {(m.min_row, m.min_col, m.max_col): ws.cell(m.min_row, m.min_col).value
                  for m in ws.merged_cells.ranges if m.min_row == m.max_row}
        titles = span_titles(ct)
        span_row = next(r for (r, c, _), v in merged.items() if v == titles[1] and c == 4)
        want = {}
        for i, t in enumerate(titles):
            if t:
                first, last = want.get(t, (2 + 2 * i, 0))
                want[t] = (first, 3 + 2 * i)
        assert {v: (c, cl) for (r, c, cl), v in merged.items() if r == span_row} == want


def test_xlsx_findings_ranked_and_linked(workbook, book):
    ws = workbook["Findings"]
    cells = texts(ws)
    assert any("ranked by gap" in c and "true by definition" in c and "left out" in c
               for c in cells)
    head = next(r for r in ws.iter_rows() if r[0].value == "Rank")[0].row
    rows = list(ws.iter_rows(min_row=head + 1, values_only=True))
    assert len(book.findings) > 20 and len(rows) == len(book.findings)
    names = workbook.sheetnames[2:]
    linked = {r: s for r, _, s in links(ws)}
    for k, (row, f) in enumerate(zip(rows, book.findings, strict=True)):
        assert row[0] == k + 1
        assert row[1] == f"{f.table + 1}. {f.question}"
        assert linked[head + 1 + k] == names[f.table]
        assert (row[2], row[3], row[4], row[6]) == (f.question_text, f.row, f.higher, f.lower)
        scale = 100 if f.kind in ("category", "net") else 1
        assert row[5] * scale == pytest.approx(f.higher_value)
        assert row[7] * scale == pytest.approx(f.lower_value)
        assert row[8] == pytest.approx(f.gap) and row[9] == pytest.approx(f.p_value)
        assert row[10] == pytest.approx(f.p_adjusted)
    # ranked by gap to 1e-9 points: gaps equal but for their last bits are a tie
    gaps = [round(r[8], 9) for r, f in zip(rows, book.findings, strict=True)
            if f.kind != "mean"]
    assert gaps == sorted(gaps, reverse=True)


def test_xlsx_print_setup_on_every_sheet(workbook):
    for ws in workbook.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (None, 1)
        assert ps.fitToHeight == 0  # one page wide, as many pages tall as it takes
        assert ws.print_title_rows, ws.title
        assert "&P" in (ws.oddFooter.right.text or "")
    t = workbook.worksheets[2]
    first, last = (int(x) for x in re.findall(r"\d+", t.print_title_rows))
    assert first == 1 and t.cell(last, 2).value.startswith("Total")  # title to headings


def test_xlsx_rows_tall_enough_for_their_wrapped_text(workbook):
    """A long label or heading gets a row as tall as its lines at Excel's widest text
    (1.3 characters per unit of column width): nothing is drawn over the next row."""
    checked = 0
    for ws in workbook.worksheets:
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or not c.alignment.wrap_text:
                    continue
                m = spans.get((c.row, c.column))
                cols = range(c.column, (m.max_col if m else c.column) + 1)
                width = sum(widths.get(openpyxl.utils.get_column_letter(k), 8.43)
                            for k in cols)
                lines = sum(-(-len(p) // int(width * 1.3)) or 1 for p in c.value.split("\n"))
                height = ws.row_dimensions[c.row].height or 15
                assert height >= 14 * lines, (ws.title, c.coordinate, c.value, height)
                checked += lines > 1
    assert checked > 10


def test_xlsx_book_table_is_the_one_table_export(workbook, book, tmp_path):
    """One sheet writer serves both: the book's sheet is the single export's, plus the
    link back to the contents."""
    ct = book.tables[6]
    single = openpyxl.load_workbook(write_xlsx(ct, tmp_path / "one.xlsx", shown=IDS)).active
    sheet = workbook[workbook.sheetnames[2 + 6]]
    assert sheet["A3"].value.startswith("← Contents")
    sheet["A3"].value = None
    assert list(sheet.iter_rows(values_only=True)) == list(single.iter_rows(values_only=True))
    assert {str(m) for m in sheet.merged_cells.ranges} == \
        {str(m) for m in single.merged_cells.ranges}


def test_xlsx_big_book_puts_many_tables_on_a_sheet(book, survey, tmp_path, monkeypatch):
    """Past SHEET_EACH tables, TABLES_PER_SHEET to a sheet, one after another, each starting
    a printed page: every link still lands on its table's first cell, and each table's
    cells are those of its own sheet in a smaller book."""
    workbook = openpyxl.load_workbook(write_book_xlsx(book, survey.codebook,
                                                      tmp_path / "a.xlsx", IDS))
    monkeypatch.setattr(book_xlsx, "SHEET_EACH", 6)
    monkeypatch.setattr(book_xlsx, "TABLES_PER_SHEET", 4)
    big = openpyxl.load_workbook(write_book_xlsx(book, survey.codebook, tmp_path / "b.xlsx",
                                                 IDS))
    assert big.sheetnames == ["Contents", "Findings", "Tables 1–4", "Tables 5–8",
                              "Tables 9–12", "Tables 13–15"]
    to_table = same_blocks(big, workbook, book.tables, 4)
    starts: dict[str, list[int]] = {}
    for sheet, row in to_table:
        starts.setdefault(sheet, []).append(row)
    for sheet, rows in starts.items():
        ws = big[sheet]
        assert rows[0] == 1 and [b.id for b in ws.row_breaks.brk] == [r - 1 for r in rows[1:]]
        assert not ws.sheet_properties.pageSetUpPr.fitToPage  # the breaks hold
        assert ws.page_setup.orientation == "landscape" and 10 <= ws.page_setup.scale < 100
    for _, text, sheet, row in located_links(big["Findings"]):
        if sheet != "Contents":
            number, qid = text.split(". ", 1)
            assert to_table[int(number) - 1] == (sheet, row)
            assert big[sheet].cell(row, 1).value.startswith(f"{qid}: ")


def test_xlsx_text_from_data_is_never_a_formula_and_failed_write_leaves_nothing(
        book, survey, tmp_path, monkeypatch):
    ct = book.tables[0]
    rows = (replace(ct.rows[0], label=HOSTILE), *ct.rows[1:])
    hostile = replace(book, tables=(replace(ct, question=replace(ct.question, text=HOSTILE),
                                            rows=rows),), findings=())
    cb = replace(survey.codebook, survey={**survey.codebook.survey, "fieldwork": HOSTILE})
    path = write_book_xlsx(hostile, cb, tmp_path / "h.xlsx")
    wb = openpyxl.load_workbook(path)
    found = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert sum(c.value == HOSTILE for c in found) >= 3  # a fact, a text, a row label
    assert all(c.data_type == "s" for c in found)

    def broken(*a, **k):
        raise RuntimeError("disk full")

    parts = book_xlsx._PARTS  # how the book writes a crosstab's sheet
    monkeypatch.setitem(parts, "table", replace(parts["table"], sheet=broken))
    with pytest.raises(RuntimeError):
        write_book_xlsx(book, survey.codebook, tmp_path / "h.xlsx", replace=True)
    assert [p.name for p in tmp_path.iterdir()] == ["h.xlsx"]
    assert openpyxl.load_workbook(tmp_path / "h.xlsx").sheetnames == wb.sheetnames


# ---- html ----------------------------------------------------------------------------------

class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.external: list[str] = []
        self.sections: list[str] = []
        self.spans: list[list[int]] = []  # colspans of each span header row
        self.tags: list[str] = []
        self._row: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        for key in ("src", "href"):
            if key in a and not a[key].startswith("#"):
                self.external.append(a[key])
        if tag == "link":
            self.external.append(str(a))
        if tag == "section" and "tab" in a.get("class", "").split():
            self.sections.append(a["id"])
        if tag == "tr":
            self._row = a.get("class")
            if self._row == "spans":
                self.spans.append([])
        if tag == "th" and self._row == "spans":
            self.spans[-1].append(int(a.get("colspan", 1)))


def test_html_is_one_page_with_an_anchor_per_table_and_every_link_resolving(page, book,
                                                                             survey):
    p = Page()
    p.feed(page)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "@media print" in page
    assert not p.external and "script" not in p.tags  # self-contained
    assert len(p.sections) == len(book.tables) and len(set(p.ids)) == len(p.ids)
    assert all(h.startswith("#") and h[1:] in p.ids for h in p.hrefs)
    contents = page[page.index('id="contents"'):page.index('id="findings"')]
    assert [f"#{s}" for s in p.sections] == re.findall(r'href="(#table-\d+)">\d+<', contents)
    assert survey.codebook.survey["provenance"] in page and "Fieldwork" in page
    for ct, cols in zip(book.tables, p.spans, strict=True):
        assert sum(cols) == 1 + 2 * len(ct.columns)  # label, then value and letter cells
        assert len(cols) == 2 + len(ct.banner.spans)  # label, Total, one per span
    findings = page[page.index('id="findings"'):page.index('id="table-1"')]
    assert findings.count("<tr>") == len(book.findings) + 1  # and a heading row
    assert [int(n) for n in re.findall(r'href="#table-(\d+)"', findings)] == \
        [f.table + 1 for f in book.findings]


def test_html_numbers_are_the_tables(page, book):
    ct = book.tables[9]  # views_timing: percents, nets, a mean and its SE
    section = page[page.index('id="table-10"'):page.index('id="table-11"')]
    for r in ct.rows:
        for cell in r.cells:
            assert marks(cell) in section
    assert "0.36</td>" in section and "(0.05)</td>" in section and "47%</td>" in section
    assert "Base (effective)" in section


def test_html_escapes_text_from_data(book, survey):
    ct = book.tables[0]
    hostile = replace(book, tables=(replace(ct, question=replace(ct.question, text=HOSTILE)),),
                      findings=())
    page = render_book_html(hostile, survey.codebook)
    p = Page()
    p.feed(page)
    assert "script" not in p.tags and "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;" in page


# ---- md, json, csv -------------------------------------------------------------------------

def test_md_has_contents_findings_and_every_table(book, survey):
    md = rendered(book, "md", Options(ids=True, codebook=survey.codebook))
    anchors = re.findall(r'<a id="([^"]+)"></a>', md)
    assert all(a in anchors for a in re.findall(r"\]\(#([^)]+)\)", md))
    assert md.index("## Contents") < md.index("## Findings") < md.index("## Table 1.")
    for i, ct in enumerate(book.tables):
        heading = f"## Table {i + 1}. "
        assert heading in md and render_md(ct, ids=True) in md
        assert md.index(f'<a id="table-{i + 1}"></a>') < md.index(heading)
    findings = md[md.index("## Findings"):md.index("## Table 1.")]
    assert findings.count("](#table-") == len(book.findings)
    assert "Synthetic data" in md


def test_json_tables_are_tab_json(book, survey):
    d = json.loads(rendered(book, "json", Options(codebook=survey.codebook)))
    assert d["tables"] == [json.loads(json.dumps(to_json(ct))) for ct in book.tables]
    assert d["survey"]["provenance"].startswith("Synthetic")
    assert [s["id"] for s in d["banner"]["spans"]] == ["stakeholder_type", "seniority",
                                                       "hee_team"]
    assert d["settings"]["book_bh"] is False and d["settings"]["weighted"] is True
    assert [(f["rank"], f["table"], f["row"], f["gap"]) for f in d["findings"]] == \
        [(k + 1, f.table, f.row, pytest.approx(f.gap, abs=1e-6))
         for k, f in enumerate(book.findings)]


def test_csv_is_one_line_per_cell_with_question_and_span(book, survey):
    text = rendered(book, "csv", Options(codebook=survey.codebook))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.count("question,banner,") == 1
    assert len(rows) == sum(len(ct.rows) * len(ct.columns) for ct in book.tables)
    assert [r["question"] for r in rows[::len(book.tables[0].columns)]][:3] == \
        [book.tables[0].question.id] * 3
    spans = {r["span"] for r in rows}
    assert spans == {"", "stakeholder_type", "seniority", "hee_team"}
    for ct in book.tables:  # each table's lines are `heetui tab --format csv`'s
        mine = [r for r in rows if r["question"] == ct.question.id]
        assert mine == list(csv.DictReader(io.StringIO(render_csv(ct))))


def test_marks_against_total_in_their_own_cells(survey, tmp_path):
    b = tab_book(survey, BookRequest(TabRequest("", "standard", compare="total"),
                                     questions=("relationship", "words")))
    wb = openpyxl.load_workbook(write_book_xlsx(b, survey.codebook, tmp_path / "t.xlsx"))
    seen = set()
    for ws, ct in zip(wb.worksheets[2:], b.tables, strict=True):
        rows = {r[0].value: r for r in ws.iter_rows() if r[0].value}
        for r in ct.rows:
            got = [rows[r.display_label][2 + 2 * i].value or "" for i in range(len(r.cells))]
            assert got == [marks(c) for c in r.cells]
            seen |= set("".join(got))
    assert seen == {"▲", "▼"}


def test_book_wide_bh_is_said(survey, tmp_path):
    b = tab_book(survey, BookRequest(TabRequest("", "standard"), questions=("relationship",),
                                     book_bh=True))
    d = json.loads(rendered(b, "json", Options(codebook=survey.codebook)))
    assert d["settings"]["book_bh"] is True and "over every test of the book" in \
        d["findings_note"]
    wb = openpyxl.load_workbook(write_book_xlsx(b, survey.codebook, tmp_path / "b.xlsx"))
    assert any("over every test of the book" in t for t in texts(wb["Findings"]))
    assert any("over every test of the book" in t for t in texts(wb["Contents"]))
    assert "over every test of the book" in render_book_html(b, survey.codebook)
