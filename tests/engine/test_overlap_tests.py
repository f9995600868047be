"""Significance tests between overlapping and nested columns, weighted and unweighted,
against the per-respondent linearisation of tests/reference.py (which reads the bundle's
files, not the engine)."""

from __future__ import annotations

import json
from itertools import combinations

import numpy as np
import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filter
from heetui.engine.profiling import profile
from heetui.engine.session import open_survey
from heetui.output.tables import render_json
from heetui.output.text_table import render_text
from helpers import make_bundle, multi, single
from reference import Bundle, mean_z, p_two_sided, prop_z


@pytest.fixture(scope="module")
def ref(survey) -> Bundle:
    return Bundle.read(survey.bundle.path)


def _check_pairs(ct, bundle: Bundle, q: str, banner: str, weighted: bool) -> int:
    """Every tested pair of every row equals the reference; returns how many were checked."""
    w = bundle.weights(weighted)
    base = bundle.answered(q)
    cols = [m & base for m in bundle.columns(banner)]
    letters = [c.letter for c in ct.columns[1:]]
    tested = [c.tested for c in ct.columns[1:]]
    tests = {(t.row, t.a, t.b): t for t in ct.tests}
    checked = 0
    row_defs = dict(zip([r.key for r in ct.rows if r.kind in ("category", "net")],
                        bundle.rows(q), strict=True))
    for row in ct.rows:
        if row.kind in ("category", "net"):
            y = bundle.option(q, row_defs[row.key][1])
            zs = {(i, j): prop_z(w, cols[i], cols[j], y)
                  for i, j in combinations(range(len(cols)), 2)}
        else:
            if row.kind == "mean":
                x, has = bundle.values(q)
            else:
                x, has = bundle.score(q, row.key), np.ones(len(w), dtype=bool)
            zs = {(i, j): mean_z(w, cols[i] & has, cols[j] & has, x)
                  for i, j in combinations(range(len(cols)), 2)}
        for (i, j), z in zs.items():
            if not (tested[i] and tested[j]):
                assert (row.key, letters[i], letters[j]) not in tests
                continue
            t = tests[(row.key, letters[i], letters[j])]
            if z is None:
                assert t.statistic is None and t.reason, (row.label, t)
                continue
            assert t.statistic == pytest.approx(z, rel=1e-9, abs=1e-12), (row.label, i, j)
            assert t.p_value == pytest.approx(p_two_sided(z), rel=1e-7, abs=1e-12)
            checked += 1
    return checked


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("q", "banner"), [("relationship", "region"), ("words", "region"),
                                           ("effectiveness", "hee_team"),
                                           ("advocacy", "hee_team")])
def test_overlapping_banner_every_pair(survey, ref, q, banner, weighted):
    ct = crosstab(survey, TabRequest(q, banner, weighted=weighted))
    assert _check_pairs(ct, ref, q, banner, weighted) > 20


@pytest.mark.parametrize("weighted", [False, True])
def test_disjoint_banner_every_pair(survey, ref, weighted):
    ct = crosstab(survey, TabRequest("views_timing", "stakeholder_type", weighted=weighted))
    assert _check_pairs(ct, ref, "views_timing", "stakeholder_type", weighted) > 10


# ---- a banner of two nested groups, with weights that break the effective-base formula --

def _nested_bundle(folder):
    """Inner ⊂ Outer. Inner respondents weigh 1; Outer's other members carry a few large
    weights, so Outer's effective base is below Inner's: the old covariance term
    2·e12/(e1·e2) made the variance factor negative and the pair silently untested."""
    rng = np.random.default_rng(7)
    n = 400
    inner = np.zeros(n, dtype=int)
    inner[:150] = 1
    outer = np.zeros(n, dtype=int)
    outer[:210] = 1
    w = np.ones(n)
    w[150:170] = 6.0
    w[170:210] = 0.5
    q = np.where(inner == 1, rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1]),
                 np.where(outer == 1, rng.choice([1, 2, 3], n, p=[0.1, 0.3, 0.6]),
                          rng.choice([1, 2, 3], n)))
    score = single("score", ["Good", "Middling", "Poor"])
    for o, v in zip(score["options"], (1, 0, -1), strict=True):
        o["value"] = v
    return make_bundle(folder, [
        score,
        multi("nest", ["Inner", "Outer"], role="segment"),
    ], {"score": q.tolist(), "nest_1": inner.tolist(), "nest_2": outer.tolist(),
        "weight": w.tolist()}, weight="weight")


