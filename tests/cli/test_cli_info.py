"""`heetui info` and the command-line contract."""

from __future__ import annotations

import json
import subprocess
import sys

from cli_helpers import run_here as run  # main in this process: many runs


def test_info_json_shape():
    r = run("info", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["respondents"] == 602
    assert "Synthetic data calibrated to the published sample profile" in d["provenance"]
    assert [q["id"] for q in d["questions"]] == [
        "relationship", "words", "advocacy", "views_timing", "point_of_contact",
        "effectiveness", "role_clarity", "relationship_why", "improve"]
    assert {s["id"] for s in d["segments"]} == {"stakeholder_type", "org_type", "seniority",
                                                 "hee_team", "region", "in_contact"}
    st = next(s for s in d["segments"] if s["id"] == "stakeholder_type")
    assert [(c["label"], c["count"]) for c in st["categories"]] == [
        ("HEI", 76), ("NHS Trust", 399), ("Other", 127)]
    words = next(q for q in d["questions"] if q["id"] == "words")
    assert words["type"] == "multi" and words["eligible"] == {"variable": "in_contact",
                                                              "codes": [1]}
    assert {"None of these", "Don't know", "Fragmented"} <= {o["label"] for o in words["options"]}
    assert d["survey"]["fieldwork"] == "15 July – 26 August 2019"


def test_info_text_says_synthetic():
    r = run("info")
    assert r.returncode == 0
    assert "Synthetic data calibrated to the published sample profile" in r.stdout.replace(
        "\n", " ")
    assert "Respondents: 602" in r.stdout
    lines = r.stdout.splitlines()  # questions under their groups (book --group takes the names)
    assert lines.index(" ── Engagement") < next(
        i for i, line in enumerate(lines) if line.startswith("  views_timing (single)"))


def test_missing_data_path_is_one_clear_error(tmp_path):
    r = run("info", "--data", str(tmp_path / "missing"))
    assert r.returncode == 2
    assert "no such file or folder" in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1  # one sentence
    r = run("info", "--data", str(tmp_path))  # a folder that is no bundle
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "no codebook found" in r.stderr


def test_unknown_subcommand_option():
    r = run("info", "--bogus")
    assert r.returncode == 2 and "unrecognized arguments: --bogus" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_engine_does_not_import_textual():
    code = ("import sys, heetui.engine.crosstab, heetui.engine.session, heetui.output.tables;"
            "from heetui.engine.session import open_survey;"
            "from heetui.engine.crosstab import crosstab, TabRequest;"
            "crosstab(open_survey(), TabRequest('words', 'region'));"
            "print('textual' in sys.modules, 'plotext' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "False False", r.stderr


def test_survey_layer_imports_neither_duckdb_nor_textual():
    code = ("import sys, heetui.survey; heetui.survey.load_bundle("
            "heetui.survey.bundled_survey_path());"
            "print('duckdb' in sys.modules, 'textual' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "False False", r.stderr


def test_info_gathers_each_group_once(tmp_path):
    """Columns of groups that interleave in the file (an import's "Imported" questions
    around an open-ended one) are listed under one heading per group."""
    from helpers import make_bundle, single

    out = make_bundle(tmp_path / "b", [single("a", ["x", "y"], group="G1"),
                                       single("b", ["x", "y"], group="G2"),
                                       single("c", ["x", "y"], group="G1")],
                      {"a": [1, 2], "b": [2, 1], "c": [1, 1]})
    lines = run("info", "--data", str(out)).stdout.splitlines()
    heads = [line.strip() for line in lines if line.startswith(" ── ")]
    assert heads == ["── G1", "── G2"]
    order = [line.split()[0] for line in lines if line.startswith("  ") and "(single)" in line]
    assert order == ["a", "c", "b"]
