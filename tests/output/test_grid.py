"""Rating grids as an analyst meets them: the codebook entry, the summary table in the CLI
(text, json, csv, md, xlsx), the chart, the tab book, the app, and grids recognised when a
.sav, .dta or CSV file is imported. The statistics are checked against an independent
reference in test_grid_numbers.py."""

from __future__ import annotations

import json
import tomllib

import numpy as np
import polars as pl
import pytest

from heetui.cli.main import main
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.grid import table
from heetui.engine.session import open_survey
from heetui.survey.bundle import load_bundle
from heetui.survey.parse import codebook_from_dict, codebook_to_dict
from helpers import GRID, SCALE, codebook, grid_bundle, make_bundle, single


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return grid_bundle(tmp_path_factory.mktemp("grid") / "b")


def test_base_line_says_each_item_counts_its_own_answers(bundle, tmp_path):
    ct = table(open_survey(bundle), TabRequest("sat"))
    assert ct.base_text == "Base: all respondents answering each item"
    asked = make_bundle(tmp_path / "asked", [
        single("region", ["North", "South"], "segment"),
        {**GRID, "eligible": {"variable": "region", "codes": [2]}}],
        {"region": [1, 2, 2, 1], "sat_1": [1, 2, 3, None], "sat_2": [4, 3, None, 1],
         "sat_3": [None, 1, 2, 3]})
    ct = table(open_survey(asked), TabRequest("sat"))
    assert ct.base_text == "Base: respondents region = South, answering each item"
    assert [c.base for c in ct.columns] == [2, 1, 2]  # South only, answering that item


def test_codebook_grid_becomes_items_and_writes_back_as_one_entry(bundle):
    cb = load_bundle(bundle).codebook
    grid = cb.grid("SAT")  # ids are found in any letter case
    assert grid is not None and grid.items == ("sat_1", "sat_2", "sat_3")
    items = cb.items(grid)
    assert [v.type for v in items] == ["single"] * 3 and all(v.grid == "sat" for v in items)
    assert items[0].text == "How would you rate each of these? — Speed"
    assert items[2].text == "And the staff you met?"
    assert [o.label for o in items[1].options] == [o["label"] for o in SCALE]
    written = codebook_to_dict(cb)["questions"]
    assert [q["id"] for q in written] == ["sat"] and written[0]["type"] == "grid"
    again, problems = codebook_from_dict(codebook_to_dict(cb))
    assert problems == [] and again is not None and again.grids == cb.grids
    assert again.variables == cb.variables


@pytest.mark.parametrize(("change", "message"), [
    ({"items": ["sat_1"]}, "expected a list of at least two items"),
    ({"items": ["sat_1", "bad id"]}, "'bad id' must contain only letters"),
    ({"items": ["sat_1", "region"]}, "this id is used by more than one"),
    ({"options": []}, "needs at least one option"),
])
def test_codebook_grid_mistakes_are_named(change, message):
    cbd = codebook([single("region", ["North", "South"], "segment"), {**GRID, **change}])
    _, problems = codebook_from_dict(cbd)
    assert any(message in str(p) for p in problems), problems


