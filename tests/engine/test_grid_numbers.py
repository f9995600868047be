"""Rating grids (items answered on one shared scale): the summary table of
``heetui.engine.grid.grid_table`` recomputed per respondent from the raw data.

Written from the conventions alone, without the engine's formulas. Every reference number
here comes from numpy / scipy / statsmodels on the arrays the bundle was built from:

- an item's base: respondents (after filters) whose answer to the item is not blank;
  percent = Σw with the code(s) ÷ Σw of the base; the mean over answers with a value (Don't
  know left out), Σwx/Σw, SE² = n/(n−1)·Σw²(x−x̄)²/(Σw)²;
- items compared in pairs within each measure (one column of the summary) with the paired,
  linearised variance V = Σᵢ wᵢ²·(f_a·r_aᵢ/W_a − f_b·r_bᵢ/W_b)² over the respondents of either
  base (r = y − m inside the measure's base, 0 outside; f = √(n/(n−1)) for the mean, 1 for
  percents); z = (m_a − m_b)/√V, two-sided normal p; unweighted with everyone answering
  this is McNemar's (b − c)/√(b + c − (b − c)²/n) for a percent and the paired t statistic
  for the mean;
- the item significantly higher carries the other item's letter; Bonferroni / BH adjust the
  pairs of one measure; an item whose effective base is under min_test_base is not tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filter
from heetui.engine.grid import grid_table
from heetui.engine.session import open_survey
from helpers import make_bundle, single

REL = 1e-9
MIN_TEST_BASE = 30
LOW_BASE = 100
ALPHA = 0.05
VALUES = {1: 1.0, 2: 2.0, 3: 3.0, 4: 4.0}  # code → score; 9 (Don't know) has none
CODES = [1, 2, 3, 4, 9]
NETS = [[3, 4]]
DK = 9


def approx(x: float) -> object:
    return pytest.approx(x, rel=REL, abs=1e-12)


def grid_variable(item_ids: list[str]) -> dict:
    labels = ["Very dissatisfied", "Dissatisfied", "Satisfied", "Very satisfied"]
    options = [{"code": c, "label": lab, "value": VALUES[c]} for c, lab in zip(
        [1, 2, 3, 4], labels, strict=True)]
    options.append({"code": DK, "label": "Don't know"})  # no value: out of the mean
    items: list = [{"id": i, "label": f"Item {i}"} for i in item_ids[:-1]]
    items.append(item_ids[-1])  # the last one as a bare id
    return {"id": "sat", "type": "grid", "text": "How satisfied are you with each?",
            "role": "question", "options": options,
            "nets": [{"label": "Satisfied", "codes": NETS[0]}], "items": items}


def answers(rng: np.random.Generator, u: np.ndarray, shift: float, dk: float,
            blank: float) -> list:
    """One item's codes: a respondent effect u (items correlate), the item's own shift,
    a share of Don't know and of blanks."""
    n = len(u)
    x = np.clip(np.rint(2.5 + shift + 0.9 * u + rng.normal(0, 0.8, n)), 1, 4).astype(int)
    out: list = x.tolist()
    for i in np.flatnonzero(rng.random(n) < dk):
        out[i] = DK
    for i in np.flatnonzero(rng.random(n) < blank):
        out[i] = None
    return out


MAIN_ITEMS = ["sat_1", "sat_2", "sat_3", "sat_4"]
FULL_ITEMS = ["sat_1", "sat_2", "sat_3"]


@pytest.fixture(scope="module")
def main_grid(tmp_path_factory):
    """400 respondents, real weights; sat_2 has blanks, all items have Don't know, and
    sat_4 is answered by 28 respondents only (under min_test_base)."""
    rng = np.random.default_rng(20240611)
    n = 400
    u = rng.normal(0, 1, n)
    data: dict[str, list] = {"seg": rng.integers(1, 3, n).tolist()}
    data["sat_1"] = answers(rng, u, 0.35, 0.06, 0.0)
    data["sat_2"] = answers(rng, u, -0.10, 0.05, 0.15)
    data["sat_3"] = answers(rng, u, 0.22, 0.08, 0.02)
    few = answers(rng, u, 0.0, 0.05, 0.0)
    keep = set(rng.choice(n, 28, replace=False).tolist())
    data["sat_4"] = [c if i in keep else None for i, c in enumerate(few)]
    data["wt"] = rng.uniform(0.3, 2.6, n).round(4).tolist()
    variables = [single("seg", ["a", "b"], "segment"), grid_variable(MAIN_ITEMS)]
    path = make_bundle(tmp_path_factory.mktemp("g") / "b", variables, data, weight="wt")
    return open_survey(path), data


