"""Distinctive words: each column's terms and their z checked against an independent
computation — comments tokenised in Python (re), counted once a person in polars, and the
log-odds ratio of the prior-smoothed 2×2 table from statsmodels' Table2x2 — and the
disclosure rule: no term resting on fewer than the minimum group of people, in the column
or the rest, and no column of fewer commenters."""

from __future__ import annotations

import math
import re

import polars as pl
import pytest
from statsmodels.stats.contingency_tables import Table2x2

from heetui.engine import distinctive_words
from heetui.engine.session import open_survey
from heetui.engine.words import STOP_WORDS
from heetui.survey.bundle import bundled_survey_path
from helpers import make_bundle, single


def _people_terms(question: str) -> dict[int, set[str]]:
    comments = pl.read_parquet(bundled_survey_path() / "verbatims.parquet").filter(
        (pl.col("question") == question) & pl.col("respondent_id").is_not_null())
    out: dict[int, set[str]] = {}
    for rid, text in comments.select("respondent_id", "text").iter_rows():
        if not text.strip():
            continue  # a blank comment says nothing: its writer did not comment
        words = [w for w in re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())
                 if w not in STOP_WORDS]
        terms = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
        out.setdefault(rid, set()).update(terms)
    return out


def test_terms_and_z_match_an_independent_computation(survey, raw):
    found = distinctive_words(survey, "relationship_why", "stakeholder_type", top=8)
    people = _people_terms("relationship_why")
    kind = dict(zip(raw["respondent_id"].to_list(), raw["stakeholder_type"].to_list(),
                    strict=True))
    assert found.commenters == len(people)
    everyone: dict[str, int] = {}
    for terms in people.values():
        for t in terms:
            everyone[t] = everyone.get(t, 0) + 1
    a0 = sum(everyone.values())
    for code, col in enumerate(found.columns, 1):
        mine = {r: t for r, t in people.items() if kind[r] == code}
        assert col.commenters == len(mine)
        y = {t: sum(t in ts for ts in mine.values()) for t in everyone}
        n_i = sum(y.values())
        n_j = a0 - n_i
        assert col.terms, col.label
        for term in col.terms:
            a, yi = everyone[term.term], y[term.term]
            yj = everyone[term.term] - yi
            assert (term.people, term.others) == (yi, yj)
            table = Table2x2([[yi + a, n_i + a0 - yi - a], [yj + a, n_j + a0 - yj - a]])
            delta = table.log_oddsratio
            assert term.log_odds == pytest.approx(delta, rel=1e-9)
            assert term.z == pytest.approx(delta / math.sqrt(1 / (yi + a) + 1 / (yj + a)),
                                           rel=1e-9)
        zs = [t.z for t in col.terms]
        assert zs == sorted(zs, reverse=True)


def test_no_term_or_column_rests_on_fewer_than_the_minimum_group(survey):
    found = distinctive_words(survey, "relationship_why", "region", top=50, min_group_size=5)
    for col in found.columns:
        if col.withheld:
            assert not col.terms
        for t in col.terms:
            assert t.people >= 5 and not 0 < t.others < 5
    strict = distinctive_words(survey, "relationship_why", "stakeholder_type",
                               min_group_size=40)
    hei = strict.columns[0]
    assert hei.commenters < 40 and hei.withheld and not hei.terms


def test_a_person_who_wrote_twice_counts_once_for_a_term_and_blank_comments_are_no_one(
        tmp_path):
    """Eight people of group a write about training, three of them twice; three of group b
    mention it once; one person of each group writes only spaces. "training" is used by 8
    people in a (not 11) and 3 in the rest, and the blank writers are not commenters."""
    grp = [1] * 9 + [2] * 9  # respondents 9 and 18 write a blank comment only
    rows = [(i, "staff training matters") for i in range(1, 9)] + \
        [(i, "staff rota training" if i < 13 else "staff rota matters") for i in range(10, 18)] + \
        [(i, "training again, staff training") for i in (1, 2, 3)] + [(9, "   "), (18, " ")]
    verb = pl.DataFrame(
        {"respondent_id": [r for r, _ in rows], "question": ["why"] * len(rows),
         "text": [t for _, t in rows], "themes": [[]] * len(rows),
         "source": ["survey"] * len(rows), "attribution": [None] * len(rows)},
        schema={"respondent_id": pl.UInt32, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    folder = make_bundle(tmp_path / "b", [single("grp", ["a", "b"], role="segment"),
                                          {"id": "why", "type": "open", "text": "Why?"}],
                         {"grp": grp}, verbatims=verb)
    found = distinctive_words(open_survey(folder), "why", "grp", top=20, min_group_size=3)
    a, b = found.columns
    assert (found.commenters, a.commenters, b.commenters) == (16, 8, 8)
    assert {t.term: (t.people, t.others) for t in a.terms}["training"] == (8, 3)
