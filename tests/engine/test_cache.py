"""The engine's result cache: concurrent askers share one computation; readiness checks."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from heetui.engine.crosstab import TabRequest, crosstab, tab_ready
from heetui.engine.filters import Filter
from heetui.engine.session import open_survey
from heetui.errors import EngineError
from helpers import same_table
from reference import Bundle


@pytest.fixture()
def survey():
    s = open_survey()
    yield s
    s.close()


def _in_threads(n: int, fn) -> list[object]:
    out: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            out[i] = fn()
        except Exception as e:  # noqa: BLE001 - the test inspects what each thread got
            out[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return out


def test_concurrent_askers_share_one_computation(survey):
    calls = []

    def compute() -> list[int]:
        calls.append(1)
        time.sleep(0.3)  # long enough for every thread to ask while it runs
        return [42]

    got = _in_threads(4, lambda: survey.cached(("k",), compute))
    assert len(calls) == 1
    assert all(g is got[0] for g in got) and got[0] == [42]
    assert survey.is_cached(("k",))


def test_a_failed_computation_reaches_every_asker_and_is_not_cached(survey):
    calls = []

    def compute() -> None:
        calls.append(1)
        time.sleep(0.3)
        raise EngineError("no such thing")

    got = _in_threads(3, lambda: survey.cached(("bad",), compute))
    assert len(calls) == 1
    assert all(isinstance(g, EngineError) and str(g) == "no such thing" for g in got)
    assert not survey.is_cached(("bad",))
    with pytest.raises(EngineError):  # asked again: computed again
        survey.cached(("bad",), compute)
    assert len(calls) == 2


def test_tab_ready_after_the_table_was_computed(survey):
    req = TabRequest("relationship", "stakeholder_type", (Filter("region", (1, 2)),),
                     weighted=True)
    assert not tab_ready(survey, req)
    first = crosstab(survey, req)
    assert tab_ready(survey, req)
    # only the display settings differ: the same sums answer it
    assert tab_ready(survey, TabRequest("relationship", "stakeholder_type",
                                        (Filter("region", (1, 2)),), sig_level=0.01))
    assert not tab_ready(survey, TabRequest("relationship", "seniority"))
    # a mistake needs no query either: crosstab raises it at once
    assert tab_ready(survey, TabRequest("no_such_question"))
    # served from the cache, the table is the one a fresh survey computes
    fresh = open_survey()
    try:
        again = crosstab(fresh, req)
    finally:
        fresh.close()
    assert crosstab(survey, req) == first  # from the same cached sums
    same_table(first, again)


def test_a_table_asked_while_its_prefetch_runs_waits_for_it(survey):
    req = TabRequest("words", "region", weighted=True)
    queries = []

    def counting(real):
        def run(q):
            queries.append(q)
            time.sleep(0.2)  # the prefetch is still running when the table is asked for
            return real(q)
        return run

    for name in ("query", "query_arrays"):  # rows, or columns for large results
        setattr(survey, name, counting(getattr(survey, name)))
    got = _in_threads(2, lambda: crosstab(survey, req))
    assert len(queries) == 1
    # the waiting asker got the table a separately opened survey computes on its own
    fresh = open_survey(survey.bundle.path)
    try:
        expected = crosstab(fresh, req)
    finally:
        fresh.close()
    assert got[0] == got[1]  # one computation (its sums), shared
    same_table(got[0], expected)
    # whose bases and weighted percents are the raw data's (tests/reference.py)
    ref = Bundle.read(survey.bundle.path)
    w, answered = ref.weights(True), ref.answered("words")
    members = [np.ones(ref.df.height, dtype=bool), *ref.columns("region")]
    assert len(expected.columns) == len(members)
    for i, (col, member) in enumerate(zip(expected.columns, members, strict=True)):
        m = answered & member
        assert col.base == int(m.sum())
        assert col.weighted_base == pytest.approx(w[m].sum())
        for row, (_, codes) in zip(expected.rows, ref.rows("words"), strict=True):
            hit = m & ref.option("words", codes)
            assert row.cells[i].count == int(hit.sum())
            assert row.cells[i].percent == pytest.approx(100 * w[hit].sum() / w[m].sum())