@pytest.fixture(scope="module")
def full_grid(tmp_path_factory):
    """300 respondents who all answer all three items with a score (no blank, no Don't
    know): the textbook paired tests apply as they stand."""
    rng = np.random.default_rng(7)
    n = 300
    u = rng.normal(0, 1, n)
    data: dict[str, list] = {"seg": rng.integers(1, 3, n).tolist()}
    for item, shift in zip(FULL_ITEMS, [0.3, 0.0, 0.25], strict=True):
        data[item] = answers(rng, u, shift, 0.0, 0.0)
    data["wt"] = rng.uniform(0.5, 2.0, n).round(3).tolist()
    variables = [single("seg", ["a", "b"], "segment"), grid_variable(FULL_ITEMS)]
    path = make_bundle(tmp_path_factory.mktemp("f") / "b", variables, data, weight="wt")
    return open_survey(path), data


# ---- the reference, per respondent --------------------------------------------------------

def codes_of(data: dict, item: str) -> np.ndarray:
    return np.array([np.nan if c is None else c for c in data[item]], dtype=float)


def measure_keys() -> list[str]:
    return [str(c) for c in CODES] + [f"net{i + 1}" for i in range(len(NETS))] + ["mean"]


@dataclass
class RefItem:
    key: str
    letter: str
    base: int
    weighted_base: float  # Σ of the codebook weight (as the crosstab shows it)
    effective_base: float
    low_base: bool
    tested: bool


@dataclass
class RefCell:
    count: int
    weighted_count: float
    percent: float | None
    value: float | None
    se: float | None
    m: float            # the estimate on the test's scale (proportion 0–1, or mean)
    in_base: np.ndarray  # who the measure's base holds
    y: np.ndarray        # 0/1 or the score, per respondent
    f: float             # small-sample factor of the variance


@dataclass
class RefTest:
    z: float | None
    p: float | None = None
    p_adj: float | None = None
    significant: bool = False


@dataclass
class Ref:
    items: list[RefItem]
    cells: dict[str, list[RefCell]]
    tests: dict[tuple[str, str, str], RefTest] = field(default_factory=dict)
    sig: dict[tuple[str, int], set[str]] = field(default_factory=dict)


def paired_z(w: np.ndarray, a: RefCell, b: RefCell) -> float | None:
    """z of a − b with the linearised variance over the respondents of either base."""
    ra = np.where(a.in_base, a.y - a.m, 0.0)
    rb = np.where(b.in_base, b.y - b.m, 0.0)
    wa, wb = w[a.in_base].sum(), w[b.in_base].sum()
    either = a.in_base | b.in_base
    v = np.sum((w[either] * (a.f * ra[either] / wa - b.f * rb[either] / wb)) ** 2)
    if not v > 1e-24:
        return None
    return (a.m - b.m) / np.sqrt(v)


