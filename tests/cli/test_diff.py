"""heetui diff: the changed cells of two books (two waves), each change tested as the
independent samples they are — checked against statsmodels' proportions_ztest on the raw
counts and a mean's z from numpy — and the exit status a re-run can be gated on."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.stats import norm
from statsmodels.stats.proportion import proportions_ztest

from heetui.cli.main import main
from heetui.survey.bundle import bundled_survey_path


@pytest.fixture(scope="module")
def waves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("diff")
    later = folder / "wave2"
    assert main(["demo", "-n", "602", "--seed", "2021", "--shift", "0.3", "-o", str(later)]) == 0
    books = []
    for name, data in (("a", bundled_survey_path()), ("b", later)):
        out = folder / f"{name}.json"
        assert main(["book", "--data", str(data), "--format", "json", "-o", str(out)]) == 0
        books.append(out)
    return books[0], books[1]


def _diff(capsys, *args: str) -> tuple[int, dict]:
    status = main(["diff", *args, "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def test_nothing_changed_exits_0(waves, capsys):
    status, d = _diff(capsys, str(waves[0]), str(waves[0]))
    assert status == 0 and d["changed"] == 0 and d["changes"] == []


def test_a_percent_change_is_the_z_test_of_two_independent_samples(waves, capsys):
    status, d = _diff(capsys, str(waves[0]), str(waves[1]))
    assert status == 1 and d["changed"] > 0
    first = pl.read_parquet(bundled_survey_path() / "respondents.parquet")["relationship"]
    later = pl.read_parquet(waves[1].parent / "wave2" / "respondents.parquet")["relationship"]
    (cell,) = [c for c in d["changes"] if c["question"] == "relationship"
               and c["row"] == "Very positive" and c["column"] == "Total"]
    x = [int((later == 1).sum()), int((first == 1).sum())]
    z, p = proportions_ztest(x, [later.len(), first.len()])
    assert cell["z"] == pytest.approx(z, rel=1e-4)  # the books' percents are rounded to 1e-6
    assert cell["p"] == pytest.approx(p, rel=1e-3)
    assert cell["significant"] == (p < 0.05)


def test_a_mean_change_is_the_z_of_two_independent_means(waves, capsys):
    _, d = _diff(capsys, str(waves[0]), str(waves[1]))
    (cell,) = [c for c in d["changes"] if c["question"] == "relationship"
               and c["kind"] == "mean" and c["column"] == "Total"]
    scores = {1: 2, 2: 1, 3: 0, 4: -1, 5: -2}  # Don't know (6) unscored
    sides = []
    for path in (bundled_survey_path(), waves[1].parent / "wave2"):
        raw = pl.read_parquet(path / "respondents.parquet")["relationship"].to_numpy()
        x = np.array([scores[c] for c in raw if c in scores], dtype=float)
        sides.append((x.mean(), x.std(ddof=1) / math.sqrt(len(x))))
    z = (sides[1][0] - sides[0][0]) / math.hypot(sides[0][1], sides[1][1])
    assert cell["z"] == pytest.approx(z, rel=1e-4)
    assert cell["p"] == pytest.approx(2 * norm.sf(abs(z)), rel=1e-3)


def test_what_is_in_one_book_only_is_listed(waves, tmp_path, capsys):
    book = json.loads(waves[1].read_text())
    book["tables"] = [t for t in book["tables"] if t["question"]["id"] != "advocacy"]
    fewer = tmp_path / "fewer.json"
    fewer.write_text(json.dumps(book))
    _, d = _diff(capsys, str(waves[0]), str(fewer))
    assert d["only_first"] == ["table advocacy"]
    assert not any(c["question"] == "advocacy" for c in d["changes"])


def test_two_surveys_are_diffed_by_their_books(waves, capsys):
    later = waves[1].parent / "wave2"
    status = main(["diff", str(bundled_survey_path()), str(later), "--by", "stakeholder_type"])
    captured = capsys.readouterr()
    assert status == 1 and "significantly" in captured.out and "HEI" in captured.out
    assert "wrote" not in captured.err


def test_a_file_that_is_not_a_book_is_one_sentence(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert main(["diff", str(bad), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a heetui book" in err
