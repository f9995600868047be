"""Eligibility: which respondents a question's base counts (asked it, by its routing rule;
answered it, by its type and base setting)."""

from __future__ import annotations

from heetui.engine.filters import Filter, condition
from heetui.engine.shaping import Tabled, filter_conditions
from heetui.engine.sql import Clause, Condition, ident, where
from heetui.survey.codebook import Codebook, Variable


def asked(cb: Codebook, v: Variable) -> list[Condition]:
    """The condition of being asked ``v`` (its eligibility rule), if it has one."""
    e = v.eligible
    return [] if e is None else [condition(cb, Filter(e.variable, e.codes))]


def asked_where(cb: Codebook, v: Variable, filters: tuple[Filter, ...],
                tabled: dict[str, Tabled] | None = None) -> Condition:
    """Respondents asked ``v`` whom every filter keeps (whether or not they answered);
    ``tabled``: the survey's, a filter on a derived variable written as its answers'
    conditions (engine.shaping.filter_conditions)."""
    return where(asked(cb, v) + filter_conditions(cb, tabled or {}, filters))


def eligibility(cb: Codebook, v: Variable, packed: str | None = None
                ) -> list[Condition]:
    """Conditions for the respondents a question's base counts (a multi-response question
    is answered when any of its option columns holds a value: its ``packed`` column is not
    null; within the base a missing option counts as not chosen; with ``base = "answered"``
    its base is the respondents who chose at least one option)."""
    out = asked(cb, v)
    if v.type == "multi" and v.base == "answered":  # at least one option chosen
        out.append(Clause(f"{ident(packed)} <> 0" if packed is not None else
                          "(" + " OR ".join(f"{ident(c)} = 1" for c in v.columns()) + ")",
                          []))
    elif v.type == "multi":
        if packed is not None:
            out.append(Clause(f"{ident(packed)} IS NOT NULL", []))
        else:
            answered = ", ".join(ident(c) for c in v.columns())
            out.append(Clause(f"COALESCE({answered}) IS NOT NULL", []))
    elif v.type in ("single", "numeric"):
        out.append(Clause(f"{ident(v.id)} IS NOT NULL", []))
    return out
