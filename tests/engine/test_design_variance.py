"""Design-based variances (strata, PSUs, FPC) against R's survey package.

tests/design/make_reference.R exported three real designs shipped with R's survey package
(NHANES: strata and two PSUs each, weights; apiclus1: a one-stage cluster sample with an
FPC; apistrat: a stratified sample without clusters, with an FPC) to CSV, and froze what
`svymean`, `svyby` + `svycontrast`, `svytotal` + `svycontrast` and `svyttest` say about
them in tests/design/reference.json. Here each CSV becomes a bundle whose codebook
declares the design, and heetui's tables must give the same estimates, SEs, t statistics,
degrees of freedom and p-values (to 1e-6 relative), without R.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import polars as pl
import pytest

from heetui.cli.main import main
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from heetui.survey.bundle import BundleError, load_bundle
from heetui.survey.write import write_bundle

HERE = Path(__file__).resolve().parents[1] / "design"
REFERENCE = json.loads((HERE / "reference.json").read_text())


def _options(codes: dict[int, str]) -> list[dict]:
    return [{"code": c, "label": lab} for c, lab in codes.items()]


def _single(vid: str, codes: dict[int, str]) -> dict:
    return {"id": vid, "type": "single", "text": f"{vid} text", "options": _options(codes)}


NO_YES = {0: "No", 1: "Yes"}
DATASETS = {
    "nhanes": dict(
        weight="weight", design={"strata": "stratum", "cluster": "psu"},
        segments=[_single("race", {1: "Hispanic", 2: "White", 3: "Black", 4: "Other"}),
                  _single("agecat", {1: "0-19", 2: "20-39", 3: "40-59", 4: "60+"}),
                  _single("gender", {1: "Male", 2: "Female"})],
        questions=[_single("hi_chol", NO_YES),
                   # the same answer as a multi-response item (its 0/1 column: chol_1)
                   {"id": "chol", "type": "multi", "text": "Conditions",
                    "options": _options({1: "High cholesterol"})}]),
    "apiclus1": dict(
        weight="pw", design={"cluster": "dnum", "fpc": "fpc"},
        segments=[_single("stype", {1: "Elementary", 2: "High", 3: "Middle"})],
        questions=[_single("sch_wide", NO_YES),
                   {"id": "api00", "type": "numeric", "text": "API 2000"}]),
    "apistrat": dict(
        weight="pw", design={"strata": "stratum", "fpc": "fpc"},
        segments=[_single("yr_rnd", NO_YES)],
        questions=[_single("awards", NO_YES),
                   {"id": "api00", "type": "numeric", "text": "API 2000"}]),
}


def build(folder: Path, name: str, design: dict | None = None, segments: tuple = ()) -> Path:
    spec = DATASETS[name.removesuffix("-unweighted")]
    df = pl.read_csv(HERE / f"{name.removesuffix('-unweighted')}.csv")
    codes = [v["id"] for v in spec["segments"] + spec["questions"] if v["type"] == "single"]
    if "hi_chol" in df.columns:
        df = df.with_columns(pl.col("hi_chol").cast(pl.UInt8).alias("chol_1"))
    df = df.with_columns([pl.col(c).cast(pl.UInt8) for c in codes]
                         + [pl.lit(10.0).alias("ten")])  # an FPC below apiclus1's 15 PSUs
    survey = {"title": name, "id_column": "respondent_id", "weight": spec["weight"],
              "design": spec["design"] if design is None else design,
              "min_test_base": 2, "low_base": 2}
    cb = {"survey": survey, "segments": [*spec["segments"], *segments],
          "questions": spec["questions"]}
    return write_bundle(folder / name, cb, df, force=True)


@pytest.fixture(scope="module")
def surveys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("designs")
    return {name: open_survey(build(folder, name)) for name in DATASETS}


def _table(surveys, data: str, question: str, banner: str, compare: str = "pairs"):
    weighted = not data.endswith("-unweighted")
    survey = surveys[data.removesuffix("-unweighted")]
    return crosstab(survey, TabRequest(question, banner, weighted=weighted, compare=compare))


def _banner(column: str) -> str:
    return column.split("=")[0]


def _cases(kind: str) -> list[dict]:
    return REFERENCE[kind]


def _cells_by_table() -> dict[tuple[str, str, str], list[dict]]:
    out: dict[tuple[str, str, str], list[dict]] = {}
    for c in REFERENCE["cells"]:
        banners = {_banner(x["column"]) for x in REFERENCE["cells"]
                   if x["data"] == c["data"] and x["question"] == c["question"]
                   and x["column"] != "total"}
        for b in banners:
            if c["column"] == "total" or _banner(c["column"]) == b:
                out.setdefault((c["data"], c["question"], b), []).append(c)
    return out


CELLS = _cells_by_table()


@pytest.mark.parametrize("key", sorted(CELLS), ids=["-".join(k) for k in sorted(CELLS)])
def test_cells_match_svymean(surveys, key):
    """Every column's proportion (of each answer) or mean, and its SE: svymean on the
    column as a domain of the whole design."""
    data, question, banner = key
    ct = _table(surveys, data, question, banner)
    columns = {c.key: i for i, c in enumerate(ct.columns)}
    rows = {r.key: r for r in ct.rows}
    assert ct.design is not None and "Taylor" in ct.design
    for ref in CELLS[key]:
        cell = rows[ref["row"]].cells[columns[ref["column"]]]
        if ref["row"] == "mean":
            got, se = cell.value, cell.se
        else:
            got, se = cell.percent / 100, cell.se / 100
        assert got == pytest.approx(ref["estimate"], rel=1e-9), ref
        assert se == pytest.approx(ref["se"], rel=1e-6), ref


def _pairs_by_table() -> dict[tuple[str, str, str, str], list[dict]]:
    out: dict[tuple[str, str, str, str], list[dict]] = {}
    for p in REFERENCE["pairs"]:
        compare = "total" if p["b"] == "total" else "pairs"
        out.setdefault((p["data"], p["question"], _banner(p["a"]), compare), []).append(p)
    return out


PAIRS = _pairs_by_table()


@pytest.mark.parametrize("key", sorted(PAIRS), ids=["-".join(k) for k in sorted(PAIRS)])
def test_tests_match_svyttest_and_svycontrast(surveys, key):
    """Every test: the difference over its linearised SE (svycontrast's), the t statistic,
    degrees of freedom and p-value of svyttest (or, for a column against Total, which
    overlaps it, the difference of two ratios linearised by svycontrast)."""
    data, question, banner, compare = key
    ct = _table(surveys, data, question, banner, compare)
    letter = {c.key: c.letter for c in ct.columns}
    tests = {(t.row, t.a, t.b): t for t in ct.tests}
    for ref in PAIRS[key]:
        b = "Total" if ref["b"] == "total" else letter[ref["b"]]
        t = tests[(ref["row"], letter[ref["a"]], b)]
        scale = 1.0 if ref["row"] == "mean" else 100.0
        assert (t.a_value - t.b_value) / scale == pytest.approx(ref["difference"], rel=1e-9)
        assert t.statistic == pytest.approx(ref["t"], rel=1e-6), ref
        assert abs(t.a_value - t.b_value) / scale / abs(t.statistic) == pytest.approx(
            ref["se"], rel=1e-6)
        assert t.p_value == pytest.approx(ref["p"], rel=1e-6), ref


def test_letters_follow_the_design_based_p_values(surveys):
    """A letter is earned where R's svyttest p-value is below the level, and the design
    changes at least one decision the effective-base test makes on the same table."""
    design = _table(surveys, "nhanes", "hi_chol", "race")
    refs = {(p["row"], p["a"], p["b"]): p for p in REFERENCE["pairs"]
            if p["data"] == "nhanes" and p["a"].startswith("race=") and p["b"] != "total"}
    letter = {c.key: c.letter for c in design.columns}
    key_of = {c.letter: c.key for c in design.columns if c.letter}
    rows = {r.key: r for r in design.rows}
    won = 0
    for (row, a, b), ref in refs.items():
        if ref["p"] < 0.05:
            hi, lo = (a, b) if ref["t"] > 0 else (b, a)
            assert letter[lo] in rows[row].cells[list(letter).index(hi)].sig
            won += 1
    assert won > 0
    kish = crosstab(next(iter(surveys.values())), TabRequest("hi_chol", "race", weighted=True,
                                                             design=False))
    assert kish.design is None
    assert {(t.row, t.a, t.b): t.significant for t in kish.tests} != {
        (t.row, t.a, t.b): t.significant for t in design.tests}
    assert all(key_of[lt] for lt in key_of)


def test_the_legend_and_json_say_design_based(surveys, tmp_path):
    folder = build(tmp_path, "apiclus1")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["tab", "sch_wide", "--by", "stype", "--weighted", "--format", "json",
              "--data", str(folder)])
    d = json.loads(out.getvalue())
    assert "design-based variance (Taylor linearisation over 1 strata and 15 PSUs, with FPC)" \
        in d["legend"]
    assert "effective bases" not in d["legend"]
    assert d["variance"] == "design"


@pytest.mark.parametrize(("design", "words"), [
    ({"strata": "nowhere"}, "the strata column named in the codebook (survey.design) is absent"),
    ({"cluster": "dnum", "fpc": "ten"}, "expected sampling fractions in (0, 1] or population"),
    ({"cluster": "dnum", "fpc": "api00"}, "the FPC varies within a stratum"),
    ({"strata": "dnum"}, "strata have a single PSU"),
    ({"fpc": "fpc"}, "names neither strata nor cluster"),
    ({"strata": "stype", "psu": "dnum"}, "is not a design field"),
])
def test_a_broken_design_is_refused_on_load(tmp_path, design, words):
    folder = build(tmp_path, "apiclus1", design)
    with pytest.raises(BundleError) as e:
        load_bundle(folder)
    assert words in e.value.report()


@pytest.mark.parametrize("correction", ["none", "bh"])
def test_profile_matches_svyttest(surveys, correction):
    """A profile (race = 1 against the rest) tests every other answer by the design: each
    row's p-value is svyttest's, and BH adjusts those (multipletests on R's p-values)."""
    from statsmodels.stats.multitest import multipletests

    from heetui.engine.filters import Filter
    from heetui.engine.profiling import profile

    prof = profile(surveys["nhanes"], (Filter("race", (1,)),), weighted=True,
                   correction=correction)
    assert prof.design is not None
    refs = [r for r in REFERENCE["profile"] if r["data"] == "nhanes"]
    rows = {(r.question, r.row_key): r for r in prof.rows}
    assert len(rows) == len(refs)
    adjusted = (multipletests([r["p"] for r in refs], method="fdr_bh")[1]
                if correction == "bh" else [r["p"] for r in refs])
    for ref, pa in zip(refs, adjusted, strict=True):
        got = rows[(ref["question"], ref["row"])]
        assert got.p_value == pytest.approx(ref["p"], rel=1e-6), ref
        assert got.p_adjusted == pytest.approx(pa, rel=1e-6), ref
        assert got.significant is bool(pa < 0.05)


@pytest.mark.parametrize("packed", [True, False])
def test_a_multi_response_item_is_a_domain_proportion_too(surveys, monkeypatch, packed):
    """Both multi-response paths (the packed column's slices by PSU, or a sum per 0/1 item
    column and PSU) give svymean's SE: an item holding the same 0/1 answers as hi_chol = 1
    has that row's estimate and SE in every column."""
    survey = surveys["nhanes"]
    assert survey.packed(survey.codebook.get("chol")) == "chol__bits"
    if not packed:
        monkeypatch.setattr(survey, "packed", lambda v: None)
    survey.clear_cache()
    ct = _table(surveys, "nhanes", "chol", "race")
    survey.clear_cache()
    columns = {c.key: i for i, c in enumerate(ct.columns)}
    refs = [c for c in REFERENCE["cells"] if c["data"] == "nhanes" and c["row"] == "1"
            and c["column"] in columns]
    assert len({r["column"] for r in refs}) == 5
    for ref in refs:
        cell = ct.rows[0].cells[columns[ref["column"]]]
        assert cell.percent / 100 == pytest.approx(ref["estimate"], rel=1e-9)
        assert cell.se / 100 == pytest.approx(ref["se"], rel=1e-6)


@pytest.mark.parametrize("df", [1, 2, 5, 14, 15, 30, 199, 200, 201, 450, 1900, 10_000, 1e6])
def test_t_p_values_match_scipy(df):
    """The design's p-values come from heetui's own Student t (no scipy at run time)."""
    import numpy as np
    from scipy import stats as sst

    from heetui.engine.stats import t_p_two_sided

    t = np.concatenate([np.linspace(-12, 12, 241), [0.0, 1e-9, 40.0]])
    want = 2 * sst.t.sf(np.abs(t), df)
    got = t_p_two_sided(t, df)
    assert np.allclose(got, want, rtol=1e-9, atol=1e-15)


def test_a_pair_within_one_stratum_of_two_psus_is_not_tested(tmp_path):
    """Filtered to one NHANES stratum (two PSUs), a pair has no degrees of freedom left
    (R's svyttest: 2 PSUs − 1 stratum − 1 = 0): no statistic, and the reason says why."""
    from heetui.engine.filters import Filter

    codes = sorted(set(pl.read_csv(HERE / "nhanes.csv")["stratum"].to_list()))
    stratum = _single("stratum", {c: f"Stratum {c}" for c in codes})
    survey = open_survey(build(tmp_path, "nhanes", segments=(stratum,)))
    ct = crosstab(survey, TabRequest("hi_chol", "gender", (Filter("stratum", (codes[0],)),),
                                     weighted=True))
    assert ct.tests and all(t.statistic is None for t in ct.tests)
    assert {t.reason for t in ct.tests} == {
        "the two columns reach too few PSUs of the design for a test"}