def reference(data: dict, items: list[str], weighted: bool, keep: np.ndarray | None = None,
              correction: str = "none", min_test_base: int = MIN_TEST_BASE,
              low_base: int = LOW_BASE) -> Ref:
    n = len(data["seg"])
    wt = np.asarray(data["wt"], dtype=float)
    w = wt if weighted else np.ones(n)
    keep = np.ones(n, bool) if keep is None else keep
    ref_items: list[RefItem] = []
    cells: dict[str, list[RefCell]] = {k: [] for k in measure_keys()}
    for k, item in enumerate(items):
        c = codes_of(data, item)
        base = keep & ~np.isnan(c)
        wsum = w[base].sum()
        eff = wsum**2 / np.sum(w[base] ** 2) if weighted else float(base.sum())
        tested = bool(wsum > 0 and eff >= min_test_base * (1 - 1e-12))
        ref_items.append(RefItem(item, chr(ord("A") + k), int(base.sum()), wt[base].sum(),
                                 eff, bool(base.sum() < low_base), tested))
        groups = [[code] for code in CODES] + NETS
        for key, group in zip(measure_keys()[:-1], groups, strict=True):
            y = np.isin(c, group).astype(float)
            hit = base & (y == 1)
            p = w[hit].sum() / wsum if wsum > 0 else np.nan
            cells[key].append(RefCell(int(hit.sum()), wt[hit].sum(), 100 * p, None, None,
                                      p, base, y, 1.0))
        x = np.array([VALUES.get(int(v), np.nan) if not np.isnan(v) else np.nan for v in c])
        mb = base & ~np.isnan(x)
        nm, wm = int(mb.sum()), w[mb].sum()
        xm = np.where(mb, x, 0.0)
        mean = np.sum(w[mb] * xm[mb]) / wm
        se = np.sqrt(nm / (nm - 1) * np.sum(w[mb] ** 2 * (xm[mb] - mean) ** 2) / wm**2)
        cells["mean"].append(RefCell(nm, wt[mb].sum(), None, mean, se, mean, mb, xm,
                                     np.sqrt(nm / (nm - 1))))
    ref = Ref(ref_items, cells)

    method = {"bonferroni": "bonferroni", "bh": "fdr_bh"}.get(correction)
    for key in measure_keys():
        live_idx = [i for i, it in enumerate(ref_items) if it.tested]
        family: list[tuple[tuple[str, str, str], RefTest]] = []
        for i, j in combinations(live_idx, 2):
            t = RefTest(paired_z(w, cells[key][i], cells[key][j]))
            k3 = (key, ref_items[i].letter, ref_items[j].letter)
            ref.tests[k3] = t
            if t.z is not None:  # a pair that cannot be tested stays out of the correction
                family.append((k3, t))
        if not family:
            continue
        ps = np.array([2 * stats.norm.sf(abs(t.z)) for _, t in family])
        adj = ps if method is None else multipletests(ps, alpha=ALPHA, method=method)[1]
        for (k3, t), p, pa in zip(family, ps, adj, strict=True):
            t.p, t.p_adj, t.significant = float(p), float(pa), bool(pa < ALPHA)
            if t.significant:
                i = ord(k3[1]) - ord("A")
                j = ord(k3[2]) - ord("A")
                hi, lo = (i, j) if t.z > 0 else (j, i)
                ref.sig.setdefault((key, hi), set()).add(ref_items[lo].letter)
    return ref


# ---- comparing ----------------------------------------------------------------------------

def items_of(gt) -> tuple:
    """The summary's items: its columns (one per item, no Total)."""
    return tuple(gt.columns)


def measures_of(gt) -> tuple:
    """The summary's measures: its rows (scale points, nets, mean)."""
    return tuple(gt.rows)


