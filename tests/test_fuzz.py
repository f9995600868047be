"""Fuzzing the engine: random codebooks and data raise only the engine's own errors."""

from __future__ import annotations

import contextlib
import math
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import EngineError, Filter
from heetui.engine.profile import profile
from heetui.engine.session import open_survey
from heetui.survey.bundle import BundleError
from heetui.survey.write import write_bundle


@st.composite
def random_survey(draw):
    n = draw(st.integers(0, 40))
    variables, columns = [], {"respondent_id": pl.Series(range(1, n + 1), dtype=pl.UInt32)}
    for i in range(draw(st.integers(1, 4))):
        vid = f"v{i}"
        kind = draw(st.sampled_from(["single", "multi", "numeric"]))
        k = draw(st.integers(1, 4))
        options = [{"code": c, "label": draw(st.text(min_size=1, max_size=6))}
                   for c in range(1, k + 1)]
        if kind == "numeric":
            vals = draw(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=n,
                                 max_size=n))
            columns[vid] = pl.Series(vid, vals, dtype=pl.Float64)
            variables.append({"id": vid, "type": "numeric", "text": vid})
            continue
        if kind == "multi":
            for c in range(1, k + 1):
                columns[f"{vid}_{c}"] = pl.Series(draw(st.lists(
                    st.one_of(st.none(), st.sampled_from([0, 1])), min_size=n, max_size=n)),
                    dtype=pl.UInt8)
        else:  # codes may be missing, unused (empty categories) or out of range
            columns[vid] = pl.Series(draw(st.lists(st.one_of(st.none(), st.integers(0, k + 1)),
                                                   min_size=n, max_size=n)), dtype=pl.UInt8)
        var = {"id": vid, "type": kind, "text": vid, "options": options}
        if draw(st.booleans()):
            var["nets"] = [{"label": "net", "codes": [1]}]
        if kind == "single" and draw(st.booleans()):
            var["options"] = [dict(o, value=float(o["code"])) for o in options]
        variables.append(var)
    weights = draw(st.sampled_from(["none", "random", "zero"]))
    survey = {"title": "fuzz"}
    if weights != "none":
        survey["weight"] = "w"
        w = [0.0] * n if weights == "zero" else draw(st.lists(st.floats(0, 10), min_size=n,
                                                              max_size=n))
        columns["w"] = pl.Series("w", w, dtype=pl.Float64)
    codebook = {"survey": survey, "questions": variables}
    return codebook, pl.DataFrame(list(columns.values()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_survey(), st.booleans(), st.integers(0, 3))
def test_engine_raises_only_its_own_errors(sample, weighted, which):
    codebook, frame = sample
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_bundle(Path(tmp) / "b", codebook, frame)
        try:
            survey = open_survey(folder)
        except (BundleError, EngineError):
            return  # invalid data is reported, not crashed on
        ids = [v["id"] for v in codebook["questions"]]
        categorical = [v["id"] for v in codebook["questions"] if v["type"] != "numeric"]
        for q in ids:
            for banner in [None, *categorical]:
                try:
                    ct = crosstab(survey, TabRequest(q, banner, weighted=weighted))
                except EngineError:
                    continue
                for col in ct.columns:
                    assert col.base >= 0 and col.effective_base <= col.base + 1e-6
                for r in ct.rows:
                    for cell in r.cells:
                        if cell.percent is not None:
                            assert -1e-9 <= cell.percent <= 100 + 1e-9
                        if cell.value is not None:
                            assert math.isfinite(cell.value)
                for t in ct.tests:
                    assert 0 <= t.p_value <= 1 and 0 <= t.p_adjusted <= 1
        if categorical:
            with contextlib.suppress(EngineError):
                profile(survey, (Filter(categorical[which % len(categorical)], (1,)),),
                        weighted=weighted)
        survey.close()
