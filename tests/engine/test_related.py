"""Differences true by definition (engine.related): one rule, used by tab books and profiles."""

from __future__ import annotations

import pytest
from statsmodels.stats.multitest import multipletests

from heetui.engine import book, related
from heetui.engine.filters import parse_filter
from heetui.engine.profiling import profile
from heetui.output.profile import left_out, render_text


def test_the_rule_on_counts():
    assert related.says_twice([[5, 0], [0, 7]])  # every answer in one column only
    assert related.says_twice([[5, 3], [0, 0]])  # every column one answer only
    assert not related.says_twice([[5, 3], [2, 7]])
    # the rest of a profile (every other option merged) holds many answers: only the
    # group's column needs to hold one
    assert not related.says_twice([[5, 3], [0, 7]])
    assert related.says_twice([[5, 3], [0, 7]], whole=[0])
    assert not related.says_twice([[5, 3], [1, 7]], whole=[0])


def test_books_use_the_same_rule():
    assert book.defines is related.defines


@pytest.mark.parametrize(("group", "defining"), [
    ("stakeholder_type=HEI", ("org_type",)),  # a finer version: each answer on one side
    ("org_type=National body/ALB", ("stakeholder_type",)),  # coarser: the group one answer
    ("org_type=NHS Trust", ("stakeholder_type",)),
    ("seniority=1", ()),
    ("region=London", ()),
])
def test_profiles_leave_out_what_defines_the_group(survey, group, defining):
    f = parse_filter(survey.codebook, group)
    prof = profile(survey, (f,))
    assert prof.defining == defining
    left = {f.variable, *defining}
    assert not any(r.question in left for r in prof.rows)
    text = render_text(prof)
    assert text.rstrip().endswith(left_out(prof))
    assert f"{f.variable} (the group's own)" in left_out(prof)
    for q in defining:
        assert q in left_out(prof).split(";")[1]


def test_what_defines_the_group_is_out_of_the_correction(survey):
    """HEI against the rest: org_type's 100 % vs 0 % rows are not among the tests the
    Benjamini-Hochberg correction ranks (they would make the other rows look
    significant)."""
    group = (parse_filter(survey.codebook, "stakeholder_type=HEI"),)
    plain = profile(survey, group, correction="none")
    bh = profile(survey, group, correction="bh")
    tested = [r for r in plain.rows if r.p_value is not None]
    _, adjusted, _, _ = multipletests([r.p_value for r in tested], method="fdr_bh")
    by_key = {(r.question, r.row_key): r for r in bh.rows}
    for r, a in zip(tested, adjusted, strict=True):
        assert by_key[(r.question, r.row_key)].p_adjusted == pytest.approx(a)
    assert all(r.question != "org_type" for r in bh.significant)