def check(gt, ref: Ref) -> dict[str, int]:
    """Asserts the whole summary against the reference; returns what it compared."""
    seen = {"tests": 0, "significant": 0, "not significant": 0, "letters": 0, "untested": 0}
    assert [it.key for it in items_of(gt)] == [r.key for r in ref.items]
    for it, r in zip(items_of(gt), ref.items, strict=True):
        assert it.letter == r.letter, it.key
        assert it.base == r.base, (it.key, it.base, r.base)
        assert it.weighted_base == approx(r.weighted_base), it.key
        assert it.effective_base == approx(r.effective_base), it.key
        assert it.low_base is r.low_base, it.key
        assert it.tested is r.tested, (it.key, it.effective_base)
        assert (it.not_tested is None) is r.tested, (it.key, it.not_tested)

    assert [m.key for m in measures_of(gt)] == measure_keys()
    for m in measures_of(gt):
        assert len(m.cells) == len(ref.items), m.key
        for i, (cell, rc) in enumerate(zip(m.cells, ref.cells[m.key], strict=True)):
            where = (m.key, ref.items[i].key)
            assert cell.count == rc.count, (where, cell.count, rc.count)
            assert cell.weighted_count == approx(rc.weighted_count), where
            if m.key == "mean":
                assert cell.percent is None, where
                assert cell.value == approx(rc.value), (where, cell.value, rc.value)
                assert cell.se == approx(rc.se), (where, cell.se, rc.se)
            else:
                assert cell.value is None, where
                assert cell.percent == approx(rc.percent), (where, cell.percent, rc.percent)
            assert len(cell.sig) == len(set(cell.sig)), where
            assert set(cell.sig) == ref.sig.get((m.key, i), set()), (where, cell.sig)
            seen["letters"] += len(cell.sig)

    got: dict[tuple[str, str, str], object] = {}
    for t in gt.tests:
        k3 = (t.row, t.a, t.b)
        assert k3 not in got, f"test {k3} listed twice"
        got[k3] = t
        assert t.a < t.b, k3
    tested_letters = {r.letter for r in ref.items if r.tested}
    for k3, t in got.items():  # a pair with an untested item: none, or one without a z
        if not {k3[1], k3[2]} <= tested_letters:
            assert t.statistic is None and t.p_value is None and not t.significant, k3
            assert t.reason, k3
            seen["untested"] += 1
    for k3, r in ref.tests.items():
        assert k3 in got, f"missing test {k3}"
        t = got[k3]
        if r.z is None:
            assert t.statistic is None and not t.significant and t.reason, (k3, t)
            continue
        assert t.statistic == approx(r.z), (k3, t.statistic, r.z)
        assert t.p_value == approx(r.p), (k3, t.p_value, r.p)
        assert t.p_adjusted == approx(r.p_adj), (k3, t.p_adjusted, r.p_adj)
        assert t.significant is r.significant, (k3, t, r)
        assert t.reason is None, k3
        seen["tests"] += 1
        seen["significant" if r.significant else "not significant"] += 1
    return seen


def request(weighted: bool, filt: str | None, survey, **kw) -> TabRequest:
    filters = (parse_filter(survey.codebook, filt),) if filt else ()
    kw.setdefault("min_test_base", MIN_TEST_BASE)
    kw.setdefault("low_base", LOW_BASE)
    return TabRequest("sat", weighted=weighted, filters=filters, sig_level=ALPHA, **kw)


def mask(data: dict, filt: str | None) -> np.ndarray | None:
    if filt is None:
        return None
    assert filt == "seg=a"
    return np.asarray(data["seg"]) == 1


# ---- the tests ----------------------------------------------------------------------------

def test_everyone_answering_unweighted_is_mcnemar_and_paired_t(full_grid):
    """Unweighted, every respondent scoring every item: each percent's z is the 2×2 table's
    (b − c)/√(b + c − (b − c)²/n) and the mean's is scipy's paired t statistic."""
    survey, data = full_grid
    gt = grid_table(survey, request(False, None, survey))
    tests = {(t.row, t.a, t.b): t for t in gt.tests}
    codes = {item: codes_of(data, item) for item in FULL_ITEMS}
    n = len(data["seg"])
    compared = 0
    for (i, a), (j, b) in combinations(enumerate(FULL_ITEMS), 2):
        la, lb = chr(ord("A") + i), chr(ord("A") + j)
        for key, group in zip(measure_keys()[:-1], [[c] for c in CODES] + NETS, strict=True):
            ya, yb = np.isin(codes[a], group), np.isin(codes[b], group)
            b10, c01 = int(np.sum(ya & ~yb)), int(np.sum(~ya & yb))
            t = tests[(key, la, lb)]
            if b10 + c01 == 0 or b10 + c01 - (b10 - c01) ** 2 / n == 0:
                assert t.statistic is None and not t.significant, (key, a, b, t)
                continue
            z = (b10 - c01) / np.sqrt(b10 + c01 - (b10 - c01) ** 2 / n)
            # the same from proportions of n
            p10, p01 = b10 / n, c01 / n
            assert z == approx((p10 - p01) / np.sqrt((p10 + p01 - (p10 - p01) ** 2) / n))
            assert t.statistic == approx(z), (key, a, b, t.statistic, z)
            assert t.p_value == approx(2 * stats.norm.sf(abs(z))), (key, a, b)
            compared += 1
        tt = stats.ttest_rel(codes[a], codes[b])
        t = tests[("mean", la, lb)]
        assert t.statistic == approx(tt.statistic), (a, b, t.statistic, tt.statistic)
        assert t.p_value == approx(2 * stats.norm.sf(abs(tt.statistic))), (a, b)  # normal p
        compared += 1
    assert compared >= 3 * 5  # options 1–4, the net and the mean for each of the 3 pairs
    # nobody answered Don't know: its column is 0% everywhere and cannot be tested
    dk = next(m for m in measures_of(gt) if m.key == str(DK))
    assert all(c.percent == 0 and c.count == 0 for c in dk.cells)
    seen = check(gt, reference(data, FULL_ITEMS, False))
    assert seen["significant"] and seen["not significant"] and seen["letters"], seen


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_everyone_answering_whole_summary(full_grid, weighted):
    survey, data = full_grid
    check(grid_table(survey, request(weighted, None, survey)),
          reference(data, FULL_ITEMS, weighted))


