"""Every workspace edit tabulated on the bundled survey and checked against numpy on the raw
Parquet: each edit's meaning is written again here as a respondent mask (never through the
engine's conditions, SQL or parsing), and bases, percents, means and letters are computed
from those masks (letters: statsmodels' proportions_ztest for disjoint columns unweighted,
the effective-base z-test of tests/reference.py otherwise)."""

from __future__ import annotations

import numpy as np
import pytest

from heetui.engine import (
    TabRequest,
    apply_edit,
    edits,
    open_survey,
    parse_filters,
    table,
    undo_edit,
)
from helpers import bundled_reference
from workspace_helpers import check as check_table

REF = bundled_reference()
N = REF.df.height
WEIGHT = REF.weights(True)


def col(name: str) -> np.ndarray:
    return REF.df[name].to_numpy().astype(float)


def chose(name: str, *codes: int) -> np.ndarray:
    """Respondents whose answer to ``name`` is any of ``codes`` (a multi-response
    question: any of those option columns is 1)."""
    if f"{name}_{codes[0]}" in REF.df.columns:
        return np.logical_or.reduce([col(f"{name}_{c}") == 1 for c in codes])
    return np.isin(col(name), codes)


REL = ~np.isnan(col("relationship"))  # relationship's base: everyone who answered it
WORDS = (col("in_contact") == 1) & ~np.isnan(col("words_1"))  # words: asked and answering
HEI, TRUST, OTHER = (chose("stakeholder_type", c) for c in (1, 2, 3))
LONDON, SENIOR = chose("region", 6), chose("seniority", 1)
REL_ROWS = ["Very positive", "Fairly positive", "Neither positive nor negative",
            "Fairly negative", "Very negative", "Don't know"]


@pytest.fixture
def ws_survey(tmp_path):
    s = open_survey(workspace=tmp_path / "w.toml")
    yield s
    s.close()


def check(ct, *args, **kwargs) -> int:
    return check_table(ct, WEIGHT, *args, **kwargs)


def tab(s, q, banner=None, filters=(), weighted=False):
    return table(s, TabRequest(q, banner, parse_filters(s.codebook, filters),
                               weighted=weighted, design=False))


def rel_rows(labels=REL_ROWS, codes=(1, 2, 3, 4, 5, 6)):
    return [(lab, chose("relationship", c)) for lab, c in zip(labels, codes, strict=True)]


STAKE = ("stakeholder_type", [(1, HEI), (2, TRUST), (3, OTHER)])
NETS = [("Positive", chose("relationship", 1, 2)), ("Negative", chose("relationship", 4, 5))]


# ---- question text, answer labels, order, hidden answers ---------------------------------

@pytest.mark.parametrize("weighted", [False, True])
def test_text_labels_and_order(ws_survey, weighted):
    s = ws_survey
    for e in edits.rename_question(s, "relationship", text="How do we get on?", label="Rel"):
        apply_edit(s, e)
    apply_edit(s, edits.relabel_answer(s, "relationship", "1", "Great"))
    apply_edit(s, edits.relabel_answer(s, "relationship", "Very negative", "Awful"))
    apply_edit(s, edits.order_answers(s, "relationship", ["Awful", "4", "3", "2", "1", "6"]))
    ct = tab(s, "relationship", "stakeholder_type", weighted=weighted)
    assert (ct.question.text, ct.question.label) == ("How do we get on?", "Rel")
    labels = ["Great", *REL_ROWS[1:4], "Awful", REL_ROWS[5]]
    order = [5, 4, 3, 2, 1, 6]
    rows = [(labels[c - 1], chose("relationship", c)) for c in order]
    assert check(ct, REL, [STAKE], rows + NETS, weighted) > 0
    # the new label is the answer's name in a filter, too
    ct = tab(s, "words", "seniority", ["relationship=Great"], weighted)
    great = chose("relationship", 1)
    base = WORDS & great
    assert ct.columns[0].base == int(base.sum())
    supportive = next(r for r in ct.rows if r.label == "Supportive").cells[0]
    w = REF.weights(weighted)
    assert supportive.percent == pytest.approx(
        100 * w[base & chose("words", 1)].sum() / w[base].sum())


