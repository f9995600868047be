"""Filters: ``VAR=VALUE[,VALUE…]`` resolved against the codebook into SQL with parameters.

Values become integer codes (or a numeric variable's bounds) passed to DuckDB as bound
parameters; variables are found by ``engine.lookup``, SQL is written with ``engine.sql``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from heetui.engine.lookup import categories, match_answer, resolve_values, resolve_variable
from heetui.engine.sql import Clause, Condition, column_sql, ident, where
from heetui.errors import EngineError
from heetui.sqltext import literal
from heetui.survey.codebook import FILTER_MARK, Codebook, Variable

Range = tuple[float, float, bool, bool]  # low, high, and whether each bound is included


@dataclass(frozen=True)
class Filter:
    """Respondents giving any of ``codes`` (a numeric variable's: its band codes), or
    whose value lies in any of ``ranges``."""

    variable: str
    codes: tuple[int, ...]
    ranges: tuple[Range, ...] = ()

    def describe(self, cb: Codebook) -> str:
        v = answers_of(cb, self.variable)
        if self.ranges:
            return f"{v.short} {' or '.join(_range_text(r) for r in self.ranges)}"
        labels = [v.option(c).label for c in self.codes]
        return f"{v.short} = {' or '.join(labels)}"

    def written(self, cb: Codebook) -> str:
        """The filter as ``--filter`` takes it (and ``parse_filter`` reads back): answers
        by code, a numeric variable's bands by label and its values as numbers."""
        v = answers_of(cb, self.variable)
        if self.ranges:
            return f"{v.id}{_ranges_written(v.id, self.ranges)}"
        if v.type == "numeric":
            return f"{v.id}=" + ",".join(v.option(c).label for c in self.codes)
        return f"{v.id}=" + ",".join(map(str, self.codes))


def answers_of(cb: Codebook, name: str) -> Variable:
    """What a filter on variable ``name`` picks from: its answers, a numeric variable's
    bands, an open-ended question's themes."""
    v = cb.get(name)
    return cb.themes_view(v) if v.type == "open" else categories(v)


def write_filters(cb: Codebook, filters: Iterable[Filter]) -> str:
    """Filters that all hold, as one condition: ``region=3 & org_type=1,2``."""
    return f" {AND} ".join(f.written(cb) for f in filters)


def _number(x: float) -> str:
    """A finite number in digits a filter reads (no exponent), as exact as its repr."""
    text = format(Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ranges_written(name: str, ranges: tuple[Range, ...]) -> str:
    """"=LOW-HIGH,…" for bounds that are included, or one open-ended comparison."""
    if all(lo_in and hi_in and math.isfinite(lo) and math.isfinite(hi)
           for lo, hi, lo_in, hi_in in ranges):
        return "=" + ",".join(_number(lo) if lo == hi else f"{_number(lo)}-{_number(hi)}"
                              for lo, hi, _, _ in ranges)
    if len(ranges) == 1:
        lo, hi, lo_in, hi_in = ranges[0]
        if hi == math.inf and math.isfinite(lo):
            return f"{'>=' if lo_in else '>'}{_number(lo)}"
        if lo == -math.inf and math.isfinite(hi):
            return f"{'<=' if hi_in else '<'}{_number(hi)}"
    raise EngineError(f"The filter on {name} has ranges a filter cannot be written as "
                      "(bounds left out of several ranges).")


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
    if found is not None and found.type == "open" and cb.coded(found):
        v = cb.themes_view(found)  # respondents whose comments carry the themes named
    else:
        v = resolve_variable(cb, name, categorical=True)
    whole = match_answer(v, rest.strip())  # a label with a comma in it names one answer
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


AND = "&"  # conditions of one filter, all of which hold: region=London & org_type=Trust
MAX_DEPTH = 16  # named filters within named filters (a loop of them stops here)


def parse_filters(cb: Codebook, texts: Iterable[str]) -> tuple[Filter, ...]:
    """Every filter given (``--filter`` repeated): each one condition, several joined by
    "&", or the name of a saved filter (``@trusts_london``); all of them hold."""
    return tuple(f for text in texts for f in parse_condition(cb, text))


def parse_condition(cb: Codebook, text: str, depth: int = 0) -> tuple[Filter, ...]:
    """Filters joined by "&" (an "&" inside an answer's label stays in it: a part starts
    at a name, or a variable's id however it is spelled, before a comparison, or at a
    saved filter's "@"), each of them a ``parse_filter``."""
    if depth > MAX_DEPTH:
        raise EngineError(f"The saved filters named in {text!r} name each other in a loop; "
                          "define one of them by its conditions.")
    out: list[Filter] = []
    for part in _and_parts(text, cb):
        if part.startswith(FILTER_MARK):
            named = cb.named_filter(part)
            if named is None:
                known = ", ".join(FILTER_MARK + f.id for f in cb.filters) or "none yet"
                raise EngineError(f"There is no saved filter {part!r}; saved filters: "
                                  f"{known}.")
            out += parse_condition(cb, named.when, depth + 1)
        else:
            out.append(parse_filter(cb, part))
    if not out:
        raise EngineError("The filter is empty; write it as VARIABLE=VALUE.")
    return tuple(out)


_NAMED = re.compile(r"^\s*([^<>=]+?)\s*(?:>=|<=|=|>|<)")  # a part: a name, then how
_WORD = re.compile(r"[A-Za-z_][\w.]*")  # what reads as a name even when none is known


def _and_parts(text: str, cb: Codebook) -> list[str]:
    parts: list[str] = []
    for piece in text.split(AND):
        named = _NAMED.match(piece)
        starts = piece.strip().startswith(FILTER_MARK) or named is not None and (
            _WORD.fullmatch(named.group(1)) is not None or cb.find(named.group(1)) is not None)
        if parts and not starts:
            parts[-1] += AND + piece  # "&" within a label: "Education & training"
        else:
            parts.append(piece)
    return [p.strip() for p in parts if p.strip()]


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
    v = answers_of(cb, f.variable)
    if cb.get(f.variable).type == "open":  # whose comments carry any of the themes
        return Clause(f"{ident(cb.settings.id_column)} IN (SELECT respondent_id FROM "
                      f"verbatims WHERE question = {literal(v.id)} AND list_has_any(themes, "
                      f"[{', '.join(str(int(c)) for c in f.codes)}]))", [])
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


def group_where(cb: Codebook, group: tuple[Filter, ...]) -> Condition:
    """SQL condition (and parameters) for respondents in a group: every filter holds."""
    return where([condition(cb, f) for f in group])


def describe_group(cb: Codebook, group: tuple[Filter, ...]) -> str:
    return " & ".join(f.describe(cb) for f in group)
