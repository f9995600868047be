"""`heetui weight` and `--weight NAME` as a user runs them: a weight made to targets from
the command line, then tables weighted by it whose percents meet the targets and whose
bases and letters are those of a computation on the weights read back from their file
(polars, numpy, scipy: none of the engine's code); its report in every format; bad targets
refused in one sentence with the workspace left byte for byte as it was."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest
from scipy.stats import norm

from cli_helpers import one_sentence
from cli_helpers import run_here as run  # main in this process: these are many runs

TYPE = "stakeholder_type=HEI:20,NHS Trust:50,Other:30"
SENIORITY = "seniority=1:40,2:60"
TARGETS = {"stakeholder_type": {1: 20.0, 2: 50.0, 3: 30.0}, "seniority": {1: 40.0, 2: 60.0}}


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh user data folder (workspaces and computed weights) for this test's runs."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "heetui"


def make(*more: str) -> str:
    r = run("weight", "rim", "--target", TYPE, "--target", SENIORITY, *more)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("Weight rim to targets: stakeholder_type HEI 20, NHS Trust 50")
    assert "written to " in r.stderr and r.stderr.rstrip().endswith(".toml")
    return r.stdout


def tab(*args: str) -> dict:
    r = run("tab", *args, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def read_weight(data_home: Path, raw: pl.DataFrame) -> np.ndarray:
    (path,) = (data_home / "weights").glob("rim-*.parquet")
    w = pl.read_parquet(path)["rim"].to_numpy()
    assert len(w) == raw.height
    return w


def test_a_weight_made_on_the_command_line_weights_tables_to_its_targets(data_home, raw):
    report = make()
    assert "Converged in" in report and "Weighting efficiency" in report
    w = read_weight(data_home, raw)
    assert w.mean() == pytest.approx(1.0)
    for var, targets in TARGETS.items():
        d = tab(var, "--weight", "rim")
        assert d["weighted"] is True
        shares = {r["codes"][0]: r["cells"][0]["percent"] for r in d["rows"]
                  if r["kind"] == "category"}
        assert shares == pytest.approx(targets, abs=1e-4)
        # and independently: the weights read back give the targets too
        codes = raw[var].to_numpy()
        for code, target in targets.items():
            assert 100 * w[codes == code].sum() / w.sum() == pytest.approx(target, abs=1e-6)


def letters(p: np.ndarray, w_cols: list[np.ndarray], level: float = 0.05) -> list[set[str]]:
    """Each column's letters for one row: a pooled z-test on effective bases (disjoint
    columns), the higher column carrying the lower one's letter."""
    names = "ABCDEFGH"
    out: list[set[str]] = [set() for _ in w_cols]
    for i, wi in enumerate(w_cols):
        for j, wj in enumerate(w_cols):
            if i >= j:
                continue
            ei, ej = wi.sum() ** 2 / (wi ** 2).sum(), wj.sum() ** 2 / (wj ** 2).sum()
            pooled = (ei * p[i] + ej * p[j]) / (ei + ej)
            var = pooled * (1 - pooled) * ((wi ** 2).sum() / wi.sum() ** 2
                                           + (wj ** 2).sum() / wj.sum() ** 2)
            if var <= 0:
                continue
            z = (p[i] - p[j]) / np.sqrt(var)
            if 2 * norm.sf(abs(z)) < level:
                (out[i] if z > 0 else out[j]).add(names[j] if z > 0 else names[i])
    return out


def test_bases_and_letters_with_the_chosen_weight_are_those_of_the_weights(data_home, raw):
    make()
    w = read_weight(data_home, raw)
    d = tab("relationship", "--by", "stakeholder_type", "--weight", "rim", "--no-design")
    assert d["weighted"] is True
    q, seg = raw["relationship"].to_numpy(), raw["stakeholder_type"].to_numpy()
    answered = ~np.isnan(q.astype(float))
    columns = [c for c in d["columns"][1:]]
    col_w = []
    for c in columns:
        held = answered & (seg == c["code"])
        cw = w[held]
        col_w.append(cw)
        assert c["base"] == held.sum()
        assert c["weighted_base"] == pytest.approx(cw.sum(), abs=0.05)
        assert c["effective_base"] == pytest.approx(cw.sum() ** 2 / (cw ** 2).sum(), rel=1e-6)
    seen = 0
    for r in d["rows"]:
        if r["kind"] != "category":
            continue
        p = np.array([w[answered & (seg == c["code"]) & (q == r["codes"][0])].sum() / cw.sum()
                      for c, cw in zip(columns, col_w, strict=True)])
        assert [cell["percent"] for cell in r["cells"][1:]] == pytest.approx(100 * p, abs=1e-4)
        ours = [set(cell["sig"]) for cell in r["cells"][1:]]
        assert ours == letters(p, [cw for cw in col_w]), r["label"]
        seen += sum(map(len, ours))
    assert seen  # some letters, so the comparison means something
    # the chosen weight, not the survey's own: its table differs
    own = tab("relationship", "--by", "stakeholder_type", "--weighted", "--no-design")
    assert own["columns"][1]["effective_base"] != d["columns"][1]["effective_base"]


def test_weight_applies_to_every_weighted_command(data_home):
    make()
    for args in (("chart", "relationship", "--by", "region"),
                 ("profile", "--filter", "seniority=1", "--format", "json"),
                 ("book", "--questions", "relationship", "--format", "json")):
        r = run(*args, "--weight", "rim")
        assert r.returncode == 0, (args, r.stderr)
    book = run("book", "--questions", "relationship", "--format", "md", "--weight", "rim").stdout
    # the book says which weight, and what it is (not the survey's own weight's note)
    assert "Weighted by rim. rim weighting to targets of stakeholder\\_type, seniority." in book
    err = one_sentence(run("tab", "relationship", "--weight", "nope"))
    assert "no weight named 'nope'" in err and "weight, rim" in err