@pytest.fixture(scope="module")
def nested(tmp_path_factory):
    folder = _nested_bundle(tmp_path_factory.mktemp("nested") / "b")
    return open_survey(folder), Bundle.read(folder)


def test_fixture_breaks_the_effective_base_formula(nested):
    _, bundle = nested
    w = bundle.weights(True)
    inner, outer = bundle.columns("nest")

    def eff(m):
        return w[m].sum() ** 2 / (w[m] ** 2).sum()

    old_factor = 1 / eff(inner) + 1 / eff(outer) - 2 * eff(inner & outer) / (
        eff(inner) * eff(outer))
    assert old_factor < 0


@pytest.mark.parametrize("weighted", [False, True])
def test_nested_banner_letters(nested, weighted):
    survey, bundle = nested
    ct = crosstab(survey, TabRequest("score", "nest", weighted=weighted))
    assert ct.overlapping
    assert _check_pairs(ct, bundle, "score", "nest", weighted) == 4  # 3 rows + mean
    good = ct.rows[0]
    # Inner (A) chose "Good" far more often than Outer (B): a letter, not a silent drop
    assert good.cells[1].sig == ("B",)
    poor = ct.rows[2]
    assert poor.cells[2].sig == ("A",)
    z = next(t for t in ct.tests if t.row == good.key).statistic
    assert abs(z) > 4


def test_nested_pair_in_json_and_text(nested):
    survey, _ = nested
    ct = crosstab(survey, TabRequest("score", "nest", weighted=True))
    data = json.loads(render_json(ct))
    t = data["tests"][0]
    assert t["tested"] and t["z"] is not None and t["reason"] is None
    assert "B" in data["rows"][0]["cells"][1]["sig"]
    assert "Inner (A)" in render_text(ct)


# ---- group against total: the fully nested case ---------------------------------------

@pytest.mark.parametrize("group_text", ["stakeholder_type=NHS Trust", "region=London"])
def test_profile_against_total_weighted(survey, ref, group_text):
    cb = survey.codebook
    group = (parse_filter(cb, group_text),)
    prof = profile(survey, group, against="total", weighted=True, correction="none")
    var, _, value = group_text.partition("=")
    code = next(o["code"] for o in ref.var(var)["options"] if o["label"] == value)
    in_group = ref.option(var, [code])
    w = ref.weights(True)
    checked = 0
    for r in prof.rows:
        base = ref.answered(r.question)
        if r.kind in ("category", "net"):
            codes = dict(zip([k for k in _row_keys(ref, r.question)],
                             [c for _, c in ref.rows(r.question)], strict=True))[r.row_key]
            z = prop_z(w, base & in_group, base, ref.option(r.question, codes))
        elif r.kind == "mean":
            x, has = ref.values(r.question)
            z = mean_z(w, base & in_group & has, base & has, x)
        else:
            x = ref.score(r.question, r.row_key)
            z = mean_z(w, base & in_group, base, x)
        if z is None:
            assert r.p_value is None and r.not_tested
            continue
        assert r.p_value == pytest.approx(p_two_sided(z), abs=1e-9), (r.question, r.row)
        checked += 1
    assert checked > 40


def _row_keys(bundle: Bundle, vid: str) -> list[str]:
    """The engine's row keys as the bundle format documents them: option codes, then net1…"""
    v = bundle.var(vid)
    if v["type"] == "open":  # rows of its coded themes
        return [str(code) for _, (code,) in bundle.rows(vid)]
    return [str(o["code"]) for o in v["options"]] + [f"net{j + 1}"
                                                    for j in range(len(v.get("nets", [])))]


