"""Surveys opened as waves of one: the respondents stacked in polars with a wave column
give the same bases and percents (weighted and unweighted); `--compare previous` marks agree
with statsmodels' proportions_ztest on the two waves; answers are matched by their source
answer when codes differ from wave to wave, and what is in one wave only is listed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from statsmodels.stats.proportion import proportions_ztest

from cli_helpers import stand_in_app
from heetui.cli.main import main
from heetui.engine import TabRequest, parse_filters, table
from heetui.opening import open_wave_paths
from heetui.survey.bundle import bundled_survey_path
from helpers import make_bundle, same_table


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


# ---- every kind of wave table, from each wave's own table (engine.waves.wave_passes) ------

def _stacked_reference(second: Path):
    """The two waves stacked in polars with a wave segment, as tests/reference.py reads a
    bundle: the later wave's codebook (the demo keeps the codes), a wave column."""
    import tomllib

    from reference import Bundle

    cb = tomllib.loads((second / "codebook.toml").read_text(encoding="utf-8"))
    cb["segments"] = [*cb["segments"], {"id": "wave", "type": "single", "options": [
        {"code": 1, "label": "2019"}, {"code": 2, "label": "2020"}]}]
    frames = [pl.read_parquet(p / "respondents.parquet").with_columns(wave=pl.lit(k))
              for k, p in ((1, bundled_survey_path()), (2, second))]
    return Bundle(cb, pl.concat(frames, how="diagonal_relaxed"), second)


WAVE_CASES = {
    "multi-by-wave-within-type-weighted-filtered": ("words", "wave/stakeholder_type", True,
                                                    ("seniority=1,2",)),
    "single-by-type-within-wave": ("relationship", "stakeholder_type/wave", False, ()),
    "single-by-a-multi-segment-beside-wave": ("relationship", "hee_team,wave", True, ()),
    "multi-by-wave-within-a-multi-segment": ("words", "wave/region", False, ()),
    "single-by-wave-filtered-by-wave": ("relationship", "wave,seniority", True, ("wave=2",)),
}


@pytest.mark.parametrize("name", list(WAVE_CASES))
def test_wave_tables_of_every_kind_equal_the_stacked_data(second_wave, tmp_path, name):
    """Single and multi-response questions by banners holding the wave (inner, outer, beside
    a multi-response segment), weighted and filtered: every column's base and every cell's
    count, percent and mean equal the stacked polars data, and the later wave's marks
    (--compare previous) equal the reference weighted z on it."""
    from reference import filter_mask, mean_se, p_two_sided, prop_z, span_columns

    q, by, weighted, filters = WAVE_CASES[name]
    survey = open_wave_paths([("2019", bundled_survey_path()), ("2020", second_wave)],
                             workspace=tmp_path / "w.toml")
    ct = table(survey, TabRequest(q, by, weighted=weighted, compare="previous",
                                  filters=parse_filters(survey.codebook, filters)))
    ref = _stacked_reference(second_wave)
    w = ref.weights(weighted)
    base = ref.answered(q)
    for f in filters:
        base &= filter_mask(ref, f)
    spans = [c for span in by.split(",") for c in span_columns(ref, span)]
    cols = [base] + [c.members & base for c in spans]
    # each column's test against the one before it in its span (and outer option)
    before = [None] + [i if i and (a.span, a.outer) == (spans[i - 1].span, spans[i - 1].outer)
                       else None for i, a in enumerate(spans)]
    assert [c.base for c in ct.columns] == [int(m.sum()) for m in cols]
    rows = {label: ref.option(q, codes) for label, codes in ref.rows(q)}
    x, has = ref.values(q) if q == "relationship" else (None, None)
    marks = 0
    for row in ct.rows:
        for i, (cell, m) in enumerate(zip(row.cells, cols, strict=True)):
            if not m.any():  # a wave the filter leaves out
                assert cell.count == 0 and cell.percent is None and cell.value is None
                continue
            if row.kind == "mean":
                assert cell.value == pytest.approx(mean_se(w, m & has, x)[0], abs=1e-9)
                continue
            hit = m & rows[row.label]
            assert cell.count == int(hit.sum()), (row.label, i)
            assert cell.percent == pytest.approx(100 * w[hit].sum() / w[m].sum(), abs=1e-9)
            earlier = before[i]
            if earlier is None or not (ct.columns[i].tested and ct.columns[earlier].tested):
                assert cell.vs is None
                continue
            z = prop_z(w, m, cols[earlier], rows[row.label])
            assert (cell.vs is not None) == (z is not None and p_two_sided(z) < 0.05)
            marks += cell.vs is not None
    assert ct.tests and (marks or "filtered" in name)


