"""Banners: Total, then spans side by side (a variable, or one variable nested within
another), and the grouping key that lets one DuckDB scan serve every span.

A banner is written as spans separated by commas (``stakeholder_type,seniority``), a
nested span as ``inner/outer``, or as the id of a banner named in the codebook. The grouped
pass groups respondents by one integer key in which every banner variable has a bit field:
a single-choice variable its code + 1 (0: no answer), a multi-response variable one bit per
option. Every column of every span is then a set of those groups, so columns of different
spans, and the overlaps within a span, all come from the same sums.
"""

from __future__ import annotations

import string
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from heetui.config import UserConfig
from heetui.engine.filters import Filter
from heetui.engine.lookup import resolve_variable
from heetui.engine.sql import column_sql, ident
from heetui.errors import EngineError
from heetui.survey.codebook import NEST, Codebook, Variable

MAX_KEY_BITS = 62  # the grouping key is a signed 64-bit integer once fetched
SINGLE_LETTERS = string.ascii_uppercase + string.ascii_lowercase
# Bounds on one table, checked from the codebook before any query (README: Scaling). A
# table's arithmetic grows with its cells and with the pairs of columns it tests on each
# row; beyond these it would take minutes and gigabytes instead of a second.
MAX_COLUMNS = len(string.ascii_uppercase) ** 2  # two capital letters name every column
MAX_CELLS = 100_000  # rows × columns of one table
MAX_TESTS = 200_000  # rows × pairs of columns tested against each other


@dataclass(frozen=True)
class Span:
    """Columns tested against each other: ``inner``'s options, or with ``outer`` each
    combination of an outer and an inner option (tested within each outer option)."""

    inner: Variable
    outer: Variable | None = None

    @property
    def id(self) -> str:
        return self.inner.id + (f"{NEST}{self.outer.id}" if self.outer else "")

    @property
    def label(self) -> str:
        return self.inner.short + (f" within {self.outer.short}" if self.outer else "")

    @property
    def overlapping(self) -> bool:
        """Whether a respondent can be in two columns of this span."""
        return any(v.type == "multi" for v in self.variables)

    @property
    def variables(self) -> tuple[Variable, ...]:
        return (self.inner,) if self.outer is None else (self.inner, self.outer)


@dataclass(frozen=True)
class Banner:
    id: str
    label: str
    spans: tuple[Span, ...]

    @property
    def short(self) -> str:
        return self.label

    def describe(self) -> str:
        """Its name and, when that does not already say it, its spans."""
        spans = " | ".join(s.label for s in self.spans)
        return self.label if spans == self.label else f"{self.label} ({spans})"

    @property
    def variables(self) -> tuple[Variable, ...]:
        """Every variable the banner reads, once, in order of first use."""
        seen: dict[str, Variable] = {}
        for s in self.spans:
            for v in s.variables:
                seen.setdefault(v.id, v)
        return tuple(seen.values())


def settings_banner(cb: Codebook, config: UserConfig) -> tuple[str | None, str | None]:
    """The settings file's banner for a survey (the CLI's without --by, the app's first
    view): it when the survey has it, else None and one sentence saying it is left out."""
    if config.banner is None:
        return None, None
    try:
        resolve_banner(cb, config.banner)
    except EngineError as e:
        return None, (f"{config.where('defaults', 'banner')} is left out for this survey: "
                      f"{e.message()}")
    return config.banner, None


def resolve_banner(cb: Codebook, spec: str) -> Banner:
    """A banner from its written form; every mistake is one sentence."""
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    if not parts:
        raise EngineError("The banner is empty; name a segment, several separated by commas, "
                          "or a banner of the codebook.")
    spans: list[Span] = []
    named = None  # the codebook banner, when the spec is one
    for part in parts:
        named = cb.banner(part) if cb.find(part) is None else None
        spans += [_span(cb, s) for s in named.spans] if named else [_span(cb, part)]
    ids = [s.id for s in spans]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise EngineError(f"The banner names {', '.join(twice)} twice; give each span once.")
    columns = 1 + sum(span_columns(s) for s in spans)
    if columns > MAX_COLUMNS:
        raise EngineError(f"This banner has {columns:,} columns, more than the "
                          f"{MAX_COLUMNS:,} a table can letter; choose fewer or smaller "
                          "spans.")
    if len(parts) == 1 and named is not None:
        return Banner(named.id, named.label, tuple(spans))
    if len(spans) == 1:
        return Banner(spans[0].id, spans[0].label, tuple(spans))
    return Banner(",".join(ids), " | ".join(s.label for s in spans), tuple(spans))