def test_profile_against_total_is_not_wildly_significant(survey):
    """The old formula treated the group as independent of the total it is part of: with
    weights, tiny gaps came out significant. Every significant row has a real gap."""
    group = (parse_filter(survey.codebook, "region=London,Midlands,National,South West,"
                          "North West,South East,East of England"),)
    prof = profile(survey, group, against="total", weighted=True, correction="bh")
    for r in prof.significant:
        assert abs(r.difference) >= 1.0, r


# ---- columns and pairs that cannot be tested -------------------------------------------

def test_zero_weight_column_is_not_tested(tmp_path):
    n = 200
    seg = [1] * 72 + [2] * 128
    w = [0.0] * 72 + [1.0] * 128
    q = [1 + (i % 3) for i in range(n)]
    folder = make_bundle(tmp_path / "zw", [single("q", ["a", "b", "c"]),
                                           single("seg", ["Zero", "Rest"], role="segment")],
                         {"q": q, "seg": seg, "weight": w}, weight="weight")
    survey = open_survey(folder)
    ct = crosstab(survey, TabRequest("q", "seg", weighted=True))
    zero = ct.columns[1]
    assert zero.base == 72 and zero.weighted_base == 0
    assert not zero.tested and "weight" in (zero.not_tested or "")
    assert not ct.tests
    data = json.loads(render_json(ct))
    assert data["columns"][1]["tested"] is False
    assert "weight" in data["columns"][1]["not_tested"]
    text = render_text(ct)
    assert "Zero (A)" in text and "not tested" in text and "sum of weights 0" in text
    # unweighted, the same column is tested
    assert crosstab(survey, TabRequest("q", "seg")).columns[1].tested


def test_effective_base_decides_weighted_testing(tmp_path):
    """40 respondents, of whom 30 weigh almost nothing: the effective base is below 30."""
    seg = [1] * 40 + [2] * 60
    w = [1e-3] * 30 + [1.0] * 10 + [1.0] * 60
    folder = make_bundle(tmp_path / "eb", [single("q", ["a", "b"]),
                                           single("seg", ["Few", "Many"], role="segment")],
                         {"q": [1 + i % 2 for i in range(100)], "seg": seg, "weight": w},
                         weight="weight")
    ct = crosstab(open_survey(folder), TabRequest("q", "seg", weighted=True))
    few = ct.columns[1]
    assert few.base == 40 and few.effective_base < 30
    assert not few.tested and "effective base" in (few.not_tested or "")


def test_untested_pair_says_why(survey):
    """A row no one in the compared columns chose has no variation: each pair says so and
    none enters the multiplicity correction."""
    ct = crosstab(survey, TabRequest("relationship", "region", correction="bonferroni"))
    untested = [t for t in ct.tests if not t.tested]
    tested = [t for t in ct.tests if t.tested]
    # Bonferroni multiplies by the number of tests made in the row, untested pairs excluded
    by_row: dict[str, list] = {}
    for t in tested:
        by_row.setdefault(t.row, []).append(t)
    for ts in by_row.values():
        for t in ts:
            assert t.p_adjusted == pytest.approx(min(1.0, t.p_value * len(ts)))
    for t in untested:
        assert t.reason and t.p_value is None and not t.significant


def test_cli_profile_against_total_weighted_matches_the_engine(survey):
    """The command line prints the same p-values as the engine's profile, to 1e-9."""
    from cli_helpers import run_here as run

    r = run("profile", "--filter", "region=London", "--against", "total", "--weighted",
            "--correction", "none", "--all", "--format", "json")
    assert r.returncode == 0, r.stderr
    printed = {(d["question"], d["row_key"]): d for d in json.loads(r.stdout)}
    prof = profile(survey, (parse_filter(survey.codebook, "region=London"),),
                   against="total", weighted=True, correction="none")
    assert len(printed) == len(prof.rows)
    for row in prof.rows:
        d = printed[(row.question, row.row_key)]
        if row.p_value is None:
            assert d["p_value"] is None and d["not_tested"]
        else:
            assert d["p_value"] == pytest.approx(row.p_value, abs=1e-9)
