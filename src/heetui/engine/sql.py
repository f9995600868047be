"""The engine's SQL kit: identifiers quoted, and clauses that carry their own values.

Variable names come only from the codebook (whitelisted identifiers, quoted by ``ident``);
values never enter SQL text: they ride with their ``?`` markers in a ``Clause``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, NamedTuple, TypeVar

from heetui.survey.codebook import Variable

P_co = TypeVar("P_co", covariant=True)
P = TypeVar("P")


class Clause(NamedTuple, Generic[P_co]):
    """SQL whose ``?`` parameter markers stand for ``params``, in order. A clause carries
    its own values, so joining clauses (``where``, ``joined``) keeps each value beside its
    marker and no list of values is kept in step with the SQL separately. A clause of codes
    is also a clause of any wider kind of value (covariant), so clauses of several kinds
    join."""

    sql: str
    params: Sequence[P_co]


# A respondent filter's condition: its values are answer codes or a numeric filter's bounds
Condition = Clause[float]
# What a ? marker may stand for elsewhere (comment queries): codes, bounds, question
# ids and search patterns, lists of theme codes, page limits, lists of file names
Param = int | float | str | list[int] | list[str]


def joined(*pieces: str | Clause[P]) -> Clause[P]:
    """SQL text and clauses joined in order, the clauses' values in the same order."""
    sql: list[str] = []
    params: list[P] = []
    for piece in pieces:
        if isinstance(piece, str):
            sql.append(piece)
        else:
            sql.append(piece.sql)
            params += piece.params
    return Clause("".join(sql), params)


def column_sql(v: Variable) -> str:
    """The SQL of a single-choice variable's codes: its column, or for a banded numeric the
    band of its value (null when no value)."""
    if not v.bands:
        return ident(v.id)
    x = ident(v.id)
    cases = " ".join(f"WHEN {x} < {e!r} THEN {k + 1}" for k, e in enumerate(v.bands))
    return f"(CASE {cases} WHEN {x} IS NOT NULL THEN {len(v.bands) + 1} END)"


def ident(name: str) -> str:
    """Quote an identifier that has already been checked against the codebook."""
    return '"' + name.replace('"', '""') + '"'


def where(clauses: Sequence[Clause[P]]) -> Clause[P]:
    """Every clause holds (TRUE when there is none)."""
    if not clauses:
        return Clause("TRUE", [])
    return Clause(" AND ".join(c.sql for c in clauses), [p for c in clauses for p in c.params])
