"""Numeric questions in full: n, mean, SD, SE, quartiles, median, minimum and maximum per
banner column, weighted and unweighted, against numpy and statsmodels on the raw data."""

from __future__ import annotations

import json

import numpy as np
import pytest
from statsmodels.stats.weightstats import DescrStatsW

from heetui.cli.main import main
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from helpers import make_bundle, single

N = 301


@pytest.fixture(scope="module")
def ages(tmp_path_factory):
    rng = np.random.default_rng(11)
    age = rng.integers(16, 90, N).tolist()
    for i in (3, 40, 41):
        age[i] = None
    data = {"seg": rng.integers(1, 3, N).tolist(), "age": age,
            "wt": rng.integers(1, 4, N).astype(float).tolist()}  # whole weights: frequencies
    variables = [single("seg", ["a", "b"], "segment"),
                 {"id": "age", "type": "numeric", "text": "Age", "role": "question"}]
    path = make_bundle(tmp_path_factory.mktemp("n") / "b", variables, data, weight="wt")
    return open_survey(path), data


@pytest.mark.parametrize("weighted", [False, True])
def test_summary_statistics_per_column(ages, weighted):
    survey, data = ages
    ct = crosstab(survey, TabRequest("age", "seg", weighted=weighted))
    rows = {r.key: r for r in ct.rows}
    assert [r.key for r in ct.rows] == ["mean", "sd", "min", "q1", "median", "q3", "max"]
    age = np.array([np.nan if a is None else a for a in data["age"]], dtype=float)
    seg, wt = np.array(data["seg"]), np.array(data["wt"])
    for i, keep in enumerate([np.ones(N, bool), seg == 1, seg == 2]):
        keep = keep & ~np.isnan(age)
        x = age[keep]
        w = wt[keep] if weighted else np.ones(keep.sum())
        d = DescrStatsW(x, weights=w, ddof=1)
        expanded = np.repeat(x, w.astype(int))  # frequency weights as repeated answers
        assert ct.columns[i].base == keep.sum()
        assert rows["mean"].cells[i].value == pytest.approx(d.mean, rel=1e-12)
        assert rows["sd"].cells[i].value == pytest.approx(d.std, rel=1e-12)
        assert rows["min"].cells[i].value == x.min() and rows["max"].cells[i].value == x.max()
        for key, p in (("q1", 0.25), ("median", 0.5), ("q3", 0.75)):
            assert rows[key].cells[i].value == np.quantile(
                expanded, p, method="averaged_inverted_cdf"), key
        if not weighted:
            assert rows["mean"].cells[i].se == pytest.approx(x.std(ddof=1) / np.sqrt(len(x)))
    assert all(t.row == "mean" for t in ct.tests)  # only the mean is tested


def test_even_count_median_is_the_mean_of_the_middle_two(tmp_path):
    variables = [{"id": "x", "type": "numeric", "text": "X", "role": "question"}]
    s = open_survey(make_bundle(tmp_path / "b", variables, {"x": [1, 2, 3, 10]}))
    rows = {r.key: r.cells[0].value for r in crosstab(s, TabRequest("x")).rows}
    assert rows["median"] == 2.5 and rows["q1"] == 1.5 and rows["q3"] == 6.5


def test_summary_in_text_and_json(ages, capsys):
    survey, _ = ages
    path = str(survey.bundle.path)
    assert main(["tab", "age", "--by", "seg", "--data", path]) == 0
    text = capsys.readouterr().out
    for label in ("Mean", "(standard error)", "Standard deviation", "Minimum",
                  "Lower quartile", "Median", "Upper quartile", "Maximum"):
        assert any(line.startswith(label) or line.strip().startswith(label)
                   for line in text.splitlines()), label
    assert main(["tab", "age", "--by", "seg", "--format", "json", "--data", path]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in d["rows"]] == ["mean"] + ["stat"] * 6


def test_columns_without_spread_are_not_tested(tmp_path):
    """Each column holds one value (0.1 and 0.7, neither exact in binary): their SEs are
    0, and the pair is reported not tested for want of variation, never a letter drawn
    from rounding noise."""
    import polars as pl

    from heetui.engine.stats import NO_VARIATION
    from heetui.survey.write import write_bundle
    from helpers import codebook

    n = 80
    frame = pl.DataFrame({"respondent_id": pl.Series(range(1, n + 1), dtype=pl.UInt32),
                          "g": pl.Series([1 + i % 2 for i in range(n)], dtype=pl.UInt8),
                          "x": [0.1 if i % 2 == 0 else 0.7 for i in range(n)]})
    cb = codebook([single("g", ["A", "B"], "segment"),
                   {"id": "x", "type": "numeric", "text": "x"}])
    ct = crosstab(open_survey(write_bundle(tmp_path / "b", cb, frame)), TabRequest("x", "g"))
    mean = next(r for r in ct.rows if r.kind == "mean")
    assert [c.se for c in mean.cells[1:]] == [0.0, 0.0]
    assert all(not c.sig for c in mean.cells)
    test = next(t for t in ct.tests if t.row == mean.key)
    assert not test.tested and test.reason == NO_VARIATION


def test_a_small_spread_on_large_values_is_kept(tmp_path):
    """A millionth of the values is a real spread (incomes, timestamps): its SE is the
    sample's, not rounded away with the noise of equal values."""
    import polars as pl

    from heetui.survey.write import write_bundle
    from helpers import codebook

    x = np.array([1_000_000.0, 1_000_001.0] * 50)
    frame = pl.DataFrame({"respondent_id": pl.Series(range(1, 101), dtype=pl.UInt32),
                          "x": x})
    cb = codebook([{"id": "x", "type": "numeric", "text": "x"}])
    ct = crosstab(open_survey(write_bundle(tmp_path / "b", cb, frame)), TabRequest("x"))
    mean = next(r for r in ct.rows if r.kind == "mean")
    assert mean.cells[0].se == pytest.approx(x.std(ddof=1) / np.sqrt(len(x)), rel=1e-6)
