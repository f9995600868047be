"""`heetui tab`: the JSON contract, readable text, csv/md, -o, and one-sentence errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli_helpers import run_here as run  # main in this process: many runs


def tab_json(*args: str) -> dict:
    r = run("tab", *args, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_json_contract_relationship_by_type():
    d = tab_json("relationship", "--by", "stakeholder_type")
    assert d["question"]["id"] == "relationship" and d["question"]["type"] == "single"
    assert d["banner"] == {"id": "stakeholder_type", "label": "Stakeholder type",
                           "spans": [{"id": "stakeholder_type", "label": "Stakeholder type"}]}
    assert d["weighted"] is False and d["filters"] == []
    assert [c["base"] for c in d["columns"]] == [602, 76, 399, 127]
    assert [c["letter"] for c in d["columns"]] == [None, "A", "B", "C"]
    assert d["columns"][0]["label"] == "Total"
    assert d["columns"][1]["low_base"] is True and d["columns"][2]["low_base"] is False
    for c in d["columns"]:
        assert {"key", "label", "letter", "base", "weighted_base", "effective_base",
                "low_base"} <= set(c)
    kinds = [r["kind"] for r in d["rows"]]
    assert kinds.count("category") == 6 and kinds.count("net") == 2 and "mean" in kinds
    for r in d["rows"]:
        assert {"key", "label", "kind", "cells"} <= set(r)
        for cell in r["cells"]:
            assert {"count", "weighted_count", "percent", "value", "sig"} <= set(cell)
    cats = [r for r in d["rows"] if r["kind"] == "category"]
    assert sum(r["cells"][0]["percent"] for r in cats) == pytest.approx(100)


def test_json_words_is_percent_of_respondents():
    d = tab_json("words", "--by", "stakeholder_type")
    assert [c["base"] for c in d["columns"]] == [560, 75, 364, 121]
    sup = next(r for r in d["rows"] if r["label"] == "Supportive")
    assert sup["cells"][0]["percent"] == pytest.approx(100 * sup["cells"][0]["count"] / 560)


def test_json_weighted_and_filtered():
    d = tab_json("effectiveness", "--by", "region", "--weighted", "--filter",
                 "stakeholder_type=nhs trust")
    assert d["weighted"] is True
    assert d["filters"][0]["variable"] == "stakeholder_type"
    assert d["columns"][0]["base"] == 399
    assert d["columns"][0]["effective_base"] == pytest.approx(399)  # one weight per org type
    assert d["overlapping_banner"] is True


def test_text_output_is_a_readable_table():
    r = run("tab", "words", "--by", "stakeholder_type")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("words: From your interactions")
    base = next(line for line in lines if line.startswith("Base (unweighted)"))
    assert base.split()[2:] == ["560", "75*", "364", "121"]
    assert "HEI (A)" in r.stdout and "NHS Trust (B)" in r.stdout
    assert "Letters: significantly higher" in r.stdout and "* low base (< 100)" in r.stdout
    assert "NET: Any positive" in r.stdout


def test_csv_and_md(tmp_path):
    r = run("tab", "relationship", "--by", "seniority", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 3 * 9  # (Total + 2 columns) x 9 rows
    total = [row for row in rows if row["column"] == "Total" and row["kind"] == "category"]
    assert sum(float(row["percent"]) for row in total) == pytest.approx(100)
    md = run("tab", "relationship", "--by", "seniority", "--format", "md").stdout
    assert "| Base (unweighted) | 602 | 112 | 490 |" in md
    assert "|---|---:|---:|---:|" in md


def test_output_file_is_written(tmp_path):
    out = tmp_path / "t.json"
    r = run("tab", "relationship", "--format", "json", "-o", str(out))
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["columns"][0]["base"] == 602
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]  # no temp file left behind


@pytest.mark.parametrize(("args", "message"), [
    (["nope"], "Unknown question 'nope'"),
    (["relationship", "--by", "nowhere"], "Unknown banner 'nowhere'"),
    (["relationship", "--filter", "region=atlantis"], "'atlantis' is not an answer of region"),
    (["relationship", "--filter", "region"], "needs the form VARIABLE=VALUE"),
    (["relationship", "--filter", "x'; DROP TABLE respondents; --=1"], "Unknown variable"),
    (["relationship", "--by", "improve"], "is an open-ended question"),
    (["relationship", "--sig-level", "3"], "between 0 and 1"),
    (["relationship", "--format", "pdf"], "invalid choice: 'pdf'"),
    (["relationship", "-o", "/no/such/dir/out.txt"], "does not exist"),
])
def test_user_errors_are_one_sentence(args, message):
    r = run("tab", *args)
    assert r.returncode == 2
    assert message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
