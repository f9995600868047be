"""Distinctive words: the words and two-word phrases each column of a banner uses in its
comments more than the rest of the respondents who commented.

The measure is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
Quinn, "Fightin' Words", Political Analysis 16(4), 2008, eq. 22): for a term w, a column i
and everyone else who commented j, with y counts of the term, n all terms counted, and the
prior α_w the term's count in all the question's comments (α₀ = Σα_w),

    δ_w = log((y_iw + α_w) / (n_i + α₀ − y_iw − α_w)) − log((y_jw + α_w) / (n_j + α₀ − y_jw − α_w))
    σ²_w ≈ 1/(y_iw + α_w) + 1/(y_jw + α_w),   z_w = δ_w / σ_w.

A term is counted once per respondent (how many people use it, not how often one person
repeats it). Terms are lower-cased runs of letters (apostrophes kept), without the common
English words in STOP_WORDS; a phrase is two such neighbours. Comments are tokenised by one
DuckDB pass over the comments table, never in Python comment by comment.

Disclosure (engine.disclosure.may_show, the one rule): a column of fewer than the minimum
group of commenters (or whose complement is) shows no terms; a term used by fewer people
than the minimum, in the column or in the rest, is never shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from heetui.engine.banner import resolve_banner
from heetui.engine.comments import CellRef, Selection, min_group
from heetui.engine.disclosure import may_show
from heetui.engine.filters import Filter, condition
from heetui.engine.search import NOT_BLANK_SQL
from heetui.engine.session import Survey
from heetui.engine.sql import Clause, Param, ident, joined, where
from heetui.errors import EngineError

_STOP_TEXT = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just
me more most my no nor not now of off on once only or other our ours out over own same she
should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why
will with would you your yours it's i'm don't didn't can't won't isn't aren't wasn't
there's they're we're we've i've you're that's let's
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())  # common English words: no term, no phrase part
TERM = "[a-z]+(?:'[a-z]+)?"  # a run of letters, an apostrophe inside kept (don't)
METHOD = ("log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn "
          "2008): each column against everyone else who commented, a term counted once a "
          "person, z = δ/σ")


@dataclass(frozen=True)
class Term:
    term: str
    people: int  # in the column who used it
    others: int  # everyone else who commented and used it
    z: float
    log_odds: float


@dataclass(frozen=True)
class WordColumn:
    key: str
    label: str
    commenters: int
    terms: tuple[Term, ...]  # most distinctive first
    withheld: bool = False  # fewer than the minimum group (or its complement is)


@dataclass(frozen=True)
class Words:
    kind = "words"  # its formats in output.formats
    question: str
    banner: str
    columns: tuple[WordColumn, ...]
    commenters: int
    min_group: int
    method: str = METHOD


def _terms(question: str, members: Clause[Param], carried: str) -> Clause[Param]:
    """Each respondent's distinct terms and two-word phrases in their comments to
    ``question``, beside the ``carried`` columns of their row of ``members`` (a query of
    respondents with a ``respondent_id``): one pass over the comments, each split, its stop
    words out, neighbours paired and its terms made distinct in its own list, joined to its
    writer before its terms are unnested (a join of a million comments, not of 23 million
    terms). Only the comments of people who wrote more than one to the question are made
    distinct again across their comments (a DISTINCT over everyone's terms cost 4 of 10 s
    at a million comments)."""
    stops = ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(STOP_WORDS))
    pattern = TERM.replace("'", "''")
    words = (f"list_filter(regexp_extract_all(lower(text), '{pattern}'), "
             f"lambda x: NOT list_contains([{stops}], x))")
    terms = ("unnest(list_distinct(list_concat(w, list_transform(range(1, len(w)), "
             "lambda i: w[i] || ' ' || w[i + 1])))) AS term")
    twice = Clause("WITH twice AS MATERIALIZED (SELECT respondent_id FROM verbatims WHERE "
                   "question = ? AND respondent_id IS NOT NULL GROUP BY respondent_id HAVING "
                   "COUNT(*) > 1) ", [question])

    def comments(which: str) -> Clause[Param]:
        return Clause(f"(SELECT respondent_id, {words} AS w FROM verbatims WHERE question = ? "
                      f"AND respondent_id IS NOT NULL AND respondent_id {which} IN (SELECT "
                      "respondent_id FROM twice))", [question])

    return joined(twice, f"SELECT {carried}, {terms} FROM ", comments("NOT"), " c JOIN (",
                  members, f") m USING (respondent_id) UNION ALL SELECT {carried}, term FROM "
                  f"(SELECT DISTINCT respondent_id, term FROM (SELECT respondent_id, {terms} "
                  "FROM ", comments(""), ")) d JOIN (", members, ") m USING (respondent_id)")


def _columns(survey: Survey, banner: str) -> tuple[str, list[tuple[str, str, tuple[Filter, ...]]]]:
    """The banner's name and its columns: key, label and the filters selecting each."""
    b = resolve_banner(survey.codebook, banner)
    out: list[tuple[str, str, tuple[Filter, ...]]] = []
    for span in b.spans:
        outer = span.outer.listed if span.outer is not None else [None]
        for ob in outer:
            for o in span.inner.listed:
                flt: tuple[Filter, ...] = (Filter(span.inner.id, (o.code,)),)
                if ob is None or span.outer is None:
                    out.append((f"{span.id}={o.code}", o.label, flt))
                else:
                    out.append((f"{span.id}={o.code}/{ob.code}", f"{ob.label}: {o.label}",
                                flt + (Filter(span.outer.id, (ob.code,)),)))
    return b.short, out


