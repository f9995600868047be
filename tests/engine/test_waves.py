"""Surveys opened as waves of one: the respondents stacked in polars with a wave column
give the same bases and percents (weighted and unweighted); `--compare previous` marks agree
with statsmodels' proportions_ztest on the two waves; answers are matched by their source
answer when codes differ from wave to wave, and what is in one wave only is listed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from statsmodels.stats.proportion import proportions_ztest

from cli_helpers import stand_in_app
from heetui.cli.main import main
from heetui.engine import TabRequest, table
from heetui.opening import open_wave_paths
from heetui.survey.bundle import bundled_survey_path


@pytest.fixture(scope="module")
def second_wave(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("waves") / "wave2"
    assert main(["demo", "-n", "602", "--seed", "2020", "--shift", "0.25", "-o", str(out)]) == 0
    return out


def _stacked(second: Path) -> pl.DataFrame:
    first = pl.read_parquet(bundled_survey_path() / "respondents.parquet")
    later = pl.read_parquet(second / "respondents.parquet")
    cols = ["relationship", "weight"]
    return pl.concat([first.select(cols).with_columns(wave=pl.lit(1)),
                      later.select(cols).with_columns(wave=pl.lit(2))])


@pytest.mark.parametrize("weighted", [False, True])
def test_wave_columns_equal_the_stacked_data(second_wave, tmp_path, weighted):
    survey = open_wave_paths([("2019", bundled_survey_path()), ("2020", second_wave)],
                             workspace=tmp_path / "w.toml")
    ct = table(survey, TabRequest("relationship", "wave", weighted=weighted))
    df = _stacked(second_wave)
    for k, col in enumerate(ct.columns[1:], 1):
        part = df.filter(pl.col("wave") == k)
        w = part["weight"].to_numpy() if weighted else np.ones(part.height)
        assert col.base == part.height
        for row in (r for r in ct.rows if r.kind == "category"):
            want = 100 * w[part["relationship"].to_numpy() == int(row.key)].sum() / w.sum()
            assert row.cells[k].percent == pytest.approx(want, abs=1e-9)


def test_previous_wave_marks_agree_with_statsmodels(second_wave, tmp_path):
    survey = open_wave_paths([("2019", bundled_survey_path()), ("2020", second_wave)],
                             workspace=tmp_path / "w.toml")
    ct = table(survey, TabRequest("relationship", "wave", compare="previous"))
    df = _stacked(second_wave)
    n = [df.filter(pl.col("wave") == k).height for k in (1, 2)]
    for row in (r for r in ct.rows if r.kind == "category"):
        x = [int((df.filter(pl.col("wave") == k)["relationship"] == int(row.key)).sum())
             for k in (1, 2)]
        z, p = proportions_ztest(x[::-1], n[::-1])  # the later wave against the one before
        mark = row.cells[2].vs
        assert (mark is not None) == (p < 0.05), row.label
        if mark is not None:
            assert mark == ("higher" if z > 0 else "lower")
        assert row.cells[1].vs is None  # the first wave has none before it


def _csv(path: Path, answers: list[str]) -> Path:
    pl.DataFrame({"id": list(range(1, len(answers) + 1)), "satisfied": answers}).write_csv(path)
    return path


def test_answers_match_by_source_and_one_wave_answers_are_listed(tmp_path):
    a = _csv(tmp_path / "a.csv", ["Yes"] * 6 + ["No"] * 3 + ["Unsure"] * 3)
    b = _csv(tmp_path / "b.csv", ["No"] * 5 + ["Yes"] * 9)
    survey = open_wave_paths([("A", a), ("B", b)], workspace=tmp_path / "w.toml")
    assert any("Unsure" in note for note in survey.notes)
    ct = table(survey, TabRequest("satisfied", "wave"))
    counts = {r.label: [c.count for c in r.cells[1:]] for r in ct.rows if r.kind == "category"}
    assert counts["Yes"] == [6, 9] and counts["No"] == [3, 5] and counts["Unsure"] == [3, 0]


def test_waves_on_the_command_line(second_wave, capsys):
    waves = f"2019={bundled_survey_path()},2020={second_wave}"
    assert main(["tab", "relationship", "--waves", waves, "--by", "wave", "--compare",
                 "previous"]) == 0
    out = capsys.readouterr().out
    assert "2019 (A)" in out and "2020 (B)" in out and "column before it" in out
    assert main(["tab", "relationship", "--waves", "2019"]) == 2
    assert "is not a wave" in capsys.readouterr().err


def test_the_illustrative_wave_says_what_it_is(second_wave):
    text = (second_wave / "codebook.toml").read_text()
    assert "illustrative" in text and "Not HEE data" in text


def test_three_waves_are_charted_as_a_trend_two_as_bars(second_wave, tmp_path, capsys):
    third = tmp_path / "wave3"
    assert main(["demo", "-n", "602", "--seed", "2021", "--shift", "0.5", "-o", str(third)]) == 0
    capsys.readouterr()
    two = f"2019={bundled_survey_path()},2020={second_wave}"
    assert main(["chart", "relationship", "--waves", f"{two},2021={third}", "--by", "wave",
                 "--width", "80"]) == 0
    trend = capsys.readouterr().out
    assert "A = 2019 n=602; B = 2020 n=602; C = 2021 n=602" in trend and "┤" in trend
    assert main(["chart", "relationship", "--waves", two, "--by", "wave", "--width",
                 "80"]) == 0
    bars = capsys.readouterr().out
    assert "┤" not in bars and "2020" in bars


def test_the_app_opens_on_waves(second_wave, monkeypatch, capsys):
    """`heetui --waves …` hands the app the stacked survey (a stand-in records it), the
    files of every wave among what its exports never write over."""
    opened = stand_in_app(monkeypatch)
    assert main(["--waves", f"2019={bundled_survey_path()},2020={second_wave}"]) == 0
    survey, inputs = opened[-1]
    assert survey.respondents == 1204 and "wave" in survey.codebook
    assert second_wave / "respondents.parquet" in inputs
    assert main(["--waves", "a=x,b=y", "--data", str(second_wave)]) == 2
    assert "not two of them" in capsys.readouterr().err


@pytest.mark.parametrize("compare", ["pairs", "previous"])
def test_weighted_wave_letters_and_marks_agree_with_the_reference(second_wave, tmp_path,
                                                                   compare):
    """Weighted, by wave within stakeholder type: each pair of waves within a type is
    tested by the reference weighted z (tests/reference.py, effective bases) on the stacked
    data, for letters and for --compare previous alike."""
    from reference import p_two_sided, prop_z

    survey = open_wave_paths([("2019", bundled_survey_path()), ("2020", second_wave)],
                             workspace=tmp_path / "w.toml")
    ct = table(survey, TabRequest("relationship", "wave/stakeholder_type", weighted=True,
                                  compare=compare))
    first = pl.read_parquet(bundled_survey_path() / "respondents.parquet")
    later = pl.read_parquet(second_wave / "respondents.parquet")
    cols = ["relationship", "stakeholder_type", "weight"]
    df = pl.concat([first.select(cols).with_columns(wave=pl.lit(1)),
                    later.select(cols).with_columns(wave=pl.lit(2))])
    w = df["weight"].to_numpy().astype(float)
    seen = 0
    for kind in (1, 2, 3):
        a = (df["wave"] == 1).to_numpy() & (df["stakeholder_type"] == kind).to_numpy()
        b = (df["wave"] == 2).to_numpy() & (df["stakeholder_type"] == kind).to_numpy()
        ia = next(i for i, c in enumerate(ct.columns) if c.key.endswith(f"=1/{kind}"))
        ib = next(i for i, c in enumerate(ct.columns) if c.key.endswith(f"=2/{kind}"))
        for row in (r for r in ct.rows if r.kind == "category"):
            y = (df["relationship"] == int(row.key)).to_numpy()
            z = prop_z(w, b, a, y)  # the later wave against the earlier
            sig = z is not None and p_two_sided(z) < 0.05
            seen += sig
            if compare == "previous":
                assert (row.cells[ib].vs is not None) == sig, (kind, row.label)
                if sig:
                    assert row.cells[ib].vs == ("higher" if z > 0 else "lower")
            else:
                letters = (row.cells[ib].sig, row.cells[ia].sig)
                la, lb = ct.columns[ia].letter, ct.columns[ib].letter
                assert (la in letters[0] or lb in letters[1]) == sig, (kind, row.label)
                if sig:
                    assert (la in letters[0]) == (z > 0)
    assert seen  # the test is not empty
