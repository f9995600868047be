"""Design-based SEs and t statistics of every row kind, by a computation of their own.

tests/test_design_variance.py holds heetui to R's survey package on real designs, but those
tables have few rows: one multi-response item, no net, no score. Here a synthetic survey
(strata and PSUs named by text, PSU names reused across strata, weights, respondents outside
a question's base) is tabulated by an overlapping banner, and every cell's SE and every
test's t must equal the Taylor linearisation computed here from the raw respondents with
polars and numpy: per respondent uᵢ = wᵢ·dᵢ·(yᵢ − R)/Σ w·d, summed per PSU, centred within
each stratum over all of its PSUs, scaled by n_h/(n_h − 1).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import Filter
from heetui.engine.session import open_survey
from heetui.survey.write import write_bundle

N = 900
SCALE = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0}  # code 9, "Don't know", has no value
TOOLS = (1, 2, 3, 4)
NET = (1, 2)


def _frame(seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    stratum = rng.choice(["north", "south", "east"], N)
    psu = rng.choice(["p1", "p2", "p3", "p4"], N)  # "p1" of north is not "p1" of south
    rating = rng.choice([1, 2, 3, 4, 9], N, p=[0.2, 0.3, 0.2, 0.2, 0.1]).astype(float)
    rating[rng.random(N) < 0.1] = np.nan  # not asked
    answered = rng.random(N) > 0.15
    cols = {"respondent_id": np.arange(N), "stratum": stratum, "psu": psu,
            "weight": rng.lognormal(0.0, 0.5, N),
            "region": rng.choice([1, 2, 3], N).astype(np.uint8),
            "rating": pl.Series(rating).fill_nan(None).cast(pl.UInt8)}
    for t in (1, 2, 3):  # an overlapping banner span
        cols[f"team_{t}"] = (rng.random(N) < 0.4).astype(np.uint8)
    for t in TOOLS:
        chosen = (rng.random(N) < 0.1 + 0.15 * t).astype(float)
        cols[f"tools_{t}"] = pl.Series(np.where(answered, chosen, np.nan)).fill_nan(
            None).cast(pl.UInt8)
    return pl.DataFrame(cols)


def _options(codes) -> list[dict]:
    return [{"code": c, "label": f"Option {c}"} for c in codes]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, pl.DataFrame]:
    df = _frame()
    cb = {"survey": {"title": "paths", "id_column": "respondent_id", "weight": "weight",
                     "design": {"strata": "stratum", "cluster": "psu"},
                     "min_test_base": 2, "low_base": 2},
          "segments": [{"id": "region", "type": "single", "text": "Region",
                        "options": _options((1, 2, 3))},
                       {"id": "team", "type": "multi", "text": "Teams",
                        "options": _options((1, 2, 3))}],
          "questions": [{"id": "rating", "type": "single", "text": "Rating",
                         "options": [*({"code": c, "label": f"{c}", "value": v}
                                       for c, v in SCALE.items()),
                                     {"code": 9, "label": "Don't know"}],
                         "nets": [{"label": "Top two", "codes": [3, 4]}]},
                        {"id": "tools", "type": "multi", "text": "Tools",
                         "options": _options(TOOLS),
                         "nets": [{"label": "One or two", "codes": list(NET)}]}]}
    return write_bundle(tmp_path_factory.mktemp("paths") / "paths", cb, df, force=True), df


def _psu_variance(df: pl.DataFrame, u: np.ndarray) -> float:
    """Σ_h n_h/(n_h − 1)·Σ_i (U_hi − Ū_h)², over every PSU of each stratum."""
    per = (df.select("stratum", "psu").with_columns(pl.Series("u", u))
           .group_by("stratum", "psu").agg(pl.col("u").sum()))
    h = per.group_by("stratum").agg(pl.col("u").len().alias("n"),
                                    ((pl.col("u") - pl.col("u").mean()) ** 2).sum().alias("ss"))
    return float((h["ss"] * h["n"] / (h["n"] - 1)).sum())


def _ratio(w: np.ndarray, d: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """A domain ratio Σ w·d·y / Σ w·d and its linearised values."""
    total = (w * d).sum()
    r = (w * d * y).sum() / total
    return r, w * d * (y - r) / total


def _rows(df: pl.DataFrame, question: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each row's (in its denominator, value) per respondent."""
    if question == "rating":
        x = df["rating"].fill_null(0).to_numpy()
        asked = df["rating"].is_not_null().to_numpy()
        rows = {str(c): (asked, (x == c).astype(float)) for c in (*SCALE, 9)}
        rows["net1"] = (asked, np.isin(x, (3, 4)).astype(float))
        rows["mean"] = (np.isin(x, list(SCALE)),
                        np.array([SCALE.get(int(c), 0.0) for c in x]))
        return rows
    items = {t: df[f"tools_{t}"].fill_null(0).to_numpy() == 1 for t in TOOLS}
    answered = df["tools_1"].is_not_null().to_numpy()
    rows = {str(t): (answered, items[t].astype(float)) for t in TOOLS}
    rows["net1"] = (answered, (items[1] | items[2]).astype(float))
    return rows


