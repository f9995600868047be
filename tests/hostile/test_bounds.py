"""Bounded cost, checked before the work: a table, a banner, a grid or a survey-wide
command whose size is beyond heetui's bounds (README: Scaling) is refused in one sentence
before any query, and under a memory limit nothing ends in a MemoryError."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from cli_helpers import one_sentence
from heetui.cli.main import main
from heetui.engine.banner import MAX_CELLS, MAX_COLUMNS, MAX_TESTS
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.results import GridSummary
from heetui.engine.session import Survey, open_survey
from heetui.errors import EngineError
from helpers import GRID, make_bundle, single


def wide_bundle(folder: Path, options: int, role: str = "segment") -> Path:
    """A bundle whose variable ``big`` has ``options`` options (as a banner segment or a
    question), its codebook written as text: the codebook writer is not what is tested."""
    seg = single("seg", ["a", "b"], role="segment")
    q = single("q", ["x", "y"])
    big = single("big", ["o"], role=role)
    make_bundle(folder, [seg, q, big], {"seg": [1, 2] * 50, "q": [2, 1] * 50,
                                        "big": [1] * 100})
    cb = folder / "codebook.toml"
    one = '    {code = 1, label = "o"},\n'
    text = cb.read_text()
    assert one in text, text
    cb.write_text(text.replace(one, "".join(f'    {{code = {i}, label = "option {i}"}},\n'
                                            for i in range(1, options + 1))))
    pl.read_parquet(folder / "respondents.parquet").with_columns(
        big=pl.Series([1 + i % options for i in range(100)], dtype=pl.UInt16)
    ).write_parquet(folder / "respondents.parquet")
    return folder


def no_queries(survey: Survey, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every query the survey is asked (there should be none)."""
    sent: list[str] = []
    for name in ("query", "query_arrays"):
        real = getattr(survey, name)
        monkeypatch.setattr(survey, name, lambda q, real=real: sent.append(str(q)) or real(q))
    return sent


def test_a_banner_wider_than_the_letters_is_refused_before_any_query(tmp_path, monkeypatch):
    survey = open_survey(wide_bundle(tmp_path / "b", MAX_COLUMNS))  # 1 + 676 columns
    sent = no_queries(survey, monkeypatch)
    with pytest.raises(EngineError, match=f"677 columns, more than the {MAX_COLUMNS}"):
        crosstab(survey, TabRequest("q", banner="big"))
    assert sent == []


def test_a_table_of_too_many_cells_is_refused_before_any_query(tmp_path, monkeypatch):
    rows = MAX_CELLS // 3 + 1  # by seg: Total and two columns
    survey = open_survey(wide_bundle(tmp_path / "b", rows, role="question"))
    sent = no_queries(survey, monkeypatch)
    with pytest.raises(EngineError, match="rows by 3 columns, more than the 100,000 cells"):
        crosstab(survey, TabRequest("big", banner="seg"))
    assert sent == []
    assert crosstab(survey, TabRequest("big")).total.base == 100  # one column: in bounds


def test_too_many_pairs_are_refused_but_compared_with_the_total(tmp_path, monkeypatch):
    n = 500  # 124,750 pairs in one span, on two rows
    assert 2 * n * (n - 1) // 2 > MAX_TESTS > 2 * n
    survey = open_survey(wide_bundle(tmp_path / "b", n))
    sent = no_queries(survey, monkeypatch)
    with pytest.raises(EngineError, match="would test 249,500 pairs of cells"):
        crosstab(survey, TabRequest("q", banner="big"))
    assert sent == []
    ct = crosstab(survey, TabRequest("q", banner="big", compare="total"))
    assert len(ct.columns) == n + 1