def test_the_list_names_each_weight_with_its_efficiency(data_home, raw):
    make()
    w = read_weight(data_home, raw)
    r = run("weight")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["Name", "Weight"]
    assert lines[2].startswith("weight ") and "the survey's own" in lines[2]
    assert lines[3].startswith("rim ") and "stakeholder_type, seniority" in lines[3]
    listed = json.loads(run("weight", "--format", "json").stdout)
    assert [x["name"] for x in listed] == ["weight", "rim"]
    own = raw["weight"].to_numpy()
    for x, ws in zip(listed, (own, w), strict=True):
        assert x["efficiency"] == pytest.approx(ws.sum() ** 2 / (len(ws) * (ws ** 2).sum()))
        assert x["effective_n"] == pytest.approx(ws.sum() ** 2 / (ws ** 2).sum())
        assert (x["low"], x["high"]) == pytest.approx((ws.min(), ws.max()))
    assert f"{100 * listed[1]['efficiency']:.1f}%" in lines[3]


def test_report_formats(data_home, tmp_path):
    make("--max", "3", "--label", "Illustrative")
    d = json.loads(run("weight", "rim", "--format", "json").stdout)
    assert {"name", "label", "method", "unit", "iterations", "converged", "spread",
            "capped_low", "capped_high", "rows", "largest_gap"} <= set(d)
    assert d["label"] == "Illustrative" and d["converged"] is True
    assert {"efficiency", "effective_n", "low", "high", "ratio"} <= set(d["spread"])
    assert d["spread"]["high"] <= 3 + 1e-9 and d["capped_high"] > 0
    assert [(row["variable"], row["target"]) for row in d["rows"]] == [
        ("stakeholder_type", 0.2), ("stakeholder_type", 0.5), ("stakeholder_type", 0.3),
        ("seniority", 0.4), ("seniority", 0.6)]
    md = run("weight", "rim", "--format", "md").stdout
    assert md.startswith("# Weight rim: Illustrative") and "\n|---|---|" in md
    assert "| stakeholder\\_type | NHS Trust | 50.0% |" in md
    out = tmp_path / "rim.xlsx"
    r = run("weight", "rim", "-o", str(out))
    assert r.returncode == 0, r.stderr
    sheet = openpyxl.load_workbook(out).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Variable" in cells and "NHS Trust" in cells and 0.5 in cells
    assert any(isinstance(c, str) and c.startswith("Weighting efficiency") for c in cells)
    err = one_sentence(run("weight", "rim", "-o", str(out)))  # not replaced without --force
    assert "exists" in err
    one_sentence(run("weight", "rim", "--format", "xlsx"))  # a workbook needs a file name


def test_settings_alone_change_the_weight_and_remove_takes_it_away(data_home):
    make()
    r = run("weight", "rim", "--max", "2.5")
    assert r.returncode == 0, r.stderr
    d = json.loads(run("weight", "rim", "--format", "json").stdout)
    assert d["spread"]["high"] <= 2.5 + 1e-9
    assert [row["target"] for row in d["rows"]][:3] == [0.2, 0.5, 0.3]  # targets kept
    r = run("weight", "rim", "--remove")
    assert r.returncode == 0 and r.stderr.startswith("Removed weight.rim")
    assert [x["name"] for x in json.loads(run("weight", "--format", "json").stdout)] == \
        ["weight"]
    one_sentence(run("weight", "rim", "--remove"))


@pytest.mark.parametrize(("targets", "words"), [
    (["stakeholder_type=HEI:20,NHS Trust:50,Other:20"], "sum to 90%, not 100%"),
    (["stakeholder_type=HEI:20,NHS Trust:50,Zog:30"], "'Zog' is not an answer"),
    (["stakeholder_type=HEI:20,NHS Trust:50,Other:x"], "'x' is not a number"),
    (["stakeholder_type=HEI:20,NHS Trust:50,Other"], "must give each answer a number"),
    (["stakeholder_type=HEI:20,1:50,Other:30"], "given a target twice"),
    (["stakeholder_type=HEI:100", SENIORITY], "has respondents but no target"),
    ([TYPE, "org_type=" + ",".join(f"{c}:{100 / 7!r}" for c in range(1, 8))],
     "contradict each other"),
    ([TYPE, "--max", "1.01"], "caps keep weighted shares"),
    ([TYPE, "--min", "nan"], "positive number"),
    (["nosuch=1:100"], "not a variable"),
])
def test_bad_targets_are_one_sentence_and_leave_the_workspace(data_home, targets, words):
    make()
    (workspace,) = (data_home / "workspaces").glob("*.toml")
    before = workspace.read_bytes()
    args = [a for t in targets for a in (["--target", t] if "=" in t else [t])]
    err = one_sentence(run("weight", "bad", *args))
    assert words in err and err.count("\n") == 1, err
    assert workspace.read_bytes() == before
    assert [x["name"] for x in json.loads(run("weight", "--format", "json").stdout)] == \
        ["weight", "rim"]


def test_a_refused_first_weight_leaves_no_workspace(data_home):
    one_sentence(run("weight", "bad", "--target", "stakeholder_type=HEI:100", "--target",
                     SENIORITY))
    assert not list((data_home / "workspaces").glob("*.toml"))
