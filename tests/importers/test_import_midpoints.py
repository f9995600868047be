"""A scale's middle answer is a point of the scale, whatever its words: only answers outside
the scale (Don't know coded after it, 6, 9 or 99) lose their score. Means are checked
against polars computed the way SPSS computes them (the valid values, the declared or
outside codes left out), on .sav files written with pyreadstat."""

from __future__ import annotations

import polars as pl
import pyreadstat
import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.grid import grid_table
from heetui.engine.session import open_survey
from heetui.importers import import_source
from heetui.importers.missing import outside_scale
from heetui.survey.bundle import load_bundle

MIDDLES = ["Neither", "Neutral", "No opinion", "Unsure", "Not sure"]
DK_CODES = [6, 9, 99]
# 30 answers on a 1–5 scale with a don't-know code (0 stands for it here)
PATTERN = [1, 2, 3, 3, 4, 5, 2, 3, 0, 1, 3, 4, 2, 0, 3, 5, 4, 3, 2, 1,
           3, 0, 2, 4, 3, 3, 1, 5, 2, 3]


def _labels(middle: str, dk: int) -> dict[float, str]:
    return {1.0: "Strongly agree", 2.0: "Agree", 3.0: middle, 4.0: "Disagree",
            5.0: "Strongly disagree", float(dk): "Don't know"}


def _sav(tmp_path, middle: str, dk: int):
    codes = [float(dk if v == 0 else v) for v in PATTERN]
    second = [float(dk if v == 0 else 6 - v) for v in PATTERN]
    df = pl.DataFrame({"id": [float(i) for i in range(1, 31)], "q1": codes,
                       "q5_1": codes, "q5_2": second})
    src = tmp_path / "scale.sav"
    pyreadstat.write_sav(df, str(src), variable_value_labels={
        c: _labels(middle, dk) for c in ("q1", "q5_1", "q5_2")},
        column_labels={"id": "Respondent", "q1": "The service is good",
                       "q5_1": "Agree or disagree: Staff", "q5_2": "Agree or disagree: Price"})
    return src, df


def _spss_mean(values: pl.Series, dk: int) -> tuple[float, int]:
    """SPSS's mean of a scale whose don't-know code is outside it: the valid 1–5 values."""
    valid = values.filter(values != dk)
    return float(valid.mean()), valid.len()  # type: ignore[arg-type]


@pytest.mark.parametrize("dk", DK_CODES)
@pytest.mark.parametrize("middle", MIDDLES)
def test_the_midpoint_is_scored_and_dont_know_is_not(tmp_path, middle, dk):
    src, df = _sav(tmp_path, middle, dk)
    survey = open_survey(import_source(src, tmp_path / "b"))
    q = survey.codebook.get("q1")
    assert {o.label: o.value for o in q.options} == {
        "Strongly agree": 1, "Agree": 2, middle: 3, "Disagree": 4, "Strongly disagree": 5,
        "Don't know": None}
    ct = crosstab(survey, TabRequest("q1"))
    mean = next(r for r in ct.rows if r.kind == "mean").cells[0]
    expected, n = _spss_mean(df["q1"], dk)
    assert mean.value == pytest.approx(expected, abs=1e-12)
    assert mean.count == n == 27 and ct.total.base == 30
    grid = grid_table(survey, TabRequest("q5"))
    row = next(r for r in grid.rows if r.kind == "mean")
    for cell, col in zip(row.cells, ("q5_1", "q5_2"), strict=True):
        assert cell.value == pytest.approx(_spss_mean(df[col], dk)[0], abs=1e-12)
        assert cell.count == 27


@pytest.mark.parametrize("middle", ["No opinion", "Not sure", "Unsure", "Neutral"])
def test_a_text_midpoint_is_scored(tmp_path, middle):
    answers = ["Strongly agree", "Agree", middle, "Disagree", "Strongly disagree",
               "Don't know"]
    texts = [answers[(i * 7) % 6] for i in range(36)]
    src = tmp_path / "s.csv"
    pl.DataFrame({"respid": list(range(1, 37)), "q1": texts}).write_csv(src)
    q = load_bundle(import_source(src, tmp_path / "b")).codebook.get("q1")
    assert [(o.label, o.value) for o in q.options] == [
        ("Strongly agree", 2), ("Agree", 1), (middle, 0), ("Disagree", -1),
        ("Strongly disagree", -2), ("Don't know", None)]