def test_a_survey_wide_request_checks_every_table_before_the_first_scan(tmp_path,
                                                                        monkeypatch):
    from heetui.engine.survey_wide import crosstabs

    survey = open_survey(wide_bundle(tmp_path / "b", MAX_CELLS // 3 + 1, role="question"))
    sent = no_queries(survey, monkeypatch)
    with pytest.raises(EngineError, match="cells heetui computes"):
        list(crosstabs(survey, TabRequest("q", banner="seg"), ["q", "big"]))
    assert sent == []


def _limited(gigabytes: float) -> None:
    limit = int(gigabytes * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_a_wide_banner_under_a_memory_limit_is_one_sentence(tmp_path):
    """The first hostile round's case: 5,000 options as a banner grew to gigabytes before
    refusing, and under `ulimit -v` ended in a MemoryError traceback."""
    folder = wide_bundle(tmp_path / "b", 5_000)
    r = subprocess.run([sys.executable, "-m", "heetui", "tab", "q", "--by", "big", "--data",
                        str(folder)], capture_output=True, text=True, timeout=300,
                       preexec_fn=lambda: _limited(2.5))
    assert "columns, more than the 676" in one_sentence(r)


@pytest.mark.parametrize("error", ["MemoryError", "RecursionError", "duckdb"])
def test_running_out_of_memory_anywhere_is_one_sentence(monkeypatch, capsys, error):
    """The last line of defence, at the CLI's root, for what no bound foresaw."""
    import duckdb

    import heetui.cli.main as cli

    made = {"MemoryError": MemoryError(), "RecursionError": RecursionError(),
            "duckdb": duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate")}

    def exhausted(args: object) -> None:
        raise made[error]

    monkeypatch.setitem(cli.COMMANDS, "info", exhausted)
    assert main(["info"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("heetui: error: this needs more memory than the system allows")
    assert err.count("\n") == 1


# ---- a sheet's declared range ---------------------------------------------------------------

def _xlsx(path: Path, cells: dict[str, object], declared: str | None = None) -> Path:
    """An xlsx file holding ``cells``; ``declared`` rewrites the range its sheet declares."""
    import re
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    for ref, value in cells.items():
        wb.active[ref] = value
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and declared:
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>',
                                  f'<dimension ref="{declared}"/>'.encode(), data)
                assert n == 1
            zout.writestr(item, data)
    return path


def test_an_xlsx_is_read_by_its_cells_not_its_declared_range(tmp_path, monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from heetui.importers.sources import read_xlsx

    cells: dict[str, object] = {"A1": "id", "B1": "q"}
    for i in range(2, 22):
        cells |= {f"A{i}": i - 1, f"B{i}": 1 + i % 3}
    path = _xlsx(tmp_path / "s.xlsx", cells, declared="A1:XFD1048576")
    seen = []
    real = ReadOnlyWorksheet._get_row

    def counted(self, *args, **kwargs):
        row = real(self, *args, **kwargs)
        seen.append(len(row))
        return row

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", counted)
    table = read_xlsx(path)
    assert table.frame.shape == (20, 2)
    assert sum(seen) == 42  # the 21 rows' cells, not 16,384 columns of each


def test_an_xlsx_whose_cells_span_too_far_is_refused_in_one_sentence(tmp_path):
    from heetui.importers.sources import MAX_XLSX_CELLS

    far = f"NTQ{MAX_XLSX_CELLS // 10_000 + 1}"  # column 10,001, row 2,001
    path = _xlsx(tmp_path / "s.xlsx", {"A1": "id", "B1": "q", "A2": 1, "B2": 2, far: "x"})
    r = subprocess.run([sys.executable, "-m", "heetui", "import", str(path), "-o",
                        str(tmp_path / "b")], capture_output=True, text=True, timeout=300)
    assert "2,001 rows by 10,001 columns, more than the 20,000,000 cells" in one_sentence(r)
    assert not (tmp_path / "b").exists()


# ---- grids: a grouping set per pair of items ----------------------------------------------

def test_a_grid_beyond_the_item_bound_is_refused_and_the_book_keeps_its_items(tmp_path,
                                                                             monkeypatch):
    from heetui.engine.book import BookRequest, tab_book
    from heetui.engine.grid import MAX_GRID_ITEMS, grid_table

    def grid_of(n: int) -> dict:
        return {**GRID, "id": f"g{n}",
                "items": [{"id": f"g{n}_{i}", "label": f"Item {i}"} for i in range(n)]}

    small, big = MAX_GRID_ITEMS, MAX_GRID_ITEMS + 1
    data = {f"g{n}_{i}": [1 + (i + r) % 4 for r in range(30)]
            for n in (small, big) for i in range(n)}
    survey = open_survey(make_bundle(tmp_path / "b", [grid_of(small), grid_of(big)], data))
    sent = no_queries(survey, monkeypatch)
    with pytest.raises(EngineError, match=f"has {big} items, more than the {small} whose "
                                          f"pairs \\(820\\)"):
        grid_table(survey, TabRequest(f"g{big}"))
    assert sent == []
    assert len(grid_table(survey, TabRequest(f"g{small}")).columns) == small
    book = tab_book(survey, BookRequest(TabRequest("")))
    summaries = [ct.question.id for ct in book.tables if isinstance(ct, GridSummary)]
    assert summaries == [f"g{small}"]
    assert len(book.tables) == 1 + small + big


# ---- thousands of columns ---------------------------------------------------------------------

def test_queries_read_the_respondents_file_not_the_view():
    """DuckDB binds every column of a view for each query (0.2 s a query at 3,000 columns):
    the engine's table name is replaced by the file, and nothing else that reads alike."""
    from heetui.engine.session import RESPONDENTS_TABLE

    survey = open_survey()
    sql, _ = survey._sql_and_values(
        'SELECT "respondents", respondents.x, respondents_2 FROM respondents WHERE y IN '
        '(SELECT respondent_id FROM respondents) AND respondents(1)')
    source = survey._derived.table(None) + ' AS "respondents"'  # no derived variable here
    assert source.startswith("read_parquet(")
    assert sql == ('SELECT "respondents", respondents.x, respondents_2 FROM ' + source
                   + ' WHERE y IN (SELECT respondent_id FROM ' + source
                   + ') AND respondents(1)')
    assert RESPONDENTS_TABLE.sub("X", "respondents JOIN v") == "X JOIN v"
    assert survey.query("SELECT COUNT(*) FROM respondents") == [(602,)]


def test_numeric_questions_share_scans_and_equal_their_own_tables(tmp_path, monkeypatch):
    """A survey of many numeric columns (3,000-column imports have hundreds) is counted in
    one scan per batch, not one scan per question."""
    from heetui.engine.survey_wide import crosstabs
    from heetui.survey.write import write_bundle
    from helpers import codebook, same_table

    n = 40
    seg = single("seg", ["a", "b"], "segment")
    nums = [{"id": f"n{i}", "type": "numeric", "text": f"How many {i}?", "role": "question"}
            for i in range(n)]
    nums[5]["eligible"] = {"variable": "seg", "codes": [1]}
    frame = pl.DataFrame({
        "respondent_id": pl.Series(range(1, 61), dtype=pl.UInt32),
        "seg": pl.Series([1 + r % 2 for r in range(60)], dtype=pl.UInt8),
        "w": [0.5 + (r % 7) / 4 for r in range(60)],
        **{f"n{i}": [None if (r + i) % 9 == 0 else (r * (i + 3)) % 17 / 3 for r in range(60)]
           for i in range(n)}})
    s = open_survey(write_bundle(tmp_path / "b", codebook([seg, *nums], weight="w"), frame,
                                 None, force=True))
    sent = no_queries(s, monkeypatch)
    ids = [f"n{i}" for i in range(n)]
    base = TabRequest("", "seg", weighted=True)
    tables = list(crosstabs(s, base, ids))
    assert len(sent) == 2  # every question asked of all in one scan, n5 in its own
    s.clear_cache()
    for q, got in zip(ids, tables, strict=True):
        same_table(got, crosstab(s, TabRequest(q, "seg", weighted=True)))


def test_the_overview_of_many_segments_is_a_few_scans(tmp_path, monkeypatch):
    from heetui.engine.summary import overview, segment_profile

    segs = [single(f"s{i}", ["a", "b", "c"], "segment") for i in range(60)]
    data = {f"s{i}": [1 + (r * (i + 1)) % 3 for r in range(40)] for i in range(60)}
    s = open_survey(make_bundle(tmp_path / "b", segs, data))
    sent = no_queries(s, monkeypatch)
    ov = overview(s)
    assert len(sent) <= 3  # respondents, one scan of the 60 segments (no comments)
    s.clear_cache()
    assert ov.segments == tuple(segment_profile(s, f"s{i}") for i in range(60))


def test_a_profile_of_a_thousand_columns_is_a_few_scans(tmp_path, monkeypatch):
    """The plan of a survey-wide command on a wide file: scans per batch of questions, not
    per question and never per pair (the time it takes is not what is asserted)."""
    from heetui.engine.filters import parse_filter
    from heetui.engine.profiling import profile
    from heetui.survey.write import write_bundle
    from helpers import codebook

    singles = [single(f"q{i}", ["a", "b", "c", "d", "e"][: 2 + i % 4]) for i in range(900)]
    nums = [{"id": f"x{i}", "type": "numeric", "text": f"x{i}", "role": "question"}
            for i in range(300)]
    seg = single("seg", ["a", "b"], "segment")
    frame = pl.DataFrame({
        "respondent_id": pl.Series(range(1, 51), dtype=pl.UInt32),
        "seg": pl.Series([1 + r % 2 for r in range(50)], dtype=pl.UInt8),
        **{f"q{i}": pl.Series([1 + (r + i) % (2 + i % 4) for r in range(50)], dtype=pl.UInt8)
           for i in range(900)},
        **{f"x{i}": [float((r * i) % 11) for r in range(50)] for i in range(300)}})
    s = open_survey(write_bundle(tmp_path / "b", codebook([seg, *singles, *nums]), frame,
                                 None, force=True))
    sent = no_queries(s, monkeypatch)
    p = profile(s, (parse_filter(s.codebook, "seg=a"),))
    assert len(p.rows) > 0
    assert len(sent) == 1 + 3 + 1  # the group's size; 900 single-choice by 400; 300 numeric


def test_a_json_book_is_written_a_table_at_a_time(survey, monkeypatch):
    """A json book is written as pieces, one table's dict made per piece (a book of
    thousands of tables never one dict nor one string), and the pieces are the text one
    ``json.dumps`` of the whole book writes: with tables, and with none."""
    import json

    from heetui.engine.book import Book, BookRequest, tab_book
    from heetui.output import book_text

    book = tab_book(survey, BookRequest(TabRequest("", "standard", weighted=True)))
    cb = survey.codebook
    for b in (book, Book(book.request, (), ())):
        assert "".join(book_text.book_json_chunks(b, cb)) == json.dumps(
            book_text.book_json(b, cb), ensure_ascii=False, indent=2) + "\n"
    made: list[str] = []
    real = book_text.to_json
    monkeypatch.setattr(book_text, "to_json", lambda ct: made.append(ct.question.id)
                        or real(ct))
    chunks = book_text.book_json_chunks(book, cb)
    next(chunks)  # the head: the banner is read from the first table
    assert len(made) == 1
    for i in range(len(book.tables)):
        next(chunks)
        assert len(made) == i + 2
    assert len(book.tables) > 10


def test_a_book_of_many_multi_response_questions_and_grids_is_a_few_scans(tmp_path,
                                                                          monkeypatch):
    """The plan of a book of a wide import: its single-choice questions (grid items too)
    in one scan, its multi-response questions in one, and one scan per grid summary; never
    a scan per multi-response question."""
    from heetui.engine.book import BookRequest, tab_book
    from helpers import multi

    grids = [dict(GRID, id=f"g{j}", items=[{"id": f"g{j}_{i}", "label": f"Item {i}"}
                                           for i in range(1, 6)]) for j in range(3)]
    multis = [multi(f"m{i}", ["a", "b", "c", "d"]) for i in range(60)]
    singles = [single(f"s{i}", ["x", "y", "z"]) for i in range(40)]
    seg = single("seg", ["a", "b"], "segment")
    n = 30
    data: dict[str, list] = {"seg": [1 + r % 2 for r in range(n)]}
    data |= {f"g{j}_{i}": [[1, 2, 3, 4, 9][(r + i + j) % 5] for r in range(n)]
             for j in range(3) for i in range(1, 6)}
    data |= {f"m{i}_{k}": [(r + i + k) % 2 for r in range(n)] for i in range(60)
             for k in range(1, 5)}
    data |= {f"s{i}": [1 + (r * i) % 3 for r in range(n)] for i in range(40)}
    s = open_survey(make_bundle(tmp_path / "b", [seg, *grids, *multis, *singles], data))
    sent = no_queries(s, monkeypatch)
    book = tab_book(s, BookRequest(TabRequest("", "seg")))
    assert len(book.tables) == 1 + 3 + 15 + 60 + 40  # the segment too
    assert len(sent) == 1 + 1 + 3  # singles and grid items; multi-response; each grid
