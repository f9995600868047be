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
from heetui.engine.words import STOP_WORDS
from heetui.survey.bundle import bundled_survey_path


def _people_terms(question: str) -> dict[int, set[str]]:
    comments = pl.read_parquet(bundled_survey_path() / "verbatims.parquet").filter(
        (pl.col("question") == question) & pl.col("respondent_id").is_not_null())
    out: dict[int, set[str]] = {}
    for rid, text in comments.select("respondent_id", "text").iter_rows():
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