def _columns(df: pl.DataFrame, keep: np.ndarray) -> dict[str, np.ndarray]:
    cols = {"total": keep}
    for c in (1, 2, 3):
        cols[f"region={c}"] = keep & (df["region"].to_numpy() == c)
        cols[f"team={c}"] = keep & (df[f"team_{c}"].to_numpy() == 1)
    return cols


@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("question", ["rating", "tools", "tools unpacked"])
@pytest.mark.parametrize("filtered", [False, True])
def test_every_row_kind_matches_the_linearisation(bundle, question, weighted, filtered,
                                                  monkeypatch):
    """(tools unpacked: as in a bundle without the packed column, whose options the
    respondent pass packs into bits itself.)"""
    folder, df = bundle
    survey = open_survey(folder)
    if question == "tools unpacked":
        question = "tools"
        assert survey.packed(survey.codebook.get("tools")) is not None
        monkeypatch.setattr(survey, "packed", lambda v: None)
    filters = (Filter("region", (1, 2)),) if filtered else ()
    ct = crosstab(survey, TabRequest(question, "region,team", filters, weighted=weighted))
    w = df["weight"].to_numpy() if weighted else np.ones(N)
    keep = np.isin(df["region"].to_numpy(), (1, 2)) if filtered else np.ones(N, dtype=bool)
    columns = _columns(df, keep)
    key_of = {c.letter: c.key for c in ct.columns if c.letter}
    rows = _rows(df, question)
    assert ct.design is not None and {r.key for r in ct.rows} == set(rows)
    checked = 0
    for row in ct.rows:
        base, y = rows[row.key]
        scale = 1.0 if row.key == "mean" else 100.0
        for col, cell in zip(ct.columns, row.cells, strict=True):
            d = columns[col.key] & base
            if (w * d).sum() == 0:
                continue
            r, u = _ratio(w, d, y)
            assert (cell.value if row.key == "mean" else cell.percent / 100) == \
                pytest.approx(r, rel=1e-9)
            assert cell.se / scale == pytest.approx(math.sqrt(_psu_variance(df, u)),
                                                    rel=1e-9)
            checked += 1
    tested = 0
    for t in ct.tests:
        if t.statistic is None:
            continue
        base, y = rows[t.row]
        (ra, ua), (rb, ub) = (_ratio(w, columns[key_of[x]] & base, y) for x in (t.a, t.b))
        assert t.statistic == pytest.approx((ra - rb) / math.sqrt(
            _psu_variance(df, ua - ub)), rel=1e-9), t
        tested += 1
    assert checked >= len(rows) * 6 and tested >= len(rows) * 3


def test_a_question_nobody_answered_gives_an_empty_table(tmp_path):
    """With a design, a question without a single answer in the table's base is a table
    of empty columns, as without one (it raised a numpy error merging its no groups)."""
    df = _frame().with_columns(pl.lit(None, dtype=pl.UInt8).alias("unasked"))
    cb = {"survey": {"title": "empty", "id_column": "respondent_id",
                     "design": {"strata": "stratum", "cluster": "psu"}},
          "segments": [{"id": "region", "type": "single", "text": "Region",
                        "options": _options((1, 2, 3))}],
          "questions": [{"id": "unasked", "type": "single", "text": "Unasked",
                         "options": _options((1, 2))}]}
    survey = open_survey(write_bundle(tmp_path / "empty", cb, df, force=True))
    design = crosstab(survey, TabRequest("unasked", "region"))
    plain = crosstab(survey, TabRequest("unasked", "region", design=False))
    assert design.design is not None and plain.design is None
    assert [c.base for c in design.columns] == [c.base for c in plain.columns] == [0] * 4
    assert design.tests == () or all(t.statistic is None for t in design.tests)


