"""Filters: ``VAR=VALUE[,VALUE…]`` resolved against the codebook into SQL with parameters.

Variable names come only from the codebook (whitelisted identifiers); values become
integer codes passed to DuckDB as bound parameters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from heetui.errors import EngineError
from heetui.survey.codebook import Codebook, Variable

Range = tuple[float, float, bool, bool]  # low, high, and whether each bound is included
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
# What a placeholder may stand for elsewhere (comment queries): codes, bounds, question
# ids and search patterns, lists of theme codes, page limits
Param = int | float | str | list[int]


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


@dataclass(frozen=True)
class Filter:
    """Respondents giving any of ``codes`` (a numeric variable's: its band codes), or
    whose value lies in any of ``ranges``."""

    variable: str
    codes: tuple[int, ...]
    ranges: tuple[Range, ...] = ()

    def describe(self, cb: Codebook) -> str:
        v = categories(cb.get(self.variable))
        if self.ranges:
            return f"{v.short} {' or '.join(_range_text(r) for r in self.ranges)}"
        labels = [v.option(c).label for c in self.codes]
        return f"{v.short} = {' or '.join(labels)}"


def categories(v: Variable) -> Variable:
    """The variable as categories: a numeric variable with bands as its bands."""
    return v.banded if v.type == "numeric" and v.bands else v


def column_sql(v: Variable) -> str:
    """The SQL of a single-choice variable's codes: its column, or for a banded numeric the
    band of its value (null when no value)."""
    if not v.bands:
        return ident(v.id)
    x = ident(v.id)
    cases = " ".join(f"WHEN {x} < {e!r} THEN {k + 1}" for k, e in enumerate(v.bands))
    return f"(CASE {cases} WHEN {x} IS NOT NULL THEN {len(v.bands) + 1} END)"


def _range_text(r: Range) -> str:
    lo, hi, lo_in, hi_in = r
    g = "{:g}".format
    if lo == hi:
        return f"= {g(lo)}"
    if lo == -math.inf:
        return f"{'≤' if hi_in else '<'} {g(hi)}"
    if hi == math.inf:
        return f"{'≥' if lo_in else '>'} {g(lo)}"
    return f"{g(lo)}–{g(hi)}"


def ident(name: str) -> str:
    """Quote an identifier that has already been checked against the codebook."""
    return '"' + name.replace('"', '""') + '"'


def resolve_variable(cb: Codebook, name: str, what: str = "variable",
                     categorical: bool = False, allow_open: bool = False) -> Variable:
    """A variable by id; ``categorical`` for banners and filters (single or multi only)."""
    v = cb.find(name.strip())
    grid = cb.grid(name.strip()) if v is None else None
    if grid is not None:
        raise EngineError(f"{grid.id!r} is a grid; as a {what} take one of its items: "
                          f"{', '.join(grid.items)}.")
    if v is None:
        # every variable that would be accepted: open-ended questions tabulate by their
        # coded themes where the codebook has themes
        pool = cb.categorical if categorical else [
            x for x in cb.variables if x.type != "open" or (allow_open and cb.themes)]
        grids = [f"{g.id} (grid)" for g in cb.grids] if what == "question" else []
        known = ", ".join(grids + [x.id for x in pool])
        raise EngineError(f"Unknown {what} {name.strip()!r}; choose one of: {known}.")
    if categorical and v.type == "numeric":
        if v.bands:
            return v.banded
        raise EngineError(f"{v.id!r} is numeric; as a {what} it needs bands (bands = [18, 35, "
                          f"55] in its codebook entry), or filter it by value: {v.id}>=50.")
    if v.type == "open" and not allow_open:
        raise EngineError(f"{v.id!r} is an open-ended question; it has comments, not codes "
                          "to filter or tabulate (try `heetui verbatims`).")
    return v


def resolve_values(v: Variable, values: list[str]) -> tuple[int, ...]:
    codes: list[int] = []
    for raw in values:
        val = raw.strip()
        if not val:
            continue
        match = _match(v, val)
        if match is None:
            known = "; ".join(f"{o.code} {o.label}" for o in v.options)
            raise EngineError(f"{val!r} is not an answer of {v.id}; choose a code or label "
                              f"from: {known}.")
        codes.extend(c for c in match if c not in codes)
    if not codes:
        raise EngineError(f"The filter on {v.id} names no value; write it as {v.id}=VALUE.")
    return tuple(codes)


def names(val: str, code: int | None, label: str) -> bool:
    """Whether ``val``, as typed, names an answer (or a theme): its code's digits, or its
    label in any letter case."""
    return label.casefold() == val.casefold() or (
        val.isascii() and val.isdigit() and int(val) == code)


def _match(v: Variable, val: str) -> tuple[int, ...] | None:
    for o in v.options:
        if names(val, o.code, o.label):
            return (o.code,)
    for n in v.nets:
        if names(val, None, n.label):
            return n.codes
    return None


_FILTER = re.compile(r"^\s*([^<>=]+?)\s*(>=|<=|=|>|<)\s*(.*)$", re.DOTALL)
_NUMBER = r"\s*(-?\d+(?:\.\d+)?)\s*"


def parse_filter(cb: Codebook, text: str) -> Filter:
    """``VAR=VALUE[,VALUE…]`` (codes, labels or net labels); a numeric variable also takes
    ``VAR=LOW-HIGH`` (inclusive), ``VAR=NUMBER`` and ``VAR>=N``, ``>``, ``<=``, ``<``, or
    a band's label."""
    m = _FILTER.match(text)
    if m is None:
        raise EngineError(f"The filter {text!r} needs the form VARIABLE=VALUE[,VALUE...].")
    name, op, rest = m.groups()
    found = cb.find(name.strip())
    if found is not None and found.type == "numeric":
        return _numeric_filter(found, op, rest)
    if op != "=":
        raise EngineError(f"The filter {text!r} compares with {op}, which only a numeric "
                          f"variable takes; write it as {name.strip()}=VALUE.")
    v = resolve_variable(cb, name, categorical=True)
    whole = _match(v, rest.strip())  # a label with a comma in it names one answer
    if whole is None or "," not in rest:
        return Filter(v.id, whole or resolve_values(v, rest.split(",")))
    try:
        parts = resolve_values(v, rest.split(","))
    except EngineError:
        return Filter(v.id, whole)
    if set(parts) == set(whole):
        return Filter(v.id, whole)
    raise EngineError(f"{rest.strip()!r} is both an answer of {v.id} and a list of its "
                      f"answers; write its code{'s' if len(whole) > 1 else ''} "
                      f"({','.join(map(str, whole))}) or the codes of the list "
                      f"({','.join(map(str, parts))}).")


def _numeric_filter(v: Variable, op: str, rest: str) -> Filter:
    example = f"{v.id}=18-34, {v.id}=40 or {v.id}>=50"
    if op != "=":
        m = re.fullmatch(_NUMBER, rest)
        if m is None:
            raise EngineError(f"{v.id}{op} takes one number, as in {example}.")
        x = float(m.group(1))
        bound = {">=": (x, math.inf, True, False), ">": (x, math.inf, False, False),
                 "<=": (-math.inf, x, False, True), "<": (-math.inf, x, False, False)}[op]
        return Filter(v.id, (), (bound,))
    banded = categories(v)
    labels = {_dashes(o.label): o.code for o in banded.options} if v.bands else {}
    ranges: list[Range] = []
    codes: list[int] = []
    for raw in (p.strip() for p in rest.split(",") if p.strip()):
        if _dashes(raw) in labels:
            codes.append(labels[_dashes(raw)])
            continue
        m = re.fullmatch(f"{_NUMBER}(?:-{_NUMBER})?", raw)
        if m is None:
            bands = f" or a band: {'; '.join(o.label for o in banded.options)}" if v.bands \
                else ""
            raise EngineError(f"{raw!r} is not a value of the numeric {v.id}; write {example}"
                              f"{bands}.")
        lo = float(m.group(1))
        hi = float(m.group(2)) if m.group(2) is not None else lo
        ranges.append((min(lo, hi), max(lo, hi), True, True))
    if codes and ranges:
        raise EngineError(f"The filter on {v.id} mixes bands and values; give one or the "
                          "other.")
    if not codes and not ranges:
        raise EngineError(f"The filter on {v.id} names no value; write {example}.")
    return Filter(v.id, tuple(codes), tuple(ranges))


def _dashes(text: str) -> str:
    return text.casefold().replace("–", "-").replace("—", "-").replace(" ", "")


def condition(cb: Codebook, f: Filter) -> Condition:
    """SQL condition (respondents matching any of the codes) and its parameters."""
    v = categories(cb.get(f.variable))
    if f.ranges:
        x = ident(v.id)
        parts: list[str] = []
        params: list[float] = []
        for lo, hi, lo_in, hi_in in f.ranges:
            bounds = []
            if lo != -math.inf:
                bounds.append(f"{x} {'>=' if lo_in else '>'} ?")
                params.append(lo)
            if hi != math.inf:
                bounds.append(f"{x} {'<=' if hi_in else '<'} ?")
                params.append(hi)
            parts.append("(" + " AND ".join(bounds) + ")")
        return Clause("(" + " OR ".join(parts) + ")", params)
    if v.type == "multi":
        parts = [f"{ident(v.column(c))} = 1" for c in f.codes]
        return Clause("(" + " OR ".join(parts) + ")", [])
    marks = ", ".join("?" for _ in f.codes)
    return Clause(f"{column_sql(v)} IN ({marks})", list(f.codes))


def where(clauses: Sequence[Clause[P]]) -> Clause[P]:
    """Every clause holds (TRUE when there is none)."""
    if not clauses:
        return Clause("TRUE", [])
    return Clause(" AND ".join(c.sql for c in clauses), [p for c in clauses for p in c.params])


def group_where(cb: Codebook, group: tuple[Filter, ...]) -> Condition:
    """SQL condition (and parameters) for respondents in a group: every filter holds."""
    return where([condition(cb, f) for f in group])


def describe_group(cb: Codebook, group: tuple[Filter, ...]) -> str:
    return " & ".join(f.describe(cb) for f in group)


def asked(cb: Codebook, v: Variable) -> list[Condition]:
    """The condition of being asked ``v`` (its eligibility rule), if it has one."""
    e = v.eligible
    return [] if e is None else [condition(cb, Filter(e.variable, e.codes))]


def asked_where(cb: Codebook, v: Variable, filters: tuple[Filter, ...]) -> Condition:
    """Respondents asked ``v`` whom every filter keeps (whether or not they answered)."""
    return where(asked(cb, v) + [condition(cb, f) for f in filters])


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
