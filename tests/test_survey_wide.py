"""Many tables in few scans (engine.survey_wide): each table equals the one crosstab
computes alone, for every kind of question, banner, weighting, filter and group."""

from __future__ import annotations

from dataclasses import replace

import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filter
from heetui.engine.survey_wide import crosstabs
from helpers import make_bundle, single
from test_cache import same_table


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
    monkeypatch.setattr(s, "query_arrays", lambda sql, params=None: (
        calls.append(sql), real(sql, params))[1])
    ids = [f"q{i}" for i in range(20)]
    tables = list(crosstabs(s, TabRequest("", "seg"), ids))
    assert len(calls) == 4  # 19 questions in batches of 7, and the one asked of seg = a
    assert tables[3].total.base == 3  # the unanswered are out of the base
    assert tables[19].total.base == 3  # only those asked
    s.clear_cache()
    for q, got in zip(ids, tables, strict=True):
        same_table(got, crosstab(s, TabRequest(q, "seg")))