def test_wide_banner_keys_and_far_apart_codes_number_the_same(tmp_path):
    """Banner keys spread over more bits than a lookup table may span (a multi-response
    banner of 20 options) and answer codes too far apart for one (1, 7, 10⁹) are numbered
    by their distinct values instead (engine.design._codes): each cell's SE and each test
    still equals the linearisation computed from the raw respondents."""
    rng = np.random.default_rng(11)
    df = _frame()
    codes = np.array([1, 7, 65_000], dtype=np.int64)
    picked = rng.choice(codes, N).astype(float)
    picked[rng.random(N) < 0.1] = np.nan
    wide = {f"wide_{i}": (rng.random(N) < 0.03 + 0.02 * (i % 4)).astype(np.uint8)
            for i in range(1, 21)}
    df = df.with_columns(pl.Series("far", picked).fill_nan(None).cast(pl.Int64),
                         *(pl.Series(k, v) for k, v in wide.items()))
    cb = {"survey": {"title": "wide", "id_column": "respondent_id", "weight": "weight",
                     "design": {"strata": "stratum", "cluster": "psu"},
                     "min_test_base": 2, "low_base": 2},
          "segments": [{"id": "wide", "type": "multi", "text": "Wide",
                        "options": _options(range(1, 21))}],
          "questions": [{"id": "far", "type": "single", "text": "Far apart",
                         "options": _options(codes.tolist())}]}
    survey = open_survey(write_bundle(tmp_path / "wide", cb, df, force=True))
    ct = crosstab(survey, TabRequest("far", "wide", weighted=True))
    w = df["weight"].to_numpy()
    x = df["far"].fill_null(0).to_numpy()
    asked = df["far"].is_not_null().to_numpy()
    columns = {"total": np.ones(N, dtype=bool)} | {
        f"wide={i}": df[f"wide_{i}"].to_numpy() == 1 for i in range(1, 21)}
    key_of = {c.letter: c.key for c in ct.columns if c.letter}
    checked = 0
    for row in ct.rows:
        y = (x == int(row.key)).astype(float)
        for col, cell in zip(ct.columns, row.cells, strict=True):
            d = columns[col.key] & asked
            if (w * d).sum() == 0:
                continue
            r, u = _ratio(w, d, y)
            assert cell.percent / 100 == pytest.approx(r, rel=1e-9)
            assert cell.se / 100 == pytest.approx(math.sqrt(_psu_variance(df, u)), rel=1e-9)
            checked += 1
    tested = 0
    for t in ct.tests:
        if t.statistic is None:
            continue
        y = (x == int(t.row)).astype(float)
        (ra, ua), (rb, ub) = (_ratio(w, columns[key_of[c]] & asked, y) for c in (t.a, t.b))
        assert t.statistic == pytest.approx((ra - rb) / math.sqrt(
            _psu_variance(df, ua - ub)), rel=1e-9), t
        tested += 1
    assert checked >= 3 * 15 and tested >= 10


@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("values", ["whole", "continuous"])
def test_a_numeric_mean_matches_the_linearisation(tmp_path, weighted, values):
    """A numeric question's mean (its groups numbered by lookup tables when its values are
    whole numbers, else sorted; its Σw·x and Σw summed per banner key and PSU): each
    column's mean, SE and test equal the linearisation of the ratio Σ w·x / Σ w over the
    respondents with a value, and the table's summary rows are those of the same table
    without the design."""
    rng = np.random.default_rng(5)
    df = _frame()
    x = rng.integers(-3, 40, N).astype(float)
    if values == "continuous":
        x = x + rng.random(N)
    x[rng.random(N) < 0.12] = np.nan
    df = df.with_columns(pl.Series("amount", x).fill_nan(None))
    cb = {"survey": {"title": "numeric", "id_column": "respondent_id", "weight": "weight",
                     "design": {"strata": "stratum", "cluster": "psu"},
                     "min_test_base": 2, "low_base": 2},
          "segments": [{"id": "region", "type": "single", "text": "Region",
                        "options": _options((1, 2, 3))},
                       {"id": "team", "type": "multi", "text": "Teams",
                        "options": _options((1, 2, 3))}],
          "questions": [{"id": "amount", "type": "numeric", "text": "Amount"}]}
    survey = open_survey(write_bundle(tmp_path / "numeric", cb, df, force=True))
    request = TabRequest("amount", "region,team", weighted=weighted)
    ct = crosstab(survey, request)
    plain = crosstab(survey, replace(request, design=False))
    w = df["weight"].to_numpy() if weighted else np.ones(N)
    has = df["amount"].is_not_null().to_numpy()
    y = df["amount"].fill_null(0.0).to_numpy()
    columns = _columns(df, np.ones(N, dtype=bool))
    key_of = {c.letter: c.key for c in ct.columns if c.letter}
    mean = next(r for r in ct.rows if r.key == "mean")
    for col, cell in zip(ct.columns, mean.cells, strict=True):
        r, u = _ratio(w, columns[col.key] & has, y)
        assert cell.value == pytest.approx(r, rel=1e-9)
        assert cell.se == pytest.approx(math.sqrt(_psu_variance(df, u)), rel=1e-9)
    tested = [t for t in ct.tests if t.statistic is not None]
    for t in tested:
        (ra, ua), (rb, ub) = (_ratio(w, columns[key_of[c]] & has, y) for c in (t.a, t.b))
        assert t.statistic == pytest.approx((ra - rb) / math.sqrt(
            _psu_variance(df, ua - ub)), rel=1e-9), t
    assert len(tested) >= 6
    stats = {r.key: [c.value for c in r.cells] for r in ct.rows if r.kind == "stat"}
    expected = {r.key: [c.value for c in r.cells] for r in plain.rows if r.kind == "stat"}
    assert stats and stats.keys() == expected.keys()
    for key, got in stats.items():
        assert got == pytest.approx(expected[key], rel=1e-9, nan_ok=True), key


