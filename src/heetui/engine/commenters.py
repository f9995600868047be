"""Who wrote the comments: the distinct people behind a set of comments, and the respondents
whose comments a group holds, counted without a hash of a million ids.

Where respondent ids are integers whose range is small enough, a comment query marks its
respondents in a bitmap over that range (DuckDB's ``bitstring_agg``), and a count of
distinct respondents is the bitmap's count of set bits: at a million comments a quarter of
``COUNT(DISTINCT respondent_id)``'s time, and a respondents' scan probes the bitmap by id
instead of joining a million ids. Ids spread wider than ``MAX_RANGE``, and ids of any other
type (text, dates, doubles), are counted the ordinary way. Interview excerpts have no
respondent id: each attribution is one person.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from heetui.engine.session import Survey
from heetui.engine.sql import Clause, Param, joined

Query = Clause[Param]
INTEGERS = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                      "UINTEGER", "UBIGINT"})
MAX_RANGE = 1 << 27  # ids spread over at most this many values get a bitmap (16 MiB)


class Ids(NamedTuple):
    """The respondent ids of a survey's comments."""

    bounds: tuple[int, int] | None  # lowest and highest, where a bitmap over them is small
    excerpts: bool  # whether some comments have no id (interview excerpts)


def ids(survey: Survey) -> Ids:
    """The respondent ids of the survey's comments, read from the comment files' footers
    (the statistics Parquet keeps of each row group) where every row group has them, else
    by a scan; kept with the survey."""

    def compute() -> Ids:
        integer = survey.comment_columns.get("respondent_id") in INTEGERS
        found = _footers(survey) if integer else None
        lo, hi, excerpts = found if found is not None else survey.query(Clause(
            "SELECT min(respondent_id), max(respondent_id), bool_or(respondent_id IS NULL) "
            "FROM stored_verbatims", []))[0]
        small = integer and isinstance(lo, int) and isinstance(hi, int) and hi - lo < MAX_RANGE
        return Ids((lo, hi) if small else None, bool(excerpts))

    return survey.cached(("comment ids",), compute)


def _footers(survey: Survey) -> tuple[int | None, int | None, bool] | None:
    """The lowest and highest respondent id (an integer column) and whether any is missing,
    by the files' row-group statistics; None when a row group lacks them or they cannot be
    read (the scan decides)."""
    b = survey.bundle
    if b.verbatims is None:
        return None
    files = b.verbatim_files if b.verbatims.is_dir() else (b.verbatims,)
    try:  # the files named as a value: a path is never SQL text
        stats = survey.query(Clause(
            "SELECT stats_min_value, stats_max_value, stats_null_count, num_values, type "
            "FROM parquet_metadata(?) WHERE path_in_schema = 'respondent_id'",
            [[str(f) for f in files]]))
        known = [(int(r[0]), int(r[1])) for r in stats if r[0] is not None]
    except (duckdb.Error, ValueError):
        return None
    if not stats or any(r[4] not in ("INT32", "INT64") or r[2] is None or
                        (r[0] is None and r[2] < r[3]) for r in stats):
        return None
    return (min((lo for lo, _ in known), default=None),
            max((hi for _, hi in known), default=None), any(r[2] > 0 for r in stats))


def distinct_people(survey: Survey, holds: Query) -> Query:
    """An aggregate over comments: the distinct people behind those where ``holds`` does:
    respondents by id, interview excerpts (no id) one per attribution."""
    known = ids(survey)
    only = joined(" FILTER (WHERE ", holds, ")") if holds.sql != "TRUE" else Clause("", [])
    holds = joined("(", holds, ")")
    if known.bounds is None:
        people = joined("COUNT(DISTINCT respondent_id)", only)
    else:
        lo, hi = known.bounds
        people = joined(f"coalesce(bit_count(bitstring_agg(respondent_id, {lo}, {hi})", only,
                        "), 0)")
    if not known.excerpts:  # no attribution column read for nothing
        return people
    return joined(people, " + COUNT(DISTINCT attribution) FILTER (WHERE ", holds,
                  " AND respondent_id IS NULL)")


def members(survey: Survey, id_column: str, comments: Query) -> tuple[Query, Query]:
    """What a query of the respondents' table needs to keep only those with a comment where
    ``comments`` holds: a FROM item to add after ``respondents``, and a condition on the
    respondent's id (``id_column``, quoted)."""
    bounds = ids(survey).bounds
    if bounds is None:
        return (Clause("", []), joined(f"{id_column} IN (SELECT respondent_id FROM verbatims "
                                       "WHERE ", comments, ")"))
    lo, hi = bounds
    bitmap = joined(f", (SELECT bitstring_agg(respondent_id, {lo}, {hi}) AS bits FROM "
                    "verbatims WHERE respondent_id IS NOT NULL AND ", comments, ") marked")
    inside = f"{id_column} BETWEEN {lo} AND {hi}"  # a bit only for ids inside the range
    return bitmap, Clause(f"{inside} AND get_bit(marked.bits, CAST(CASE WHEN {inside} THEN "
                          f"{id_column} - {lo} END AS INTEGER)) = 1", [])
