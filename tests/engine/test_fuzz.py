"""Fuzzing the engine: random codebooks and data raise only the engine's own errors, and
every crosstab of a valid bundle has the counts, percents and means of its raw data."""

from __future__ import annotations

import contextlib
import math
import tempfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import Filter
from heetui.engine.profiling import profile
from heetui.engine.session import open_survey
from heetui.errors import EngineError
from heetui.survey.bundle import BundleError
from heetui.survey.write import write_bundle

EXAMPLES = 60
# flaws a spoiled copy of each generated bundle carries: the copy must be rejected
FLAWS = ("code out of range", "no respondents", "weights sum to zero")


def _label() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=6).filter(lambda s: s.strip())


@st.composite
def random_survey(draw):
    """A valid bundle: a codebook and data that follows it."""
    n = draw(st.integers(1, 40))
    columns = {"respondent_id": pl.Series("respondent_id", range(1, n + 1), dtype=pl.UInt32)}
    variables = []
    for i in range(draw(st.integers(1, 4))):
        vid = f"v{i}"
        kind = draw(st.sampled_from(["single", "multi", "numeric"]))
        k = draw(st.integers(1, 4))
        options = [{"code": c, "label": draw(_label())} for c in range(1, k + 1)]
        if kind == "numeric":
            vals = draw(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=n,
                                 max_size=n))
            columns[vid] = pl.Series(vid, vals, dtype=pl.Float64)
            variables.append({"id": vid, "type": "numeric", "text": vid})
            continue
        if kind == "multi":
            # a null first option column means not asked: the respondent's other columns
            # are null too (the engine's base rule); answered rows may leave later ones null
            answer = st.one_of(st.none(), st.sampled_from([0, 1]))
            for c in range(1, k + 1):
                name = f"{vid}_{c}"
                vals = draw(st.lists(answer, min_size=n, max_size=n))
                if c > 1:
                    first = columns[f"{vid}_1"]
                    vals = [None if first[j] is None else x for j, x in enumerate(vals)]
                columns[name] = pl.Series(name, vals, dtype=pl.UInt8)
        else:  # codes may be missing or unused (empty categories)
            columns[vid] = pl.Series(vid, draw(st.lists(st.one_of(st.none(),
                                                                   st.integers(1, k)),
                                                         min_size=n, max_size=n)),
                                     dtype=pl.UInt8)
        var = {"id": vid, "type": kind, "text": vid, "options": options}
        if draw(st.booleans()):
            var["nets"] = [{"label": "net", "codes": [1]}]
        if kind == "single" and draw(st.booleans()):
            var["options"] = [dict(o, value=float(o["code"])) for o in options]
        variables.append(var)
    survey = {"title": "fuzz"}
    if draw(st.booleans()):
        survey["weight"] = "w"
        # some respondents may weigh nothing, not all of them
        w = draw(st.lists(st.one_of(st.just(0.0), st.floats(0.01, 10)), min_size=n,
                          max_size=n).filter(lambda ws: sum(ws) > 0))
        columns["w"] = pl.Series("w", w, dtype=pl.Float64)
    return {"survey": survey, "questions": variables}, pl.DataFrame(list(columns.values()))


@st.composite
def spoiled(draw, codebook: dict, frame: pl.DataFrame):
    """A copy of a valid bundle with one flaw its loader must report."""
    codebook = {"survey": dict(codebook["survey"]), "questions": codebook["questions"]}
    coded = [v for v in codebook["questions"] if v["type"] != "numeric"]
    flaw = draw(st.sampled_from([f for f in FLAWS if coded or f != "code out of range"]))
    if flaw == "no respondents":
        return flaw, codebook, frame.head(0)
    if flaw == "weights sum to zero":
        codebook["survey"]["weight"] = "w"
        return flaw, codebook, frame.with_columns(pl.lit(0.0).alias("w"))
    v = draw(st.sampled_from(coded))
    at = draw(st.integers(0, frame.height - 1))
    if v["type"] == "single":  # a code the codebook does not list
        name, bad = v["id"], draw(st.sampled_from([0, len(v["options"]) + 1]))
    else:  # a multi-response answer that is not 0/1
        name, bad = f"{v['id']}_{draw(st.sampled_from(v['options']))['code']}", 2
    return flaw, codebook, frame.with_columns(frame[name].scatter(at, bad))


def _expected_columns(frame: pl.DataFrame, var: dict | None) -> list[np.ndarray]:
    """Membership of Total and of each banner column, straight from the raw data."""
    cols = [np.ones(frame.height, dtype=bool)]
    if var is None:
        return cols
    for o in var["options"]:
        name = f"{var['id']}_{o['code']}" if var["type"] == "multi" else var["id"]
        cols.append((frame[name] == o["code"] if var["type"] == "single"
                     else frame[name] == 1).fill_null(False).to_numpy())
    return cols