@pytest.mark.parametrize("weighted", [False, True])
def test_hidden_answers_stay_in_the_base(ws_survey, weighted):
    s = ws_survey
    before = tab(s, "relationship", "stakeholder_type", weighted=weighted)
    apply_edit(s, edits.hide_answers(s, "relationship", ["Don't know", "3"]))
    ct = tab(s, "relationship", "stakeholder_type", weighted=weighted)
    kept = [r for r in rel_rows() if r[0] not in ("Don't know", REL_ROWS[2])]
    check(ct, REL, [STAKE], kept + NETS, weighted)
    old = {r.label: [c.percent for c in r.cells] for r in before.rows}
    for r in ct.rows:
        if r.kind in ("category", "net"):
            assert [c.percent for c in r.cells] == pytest.approx(old[r.label])
    assert [c.base for c in ct.columns] == [c.base for c in before.columns]


# ---- nets ---------------------------------------------------------------------------------

@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("banner", ["stakeholder_type", "region"])
def test_nets_single_and_multi(ws_survey, weighted, banner):
    s = ws_survey
    apply_edit(s, edits.add_net(s, "relationship", "Not negative", ["1", "2", "3"]))
    apply_edit(s, edits.add_net(s, "words", "Slow or remote", ["Remote", "15", "11"]))
    regions = ("region", [(c, chose("region", c)) for c in range(1, 9)])
    spans = [STAKE] if banner == "stakeholder_type" else [regions]
    overlap = banner == "region"
    ct = tab(s, "relationship", banner, weighted=weighted)
    check(ct, REL, spans, rel_rows() + NETS + [("Not negative", chose("relationship", 1, 2, 3))],
          weighted, overlap)
    ct = tab(s, "words", banner, weighted=weighted)
    v = REF.var("words")
    rows = [(o["label"], chose("words", o["code"])) for o in v["options"]]
    rows += [(n["label"], chose("words", *n["codes"])) for n in v["nets"]]
    slow = chose("words", 11, 13, 15)  # any of its answers chosen
    assert (slow & ~chose("words", 11)).any() and (slow & ~chose("words", 15)).any()
    assert check(ct, WORDS, spans, rows + [("Slow or remote", slow)], weighted, overlap) > 0
    # a net's label is a filter's value
    ct = tab(s, "advocacy", None, ["relationship=Not negative"], weighted)
    assert ct.columns[0].base == int(chose("relationship", 1, 2, 3).sum())


# ---- scores -------------------------------------------------------------------------------

@pytest.mark.parametrize("weighted", [False, True])
def test_scores_mean_leaves_dont_know_out(ws_survey, weighted):
    s = ws_survey
    apply_edit(s, edits.set_scores(s, "relationship", {"1": 10, "2": 7.5, "3": 5, "4": 2.5,
                                                       "Very negative": 0}))
    apply_edit(s, edits.set_scores(s, "effectiveness", {"1": 100, "2": 60, "3": 30, "4": 0}))
    r = col("relationship")
    x = np.select([r == c for c in (1, 2, 3, 4, 5)], [10, 7.5, 5, 2.5, 0], np.nan)
    has = ~np.isnan(x)
    assert (REL & ~has).sum() == 19  # the Don't knows, in the base, not in the mean
    ct = tab(s, "relationship", "stakeholder_type", weighted=weighted)
    check(ct, REL, [STAKE], rel_rows() + NETS, weighted, mean=(np.nan_to_num(x), has))
    e = col("effectiveness")
    x = np.select([e == c for c in (1, 2, 3, 4)], [100, 60, 30, 0], 0.0)
    has = np.isin(e, [1, 2, 3, 4])
    ct = tab(s, "effectiveness", "seniority", weighted=weighted)
    v = REF.var("effectiveness")
    rows = [(o["label"], chose("effectiveness", o["code"])) for o in v["options"]]
    rows += [(n["label"], chose("effectiveness", *n["codes"])) for n in v["nets"]]
    spans = [("seniority", [(1, SENIOR), (2, chose("seniority", 2))])]
    assert check(ct, ~np.isnan(e), spans, rows, weighted, mean=(x, has)) > 0


