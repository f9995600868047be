"""Filters: ``VAR=VALUE[,VALUE…]`` resolved against the codebook into SQL with parameters.

Variable names come only from the codebook (whitelisted identifiers); values become
integer codes passed to DuckDB as bound parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from heetui.survey.codebook import Codebook, Variable


class EngineError(Exception):
    """A request the engine cannot answer; the message is one sentence for the user."""


@dataclass(frozen=True)
class Filter:
    variable: str
    codes: tuple[int, ...]

    def describe(self, cb: Codebook) -> str:
        v = cb.get(self.variable)
        labels = [v.option(c).label for c in self.codes]
        return f"{v.short} = {' or '.join(labels)}"


def ident(name: str) -> str:
    """Quote an identifier that has already been checked against the codebook."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: object) -> str:
    """A SQL string literal, for the few places DuckDB takes no parameter (file paths)."""
    return "'" + str(text).replace("'", "''") + "'"


_GLOB = re.compile(r"([*?\[])")


def path_literal(path: object) -> str:
    """A file path as a SQL literal that DuckDB's readers take literally: their glob
    characters (* ? [) are each put in a bracket class of their own."""
    return literal(_GLOB.sub(r"[\1]", str(path)))


def resolve_variable(cb: Codebook, name: str, what: str = "variable",
                     categorical: bool = False, allow_open: bool = False) -> Variable:
    """A variable by id; ``categorical`` for banners and filters (single or multi only)."""
    v = cb.find(name.strip())
    if v is None:
        # every variable that would be accepted: open-ended questions tabulate by their
        # coded themes where the codebook has themes
        pool = cb.categorical if categorical else [
            x for x in cb.variables if x.type != "open" or (allow_open and cb.themes)]
        known = ", ".join(x.id for x in pool)
        raise EngineError(f"Unknown {what} {name.strip()!r}; choose one of: {known}.")
    if categorical and v.type == "numeric":
        raise EngineError(f"{v.id!r} is numeric; a {what} needs answer categories.")
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


def _match(v: Variable, val: str) -> tuple[int, ...] | None:
    low = val.casefold()
    for o in v.options:
        if o.label.casefold() == low or (val.isdigit() and int(val) == o.code):
            return (o.code,)
    for n in v.nets:
        if n.label.casefold() == low:
            return n.codes
    return None


def parse_filter(cb: Codebook, text: str) -> Filter:
    if "=" not in text:
        raise EngineError(f"The filter {text!r} needs the form VARIABLE=VALUE[,VALUE...].")
    name, _, rest = text.partition("=")
    v = resolve_variable(cb, name, categorical=True)
    return Filter(v.id, resolve_values(v, rest.split(",")))


def condition(cb: Codebook, f: Filter) -> tuple[str, list[int]]:
    """SQL condition (respondents matching any of the codes) and its parameters."""
    v = cb.get(f.variable)
    if v.type == "multi":
        parts = [f"{ident(v.column(c))} = 1" for c in f.codes]
        return "(" + " OR ".join(parts) + ")", []
    marks = ", ".join("?" for _ in f.codes)
    return f"{ident(v.id)} IN ({marks})", list(f.codes)


def where(conditions: list[tuple[str, list[int]]]) -> tuple[str, list[int]]:
    if not conditions:
        return "TRUE", []
    sql = " AND ".join(c for c, _ in conditions)
    params = [p for _, ps in conditions for p in ps]
    return sql, params


def group_where(cb: Codebook, group: tuple[Filter, ...]) -> tuple[str, list[int]]:
    """SQL condition (and parameters) for respondents in a group: every filter holds."""
    return where([condition(cb, f) for f in group])


def describe_group(cb: Codebook, group: tuple[Filter, ...]) -> str:
    return " & ".join(f.describe(cb) for f in group)


def eligibility(cb: Codebook, v: Variable, packed: str | None = None
                ) -> list[tuple[str, list[int]]]:
    """Conditions for the respondents a question's base counts (a multi-response question
    is answered when any of its option columns holds a value: its ``packed`` column is not
    null; within the base a missing option counts as not chosen)."""
    out: list[tuple[str, list[int]]] = []
    if v.eligible is not None:
        out.append(condition(cb, Filter(v.eligible.variable, v.eligible.codes)))
    if v.type == "multi":
        if packed is not None:
            out.append((f"{ident(packed)} IS NOT NULL", []))
        else:
            answered = ", ".join(ident(c) for c in v.columns())
            out.append((f"COALESCE({answered}) IS NOT NULL", []))
    elif v.type in ("single", "numeric"):
        out.append((f"{ident(v.id)} IS NOT NULL", []))
    return out