@pytest.mark.parametrize("weighted", [True, False])
def test_coded_themes_match_the_linearisation(tmp_path, weighted):
    """The themes coded in an open question's comments, the one table whose DuckDB pass is
    still grouped by PSU (its base, the respondents who commented, is a join): each
    theme's SE and test equal the linearisation over the commenters of each column."""
    rng = np.random.default_rng(3)
    df = _frame()
    who = rng.choice(N, 500, replace=False)
    rows = [(int(r), f"comment {k}", sorted({int(t) for t in rng.choice([1, 2, 3], 2)}))
            for k, r in enumerate(np.concatenate([who, who[:60]]))]  # some comment twice
    verbatims = pl.DataFrame(
        {"respondent_id": [r for r, _, _ in rows], "question": ["why"] * len(rows),
         "text": [t for _, t, _ in rows], "themes": [th for _, _, th in rows],
         "source": ["survey"] * len(rows), "attribution": [None] * len(rows)},
        schema={"respondent_id": pl.Int64, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    cb = {"survey": {"title": "coded", "id_column": "respondent_id", "weight": "weight",
                     "design": {"strata": "stratum", "cluster": "psu"},
                     "min_test_base": 2, "low_base": 2, "min_group": 3},
          "themes": [{"code": t, "label": f"Theme {t}"} for t in (1, 2, 3)],
          "segments": [{"id": "region", "type": "single", "text": "Region",
                        "options": _options((1, 2, 3))},
                       {"id": "team", "type": "multi", "text": "Teams",
                        "options": _options((1, 2, 3))}],
          "questions": [{"id": "why", "type": "open", "text": "Why?"}]}
    survey = open_survey(write_bundle(tmp_path / "coded", cb, df, verbatims, force=True))
    ct = crosstab(survey, TabRequest("why", "region,team", weighted=weighted))
    assert ct.design is not None
    w = df["weight"].to_numpy() if weighted else np.ones(N)
    commented = np.isin(np.arange(N), who)
    chosen = {t: np.zeros(N, dtype=bool) for t in (1, 2, 3)}
    for r, _, themes in rows:
        for t in themes:
            chosen[t][r] = True
    columns = _columns(df, commented)
    key_of = {c.letter: c.key for c in ct.columns if c.letter}
    checked = 0
    for row in ct.rows:
        y = chosen[int(row.key)].astype(float)
        for col, cell in zip(ct.columns, row.cells, strict=True):
            r, u = _ratio(w, columns[col.key], y)
            assert cell.percent / 100 == pytest.approx(r, rel=1e-9)
            assert cell.se / 100 == pytest.approx(math.sqrt(_psu_variance(df, u)), rel=1e-9)
            checked += 1
    tested = [t for t in ct.tests if t.statistic is not None]
    for t in tested:
        y = chosen[int(t.row)].astype(float)
        (ra, ua), (rb, ub) = (_ratio(w, columns[key_of[c]], y) for c in (t.a, t.b))
        assert t.statistic == pytest.approx((ra - rb) / math.sqrt(
            _psu_variance(df, ua - ub)), rel=1e-9), t
    assert checked == 3 * 7 and len(tested) >= 9