def span_columns(span: Span) -> int:
    """A span's columns: its options, or each pair of an outer and an inner option."""
    return len(span.inner.options) * (len(span.outer.options) if span.outer else 1)


def compared_pairs(banner: Banner | None, compare: str) -> int:
    """How many pairs of columns a table by ``banner`` tests on each row: within each span
    (within each outer option of a nested one), or each column against the total or the
    rest."""
    if banner is None:
        return 0
    if compare != "pairs":
        return sum(span_columns(s) for s in banner.spans)
    inner = [len(s.inner.options) for s in banner.spans]
    outer = [len(s.outer.options) if s.outer else 1 for s in banner.spans]
    return sum(o * n * (n - 1) // 2 for n, o in zip(inner, outer, strict=True))


def check_size(rows: int, banner: Banner | None, compare: str) -> None:
    """Refuse, before any query, a table of ``rows`` rows whose cells or tests exceed the
    bounds (MAX_CELLS, MAX_TESTS)."""
    columns = 1 + (sum(span_columns(s) for s in banner.spans) if banner else 0)
    if rows * columns > MAX_CELLS:
        raise EngineError(f"This table would have {rows:,} rows by {columns:,} columns, "
                          f"more than the {MAX_CELLS:,} cells heetui computes in one table; "
                          "use a narrower banner or fewer options (merge them in the "
                          "codebook).")
    tests = rows * compared_pairs(banner, compare)
    if tests > MAX_TESTS:
        raise EngineError(f"This table would test {tests:,} pairs of cells, more than the "
                          f"{MAX_TESTS:,} heetui tests in one table; compare each column "
                          "with the total or the rest instead of pairs, or use a narrower "
                          "banner.")


def _span(cb: Codebook, text: str) -> Span:
    names = text.split(NEST)
    if len(names) > 2:
        raise EngineError(f"{text!r} nests more than two variables; nest one within another "
                          f"as inner{NEST}outer.")
    found = [_banner_variable(cb, n) for n in names]
    if len(found) == 2 and found[0].id == found[1].id:
        raise EngineError(f"{text!r} nests a variable within itself.")
    return Span(found[0], found[1] if len(found) == 2 else None)


def _banner_variable(cb: Codebook, name: str) -> Variable:
    if cb.find(name.strip()) is None and cb.banners:
        known = ", ".join([x.id for x in cb.categorical] + [b.id for b in cb.banners])
        raise EngineError(f"Unknown banner {name.strip()!r}; choose one of: {known}.")
    return resolve_variable(cb, name, "banner", categorical=True)


# ---- the grouping key -------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """A variable's bits in the grouping key."""

    var: Variable
    offset: int
    bits: int

    def value(self, key: npt.NDArray[np.int64]) -> npt.NDArray[np.signedinteger[Any]]:
        return (key >> self.offset) & ((1 << self.bits) - 1)

    def member(self, key: npt.NDArray[np.int64], code: int) -> npt.NDArray[np.bool_]:
        """Groups whose respondents are in ``code`` of the field's variable."""
        # numpy's stubs type an array comparison as Any; the result is a boolean array
        in_code: npt.NDArray[np.bool_]
        if self.var.type == "multi":
            i = [o.code for o in self.var.options].index(code)
            in_code = (self.value(key) >> i) & 1 == 1
        else:
            in_code = self.value(key) == code + 1
        return in_code


def field_bits(v: Variable) -> int:
    if v.type == "multi":
        return len(v.options)
    return (max(o.code for o in v.options) + 1).bit_length()


def key_fields(variables: tuple[Variable, ...]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    offset = 0
    for v in variables:
        fields[v.id] = Field(v, offset, field_bits(v))
        offset += fields[v.id].bits
    if offset > MAX_KEY_BITS:
        raise EngineError(f"This banner needs {offset} bits of grouping key, more than "
                          f"{MAX_KEY_BITS} (a multi-response variable takes one per option); "
                          "split it into two banners.")
    return fields


def unsigned(bits: int) -> str:
    """The narrowest unsigned integer type holding ``bits`` bits. Grouping keys of such a
    type let DuckDB aggregate into a table indexed by the key itself (its perfect hash
    aggregate) instead of hashing each row."""
    return next((t for n, t in ((8, "UTINYINT"), (16, "USMALLINT"), (32, "UINTEGER"))
                 if bits <= n), "UBIGINT")


def key_sql(fields: dict[str, Field], packed: dict[str, str | None],
            only: Collection[str] | None = None) -> str:
    """SQL of the grouping key; ``packed`` names each multi-response variable's packed
    column where the bundle has one. ``only``: the bits of these variables alone (the
    others' 0), as a part of the whole key."""
    chosen = [f for f in fields.values() if only is None or f.var.id in only]
    if not chosen:
        return "0"
    total = sum(f.bits for f in fields.values())
    typ = unsigned(total)
    parts = []
    for f in chosen:
        v = f.var
        if v.type == "multi":
            col = packed.get(v.id)
            if col is not None:
                expr = f"COALESCE({ident(col)}, 0)::{typ}"
            else:
                expr = " + ".join(f"COALESCE({ident(c)}, 0)::{typ} * {1 << i}"
                                  for i, c in enumerate(v.columns()))
                expr = f"({expr})"
        else:
            expr = f"COALESCE({column_sql(v)}::{typ} + 1, 0)"
        parts.append(expr if f.offset == 0 else f"({expr} << {f.offset})")
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


# ---- columns ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ColumnSpec:
    """A banner column: its label, its span (None: Total), the columns it is tested
    against (same ``test_group``), the filters that select its respondents, and its
    membership over the grouped pass's groups."""

    key: str
    label: str
    span: int | None
    heading: str  # the label under its span's title (a nested column: the inner option)
    group: str | None  # a nested column's outer option, titled over its columns
    test_group: tuple[int, int]
    filters: tuple[Filter, ...]
    code: int | None
    member: np.ndarray


def column_specs(banner: Banner | None, fields: dict[str, Field],
                 key: np.ndarray) -> list[ColumnSpec]:
    cols = [ColumnSpec("total", "Total", None, "Total", None, (-1, 0), (), None,
                       np.ones(len(key), dtype=bool))]
    if banner is None:
        return cols
    for si, span in enumerate(banner.spans):
        inner = fields[span.inner.id]
        if span.outer is None:
            for o in span.inner.listed:
                cols.append(ColumnSpec(f"{span.id}={o.code}", o.label, si, o.label, None,
                                       (si, 0),
                                       (Filter(span.inner.id, (o.code,)),), o.code,
                                       inner.member(key, o.code)))
            continue
        outer = fields[span.outer.id]
        for b in span.outer.listed:
            in_b = outer.member(key, b.code)
            for a in span.inner.listed:
                cols.append(ColumnSpec(
                    f"{span.id}={a.code}/{b.code}", f"{b.label}: {a.label}", si, a.label,
                    b.label, (si, b.code),
                    (Filter(span.inner.id, (a.code,)), Filter(span.outer.id, (b.code,))),
                    a.code, in_b & inner.member(key, a.code)))
    return cols


def letters_for(n: int, capitals: bool = False) -> list[str]:
    """Column letters, unique across a table: A–Z then a–z; a table of more columns uses
    two capital letters for every column (AA, AB, …), so letters written together in a
    cell always read back one way. ``capitals``: capitals only (A–Z, then AA, AB, …), as
    with two significance levels a lower-case letter marks the looser one."""
    if n <= (len(string.ascii_uppercase) if capitals else len(SINGLE_LETTERS)):
        return list(SINGLE_LETTERS[:n])
    up = string.ascii_uppercase
    if n > len(up) ** 2:
        raise EngineError(f"A banner of {n} columns is too wide; at most {len(up) ** 2}.")
    return [up[i // len(up)] + up[i % len(up)] for i in range(n)]