def _check_against_data(ct, frame: pl.DataFrame, q: dict, b: dict | None,
                        w: np.ndarray, sw: np.ndarray) -> None:
    """Bases, counts, percents and means recomputed from the raw frame with numpy (``w``:
    the estimate's weights, ones when unweighted; ``sw``: the survey's weights)."""
    if q["type"] == "multi":  # a multi-response base: any option column answered
        in_base = np.zeros(frame.height, dtype=bool)
        for o in q["options"]:
            in_base |= frame[f"{q['id']}_{o['code']}"].is_not_null().to_numpy()
    else:
        in_base = frame[q["id"]].is_not_null().to_numpy()
    members = _expected_columns(frame, b)
    assert len(ct.columns) == len(members)
    for col, member in zip(ct.columns, members, strict=True):
        assert col.base == int((member & in_base).sum())
        assert col.weighted_base == pytest.approx(float(sw[member & in_base].sum()), abs=1e-9)
    if q["type"] == "numeric":
        x = frame[q["id"]].fill_null(0.0).to_numpy()
        rows = {r.key: r for r in ct.rows}
        scale = 1e-9 * max(1.0, float(np.abs(x).max(initial=0.0)))
        for i, member in enumerate(members):
            m = member & in_base
            cell = rows["mean"].cells[i]
            assert cell.count == int(m.sum())
            positive = m & (w > 0)
            if w[m].sum() > 0:
                assert cell.value == pytest.approx(float((w[m] * x[m]).sum() / w[m].sum()),
                                                   rel=1e-9, abs=scale)
                assert rows["min"].cells[i].value == x[positive].min()
                assert rows["max"].cells[i].value == x[positive].max()
            else:
                assert rows["median"].cells[i].value is None
        return
    rows = [([o["code"]], o) for o in q["options"]] + [(n["codes"], None)
                                                       for n in q.get("nets", [])]
    for (codes, _), row in zip(rows, ct.rows, strict=False):
        if q["type"] == "multi":
            hit = np.zeros(frame.height, dtype=bool)
            for c in codes:
                hit |= (frame[f"{q['id']}_{c}"] == 1).fill_null(False).to_numpy()
        else:
            hit = frame[q["id"]].is_in(codes).fill_null(False).to_numpy()
        for cell, member in zip(row.cells, members, strict=True):
            m = member & in_base
            assert cell.count == int((m & hit).sum())
            if w[m].sum() > 0:
                assert cell.percent == pytest.approx(
                    100 * float(w[m & hit].sum() / w[m].sum()), rel=1e-9, abs=1e-9)
            else:
                assert cell.percent is None
    assert [r.kind for r in ct.rows[:len(rows)]] == ["category"] * len(q["options"]) + [
        "net"] * len(q.get("nets", []))
    if q["type"] == "single" and "value" in q["options"][0]:
        mean = next(r for r in ct.rows if r.kind == "mean")
        x = frame[q["id"]].fill_null(0).cast(pl.Float64).to_numpy()
        for cell, member in zip(mean.cells, members, strict=True):
            m = member & in_base
            if w[m].sum() > 0:
                assert cell.value == pytest.approx(float((w[m] * x[m]).sum() / w[m].sum()),
                                                   rel=1e-9, abs=1e-9)


def test_engine_raises_only_its_own_errors():
    tabulated: list[int] = []

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(random_survey(), st.booleans(), st.integers(0, 3), st.data())
    def run(sample, weighted, which, data):
        codebook, frame = sample
        with tempfile.TemporaryDirectory() as tmp:
            folder = write_bundle(Path(tmp) / "b", codebook, frame)
            survey = open_survey(folder)  # a valid bundle opens and every table is checked
            try:
                _tabulate_everything(survey, codebook, frame, weighted, which)
            finally:
                survey.close()
            tabulated.append(frame.height)
            flaw, bad_codebook, bad_frame = data.draw(spoiled(codebook, frame), label="flaw")
            bad = write_bundle(Path(tmp) / "bad", bad_codebook, bad_frame)
            with pytest.raises((BundleError, EngineError)):  # reported, not crashed on
                open_survey(bad).close()

    run()
    # every example reached crosstab (a valid bundle never returns early)
    assert len(tabulated) >= EXAMPLES


def _tabulate_everything(survey, codebook: dict, frame: pl.DataFrame, weighted: bool,
                         which: int) -> None:
    has_weight = "weight" in codebook["survey"]
    if weighted and not has_weight:
        with pytest.raises(EngineError, match="no weight variable"):
            crosstab(survey, TabRequest(codebook["questions"][0]["id"], weighted=True))
        weighted = False
    sw = frame["w"].to_numpy() if has_weight else np.ones(frame.height)  # Σw of a column
    w = sw if weighted else np.ones(frame.height)  # the estimate's weights
    variables = {v["id"]: v for v in codebook["questions"]}
    categorical = [v["id"] for v in codebook["questions"] if v["type"] != "numeric"]
    for q in variables:
        for banner in [None, *categorical]:
            ct = crosstab(survey, TabRequest(q, banner, weighted=weighted))
            for col in ct.columns:
                assert col.base >= 0 and col.effective_base <= col.base + 1e-6
            for r in ct.rows:
                for cell in r.cells:
                    if cell.percent is not None:
                        assert -1e-9 <= cell.percent <= 100 + 1e-9
                    if cell.value is not None:
                        assert math.isfinite(cell.value)
            for t in ct.tests:
                if t.tested:
                    assert 0 <= t.p_value <= 1 and 0 <= t.p_adjusted <= 1
                else:
                    assert t.p_value is None and t.reason
            _check_against_data(ct, frame, variables[q],
                                variables[banner] if banner else None, w, sw)
    if categorical:
        with contextlib.suppress(EngineError):
            profile(survey, (Filter(categorical[which % len(categorical)], (1,)),),
                    weighted=weighted)
