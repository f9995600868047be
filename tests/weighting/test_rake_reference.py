"""Weights computed to targets agree with R's survey::rake (frozen in reference.json by
make_reference.R: Debian's r-cran-survey 4.1.1) and with weightipy (a Python port of
quantipy's Rim, with the caps quantipy applies within the iteration) to 1e-6, relative; the
weighted margins meet the targets; the efficiency and effective base are those of a direct
computation on the weights; caps hold. On the bundled survey and on a real .sav (R's
apistrat schools, written as .sav and imported as an analyst's file is)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyreadstat
import pytest
import weightipy

from heetui.engine import Survey, TabRequest, open_survey, table
from heetui.opening import open_path

HERE = Path(__file__).parent
REFERENCE = json.loads((HERE / "reference.json").read_text())["cases"]
TWO = {"stakeholder_type": {"HEI": 20, "NHS Trust": 50, "Other": 30},
       "seniority": {"1": 40, "2": 60}}
THREE = {**TWO, "in_contact": {"1": 85, "2": 15}}


def weighted(survey: Survey, name: str, entry: dict[str, Any]) -> np.ndarray:
    assert survey.workspace is not None
    survey.workspace.set(("weight", name), entry)
    survey.reshape()
    assert survey.workspace_problems == ()
    rows = survey.query(f'SELECT "{name}" FROM respondents')
    return np.array([r[0] for r in rows], dtype=float)


@pytest.fixture
def hee(tmp_path: Path) -> Survey:
    return open_survey(workspace=tmp_path / "w.toml")


@pytest.mark.parametrize(("case", "entry"), [
    ("hee_two", {"targets": TWO}),
    ("hee_three", {"targets": THREE}),
    ("hee_started", {"targets": TWO, "start": "weight"}),
])
def test_bundled_survey_matches_r_rake(hee: Survey, case: str, entry: dict[str, Any]) -> None:
    w = weighted(hee, "rim", entry)
    np.testing.assert_allclose(w, REFERENCE[case]["weights"], rtol=1e-6)


def test_margins_meet_targets_and_tables_use_the_weight(hee: Survey) -> None:
    weighted(hee, "rim", {"targets": THREE})
    hee.choose_weight("rim")
    for var, targets in THREE.items():
        t = table(hee, TabRequest(var, None, weighted=True))
        shares = {r.label: r.cells[0].percent for r in t.rows if r.kind == "category"}
        v = hee.codebook.get(var)
        for answer, target in targets.items():
            label = v.option(int(answer)).label if answer.isdigit() else answer
            assert shares[label] == pytest.approx(target, abs=1e-6)


def test_report_figures_are_those_of_the_weights(hee: Survey, raw: pl.DataFrame) -> None:
    w = weighted(hee, "rim", {"targets": TWO, "min": 0.6, "max": 2.5, "max_gap": 100})
    report = hee.weight_reports["rim"]
    n = len(w)
    assert report.spread.efficiency == pytest.approx(w.sum() ** 2 / (n * (w ** 2).sum()))
    assert report.spread.effective_n == pytest.approx(w.sum() ** 2 / (w ** 2).sum())
    assert report.spread.low == pytest.approx(w.min())
    assert report.spread.high == pytest.approx(w.max())
    assert w.min() >= 0.6 - 1e-9 and w.max() <= 2.5 + 1e-9
    assert w.mean() == pytest.approx(1.0)
    assert report.capped_high == int(np.sum(w >= 2.5 - 1e-9))
    assert report.capped_low == int(np.sum(w <= 0.6 + 1e-9))
    counts = raw["stakeholder_type"].value_counts()
    hei = report.rows[0]
    assert (hei.variable, hei.code) == ("stakeholder_type", 1)
    assert hei.count == counts.filter(pl.col("stakeholder_type") == 1)["count"][0]
    codes = raw["stakeholder_type"].to_numpy()
    assert hei.weighted == pytest.approx(w[codes == 1].sum())


def _weightipy(df: pd.DataFrame, targets: dict[str, dict[int, float]], **params: Any
               ) -> np.ndarray:
    scheme = weightipy.scheme_from_dict(targets, name="w", rim_params={
        "convcrit": 1e-13, "max_iterations": 20000, **params})
    scheme.anesrake_cap_correction = False  # caps exactly as given
    return np.asarray(weightipy.weight(df, scheme), dtype=float)


@pytest.mark.parametrize("cap", [None, 2.5])
def test_bundled_survey_matches_weightipy(hee: Survey, cap: float | None) -> None:
    df = pd.read_csv(HERE / "hee.csv")
    codes = {"stakeholder_type": {1: 20, 2: 50, 3: 30}, "seniority": {1: 40, 2: 60},
             "in_contact": {1: 85, 2: 15}}
    theirs = _weightipy(df, codes, **({"cap": cap} if cap else {}))
    ours = weighted(hee, "rim", {"targets": THREE, **({"max": cap} if cap else {})})
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.fixture
def schools(tmp_path: Path) -> Survey:
    """R's apistrat schools as an analyst's .sav: coded answers with value labels."""
    df = pd.read_csv(HERE / "apistrat.csv")
    sav = tmp_path / "apistrat.sav"
    pyreadstat.write_sav(df, str(sav), variable_value_labels={
        "stype": {1: "Elementary", 2: "High", 3: "Middle"},
        "sch_wide": {0: "No", 1: "Yes"}, "awards": {0: "No", 1: "Yes"}})
    return open_path(sav, workspace=tmp_path / "w.toml")


def test_imported_sav_matches_r_rake_with_count_targets(schools: Survey) -> None:
    entry = {"unit": "count", "start": "pw", "targets": {
        "stype": {"Elementary": 4421, "High": 755, "Middle": 1018},
        "sch_wide": {"No": 1072, "Yes": 5122}, "awards": {"No": 2027, "Yes": 4167}}}
    w = weighted(schools, "rim_pop", entry)
    np.testing.assert_allclose(w, REFERENCE["api_counts"]["weights"], rtol=1e-6)
    assert w.sum() == pytest.approx(6194)


@pytest.mark.parametrize(("entry", "words"), [
    ({"targets": {"stakeholder_type": {"HEI": 20, "NHS Trust": 50, "Other": 20}}},
     "sum to 90%"),
    ({"targets": {"stakeholder_type": {"HEI": 20, "NHS Trust": 80}}},
     "has respondents but no target"),
    ({"targets": {"region": {"1": 100}}}, "weighting takes single-choice"),
    ({"unit": "count", "targets": {"stakeholder_type": {"1": 10, "2": 10, "3": 10},
                                   "seniority": {"1": 10, "2": 10}}}, "different totals"),
    ({"targets": TWO, "max": 1.05, "min": 0.95}, "caps keep weighted shares up to"),
    ({"targets": TWO, "max_iterations": 2, "tolerance": 1e-15}, "did not converge"),
    ({"targets": TWO, "start": "nosuch"}, "not a column"),
])
def test_targets_that_cannot_be_met_are_one_sentence(hee: Survey, entry: dict[str, Any],
                                                     words: str) -> None:
    assert hee.workspace is not None
    hee.workspace.set(("weight", "bad"), entry)
    hee.reshape()
    (problem,) = hee.workspace_problems
    assert words in problem.message and problem.line is not None
    assert "bad" not in hee.weight_names()


def test_a_changed_target_computes_the_weight_again(hee: Survey) -> None:
    first = weighted(hee, "rim", {"targets": TWO})
    again = weighted(hee, "rim", {"targets": {**TWO, "seniority": {"1": 50, "2": 50}}})
    assert not np.allclose(first, again)
    shares = np.bincount(pl.read_csv(HERE / "hee.csv")["seniority"].to_numpy(),
                         weights=again)[1:] / again.sum()
    np.testing.assert_allclose(shares, [0.5, 0.5], atol=1e-9)


def test_weighting_within_groups_matches_weightipy_segments(hee: Survey) -> None:
    """Each contact group raked to its own targets, the groups kept at their sample shares
    (weightipy's segmented scheme, the same shares given as its segment targets)."""
    df = pd.read_csv(HERE / "hee.csv")
    shares = df["in_contact"].value_counts(normalize=True)
    theirs = _weightipy(df, {
        "segment_by": "in_contact",
        "segment_targets": {1: 100 * shares[1], 2: 100 * shares[2]},
        "segments": {1: {"stakeholder_type": {1: 20, 2: 50, 3: 30}},
                     2: {"stakeholder_type": {1: 30, 2: 40, 3: 30}}}})
    ours = weighted(hee, "rim", {"within": "in_contact", "groups": {
        "1": {"stakeholder_type": {"1": 20, "2": 50, "3": 30}},
        "Not in contact": {"stakeholder_type": {"1": 30, "2": 40, "3": 30}}}})
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_contradictory_targets_are_refused_not_a_wrong_weight(hee: Survey) -> None:
    """Organisation type nests stakeholder type (NHS Trusts are one type of each): targets
    that give them different shares cannot be met together, whatever the iteration does."""
    assert hee.workspace is not None
    hee.workspace.set(("weight", "bad"), {"targets": {
        "stakeholder_type": {"1": 20, "2": 50, "3": 30},
        "org_type": {str(c): 100 / 7 for c in range(1, 8)}}})
    hee.reshape()
    (problem,) = hee.workspace_problems
    assert "contradict" in problem.message and "bad" not in hee.weight_names()


def test_imported_sav_matches_weightipy_with_a_cap(schools: Survey) -> None:
    """The real schools: three weighting variables at the population's shares, a cap of
    2.5, against weightipy on the same columns."""
    df = pd.read_csv(HERE / "apistrat.csv")
    pop = {"stype": {1: 4421, 2: 755, 3: 1018}, "sch_wide": {0: 1072, 1: 5122},
           "awards": {0: 2027, 1: 4167}}
    shares = {v: {c: 100 * n / sum(t.values()) for c, n in t.items()} for v, t in pop.items()}
    theirs = _weightipy(df, shares, cap=2.5)
    labels = {"stype": {1: "Elementary", 2: "High", 3: "Middle"},
              "sch_wide": {0: "No", 1: "Yes"}, "awards": {0: "No", 1: "Yes"}}
    targets = {v: {labels[v][c]: x for c, x in t.items()} for v, t in shares.items()}
    ours = weighted(schools, "rim_cap", {"targets": targets, "max": 2.5, "max_gap": 100})
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