def test_no_opinion_beside_neither_is_outside_the_scale(tmp_path):
    answers = ["Strongly agree", "Agree", "Neither", "Disagree", "Strongly disagree",
               "No opinion"]
    texts = [answers[(i * 5) % 6] for i in range(36)]
    src = tmp_path / "s.csv"
    pl.DataFrame({"respid": list(range(1, 37)), "q1": texts}).write_csv(src)
    q = load_bundle(import_source(src, tmp_path / "b")).codebook.get("q1")
    assert [(o.label, o.value) for o in q.options][-1] == ("No opinion", None)
    assert [o.label for o in q.options][2] == "Neither"


@pytest.mark.parametrize(("labels", "outside"), [
    (["Strongly agree", "Agree", "No opinion", "Disagree", "Strongly disagree"], set()),
    (["Agree", "Disagree", "Don't know", "Refused"], {2, 3}),
    (["Not applicable", "Never", "Sometimes", "Often"], {0}),
    (["Yes", "Not sure", "No"], set()),
    (["Don't know"], {0}),
])
def test_only_answers_at_an_end_are_outside(labels, outside):
    assert outside_scale(labels) == outside


def test_a_labelled_code_inside_a_numbers_range_is_a_value(tmp_path):
    """A 0–10 rating labelled only at 5 ("No opinion") and 99 ("Don't know"): 5 counts,
    99 is missing, as SPSS's mean of the valid values (with 99 declared) has it."""
    values = [float(v) for v in [0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 10, 99, 5, 7, 99, 3, 8]]
    df = pl.DataFrame({"id": [float(i) for i in range(1, 19)], "rate": values})
    src = tmp_path / "r.sav"
    pyreadstat.write_sav(df, str(src),
                         variable_value_labels={"rate": {5.0: "No opinion",
                                                         99.0: "Don't know"}})
    bundle = import_source(src, tmp_path / "b")
    q = load_bundle(bundle).codebook.get("rate")
    assert q.type == "numeric" and [m.code for m in q.missing] == [99]
    got = pl.read_parquet(bundle / "respondents.parquet")["rate"].drop_nulls()
    valid = df["rate"].filter(df["rate"] != 99)
    assert (got.mean(), got.len()) == (pytest.approx(valid.mean()), valid.len())


def test_the_means_own_base_is_shown_where_an_answer_is_unscored(tmp_path):
    """Text, json and xlsx show the mean's base (27) beside the column base (30) when Don't
    know is unscored; a scale without an unscored answer shows no second base."""
    import json

    import openpyxl

    from cli_helpers import run_here as run

    src, _ = _sav(tmp_path, "No opinion", 9)
    text = run("tab", "--data", str(src), "q1")
    assert text.returncode == 0, text.stderr
    line = next(x for x in text.stdout.splitlines() if "base of the mean" in x)
    assert line.split()[-1] == "27"
    cells = next(r["cells"] for r in json.loads(run("tab", "--data", str(src), "q1",
                                                    "--format", "json").stdout)["rows"]
                 if r["kind"] == "mean")
    assert [c["mean_base"] for c in cells] == [27]
    assert run("tab", "--data", str(src), "q1", "--format", "xlsx", "-o",
               str(tmp_path / "t.xlsx")).returncode == 0
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]
    found = [(row[0].value, row[1].value) for row in ws.iter_rows()
             if isinstance(row[0].value, str) and "base of the mean" in row[0].value]
    assert found == [("  base of the mean", 27)]
    grid = run("tab", "--data", str(src), "q5")
    assert "Base of the mean" in grid.stdout
    full = tmp_path / "full.sav"
    df = pl.DataFrame({"q1": [float(v) for v in PATTERN if v]})
    pyreadstat.write_sav(df, str(full), variable_value_labels={"q1": _labels("Neither", 9)})
    plain = run("tab", "--data", str(full), "q1")
    assert plain.returncode == 0 and "base of the mean" not in plain.stdout