def test_tab_prints_a_row_per_item(bundle, capsys):
    assert main(["tab", "sat", "--data", str(bundle), "--width", "120"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sat: How would you rate each of these?\nGrid of 3 items")
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if "Very poor" in line)
    assert "NET: Good" in lines[head] and "Mean score" in lines[head]
    rows = [line for line in lines if line.startswith(("Speed (A)", "Price (B)", "Staff (C)"))]
    assert len(rows) == 3
    gt = table(open_survey(bundle), TabRequest("sat"))
    price = rows[1].split()
    assert price[2] == str(gt.columns[1].base)
    good = next(r for r in gt.rows if r.key == "net1").cells[1]
    assert f"{round(good.percent)}%{''.join(good.sig)}" in price


def test_grid_json_and_csv_are_the_crosstab_forms(bundle, capsys):
    assert main(["tab", "sat", "--data", str(bundle), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["question"]["type"] == "grid" and doc["grid"]["items"] == ["sat_1", "sat_2",
                                                                           "sat_3"]
    assert [c["key"] for c in doc["columns"]] == ["sat_1", "sat_2", "sat_3"]
    assert [r["key"] for r in doc["rows"]] == ["1", "2", "3", "4", "9", "net1", "mean"]
    survey = open_survey(bundle)
    for i, item in enumerate(("sat_1", "sat_2", "sat_3")):  # each item is its own question
        alone = crosstab(survey, TabRequest(item))
        assert doc["columns"][i]["base"] == alone.total.base
        for row, own in zip(doc["rows"], alone.rows, strict=True):
            cell = row["cells"][i]
            got = cell["value"] if row["kind"] == "mean" else cell["percent"]
            want = own.cells[0].value if own.kind == "mean" else own.cells[0].percent
            assert got == pytest.approx(want, abs=1e-6)
    assert main(["tab", "sat", "--data", str(bundle), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 3 * 7


def test_grid_by_a_banner_is_one_sentence(bundle, capsys):
    assert main(["tab", "sat", "--by", "region", "--data", str(bundle)]) == 2
    err = capsys.readouterr().err
    assert "tab one of its items (sat_1, sat_2, sat_3) by a banner" in err and err.count("\n") == 1
    assert main(["tab", "sat_1", "--by", "sat", "--data", str(bundle)]) == 2
    assert "'sat' is a grid; as a banner take one of its items" in capsys.readouterr().err


def test_sort_orders_items_by_their_first_net(bundle, capsys):
    assert main(["tab", "sat", "--data", str(bundle), "--sort", "total", "--format",
                 "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    net = next(r for r in doc["rows"] if r["key"] == "net1")
    goods = [c["percent"] for c in net["cells"]]
    assert goods == sorted(goods, reverse=True)
    assert doc["columns"][0]["key"] == "sat_2"  # Price is rated best
    assert doc["columns"][0]["letter"] == "B"  # letters stay with their items


def test_md_xlsx_and_chart(bundle, tmp_path, capsys):
    assert main(["tab", "sat", "--data", str(bundle), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "| Item | Base | Very poor |" in md and "| Price (B) |" in md
    target = tmp_path / "g.xlsx"
    assert main(["tab", "sat", "--data", str(bundle), "--format", "xlsx", "-o",
                 str(target)]) == 0
    import openpyxl

    ws = openpyxl.load_workbook(target).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    head = next(r for r in cells if r[0] == "Item")
    assert head[1] == "Base" and "Very poor" in head and "NET: Good" in head
    items = [r for r in cells if isinstance(r[0], str) and r[0].startswith(("Speed", "Price"))]
    assert [r[0] for r in items] == ["Speed (A)", "Price (B)"]
    assert main(["chart", "sat", "--data", str(bundle), "--width", "90"]) == 0
    chart = capsys.readouterr().out
    assert "Speed (A) n=" in chart and "Price (B) n=" in chart and "Mean score" in chart
    assert "Letters: significantly higher than the item with that letter" in chart


def test_book_puts_the_summary_before_its_items_and_equals_tab(bundle, capsys):
    assert main(["book", "--by", "region", "--data", str(bundle), "--format", "json"]) == 0
    tables = json.loads(capsys.readouterr().out)["tables"]
    assert [t["question"]["id"] for t in tables] == ["region", "sat", "sat_1", "sat_2",
                                                      "sat_3"]
    assert main(["tab", "sat", "--data", str(bundle), "--format", "json"]) == 0
    assert tables[1] == json.loads(capsys.readouterr().out)
    assert main(["book", "--questions", "sat", "--data", str(bundle), "--format", "md",
                 "--ids"]) == 0
    md = capsys.readouterr().out
    assert "Table 1. sat" in md and "Table 4. sat\\_3" in md and "Price (B)" in md


# ---- import -------------------------------------------------------------------------------

LABELS = {1: "Very poor", 2: "Poor", 3: "Good", 4: "Very good", 9: "Don't know"}
NAMES = ["Speed of service", "Price", "Staff attitude"]


def _frame(rng: np.random.Generator) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"id": [float(i) for i in range(1, 101)]}
    for k in range(1, 4):
        out[f"Q5_{k}"] = rng.choice([1, 2, 3, 4, 9], 100).astype(float).tolist()
    out["Q6_1"] = rng.choice([1, 2], 100).astype(float).tolist()  # other labels: no grid
    out["Q6_2"] = rng.choice([1, 2], 100).astype(float).tolist()
    return out


def _written(folder) -> list[dict]:
    return tomllib.loads((folder / "codebook.toml").read_text())["questions"]


@pytest.mark.parametrize("kind", ["sav", "dta"])
def test_import_recognises_a_grid_in_spss_and_stata(tmp_path, kind, capsys):
    import pandas as pd
    import pyreadstat

    df = pd.DataFrame(_frame(np.random.default_rng(2)))
    labels = {f"Q5_{k}": LABELS for k in range(1, 4)}
    labels.update({"Q6_1": {1: "Yes", 2: "No"}, "Q6_2": {1: "Agree", 2: "Disagree"}})
    texts = ["id"] + [f"How would you rate us on: {x}" for x in NAMES] + ["Q6a", "Q6b"]
    src = tmp_path / f"g.{kind}"
    write = pyreadstat.write_sav if kind == "sav" else pyreadstat.write_dta
    write(df, str(src), column_labels=texts, variable_value_labels=labels)
    out = tmp_path / "b"
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert "(3 of them items of 1 rating grid)" in capsys.readouterr().err
    qs = _written(out)
    assert [q["id"] for q in qs] == ["Q5", "Q6_1", "Q6_2"]
    grid = qs[0]
    assert grid["type"] == "grid" and grid["text"] == "How would you rate us on"
    assert [i["label"] for i in grid["items"]] == NAMES
    assert [o.get("value") for o in grid["options"]] == [1, 2, 3, 4, None]
    gt = table(open_survey(out), TabRequest("Q5"))
    q5_2 = np.array(df["Q5_2"])
    assert gt.columns[1].base == 100
    assert gt.rows[0].cells[1].percent == pytest.approx(100 * np.mean(q5_2 == 1))
    scored = q5_2[q5_2 != 9]
    assert gt.rows[-1].cells[1].value == pytest.approx(scored.mean())


def test_import_recognises_text_and_number_grids_in_csv(tmp_path):
    rng = np.random.default_rng(4)
    agree = ["Agree", "Disagree", "Neither"]
    df = pl.DataFrame({
        "respid": list(range(1, 81)),
        "att_1": rng.choice(agree, 80).tolist(),
        "att_2": rng.choice(agree[:2], 80).tolist(),  # no one neither: same codes anyway
        "sc.1": rng.integers(1, 6, 80).tolist(), "sc.2": rng.integers(2, 6, 80).tolist(),
        "solo_1": rng.choice(["x", "y"], 80).tolist()})
    src = tmp_path / "g.csv"
    df.write_csv(src)
    out = tmp_path / "b"
    assert main(["import", str(src), "-o", str(out)]) == 0
    qs = {q["id"]: q for q in _written(out)}
    assert qs["att"]["type"] == "grid"
    assert [o["label"] for o in qs["att"]["options"]] == ["Agree", "Neither", "Disagree"]
    assert "value" not in qs["att"]["options"][0]  # text answers: no scores to guess
    assert qs["sc"]["type"] == "grid" and [o["value"] for o in qs["sc"]["options"]] == \
        [1, 2, 3, 4, 5]
    assert qs["solo_1"]["type"] == "single"
    gt = table(open_survey(out), TabRequest("att"))
    disagree = next(r for r in gt.rows if r.label == "Disagree")
    assert disagree.cells[1].percent == pytest.approx(
        100 * (df["att_2"] == "Disagree").mean())
    sc = table(open_survey(out), TabRequest("sc"))
    assert sc.rows[-1].cells[1].value == pytest.approx(df["sc.2"].mean())


# ---- app ----------------------------------------------------------------------------------

async def test_app_opens_the_grid_and_drills_into_an_item(bundle, tmp_path, monkeypatch):
    from textual.widgets import OptionList

    from heetui.tui.app import HeetuiApp
    from heetui.tui.chart_view import ChartView
    from heetui.tui.table_view import CrosstabTable
    from heetui.tui.verbatim_screen import VerbatimScreen

    app = HeetuiApp(open_survey(bundle))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.view.question == "sat"  # the grid opens on its summary
        t = app.query_one(CrosstabTable)
        assert t.cell_text("item:sat_2", "base") == str(app.crosstab.columns[1].base)
        good = app.crosstab.rows[5].cells[1]
        assert t.cell_text("item:sat_2", "m:net1") == f"{round(good.percent)}%" + "".join(
            good.sig)
        listed = [str(o.prompt).split("\n")[0] for o in app.query_one(OptionList)._options]
        assert listed[1:5] == ["sat [grid]", "  sat_1", "  sat_2", "  sat_3"]
        assert "Banner: none (grid items)" in str(app.query_one("#status").render())
        t.cursor_coordinate = t.cursor_coordinate._replace(
            row=t.get_row_index("item:sat_2"), column=t.get_column_index("m:3"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VerbatimScreen)
        cell = app.screen.selection.cell
        assert cell is not None and cell.question == "sat_2" and cell.codes == (3,)
        await pilot.press("escape", "g")
        await pilot.pause()
        chart = app.query_one(ChartView).text
        assert "Speed (A) n=" in chart and "Mean score" in chart
        monkeypatch.chdir(tmp_path)
        await pilot.press("g", "e")  # back to the table, and export it
        await pilot.pause()
        await pilot.press("enter")  # under the name the save dialog proposes
        await pilot.pause()
        import openpyxl

        sheet = openpyxl.load_workbook(tmp_path / "heetui-sat.xlsx").active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert next(r for r in rows if r[0] == "Item")[:2] == ["Item", "Base"]
        assert [r[0] for r in rows if r[0] and str(r[0]).startswith("Price")] == ["Price (B)"]


def test_book_workbook_shows_the_grid_with_a_row_per_item(bundle, tmp_path):
    import openpyxl

    target = tmp_path / "book.xlsx"
    assert main(["book", "--by", "region", "--data", str(bundle), "-o", str(target),
                 "--ids"]) == 0
    wb = openpyxl.load_workbook(target)
    sheet = next(ws for ws in wb.worksheets if str(ws["A1"].value).startswith("sat:"))
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert next(r for r in rows if r[0] == "Item")[:2] == ["Item", "Base"]
    assert [r[0] for r in rows if str(r[0]).startswith(("Speed", "Price", "Staff"))] == [
        "Speed (A)", "Price (B)", "Staff (C)"]


def test_big_book_keeps_the_grid_row_per_item_on_a_shared_sheet(bundle, tmp_path,
                                                                monkeypatch):
    """Past SHEET_EACH tables, tables share sheets: the grid's block there is its own sheet
    cell for cell, a row per item."""
    import openpyxl

    from heetui.engine.book import BookRequest, tab_book
    from heetui.output import book_xlsx
    from heetui.output.tables import Shown
    from helpers import same_blocks

    survey = open_survey(bundle)
    book = tab_book(survey, BookRequest(TabRequest("", "region")))
    assert [ct.question.id for ct in book.tables] == ["region", "sat", "sat_1", "sat_2",
                                                      "sat_3"]
    ids = Shown(ids=True)
    small = openpyxl.load_workbook(book_xlsx.write_book_xlsx(book, survey.codebook,
                                                             tmp_path / "a.xlsx", ids))
    monkeypatch.setattr(book_xlsx, "SHEET_EACH", 2)
    monkeypatch.setattr(book_xlsx, "TABLES_PER_SHEET", 3)
    big = openpyxl.load_workbook(book_xlsx.write_book_xlsx(book, survey.codebook,
                                                           tmp_path / "b.xlsx", ids))
    assert big.sheetnames[2:] == ["Tables 1–3", "Tables 4–5"]
    sheet, row = same_blocks(big, small, book.tables, 3)[1]
    rows = [r[0] for r in big[sheet].iter_rows(min_row=row, values_only=True)]
    assert "Item" in rows
    assert [r for r in rows if str(r).startswith(("Speed", "Price", "Staff"))][:3] == [
        "Speed (A)", "Price (B)", "Staff (C)"]


def test_grid_request_mistakes_are_refused_before_any_query(bundle):
    from heetui.errors import EngineError

    survey = open_survey(bundle)
    for req, words in ((TabRequest("sat", correction="nope"), "Unknown correction"),
                       (TabRequest("sat", sig_level=1.5), "between 0 and 1"),
                       (TabRequest("sat", weighted=True), "no weight variable")):
        with pytest.raises(EngineError, match=words):
            table(survey, req)