# ---- derived variables, named filters and banners -----------------------------------------

def _segment(s, with_else: bool):
    answers = [("Trusts in London", "stakeholder_type=NHS Trust & region=London"),
               ("Senior HEI", "stakeholder_type=1 & seniority=1"),
               ("Any senior", "seniority=Chair/CEO/Executive Director")]
    if with_else:
        answers.append(("Everyone else", "else"))
    apply_edit(s, edits.derive(s, "seg", answers, text="Segment"))
    first = TRUST & LONDON
    second = HEI & SENIOR & ~first
    third = SENIOR & ~first & ~second
    masks = [first, second, third]
    if with_else:
        masks.append(~(first | second | third))
    return masks


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("with_else", [False, True])
def test_derived_single_as_question_span_and_filter(ws_survey, weighted, with_else):
    s = ws_survey
    masks = _segment(s, with_else)
    labels = ["Trusts in London", "Senior HEI", "Any senior", "Everyone else"]
    answered = np.logical_or.reduce(masks)  # matching none: not in its base
    assert answered.all() == with_else
    assert (HEI & SENIOR).any() and (TRUST & LONDON & SENIOR).any()  # first that holds
    ct = tab(s, "seg", "stakeholder_type", weighted=weighted)
    check(ct, answered, [STAKE], list(zip(labels, masks, strict=False)), weighted)
    span = ("seg", [(k + 1, m) for k, m in enumerate(masks)])
    ct = tab(s, "relationship", "seg", weighted=weighted)
    check(ct, REL, [span], rel_rows() + NETS, weighted)
    ct = tab(s, "words", "seg", weighted=weighted)
    v = REF.var("words")
    rows = [(o["label"], chose("words", o["code"])) for o in v["options"]]
    rows += [(n["label"], chose("words", *n["codes"])) for n in v["nets"]]
    check(ct, WORDS, [span], rows, weighted)
    ct = tab(s, "relationship", "seniority", ["seg=Senior HEI,1"], weighted)
    spans = [("seniority", [(1, SENIOR), (2, chose("seniority", 2))])]
    check(ct, REL & (masks[0] | masks[1]), spans, rel_rows() + NETS, weighted)


@pytest.mark.parametrize("weighted", [False, True])
def test_derived_multi_counts_each_match_and_tests_overlaps(ws_survey, weighted):
    s = ws_survey
    apply_edit(s, edits.derive(s, "reach", [("London", "region=6"),
                                            ("Trusts", "stakeholder_type=2"),
                                            ("Senior", "seniority=1"),
                                            ("None of those", "else")], multi=True))
    masks = [LONDON, TRUST, SENIOR]
    masks.append(~np.logical_or.reduce(masks))
    assert (LONDON & TRUST & SENIOR).any()  # a respondent in several answers
    labels = ["London", "Trusts", "Senior", "None of those"]
    everyone = np.ones(N, dtype=bool)
    ct = tab(s, "reach", "seniority", weighted=weighted)
    spans = [("seniority", [(1, SENIOR), (2, chose("seniority", 2))])]
    check(ct, everyone, spans, list(zip(labels, masks, strict=True)), weighted)
    span = ("reach", [(k + 1, m) for k, m in enumerate(masks)])
    ct = tab(s, "relationship", "reach", weighted=weighted)
    assert ct.overlapping
    assert check(ct, REL, [span], rel_rows() + NETS, weighted, overlap=True) > 0
    ct = tab(s, "relationship", "stakeholder_type", ["reach=London,Senior"], weighted)
    check(ct, REL & (LONDON | SENIOR), [STAKE], rel_rows() + NETS, weighted)


