"""Property tests on random small surveys (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import Filter
from heetui.engine.session import open_survey
from helpers import make_bundle, multi, single


@st.composite
def surveys(draw):
    n = draw(st.integers(1, 80))
    kb = draw(st.integers(1, 4))
    kq = draw(st.integers(2, 5))
    codes_b = st.one_of(st.none(), st.integers(1, kb))
    codes_q = st.one_of(st.none(), st.integers(1, kq))
    data = {
        "seg": draw(st.lists(codes_b, min_size=n, max_size=n)),
        "q": draw(st.lists(codes_q, min_size=n, max_size=n)),
        "w": draw(st.lists(st.floats(0.01, 5.0), min_size=n, max_size=n)),
    }
    for i in (1, 2, 3):
        data[f"m_{i}"] = draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n))
        data[f"b_{i}"] = draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n))
    return data, kb, kq


def _open(data, kb, kq, folder: Path):
    variables = [single("seg", [f"S{i}" for i in range(1, kb + 1)], role="segment"),
                 multi("b", ["X", "Y", "Z"], role="segment"),
                 single("q", [f"A{i}" for i in range(1, kq + 1)],
                        nets=[{"label": "Top", "codes": [1, 2]}]),
                 multi("m", ["P", "Q", "R"])]
    make_bundle(folder, variables, data, weight="w")
    return open_survey(folder)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys(), st.booleans(), st.sampled_from(["seg", "b", None]))
def test_invariants(params, weighted, banner):
    data, kb, kq = params
    with tempfile.TemporaryDirectory() as tmp:
        s = _open(data, kb, kq, Path(tmp) / "b")
        df = pl.DataFrame(data)
        for q in ("q", "m"):
            ct = crosstab(s, TabRequest(q, banner, weighted=weighted))
            answered = df.filter(pl.col("q").is_not_null()) if q == "q" else df
            assert ct.total.base == answered.height
            for i, col in enumerate(ct.columns):
                cats = [r.cells[i] for r in ct.rows if r.kind == "category"]
                for c in cats:
                    assert c.count <= col.base
                    if c.percent is not None:
                        assert -1e-9 <= c.percent <= 100 + 1e-9
                if q == "q":
                    assert sum(c.count for c in cats) == col.base
                    if col.base > 0:
                        assert sum(c.percent for c in cats) == pytest.approx(100)
                    else:
                        assert all(c.percent is None for c in cats)
                assert col.effective_base <= col.base + 1e-9
            for t in ct.tests:
                if t.tested:
                    assert 0 <= t.p_value <= 1
                else:  # never dropped silently
                    assert t.reason and t.p_value is None and not t.significant
        s.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys(), st.integers(1, 4))
def test_filter_then_tab_equals_tab_on_prefiltered_data(params, keep):
    data, kb, kq = params
    keep = min(keep, kb)
    df = pl.DataFrame(data)
    pre = df.filter(pl.col("seg") == keep)
    if pre.height == 0:
        return
    with tempfile.TemporaryDirectory() as tmp:
        full = _open(data, kb, kq, Path(tmp) / "full")
        part = _open({k: pre[k].to_list() for k in data}, kb, kq, Path(tmp) / "part")
        for q in ("q", "m"):
            a = crosstab(full, TabRequest(q, "b", (Filter("seg", (keep,)),), weighted=True))
            b = crosstab(part, TabRequest(q, "b", weighted=True))
            assert [c.base for c in a.columns] == [c.base for c in b.columns]
            for ra, rb in zip(a.rows, b.rows, strict=True):
                assert [c.count for c in ra.cells] == [c.count for c in rb.cells]
                for ca, cb in zip(ra.cells, rb.cells, strict=True):
                    assert (ca.percent is None) == (cb.percent is None)
                    if ca.percent is not None:
                        assert ca.percent == pytest.approx(cb.percent)
                assert [c.sig for c in ra.cells] == [c.sig for c in rb.cells]
        full.close()
        part.close()
