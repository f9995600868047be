"""Exports: xlsx read back and compared with the JSON, atomic writes, app keys."""

from __future__ import annotations

import json

import openpyxl
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filter
from heetui.output import xlsx as xlsx_mod
from heetui.output.xlsx import write_xlsx
from heetui.tui.app import HeetuiApp
from tui_helpers import running, settle


def test_xlsx_numbers_match_json(tmp_path):
    out = tmp_path / "t.xlsx"
    args = ["effectiveness", "--by", "region", "--weighted", "--filter",
            "stakeholder_type=NHS Trust"]
    r = run("tab", *args, "--format", "xlsx", "-o", str(out), "--ids")
    assert r.returncode == 0, r.stderr
    d = json.loads(run("tab", *args, "--format", "json").stdout)
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("effectiveness: Overall, how would you rate")
    assert "Weighted" in rows[1][0] and "Stakeholder type = NHS Trust" in rows[1][0]
    head = next(i for i, row in enumerate(rows) if row[1] == "Total")
    assert [h for h in rows[head - 1][1:] if h] == ["Region"]  # the span's title, merged
    heads = [h for h in rows[head][1:] if h]
    assert heads == [c["label"] + (f" ({c['letter']})" if c["letter"] else "")
                     for c in d["columns"]]
    by_label = {row[0]: row for row in rows if row and row[0]}
    assert [by_label["Base (unweighted)"][1 + 2 * i] for i in range(len(d["columns"]))] == \
        [c["base"] for c in d["columns"]]
    for r_ in d["rows"]:
        label = f"NET: {r_['label']}" if r_["kind"] == "net" else r_["label"]
        line = by_label[label]
        for i, cell in enumerate(r_["cells"]):
            got = line[1 + 2 * i]
            want = cell["value"] if r_["kind"] in ("mean", "score") else cell["percent"] / 100
            assert got == pytest.approx(want, abs=1e-6)
            assert (line[2 + 2 * i] or "") == "".join(cell["sig"])
    assert any(row[0] and str(row[0]).startswith("Letters:") for row in rows)
    fmt = ws.cell(row=head + 5, column=2).number_format  # the first percent (weighted)
    assert "%" in fmt


def test_xlsx_default_name(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "heetui", "tab", "words", "--by", "region",
                        "--format", "xlsx"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0 and "wrote heetui-words-by-region.xlsx" in r.stderr
    assert (tmp_path / "heetui-words-by-region.xlsx").is_file()


def test_failed_write_leaves_nothing(survey, tmp_path, monkeypatch):
    ct = crosstab(survey, TabRequest("relationship"))
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old contents")

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(xlsx_mod, "_sheet", broken)
    with pytest.raises(RuntimeError):
        write_xlsx(ct, target, replace=True)
    assert target.read_bytes() == b"old contents"  # never half-replaced
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


async def test_app_export_copy_and_screenshot(survey, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with running(HeetuiApp(survey)) as (app, pilot):
        app.set_view(app.view.with_filter(parse_filter(survey.codebook, "seniority=1"),
                                          "seniority"))
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # the proposed name
        await pilot.pause()
        saved = tmp_path / "heetui-relationship-chair-ceo-executive-director.xlsx"
        assert saved.is_file()
        ws = openpyxl.load_workbook(saved).active
        assert [row for row in ws.iter_rows(values_only=True)
                if row[0] == "Base (unweighted)"][0][1] == 112
        assert ws.cell(row=3, column=1).value.startswith("HEE stakeholder perception survey")
        await pilot.press("y", "m")  # Markdown (t: TSV)
        await pilot.pause()
        assert "| Base (unweighted) | 112 |" in app.clipboard
        await pilot.press("S")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        shots = list(tmp_path.glob("heetui-relationship-*.svg"))
        assert len(shots) == 1 and shots[0].read_text().startswith("<svg")


def test_single_table_export_says_where_it_comes_from(tmp_path):
    from datetime import date

    out = tmp_path / "t.xlsx"
    r = run("tab", "relationship", "--by", "standard", "--format", "xlsx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out).active
    top = [ws.cell(row=i, column=1).value or "" for i in range(1, 6)]
    assert top[2].startswith("HEE stakeholder perception survey 2019 · Fieldwork: 15 July")
    assert top[3].startswith("Synthetic data calibrated to the published sample profile")
    assert top[4] == f"Produced {date.today().isoformat()} by heetui"
    assert ws.page_setup.orientation == "landscape"