@pytest.mark.parametrize("weighted", [False, True])
def test_named_filters_and_banners(ws_survey, weighted):
    s = ws_survey
    apply_edit(s, edits.save_filter(s, "trusts_london", "stakeholder_type=2 & region=London"))
    apply_edit(s, edits.save_filter(s, "senior_trusts", "@trusts_london & seniority=1"))
    apply_edit(s, edits.derive(s, "who", [("Trust senior in London", "@senior_trusts"),
                                          ("Other London", "region=6"),
                                          ("Elsewhere", "else")]))
    apply_edit(s, edits.save_banner(s, "mine", ["who", "stakeholder_type"]))
    ct = tab(s, "relationship", None, ["@trusts_london"], weighted)
    check(ct, REL & TRUST & LONDON, [], rel_rows() + NETS, weighted)
    ct = tab(s, "relationship", None, ["@trusts_london & seniority=2"], weighted)
    check(ct, REL & TRUST & LONDON & ~SENIOR, [], rel_rows() + NETS, weighted)
    ct = tab(s, "relationship", None, ["@senior_trusts"], weighted)
    check(ct, REL & TRUST & LONDON & SENIOR, [], rel_rows() + NETS, weighted)
    first = TRUST & LONDON & SENIOR
    who = ("who", [(1, first), (2, LONDON & ~first), (3, ~LONDON)])
    ct = tab(s, "relationship", "mine", weighted=weighted)
    assert check(ct, REL, [who, STAKE], rel_rows() + NETS, weighted) > 0


@pytest.mark.parametrize("weighted", [False, True])
def test_conditions_read_the_workspace_labels_and_nets(ws_survey, weighted):
    s = ws_survey
    apply_edit(s, edits.relabel_answer(s, "stakeholder_type", "NHS Trust", "Trusts"))
    apply_edit(s, edits.add_net(s, "relationship", "Top three", ["1", "2", "3"]))
    apply_edit(s, edits.derive(s, "seg", [("Content trusts",
                                           "stakeholder_type=Trusts & relationship=Top three"),
                                          ("Others", "else")]))
    apply_edit(s, edits.save_filter(s, "content", "seg=Content trusts"))
    content = TRUST & chose("relationship", 1, 2, 3)
    span = ("seg", [(1, content), (2, ~content)])
    v = REF.var("words")
    rows = [(o["label"], chose("words", o["code"])) for o in v["options"]]
    rows += [(n["label"], chose("words", *n["codes"])) for n in v["nets"]]
    assert check(tab(s, "words", "seg", weighted=weighted), WORDS, [span], rows, weighted) > 0
    ct = tab(s, "words", None, ["@content"], weighted)
    check(ct, WORDS & content, [], rows, weighted)


@pytest.mark.parametrize("weighted", [False, True])
def test_derived_over_derived_nested_and_undone(ws_survey, weighted):
    s = ws_survey
    apply_edit(s, edits.derive(s, "reach", [("London", "region=6"),
                                            ("Trusts", "stakeholder_type=2"),
                                            ("Senior", "seniority=1")], multi=True))
    before = tab(s, "relationship", "stakeholder_type", weighted=weighted)
    done = apply_edit(s, edits.derive(s, "tier", [("Senior in London",
                                                   "reach=Senior & reach=London"),
                                                  ("London or trusts", "reach=London,Trusts"),
                                                  ("Neither", "else")]))
    first = SENIOR & LONDON
    second = (LONDON | TRUST) & ~first
    tiers = [(1, first), (2, second), (3, ~(first | second))]
    other = chose("seniority", 2)
    nested = [("tier/seniority", [(f"{c}/{o}", m & outer) for c, m in tiers])
              for o, outer in ((1, SENIOR), (2, other))]
    ct = tab(s, "relationship", "tier/seniority", weighted=weighted)
    check(ct, REL, nested, rel_rows() + NETS, weighted)
    undo_edit(s, done)
    assert s.codebook.find("tier") is None and s.codebook.find("reach") is not None
    after = tab(s, "relationship", "stakeholder_type", weighted=weighted)
    assert [[c.percent for c in r.cells] for r in after.rows] == \
        [[c.percent for c in r.cells] for r in before.rows]