def distinctive_words(survey: Survey, question: str, banner: str,
                      filters: tuple[Filter, ...] = (), top: int = 10,
                      min_group_size: int | None = None) -> Words:
    """Each column's most distinctive terms (see the module), ``top`` at most."""
    cb = survey.codebook
    v = cb.find(question)
    if v is None or v.type != "open":
        opens = ", ".join(x.id for x in cb.variables if x.type == "open") or "none"
        raise EngineError(f"{question!r} is not an open-ended question; the open-ended "
                          f"questions: {opens}.")
    name, cols = _columns(survey, banner)
    threshold = min_group(cb, min_group_size)
    rid = ident(cb.settings.id_column)
    flags = [joined("COALESCE(", where([condition(cb, f) for f in flt]), f", FALSE) AS c{k}")
             for k, (_, _, flt) in enumerate(cols)]
    members = joined(f"SELECT {rid} AS respondent_id, ",
                     *_commas(flags), " FROM respondents WHERE ",
                     where([condition(cb, f) for f in filters]))
    counts = ", ".join(f"COUNT(*) FILTER (WHERE c{k})" for k in range(len(cols)))
    people = survey.query(joined(
        f"SELECT {counts}, COUNT(*) FROM (SELECT DISTINCT respondent_id FROM verbatims "
        f"WHERE {NOT_BLANK_SQL} AND question = ", Clause("?", [v.id]), ") v JOIN (", members,
        ") m USING (respondent_id)"))[0]
    carried = ", ".join(f"m.c{k}" for k in range(len(cols))) or "1"
    rows = survey.query(joined(f"SELECT term, {counts}, COUNT(*) FROM (",
                               _terms(v.id, members, carried), ") GROUP BY term"))
    total = int(people[-1])
    made = [_column(key, label, int(people[k]), total, k, rows, threshold, top)
            for k, (key, label, _) in enumerate(cols)]
    return Words(v.id, name, tuple(made), total, threshold)


def term_comments(survey: Survey, question: str, banner: str, column: str, term: str,
                  filters: tuple[Filter, ...] = ()) -> Selection:
    """The comments behind one term of one column (``column`` a ``WordColumn.key``): the
    column's cell of the question's theme table by the banner (its base row: everyone in
    the column who commented), searched for the term (a phrase as a "quoted phrase").
    The comments view decides on disclosure as for any cell of that table."""
    _, cols = _columns(survey, banner)
    chosen = next((flt for key, _, flt in cols if key == column), None)
    if chosen is None:
        raise EngineError(f"The banner {banner!r} has no column {column!r}.")
    cell = CellRef(question, (), column=chosen, view=tuple(flt for _, _, flt in cols))
    return Selection(question, filters, cell, search=f'"{term}"' if " " in term else term)


def _commas(parts: list[Clause[float]]) -> list[str | Clause[float]]:
    out: list[str | Clause[float]] = []
    for k, p in enumerate(parts):
        out += ([", "] if k else []) + [p]
    return out


def _column(key: str, label: str, commenters: int, total: int, k: int,
            rows: list[tuple[Any, ...]], threshold: int, top: int) -> WordColumn:
    if not may_show(commenters, (total - commenters,), threshold):
        return WordColumn(key, label, commenters, (), withheld=True)
    prior = {str(r[0]): int(r[-1]) for r in rows}  # α_w: the term's people in all comments
    a0 = sum(prior.values())
    n_i = sum(int(r[1 + k]) for r in rows)  # y counts in the column, all terms
    n_j = sum(int(r[-1]) - int(r[1 + k]) for r in rows)
    terms = []
    for r in rows:
        term, y_i = str(r[0]), int(r[1 + k])
        y_j = int(r[-1]) - y_i
        if not may_show(y_i, (y_j,), threshold):
            continue
        a = prior[term]
        delta = (math.log((y_i + a) / (n_i + a0 - y_i - a))
                 - math.log((y_j + a) / (n_j + a0 - y_j - a)))
        z = delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a))
        if z > 0:
            terms.append(Term(term, y_i, y_j, z, delta))
    terms.sort(key=lambda t: (-t.z, t.term))
    return WordColumn(key, label, commenters, tuple(terms[:top]))
