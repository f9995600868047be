"""Workspace edits on an imported SPSS file: a .sav written with pyreadstat (value labels,
a weight, a numeric age with values on the band edges and blanks), opened with
opening.open_path and its own workspace, each edit checked against numpy on the data the
file was written from."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from heetui.engine import TabRequest, apply_edit, edits, parse_filters, table
from heetui.opening import open_path
from workspace_helpers import check

N = 500
SAT = {1: "Very poor", 2: "Poor", 3: "Fair", 4: "Good", 5: "Very good", 9: "Don't know"}


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(34)
    region = rng.choice([1, 2, 3], N, p=[.45, .35, .2])
    lean = np.array([[.05, .1, .2, .35, .25, .05], [.2, .25, .25, .15, .1, .05],
                     [.1, .2, .3, .2, .1, .1]])
    sat = np.array([rng.choice([1, 2, 3, 4, 5, 9], p=lean[r - 1]) for r in region])
    age = rng.integers(18, 85, N).astype(float)
    age[:12] = [35, 55, 34.5, 54.99, 18, 84, 35, 55, np.nan, np.nan, 34, 54]  # edges, blanks
    return pd.DataFrame({"region": region.astype(float), "sat": sat.astype(float),
                         "age": age, "member": rng.integers(0, 2, N).astype(float),
                         "weight": rng.uniform(0.4, 2.2, N)})


@pytest.fixture(scope="module")
def sav(tmp_path_factory):
    df = _frame()
    path = tmp_path_factory.mktemp("sav") / "wave.sav"
    pyreadstat.write_sav(df, str(path), column_labels={
        "region": "Region", "sat": "Satisfaction with the service", "age": "Age",
        "member": "Member", "weight": "Weight"}, variable_value_labels={
        "region": {1: "North", 2: "Midlands", 3: "South"}, "sat": SAT,
        "member": {0: "Not a member", 1: "Member"}})
    return path, df


@pytest.fixture
def opened(sav, tmp_path):
    path, df = sav
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    s = open_path(path, workspace=tmp_path / "w.toml")
    assert s.codebook.settings.weight == "weight"
    yield s, df
    s.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # the source untouched


def _is(df, name, *codes) -> np.ndarray:
    return np.isin(df[name].to_numpy(), codes)


def _tab(s, q, banner=None, filters=(), weighted=False):
    return table(s, TabRequest(q, banner, parse_filters(s.codebook, filters), weighted=weighted,
                               design=False))


def _regions(df):
    return ("region", [(c, _is(df, "region", c)) for c in (1, 2, 3)])


@pytest.mark.parametrize("weighted", [False, True])
def test_labels_hide_nets_and_scores(opened, weighted):
    s, df = opened
    w = df["weight"].to_numpy()
    apply_edit(s, edits.relabel_answer(s, "sat", "Fair", "Average"))
    apply_edit(s, edits.hide_answers(s, "sat", ["Don't know"]))
    apply_edit(s, edits.add_net(s, "sat", "Good or better", ["4", "Very good"]))
    apply_edit(s, edits.add_net(s, "sat", "Poor or worse", ["1", "2"]))
    apply_edit(s, edits.set_scores(s, "sat", {"1": -100, "2": -50, "3": 0, "4": 50, "5": 100}))
    sat = df["sat"].to_numpy()
    x = np.select([sat == c for c in (1, 2, 3, 4, 5)], [-100, -50, 0, 50, 100], 0.0)
    has = np.isin(sat, [1, 2, 3, 4, 5])
    labels = {**SAT, 3: "Average"}
    rows = [(labels[c], _is(df, "sat", c)) for c in (1, 2, 3, 4, 5)]
    rows += [("Good or better", _is(df, "sat", 4, 5)), ("Poor or worse", _is(df, "sat", 1, 2))]
    ct = _tab(s, "sat", "region", weighted=weighted)
    assert check(ct, w, ~np.isnan(sat), [_regions(df)], rows, weighted, mean=(x, has)) > 0
    ct = _tab(s, "region", "member", ["sat=Good or better"], weighted)
    base = _is(df, "sat", 4, 5)
    rows = [(lab, _is(df, "region", c)) for c, lab in ((1, "North"), (2, "Midlands"),
                                                       (3, "South"))]
    members = ("member", [(0, _is(df, "member", 0)), (1, _is(df, "member", 1))])
    check(ct, w, base, [members], rows, weighted)


@pytest.mark.parametrize("weighted", [False, True])
def test_bands_as_span_and_filter(opened, weighted):
    s, df = opened
    w = df["weight"].to_numpy()
    apply_edit(s, edits.set_bands(s, "age", [35, 55]))
    age = df["age"].to_numpy()
    bands = [(1, age < 35), (2, (age >= 35) & (age < 55)), (3, age >= 55)]
    assert int(bands[1][1].sum()) + int(bands[0][1].sum()) + int(bands[2][1].sum()) == N - 2
    sat = df["sat"].to_numpy()
    rows = [(SAT[c], _is(df, "sat", c)) for c in (1, 2, 3, 4, 5, 9)]
    ct = _tab(s, "sat", "age", weighted=weighted)
    check(ct, w, ~np.isnan(sat), [("age", bands)], rows, weighted)
    ct = _tab(s, "sat", "region", ["age=35-54"], weighted)
    check(ct, w, bands[1][1], [_regions(df)], rows, weighted)
    ct = _tab(s, "age", "region", weighted=weighted)  # as a question: its mean
    mean = next(r for r in ct.rows if r.kind == "mean")
    ww = w if weighted else np.ones(N)
    for cell, (_, m) in zip(mean.cells[1:], _regions(df)[1], strict=True):
        m = m & ~np.isnan(age)
        assert cell.value == pytest.approx((ww * age)[m].sum() / ww[m].sum())


@pytest.mark.parametrize("weighted", [False, True])
def test_derived_segments_filters_and_banner(opened, weighted):
    s, df = opened
    w = df["weight"].to_numpy()
    apply_edit(s, edits.save_filter(s, "older", "age>=55"))
    apply_edit(s, edits.derive(s, "segment", [("Older members", "@older & member=1"),
                                              ("Southerners", "region=South"),
                                              ("Young", "age<35")]))
    apply_edit(s, edits.derive(s, "traits", [("Older", "@older"), ("Member", "member=Member"),
                                             ("Unhappy", "sat=1,2")], multi=True))
    apply_edit(s, edits.save_banner(s, "wave", ["segment", "traits"]))
    age, member = df["age"].to_numpy(), _is(df, "member", 1)
    older = age >= 55
    first = older & member
    second = _is(df, "region", 3) & ~first
    third = (age < 35) & ~first & ~second
    segment = ("segment", [(1, first), (2, second), (3, third)])
    unhappy = _is(df, "sat", 1, 2)
    traits = ("traits", [(1, older), (2, member), (3, unhappy)])
    sat = df["sat"].to_numpy()
    rows = [(SAT[c], _is(df, "sat", c)) for c in (1, 2, 3, 4, 5, 9)]
    ct = _tab(s, "sat", "wave", weighted=weighted)
    assert ct.overlapping
    assert check(ct, w, ~np.isnan(sat), [segment, traits], rows, weighted, overlap=True) > 0
    ct = _tab(s, "segment", "region", weighted=weighted)
    answered = first | second | third
    check(ct, w, answered, [_regions(df)], [("Older members", first), ("Southerners", second),
                                            ("Young", third)], weighted)
    ct = _tab(s, "traits", "region", weighted=weighted)
    check(ct, w, np.ones(N, dtype=bool), [_regions(df)],
          [("Older", older), ("Member", member), ("Unhappy", unhappy)], weighted)
    ct = _tab(s, "region", None, ["@older & traits=Unhappy"], weighted)
    rows = [(lab, _is(df, "region", c)) for c, lab in ((1, "North"), (2, "Midlands"),
                                                       (3, "South"))]
    check(ct, w, older & unhappy, [], rows, weighted)


@pytest.mark.parametrize("weighted", [False, True])
def test_a_condition_names_a_band_made_in_the_workspace(opened, weighted):
    s, df = opened
    w = df["weight"].to_numpy()
    apply_edit(s, edits.set_bands(s, "age", [35, 55]))
    apply_edit(s, edits.derive(s, "midlife", [("Midlife North", "age=35–54 & region=North"),
                                              ("Other midlife", "age=35-54"),
                                              ("Rest", "else")]))
    age = df["age"].to_numpy()
    mid = (age >= 35) & (age < 55)
    north = mid & _is(df, "region", 1)
    span = ("midlife", [(1, north), (2, mid & ~north), (3, ~mid)])
    rows = [(SAT[c], _is(df, "sat", c)) for c in (1, 2, 3, 4, 5, 9)]
    check(_tab(s, "sat", "midlife", weighted=weighted), w, ~np.isnan(df["sat"].to_numpy()),
          [span], rows, weighted)