@pytest.mark.parametrize("correction", ["none", "bonferroni", "bh"])
@pytest.mark.parametrize("filt", [None, "seg=a"], ids=["all", "seg=a"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_whole_summary(main_grid, weighted, filt, correction):
    """Items with different bases (blanks in sat_2, sat_4 mostly blank), Don't know in every
    item, weights, a filter and each correction: every base, cell, test and letter."""
    survey, data = main_grid
    gt = grid_table(survey, request(weighted, filt, survey, correction=correction))
    seen = check(gt, reference(data, MAIN_ITEMS, weighted, mask(data, filt), correction))
    assert seen["tests"] == 7 * 3  # three tested items: three pairs in each of 7 measures
    assert seen["significant"] and seen["not significant"] and seen["letters"], seen


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_corrections_change_the_adjusted_p_only(main_grid, weighted):
    """The same z and p under each correction; p_adjusted is statsmodels' within each
    measure (family = the pairs of one column), and at least one test loses significance."""
    survey, data = main_grid
    runs = {c: {(t.row, t.a, t.b): t for t in grid_table(
        survey, request(weighted, "seg=a", survey, correction=c)).tests}
        for c in ("none", "bonferroni", "bh")}
    lost = 0
    for key in measure_keys():
        pairs = sorted(k for k in runs["none"] if k[0] == key
                       and runs["none"][k].statistic is not None)
        assert len(pairs) == 3, key
        ps = np.array([runs["none"][k].p_value for k in pairs])
        for corr, method in (("bonferroni", "bonferroni"), ("bh", "fdr_bh")):
            adj = multipletests(ps, alpha=ALPHA, method=method)[1]
            for k, pa in zip(pairs, adj, strict=True):
                t = runs[corr][k]
                assert t.statistic == runs["none"][k].statistic, k
                assert t.p_value == runs["none"][k].p_value, k
                assert t.p_adjusted == approx(pa), (corr, k, t.p_adjusted, pa)
                assert t.significant is bool(pa < ALPHA), (corr, k)
        for k in pairs:
            assert runs["none"][k].p_adjusted == runs["none"][k].p_value
            lost += runs["none"][k].significant and not runs["bonferroni"][k].significant
    assert lost, "the data should have a pair significant only without correction"


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_dont_know_is_a_percent_but_not_in_the_mean(main_grid, weighted):
    survey, data = main_grid
    gt = grid_table(survey, request(weighted, None, survey))
    by_key = {m.key: m for m in measures_of(gt)}
    w = np.asarray(data["wt"]) if weighted else np.ones(len(data["seg"]))
    for i, item in enumerate(MAIN_ITEMS):
        c = codes_of(data, item)
        base = ~np.isnan(c)
        dk = c == DK
        assert dk.sum() > 0, item
        # Don't know: a share of everyone who answered the item
        assert by_key[str(DK)].cells[i].count == dk.sum()
        assert by_key[str(DK)].cells[i].percent == approx(100 * w[dk].sum() / w[base].sum())
        # the option percents (Don't know included) add up to 100
        assert sum(by_key[str(k)].cells[i].percent for k in CODES) == approx(100.0)
        # the mean: scored answers only
        scored = base & ~dk
        assert by_key["mean"].cells[i].count == scored.sum() == items_of(gt)[i].base - dk.sum()
        mean = np.average(c[scored], weights=w[scored])
        assert by_key["mean"].cells[i].value == approx(mean), item
        with_dk_as_zero = np.average(np.where(dk, 0, c)[base], weights=w[base])
        assert by_key["mean"].cells[i].value != approx(with_dk_as_zero)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_item_under_min_test_base_is_not_tested(main_grid, weighted):
    """sat_4 (28 answers) is shown but never tested, nor carries or gives a letter."""
    survey, data = main_grid
    gt = grid_table(survey, request(weighted, None, survey))
    d = items_of(gt)[3]
    assert d.key == "sat_4" and d.letter == "D" and d.base == 28
    assert d.tested is False and d.not_tested
    assert d.effective_base < MIN_TEST_BASE
    for t in gt.tests:
        if "D" in (t.a, t.b):
            assert t.statistic is None and t.p_value is None and not t.significant, t
    for m in measures_of(gt):
        assert m.cells[3].sig == (), m.key
        assert all("D" not in c.sig for c in m.cells), m.key
    # its numbers are still there
    c = codes_of(data, "sat_4")
    w = np.asarray(data["wt"]) if weighted else np.ones(len(c))
    net = np.isin(c, NETS[0])
    assert measures_of(gt)[measure_keys().index("net1")].cells[3].percent == approx(
        100 * w[net].sum() / w[~np.isnan(c)].sum())


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_min_test_base_between_the_items(main_grid, weighted):
    """A threshold between the items' effective bases (seg=a): the smaller one drops out
    of every test, the rest are still compared with each other."""
    survey, data = main_grid
    keep = mask(data, "seg=a")
    probe = reference(data, MAIN_ITEMS, weighted, keep, min_test_base=1)
    effs = sorted(r.effective_base for r in probe.items[:3])
    threshold = int(np.floor(effs[0])) + 1
    assert threshold < effs[1]
    gt = grid_table(survey, request(weighted, "seg=a", survey, min_test_base=threshold))
    ref = reference(data, MAIN_ITEMS, weighted, keep, min_test_base=threshold)
    assert sum(r.tested for r in ref.items) == 2
    seen = check(gt, ref)
    assert seen["tests"] == 7  # one pair in each of 7 measures


@pytest.mark.parametrize("filt", [None, "seg=a"], ids=["all", "seg=a"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_each_item_row_is_its_crosstab_total(main_grid, weighted, filt):
    survey, data = main_grid
    filters = (parse_filter(survey.codebook, filt),) if filt else ()
    gt = grid_table(survey, request(weighted, filt, survey))
    for i, item in enumerate(MAIN_ITEMS):
        ct = crosstab(survey, TabRequest(item, weighted=weighted, filters=filters))
        total = ct.columns[0]
        assert total.base == items_of(gt)[i].base, item
        assert total.weighted_base == approx(items_of(gt)[i].weighted_base), item
        assert total.effective_base == approx(items_of(gt)[i].effective_base), item
        rows = {r.key: r.cells[0] for r in ct.rows}
        for m in measures_of(gt):
            cell, tc = m.cells[i], rows[m.key]
            assert cell.count == tc.count, (item, m.key)
            assert cell.weighted_count == approx(tc.weighted_count), (item, m.key)
            if m.key == "mean":
                assert cell.value == approx(tc.value), (item, cell.value, tc.value)
                assert cell.se == approx(tc.se), (item, cell.se, tc.se)
            else:
                assert cell.percent == approx(tc.percent), (item, m.key)