def test_a_book_by_wave_equals_its_tables_one_by_one(second_wave, tmp_path):
    """A book's scans shared by many questions (engine.survey_wide) give each table as the
    question's own pass gives it, wave by wave too."""
    from heetui.engine.survey_wide import crosstabs

    survey = open_wave_paths([("2019", bundled_survey_path()), ("2020", second_wave)],
                             workspace=tmp_path / "w.toml")
    req = TabRequest("relationship", "wave/stakeholder_type,region", weighted=True)
    questions = ["relationship", "advocacy", "words", "views_timing"]
    for q, ct in zip(questions, crosstabs(survey, req, questions), strict=True):
        survey.clear_cache()
        same_table(ct, table(survey, replace(req, question=q)))


def test_a_pass_by_the_wave_reads_each_wave_alone(second_wave, tmp_path):
    """A banner holding the wave is grouped on each wave's table by the rest of the
    banner; a banner without it, or a survey whose stacked table has a weight computed to
    targets joined to it, reads the stacked table."""
    from heetui.engine.banner import resolve_banner
    from heetui.engine.waves import wave_passes

    survey = open_wave_paths([("2019", bundled_survey_path()), ("2020", second_wave)],
                             workspace=tmp_path / "w.toml")
    cb = survey.codebook
    passes = wave_passes(survey, resolve_banner(cb, "hee_team/wave,seniority"))
    assert len(passes) == 2
    assert [v.id for v in passes[0].banner.variables] == ["hee_team", "seniority"]
    assert wave_passes(survey, resolve_banner(cb, "stakeholder_type")) == []
    for k, p in enumerate(passes):
        assert p.survey.respondents == 602 and p.survey.query(
            "SELECT DISTINCT wave FROM respondents") == [(k + 1,)]
    by_wave = TabRequest("relationship", "wave", weighted=True)
    before = table(survey, by_wave)
    survey.workspace.set(("weight", "rim"), {"targets": {
        "stakeholder_type": {"HEI": 20, "NHS Trust": 50, "Other": 30}}})
    survey.reshape()
    assert survey.workspace_problems == () and survey.waves == 0
    assert wave_passes(survey, resolve_banner(cb, "wave")) == []
    same_table(table(survey, by_wave), before)  # the stacked table, the same numbers


def _multi_wave(path: Path, order: list[str], chosen: dict[str, list[int | None]]) -> Path:
    options = [{"code": i + 1, "label": s, "source": s} for i, s in enumerate(order)]
    variables = [{"id": "m", "type": "multi", "text": "m text", "role": "question",
                  "options": options}]
    data = {f"m_{i + 1}": chosen[s] for i, s in enumerate(order)}
    return make_bundle(path, variables, data)


@pytest.mark.parametrize("aligned", [True, False])
def test_packed_answers_are_read_where_they_mean_the_same_in_every_wave(tmp_path, aligned):
    """A multi-response question's packed column (bit i: its i-th answer) is read across
    waves only where each wave's i-th answer is the merged question's i-th; else the 0/1
    columns are. Either way the counts are the waves' own."""
    a = _multi_wave(tmp_path / "a", ["x", "y"], {"x": [1, 1, 0, None], "y": [0, 1, 1, None]})
    later = ["x", "y"] if aligned else ["y", "x"]
    b = _multi_wave(tmp_path / "b", later, {"x": [1, 0, 0], "y": [1, 1, 1]})
    survey = open_wave_paths([("A", a), ("B", b)], workspace=tmp_path / "w.toml")
    assert (survey.packed(survey.codebook.get("m")) is not None) is aligned
    ct = table(survey, TabRequest("m", "wave"))
    counts = {r.label: [c.count for c in r.cells[1:]] for r in ct.rows if r.kind == "category"}
    assert counts == {"x": [2, 1], "y": [2, 3]}
    assert [c.base for c in ct.columns] == [6, 3, 3]


def test_a_question_of_one_wave_only_is_empty_in_the_other(tmp_path):
    """Each wave's table has every wave's columns: a question the earlier wave lacks is
    null there, by wave and filtered by wave alike."""
    from helpers import single

    a = make_bundle(tmp_path / "a", [single("q", ["x", "y"])], {"q": [1, 2, 2]})
    b = make_bundle(tmp_path / "b", [single("q", ["x", "y"]), single("e", ["u", "v"])],
                    {"q": [1, 1], "e": [2, 1]})
    survey = open_wave_paths([("A", a), ("B", b)], workspace=tmp_path / "w.toml")
    assert any("e is not in wave A" in note for note in survey.notes)
    ct = table(survey, TabRequest("e", "wave"))
    assert [c.base for c in ct.columns] == [2, 0, 2]
    ct = table(survey, TabRequest("q", "wave", filters=parse_filters(survey.codebook,
                                                                       ["e=2"])))
    assert [c.base for c in ct.columns] == [1, 0, 1]
