"""Many tables in few scans (engine.survey_wide): each table equals the one crosstab
computes alone, for every kind of question, banner, weighting, filter and group."""

from __future__ import annotations

from dataclasses import replace

import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filter
from heetui.engine.survey_wide import crosstabs
from helpers import make_bundle, same_table, single


@pytest.mark.parametrize("banner,weighted,filters,group", [
    ("standard", True, (), ()),
    ("region/seniority", False, ("org_type=Royal College,HEI",), ()),
    (None, False, (), ()),
    (None, True, (), ("stakeholder_type=HEI",)),
])
def test_every_table_equals_its_own_crosstab(survey, banner, weighted, filters, group):
    cb = survey.codebook
    base = TabRequest("", banner, tuple(parse_filter(cb, f) for f in filters), weighted,
                      group=tuple(parse_filter(cb, f) for f in group))
    ids = [v.id for v in cb.variables if v.type != "open"] + ["improve"]
    survey.clear_cache()
    seen: list[tuple[int, int]] = []
    tables = list(crosstabs(survey, base, ids, progress=lambda d, t: seen.append((d, t))))
    assert [t.question.id for t in tables] == ids
    assert seen[-1] == (len(ids), len(ids)) and seen == sorted(seen)
    survey.clear_cache()
    for q, got in zip(ids, tables, strict=True):
        same_table(got, crosstab(survey, replace(base, question=q)))


def test_single_choice_questions_share_scans(tmp_path, monkeypatch):
    from heetui.engine import survey_wide
    from heetui.engine.session import open_survey

    monkeypatch.setattr(survey_wide, "BATCH", 7)
    variables = [single("seg", ["a", "b"], "segment")] + [
        single(f"q{i}", ["yes", "no", "maybe"]) for i in range(19)] + [
        single("q19", ["yes", "no", "maybe"], eligible={"variable": "seg", "codes": [1]})]
    data = {"seg": [1, 2, 1, 2, 1]} | {f"q{i}": [1 + (i + r) % 3 for r in range(5)]
                                       for i in range(20)}
    data["q3"] = [None, 1, 2, None, 3]
    s = open_survey(make_bundle(tmp_path / "b", variables, data))
    calls: list[str] = []
    real = s.query_arrays
    monkeypatch.setattr(s, "query_arrays", lambda q: (calls.append(q), real(q))[1])
    ids = [f"q{i}" for i in range(20)]
    tables = list(crosstabs(s, TabRequest("", "seg"), ids))
    assert len(calls) == 4  # 19 questions in batches of 7, and the one asked of seg = a
    assert tables[3].total.base == 3  # the unanswered are out of the base
    assert tables[19].total.base == 3  # only those asked
    s.clear_cache()
    for q, got in zip(ids, tables, strict=True):
        same_table(got, crosstab(s, TabRequest(q, "seg")))


def test_the_collector_is_paused_while_tables_are_made_and_left_as_found(survey, monkeypatch):
    """Python's cyclic collector is off while a batch's tables are made (engine.collector)
    and back as it was afterwards: after an error too, and left off if it was off."""
    import gc
    import threading

    from heetui.engine import survey_wide
    from heetui.engine.collector import collection_paused

    seen: list[bool] = []
    real = survey_wide.tabulate

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(survey_wide, "tabulate", watched)
    assert gc.isenabled()
    list(crosstabs(survey, TabRequest("", "standard"), ["relationship", "advocacy"]))
    assert seen == [False] and gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(survey_wide, "tabulate", broken)
    with pytest.raises(RuntimeError):
        list(crosstabs(survey, TabRequest("", "standard"), ["relationship"]))
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    # two at once (threads): the collector comes back when the last one ends
    first_in, second_out = threading.Event(), threading.Event()

    def first() -> None:
        with collection_paused():
            first_in.set()
            second_out.wait(10)
            assert not gc.isenabled()

    t = threading.Thread(target=first)
    t.start()
    first_in.wait(10)
    with collection_paused():
        assert not gc.isenabled()
    second_out.set()
    t.join(10)
    assert gc.isenabled()


def test_scans_run_ahead_in_order_and_stop_when_closed():
    """survey_wide.ahead: each task's result in order while the next runs in a worker; an
    error is raised where its result is due; closing cancels what has not started."""
    import threading
    import time

    from heetui.engine.survey_wide import ahead

    threads: list[str] = []

    def task(k: int):
        def run() -> int:
            threads.append(threading.current_thread().name)
            time.sleep(0.01)
            return k
        return run

    assert list(ahead([task(k) for k in range(5)])) == list(range(5))
    assert all(t.startswith("heetui-scan") for t in threads)
    assert list(ahead([task(7)])) == [7] and threads[-1] == threading.current_thread().name

    def broken() -> int:
        raise RuntimeError("query stopped")

    got: list[int] = []
    with pytest.raises(RuntimeError):
        for x in ahead([task(0), broken, task(2)]):
            got.append(x)
    assert got == [0]
    threads.clear()
    gen = ahead([task(k) for k in range(50)])
    assert next(gen) == 0
    gen.close()
    assert len(threads) < 50  # the rest were cancelled


