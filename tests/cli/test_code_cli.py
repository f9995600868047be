"""`heetui code` on a survey as an analyst's file arrives: a CSV whose comments come uncoded,
coded from the shell, then tabulated, filtered and drilled by theme; numbers checked
against the CSV read with polars. Mistakes are one sentence with exit status 2 and leave
the workspace as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl
import pytest

from cli_helpers import one_sentence, run_here

WORDS = ["the placement was late", "great support from the team",
         "placement funding was unclear", "more support please", "no comment really",
         "funding letters came late", "support for placement supervisors"]


@pytest.fixture
def csv_survey(tmp_path: Path) -> Path:
    n = 90
    rows = {"id": list(range(1, n + 1)),
            "region": ["North" if i % 3 else "South" for i in range(n)],
            "rating": [1 + i % 5 for i in range(n)],
            "comments": [f"{WORDS[i % len(WORDS)]} ({i})" for i in range(n)]}
    path = tmp_path / "survey.csv"
    pl.DataFrame(rows).write_csv(path)
    return path


def code(*args: str, ws: Path, data: Path):
    return run_here(*args, "--data", str(data), "--workspace", str(ws))


def test_an_imported_surveys_comments_coded_and_tabulated(csv_survey, tmp_path):
    ws = tmp_path / "ws.toml"
    digest = hashlib.sha256(csv_survey.read_bytes()).hexdigest()
    r = code("code", "show", "comments", ws=ws, data=csv_survey)
    assert r.returncode == 0, r.stderr
    assert "0 coded" in r.stdout and "No themes yet" in r.stdout
    r = code("tab", "comments", ws=ws, data=csv_survey)
    assert r.returncode == 2 and "without coded themes" in one_sentence(r)
    for args in (("code", "add", "comments", "Placements"),
                 ("code", "add", "comments", "Support"),
                 ("code", "apply", "comments", "Placements", "--search", "placement"),
                 ("code", "apply", "comments", "Support", "--search", "support"),
                 ("code", "net", "comments", "Either (net)", "Placements", "Support")):
        r = code(*args, ws=ws, data=csv_survey)
        assert r.returncode == 0, r.stderr
        assert f"written to {ws}" in r.stdout
    r = code("tab", "comments", "--by", "region", "--format", "json", ws=ws, data=csv_survey)
    assert r.returncode == 0, r.stderr
    table = json.loads(r.stdout)
    raw = pl.read_csv(csv_survey)
    text = pl.col("comments").str.to_lowercase()
    for label, holds in (("Placements", text.str.contains("placement")),
                         ("Support", text.str.contains("support")),
                         ("Either (net)", text.str.contains("placement|support"))):
        row = next(x for x in table["rows"] if x["label"] == label)
        for region, cell in zip(["Total", "North", "South"], row["cells"], strict=True):
            sub = raw if region == "Total" else raw.filter(pl.col("region") == region)
            assert cell["count"] == sub.filter(holds).height, (label, region)
    # a filter by theme, and the comments behind it
    r = code("tab", "rating", "--filter", "comments=Placements", "--format", "json",
             ws=ws, data=csv_survey)
    assert json.loads(r.stdout)["columns"][0]["base"] == raw.filter(
        text.str.contains("placement")).height
    r = code("verbatims", "--question", "comments", "--theme", "Support", "--format", "json",
             ws=ws, data=csv_survey)
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert shown["total"] == raw.filter(text.str.contains("support")).height
    assert all("support" in c["text"].lower() for c in shown["comments"])
    assert hashlib.sha256(csv_survey.read_bytes()).hexdigest() == digest


def test_coding_mistakes_are_one_sentence_and_change_nothing(csv_survey, tmp_path):
    ws = tmp_path / "ws.toml"
    assert code("code", "add", "comments", "Placements", ws=ws, data=csv_survey).returncode == 0
    before = ws.read_bytes()
    for args, words in ((("code", "add", "rating", "X"), "not an open-ended question"),
                        (("code", "add", "comments", "placements"), "is taken"),
                        (("code", "rename", "comments", "Nope", "X"), "Unknown theme"),
                        (("code", "apply", "comments", "Placements", "--search", " "),
                         "words to search"),
                        (("code", "comment", "comments", "999999", "Placements"),
                         "not a comment on comments"),
                        (("code", "merge", "comments", "Placements", "--into", "Placements"),
                         "at least one theme")):
        r = code(*args, ws=ws, data=csv_survey)
        assert r.returncode == 2, (args, r.stdout)
        assert words in one_sentence(r), args
        assert ws.read_bytes() == before, args
