"""``--show count|both`` reaches every format of tab and book: xlsx writes each count in a
row under its percent (or counts in place of percents), md and html put both in the cell,
csv and json always carry both. The counts are the engine's (weighted beside weighted
percents unless --counts unweighted)."""

from __future__ import annotations

import openpyxl
import pytest

from cli_helpers import run_here as heetui  # main in this process: many runs
from heetui.engine.crosstab import TabRequest
from heetui.engine.grid import table


def sheet_rows(path, sheet: int = 0) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    return list(wb.worksheets[sheet].iter_rows(values_only=True))


def _after(rows: list[tuple], label: str) -> tuple[tuple, tuple]:
    i = next(k for k, r in enumerate(rows) if r[0] == label)
    return rows[i], rows[i + 1]


@pytest.mark.parametrize("weighted", [False, True])
def test_tab_xlsx_both_writes_counts_under_percents(survey, tmp_path, weighted):
    ct = table(survey, TabRequest("relationship", "stakeholder_type", weighted=weighted))
    out = tmp_path / "t.xlsx"
    extra = ["--weighted"] if weighted else []
    r = heetui("tab", "relationship", "--by", "stakeholder_type", "--show", "both",
               "--format", "xlsx", "-o", str(out), *extra)
    assert r.returncode == 0, r.stderr
    rows = sheet_rows(out)
    for row in (x for x in ct.rows if not x.is_value):
        pct, counts = _after(rows, row.display_label)
        assert counts[0] is None
        want = [c.weighted_count if weighted else c.count for c in row.cells]
        assert [pct[1 + 2 * i] for i in range(len(row.cells))] == pytest.approx(
            [c.percent / 100 for c in row.cells])
        assert [counts[1 + 2 * i] for i in range(len(row.cells))] == pytest.approx(want)
    notes = " ".join(str(v) for r in rows for v in r if isinstance(v, str))
    assert "Each count is in the row under its percent." in notes
    assert ("Counts are weighted" if weighted else "Counts are unweighted") in notes


def test_tab_xlsx_count_writes_counts_in_place(survey, tmp_path):
    ct = table(survey, TabRequest("relationship", "stakeholder_type"))
    out = tmp_path / "c.xlsx"
    r = heetui("tab", "relationship", "--by", "stakeholder_type", "--show", "count",
               "--format", "xlsx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    rows = sheet_rows(out)
    first = ct.rows[0]
    line, after = _after(rows, first.display_label)
    assert [line[1 + 2 * i] for i in range(len(first.cells))] == [c.count for c in first.cells]
    assert after[0] == ct.rows[1].display_label


def test_grid_xlsx_both(tmp_path):
    from helpers import grid_bundle

    folder = grid_bundle(tmp_path / "g")
    out = tmp_path / "g.xlsx"
    r = heetui("tab", "sat", "--data", str(folder), "--show", "both", "--format", "xlsx",
               "-o", str(out))
    assert r.returncode == 0, r.stderr
    rows = sheet_rows(out)
    speed, counts = _after(rows, next(r[0] for r in rows if str(r[0]).startswith("Speed")))
    assert counts[0] is None and isinstance(counts[1 + 2 * 1], (int, float))
    assert isinstance(speed[1 + 2 * 1], float) and speed[1 + 2 * 1] <= 1


@pytest.mark.parametrize("fmt", ["xlsx", "html", "md", "csv", "json"])
def test_book_show_both_in_every_format(survey, tmp_path, fmt):
    ct = table(survey, TabRequest("relationship", "stakeholder_type"))
    cell = ct.rows[0].cells[2]
    out = tmp_path / f"b.{fmt}"
    r = heetui("book", "--by", "stakeholder_type", "--questions", "relationship", "--show",
               "both", "-o", str(out))
    assert r.returncode == 0, r.stderr
    if fmt == "xlsx":
        rows = sheet_rows(out, 2)
        _, counts = _after(rows, ct.rows[0].display_label)
        assert counts[1 + 2 * 2] == cell.count
        return
    text = out.read_text(encoding="utf-8")
    both = f"{round(cell.percent)}% ({cell.count})"
    if fmt in ("md", "html"):
        assert both in text
    else:  # csv and json carry counts and percents whatever is shown
        assert str(cell.count) in text