def test_what_a_pause_keeps_goes_to_the_oldest_generation_unless_something_is_frozen():
    """collection_paused(keep=True) ends by moving what is alive into the oldest generation
    (gc.freeze then gc.unfreeze) and leaves nothing frozen; when objects are frozen already
    (the app's), it leaves them so."""
    import gc

    from heetui.engine.collector import collection_paused

    class Made:
        pass

    gc.collect()
    with collection_paused(keep=True):
        made = [Made() for _ in range(1000)]
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(m) in oldest for m in made) and gc.get_freeze_count() == 0
    with collection_paused():
        young = [Made() for _ in range(10)]
    assert not any(id(m) in {id(o) for o in gc.get_objects(generation=2)} for m in young)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collection_paused(keep=True):
            later = [Made() for _ in range(10)]
        assert gc.get_freeze_count() == frozen and later
    finally:
        gc.unfreeze()


def test_multi_response_questions_share_scans_and_equal_raw_sums(tmp_path, monkeypatch):
    """Packed multi-response questions asked of the same respondents share scans (a
    question's slices are columns of the scan, at most BATCH a scan); each table equals the
    one crosstab computes alone, and its cells equal sums over the raw rows."""
    import numpy as np

    from heetui.engine import survey_wide
    from heetui.engine.session import open_survey
    from helpers import multi

    monkeypatch.setattr(survey_wide, "BATCH", 7)
    rng = np.random.default_rng(3)
    n, nq, k = 90, 20, 10
    nets = [{"label": "Ends", "codes": [1, 10]}]
    seg = multi("seg", ["a", "b", "c"], "segment")
    qs = [multi(f"m{i}", [f"opt {j}" for j in range(1, k + 1)], nets=nets)
          for i in range(nq)]
    qs[4]["eligible"] = {"variable": "asked", "codes": [1]}
    segs = rng.random((n, 3)) < [0.5, 0.4, 0.3]
    asked = rng.random(n) < 0.6
    chosen = rng.random((nq, n, k)) < 0.35
    answered = rng.random((nq, n)) < 0.8
    weight = rng.uniform(0.4, 2.0, n)
    data: dict[str, list] = {f"seg_{j + 1}": segs[:, j].astype(int).tolist() for j in range(3)}
    data["asked"] = [1 if a else 2 for a in asked]
    for i in range(nq):
        data |= {f"m{i}_{j + 1}": [int(c) if a else None for c, a in
                                   zip(chosen[i, :, j], answered[i], strict=True)]
                 for j in range(k)}
    data["w"] = weight.tolist()
    who = single("asked", ["yes", "no"], "segment")
    s = open_survey(make_bundle(tmp_path / "b", [seg, who, *qs], data, weight="w"))
    assert all(s.packed(s.codebook.get(f"m{i}")) for i in range(nq))
    calls: list[str] = []
    real = s.query_arrays
    monkeypatch.setattr(s, "query_arrays", lambda q: (calls.append(q), real(q))[1])
    monkeypatch.setattr(s, "query", lambda q: pytest.fail(f"a query of its own: {q}"))
    ids = [f"m{i}" for i in range(nq)]
    tables = list(crosstabs(s, TabRequest("", "seg", weighted=True), ids))
    # 11 items are 2 slices: 3 questions a scan, 19 asked of all in 7 scans, m4 alone
    assert len(calls) == 8
    for i in (0, 4, 19):
        t = tables[i]
        member = answered[i] & (asked if i == 4 else True)
        cols = {c.label: c for c in t.columns}
        assert cols["Total"].base == member.sum()
        col = [c.label for c in t.columns].index("b")
        assert t.columns[col].weighted_base == pytest.approx(weight[member & segs[:, 1]].sum())
        rows = {r.label: r for r in t.rows}
        for label, hit in (("opt 7", chosen[i, :, 6]),
                           ("Ends", chosen[i, :, 0] | chosen[i, :, 9])):
            cell = rows[label].cells[col]
            assert cell.count == (member & segs[:, 1] & hit).sum()
            assert cell.weighted_count == pytest.approx(weight[member & segs[:, 1] & hit].sum())
    monkeypatch.undo()
    s.clear_cache()
    for q, got in zip(ids, tables, strict=True):
        same_table(got, crosstab(s, TabRequest(q, "seg", weighted=True)))
