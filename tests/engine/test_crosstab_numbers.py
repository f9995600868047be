"""Every crosstab number against an independent computation on the raw Parquet."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import polars as pl
import pytest
from scipy import stats as sps
from statsmodels.regression.linear_model import WLS
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filter
from heetui.survey.bundle import bundled_survey_path
from helpers import eligible
from reference import Bundle, p_two_sided, prop_z

REGIONS = [f"region_{i}" for i in range(1, 9)]


REF = Bundle.read(bundled_survey_path())


def members(raw: pl.DataFrame, banner: str | None, survey=None) -> list[pl.Expr]:
    """Column membership expressions, Total first, from the codebook file."""
    out = [pl.lit(True)]
    if banner is None:
        return out
    v = REF.var(banner)
    if v["type"] == "multi":
        return out + [pl.col(f"{banner}_{o['code']}").fill_null(0) == 1 for o in v["options"]]
    return out + [pl.col(banner) == o["code"] for o in v["options"]]


def row_indicator(survey, q: str, codes: tuple[int, ...]) -> pl.Expr:
    if REF.var(q)["type"] == "multi":
        return pl.max_horizontal([pl.col(f"{q}_{c}") for c in codes]) == 1
    return pl.col(q).is_in(list(codes))


CASES = [
    ("relationship", "stakeholder_type"),
    ("effectiveness", "seniority"),
    ("words", "stakeholder_type"),
    ("words", "region"),
    ("relationship", "region"),
    ("point_of_contact", "hee_team"),
    ("advocacy", "org_type"),
    ("role_clarity", None),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("q", "banner"), CASES)
def test_counts_percents_and_bases(survey, raw, q, banner, weighted):
    ct = crosstab(survey, TabRequest(q, banner, weighted=weighted))
    base = eligible(raw, q, survey)
    cols = members(raw, banner, survey)
    assert len(ct.columns) == len(cols)
    for col, expr in zip(ct.columns, cols, strict=True):
        sub = base.filter(expr)
        w = sub["weight"].to_numpy()
        assert col.base == sub.height
        assert col.weighted_base == pytest.approx(w.sum())
        eff = w.sum() ** 2 / (w**2).sum() if weighted else sub.height
        assert col.effective_base == pytest.approx(eff)
        assert col.low_base == (sub.height < 100)
    for row in ct.rows:
        if row.kind not in ("category", "net"):
            continue
        for expr, cell in zip(cols, row.cells, strict=True):
            sub = base.filter(expr)
            hit = sub.filter(row_indicator(survey, q, row.codes))
            assert cell.count == hit.height
            assert cell.weighted_count == pytest.approx(hit["weight"].sum())
            denom = sub["weight"].sum() if weighted else sub.height
            num = hit["weight"].sum() if weighted else hit.height
            assert cell.percent == pytest.approx(100 * num / denom)


def test_single_choice_columns_sum_to_100(survey):
    ct = crosstab(survey, TabRequest("relationship", "region", weighted=True))
    for i in range(len(ct.columns)):
        assert sum(r.cells[i].percent for r in ct.rows if r.kind == "category") == \
            pytest.approx(100)


def test_multi_response_is_percent_of_respondents(survey, raw):
    ct = crosstab(survey, TabRequest("words", "stakeholder_type"))
    assert [c.base for c in ct.columns] == [560, 75, 364, 121]
    total = sum(r.cells[0].percent for r in ct.rows if r.kind == "category")
    assert total > 300  # columns sum past 100
    sup = next(r for r in ct.rows if r.label == "Supportive").cells[0]
    asked = raw.filter(pl.col("in_contact") == 1)
    assert sup.percent == pytest.approx(100 * asked["words_1"].sum() / 560)


def _letters(ct, row_key: str) -> dict[str, set[str]]:
    row = next(r for r in ct.rows if r.key == row_key)
    return {c.letter: set(cell.sig) for c, cell in zip(ct.columns, row.cells, strict=True)
            if c.letter}


@pytest.mark.parametrize(("q", "banner"), [("relationship", "stakeholder_type"),
                                           ("words", "stakeholder_type"),
                                           ("effectiveness", "org_type"),
                                           ("views_timing", "stakeholder_type")])
def test_letters_agree_with_statsmodels_every_pair(survey, raw, q, banner):
    ct = crosstab(survey, TabRequest(q, banner))
    base = eligible(raw, q, survey)
    cols = members(raw, banner, survey)[1:]
    letters = [c.letter for c in ct.columns[1:]]
    found_any = False
    for row in ct.rows:
        if row.kind not in ("category", "net"):
            continue
        expected: dict[str, set[str]] = {x: set() for x in letters}
        for (i, ei), (j, ej) in combinations(enumerate(cols), 2):
            a, b = base.filter(ei), base.filter(ej)
            if a.height < 30 or b.height < 30:
                continue
            ind = row_indicator(survey, q, row.codes)
            xa, xb = a.filter(ind).height, b.filter(ind).height
            if xa + xb in (0, a.height + b.height):
                continue
            _, p = proportions_ztest([xa, xb], [a.height, b.height])
            if p < 0.05:
                hi, lo = (i, j) if xa / a.height > xb / b.height else (j, i)
                expected[letters[hi]].add(letters[lo])
                found_any = True
        assert _letters(ct, row.key) == expected, row.label
    if q == "relationship":
        assert found_any  # the comparison is not vacuous


def test_untested_columns_get_no_letters(survey):
    # org_type has columns with fewer than 30 respondents: never tested
    ct = crosstab(survey, TabRequest("relationship", "org_type"))
    small = [c.letter for c in ct.columns[1:] if c.base < 30]
    assert small and all(not c.tested for c in ct.columns[1:] if c.base < 30)
    for t in ct.tests:
        assert t.a not in small and t.b not in small


@pytest.mark.parametrize("method", ["bonferroni", "bh"])
def test_corrections_agree_with_multipletests(survey, method):
    plain = crosstab(survey, TabRequest("effectiveness", "region"))
    corr = crosstab(survey, TabRequest("effectiveness", "region", correction=method))
    by_row: dict[str, list] = {}
    for t in corr.tests:
        by_row.setdefault(t.row, []).append(t)
    assert len(corr.tests) == len(plain.tests)
    sm = {"bonferroni": "bonferroni", "bh": "fdr_bh"}[method]
    for row, ts in by_row.items():
        reject, adj, _, _ = multipletests([t.p_value for t in ts], alpha=0.05, method=sm)
        assert [t.p_adjusted for t in ts] == pytest.approx(list(adj)), row
        assert [t.significant for t in ts] == [bool(r) and t.statistic != 0
                                               for r, t in zip(reject, ts, strict=True)]
    n_plain = sum(t.significant for t in plain.tests)
    n_corr = sum(t.significant for t in corr.tests)
    assert n_corr <= n_plain


def test_sig_level_option_changes_letters(survey, raw):
    """Letters at each level equal the reference p-values computed from the raw data."""
    q, banner = "views_timing", "stakeholder_type"
    base = REF.answered(q)
    cols = [m & base for m in REF.columns(banner)]
    w = REF.weights(False)
    sizes = []
    for level in (0.001, 0.05, 0.3):
        ct = crosstab(survey, TabRequest(q, banner, sig_level=level))
        letters = [c.letter for c in ct.columns[1:]]
        expected: set[tuple[str, str, str]] = set()
        rows = [r for r in ct.rows if r.kind in ("category", "net")]
        for row, (_, codes) in zip(rows, REF.rows(q), strict=True):
            y = REF.option(q, codes)
            for i, j in combinations(range(len(cols)), 2):
                z = prop_z(w, cols[i], cols[j], y)
                if z is not None and p_two_sided(z) < level:
                    hi, lo = (i, j) if z > 0 else (j, i)
                    expected.add((row.key, letters[hi], letters[lo]))
        found = {(r.key, c.letter, s) for r in rows
                 for c, cell in zip(ct.columns, r.cells, strict=True) for s in cell.sig}
        assert found == expected, level
        sizes.append(len(found))
    assert sizes[0] < sizes[1] < sizes[2]


def _values(survey, q: str) -> dict[int, float]:
    return {o.code: o.value for o in survey.codebook.get(q).options if o.value is not None}


@pytest.mark.parametrize("weighted", [False, True])
def test_mean_and_se_against_statsmodels_wls(survey, raw, weighted):
    ct = crosstab(survey, TabRequest("relationship", "stakeholder_type", weighted=weighted))
    mean_row = next(r for r in ct.rows if r.kind == "mean")
    vals = _values(survey, "relationship")
    cols = members(raw, "stakeholder_type", survey)
    for expr, cell in zip(cols, mean_row.cells, strict=True):
        sub = raw.filter(expr & pl.col("relationship").is_in(list(vals)))
        y = np.array([vals[c] for c in sub["relationship"]])
        w = sub["weight"].to_numpy() if weighted else np.ones(len(y))
        fit = WLS(y, np.ones((len(y), 1)), weights=w).fit(cov_type="HC1")
        assert cell.value == pytest.approx(fit.params[0])
        assert cell.se == pytest.approx(fit.bse[0])
        assert cell.count == len(y)  # Don't know excluded


def test_mean_tests_match_welch_statistic(survey, raw):
    ct = crosstab(survey, TabRequest("views_timing", "stakeholder_type"))
    vals = _values(survey, "views_timing")
    groups = {}
    for code, col in zip((1, 2, 3), ct.columns[1:], strict=True):
        sub = raw.filter((pl.col("stakeholder_type") == code)
                         & pl.col("views_timing").is_in(list(vals)))
        groups[col.letter] = np.array([vals[c] for c in sub["views_timing"]])
    for t in (t for t in ct.tests if t.row == "mean"):
        ref = sps.ttest_ind(groups[t.a], groups[t.b], equal_var=False).statistic
        assert t.statistic == pytest.approx(ref)


def test_net_advocacy_score(survey, raw):
    for weighted in (False, True):
        ct = crosstab(survey, TabRequest("advocacy", "stakeholder_type", weighted=weighted))
        score = next(r for r in ct.rows if r.kind == "score")
        for code, cell in zip((None, 1, 2, 3), score.cells, strict=True):
            sub = raw if code is None else raw.filter(pl.col("stakeholder_type") == code)
            w = sub["weight"].to_numpy() if weighted else np.ones(sub.height)
            a = sub["advocacy"].to_numpy()
            expected = 100 * (w[np.isin(a, [1, 2])].sum() - w[np.isin(a, [4, 5])].sum()) / w.sum()
            assert cell.value == pytest.approx(expected)


def test_filters_and_or(survey, raw):
    cb = survey.codebook
    fs = (parse_filter(cb, "stakeholder_type=NHS Trust"), parse_filter(cb, "region=london,6,"
                                                                        "national"))
    ct = crosstab(survey, TabRequest("effectiveness", "seniority", filters=fs))
    sub = raw.filter((pl.col("stakeholder_type") == 2)
                     & ((pl.col("region_6") == 1) | (pl.col("region_8") == 1)))
    assert ct.total.base == sub.height
    assert [c.base for c in ct.columns[1:]] == [sub.filter(pl.col("seniority") == 1).height,
                                                sub.filter(pl.col("seniority") == 2).height]
    assert ct.filter_text == ("Stakeholder type = NHS Trust", "Region = London or National")


def test_filter_by_net_label(survey, raw):
    f = parse_filter(survey.codebook, "org_type=other (net)")
    assert f.codes == (3, 4, 5, 6, 7)
    ct = crosstab(survey, TabRequest("relationship", filters=(f,)))
    assert ct.total.base == 127


def test_filter_then_tab_equals_tab_on_prefiltered_data(survey, tmp_path):
    from heetui.engine.session import open_survey

    src = survey.bundle.path
    df = pl.read_parquet(src / "respondents.parquet").filter(pl.col("seniority") == 1)
    folder = tmp_path / "execs"
    folder.mkdir()
    df.write_parquet(folder / "respondents.parquet")
    (folder / "codebook.toml").write_bytes((src / "codebook.toml").read_bytes())
    pre = crosstab(open_survey(folder), TabRequest("words", "region", weighted=True))
    post = crosstab(survey, TabRequest("words", "region", weighted=True, filters=(
        parse_filter(survey.codebook, "seniority=1"),)))
    assert [c.base for c in pre.columns] == [c.base for c in post.columns]
    for a, b in zip(pre.rows, post.rows, strict=True):
        assert [c.percent for c in a.cells] == pytest.approx([c.percent for c in b.cells])
        assert [c.sig for c in a.cells] == [c.sig for c in b.cells]
