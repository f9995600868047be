"""Text from a codebook is never obeyed as markup or code in any output: each writer
escapes for its own format through one helper (output.markup for Markdown and HTML,
output.cells.cell_text for csv; xlsx writes strings as strings). Hostile question text,
option labels, span labels, nested group labels and a banner name go through every format
of ``heetui tab`` and ``heetui book``, and the app's Markdown copy (``y``), which is
render_md."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from heetui.engine.book import BookRequest, tab_book
from heetui.engine.crosstab import TabRequest
from heetui.engine.grid import table
from heetui.engine.session import Survey, open_survey
from heetui.output.book_html import render_book_html
from heetui.output.book_xlsx import write_book_xlsx
from heetui.output.formats import Options, rendered
from heetui.output.markup import html_text, md_text
from heetui.output.xlsx import write_xlsx
from heetui.survey.write import write_bundle
from helpers import codebook, single

IMG = "<img src=x onerror=alert(1)>"
FORGE = "Text\n| forged | row | here |\n| --- |"
LINK = "[click](javascript:alert(1)) **bold** `code` <b>x</b> &amp;"
FORMULA = '=HYPERLINK("http://example.invalid","x")'
HOSTILE = [IMG, FORGE, LINK, FORMULA, "@SUM(A1)", "+1-2", "-3|4", "a\rb"]


@pytest.fixture(scope="module")
def survey(tmp_path_factory) -> Survey:
    import polars as pl

    q = single("q", [IMG, FORGE, LINK, FORMULA], text=f"{IMG} {FORGE}", group=LINK)
    seg = single("seg", ["@SUM(A1)", "+1-2", "-3|4"], role="segment", text=LINK,
                 label=f"{IMG}|x")
    out = single("outer", ["a\rb", IMG], role="segment", label=FORGE)
    cb = codebook([q, seg, out], title=f"{IMG} {FORGE}")
    cb["banners"] = [{"id": "evil", "label": f"{IMG} {FORGE} {FORMULA}",
                      "spans": ["seg", "seg/outer"]}]
    n = 240
    df = pl.DataFrame({"respondent_id": pl.Series(range(1, n + 1), dtype=pl.UInt32),
                       "q": pl.Series([1 + i % 4 for i in range(n)], dtype=pl.UInt8),
                       "seg": pl.Series([1 + (i // 4) % 3 for i in range(n)], dtype=pl.UInt8),
                       "outer": pl.Series([1 + (i // 7) % 2 for i in range(n)],
                                          dtype=pl.UInt8)})
    folder = tmp_path_factory.mktemp("hostile") / "b"
    write_bundle(folder, cb, df, None, force=True)
    return open_survey(folder)


def ct(survey: Survey):
    return table(survey, TabRequest("q", "evil"))


OWN_LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(#[a-z0-9-]+\)")  # the book's own links


def assert_md_safe(md: str) -> None:
    """No raw HTML tag, link, code span or emphasis from the data; every table row has the
    table's number of cells (an unescaped | or line break would forge one)."""
    lines = md.splitlines()
    for line in lines:
        if re.fullmatch(r'<a id="[a-z0-9-]+"></a>', line):  # the book's own anchors
            continue
        assert not re.search(r"(?<!\\)[<>`\[]", OWN_LINK.sub("", line)), line
    assert not any(line.startswith("| forged") for line in lines)
    blocks: list[list[str]] = []
    for i, line in enumerate(lines):
        if line.startswith("|"):
            if i == 0 or not lines[i - 1].startswith("|"):
                blocks.append([])
            blocks[-1].append(line)
    assert blocks
    for block in blocks:
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in block}
        assert len(widths) == 1, block


def test_md_helper_escapes_markup_and_line_breaks():
    for text in HOSTILE:
        out = md_text(text)
        assert "\n" not in out and "\r" not in out
        assert not re.search(r"(?<!\\)[<>|`\[\]*_&]", out), out


def test_html_helper_escapes_tags_and_attributes():
    assert html_text('<img src="x">\n&') == "&lt;img src=&quot;x&quot;&gt; &amp;"


def test_tab_md_escapes_every_text(survey):
    for show in ("percent", "both", "count"):
        assert_md_safe(rendered(ct(survey), "md", Options(show=show)))  # also the app's `y` copy


def test_book_md_escapes_every_text(survey):
    book = tab_book(survey, BookRequest(TabRequest("", "evil")))
    assert_md_safe(rendered(book, "md", Options(codebook=survey.codebook)))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [k for k, _ in attrs]


def test_book_html_escapes_every_text(survey):
    book = tab_book(survey, BookRequest(TabRequest("", "evil")))
    page = render_book_html(book, survey.codebook)
    p = _Tags()
    p.feed(page)
    assert "img" not in p.tags and "b" not in p.tags and "onerror" not in p.attrs
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<td>| forged" not in page and "\n| forged" not in page


def _csv_fields(text: str) -> list[str]:
    return [f for row in csv.reader(io.StringIO(text)) for f in row]


@pytest.mark.parametrize("fields", ["tab", "book"])
def test_csv_never_starts_a_formula(survey, fields):
    if fields == "tab":
        text = rendered(ct(survey), "csv")
    else:
        text = rendered(tab_book(survey, BookRequest(TabRequest("", "evil"))), "csv",
                        Options(codebook=survey.codebook))
    found = _csv_fields(text)
    assert any("HYPERLINK" in f for f in found) and any("SUM(A1)" in f for f in found)
    assert not [f for f in found if f[:1] in ("=", "+", "-", "@", "\t", "\r")
                and not re.fullmatch(r"-?[\d.]+(e-?\d+)?", f)]


def test_json_keeps_text_exact(survey):
    data = json.loads(rendered(ct(survey), "json"))
    assert data["question"]["text"] == f"{IMG} {FORGE}"
    assert [r["label"] for r in data["rows"]][:4] == [IMG, FORGE, LINK, FORMULA]


def _xlsx_strings(path: Path) -> list[openpyxl.cell.cell.Cell]:
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None]


def test_xlsx_text_is_never_a_formula(survey, tmp_path):
    write_xlsx(ct(survey), tmp_path / "t.xlsx", survey.codebook)
    book = tab_book(survey, BookRequest(TabRequest("", "evil")))
    write_book_xlsx(book, survey.codebook, tmp_path / "b.xlsx")
    for name in ("t.xlsx", "b.xlsx"):
        cells = _xlsx_strings(tmp_path / name)
        assert any(isinstance(c.value, str) and "HYPERLINK" in c.value for c in cells)
        assert all(c.data_type != "f" for c in cells)


def test_profile_md_escapes_every_text(survey):
    from heetui.engine.filters import parse_filter
    from heetui.engine.profiling import profile

    p = profile(survey, (parse_filter(survey.codebook, "seg=1"),), "rest")
    md = rendered(p, "md", Options(show_all=True))
    assert IMG.split()[0][1:] in md  # the hostile labels are listed
    assert_md_safe(md)
