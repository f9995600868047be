"""What moved between two books (two waves, two runs of a plan): every cell of every table
in both, matched by question, row key and column key, its change, and whether the change is
significant.

The two sides are independent samples (two waves, two fieldworks): a percent's change is
tested with the two-sample z-test on the pooled proportion over each side's effective base
(the columns' own test, engine.stats, with no shared respondents); a mean's change with
z = (m₂ − m₁)/√(SE₁² + SE₂²) from each side's standard error. No continuity correction,
no multiplicity correction; two-sided. Cells, rows and tables in one side only are listed.

The books are read as ``heetui book --format json`` writes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from heetui.engine.stats import mean_zs, proportion_zs
from heetui.engine.tabulation import p_values
from heetui.errors import EngineError

PERCENT_TEST = "two-sample z-test of proportions, pooled, effective bases"
MEAN_TEST = "z-test of the difference of two means from their standard errors"
SAME = 1e-9  # changes smaller than this are no change (rounding of the writers)


@dataclass(frozen=True)
class CellChange:
    question: str
    row: str  # the row's label (the second book's)
    column: str  # the column's label
    kind: str  # category, net, mean, score
    before: float
    after: float
    z: float | None
    p: float | None
    significant: bool
    test: str

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class BookDiff:
    kind = "diff"  # its formats in output.formats
    changes: tuple[CellChange, ...]  # every changed cell, largest change first
    only_first: tuple[str, ...] = ()  # tables, rows or columns in the first book only
    only_second: tuple[str, ...] = ()
    sig_level: float = 0.05
    tables: int = 0  # compared
    notes: tuple[str, ...] = field(default=())

    @property
    def significant(self) -> tuple[CellChange, ...]:
        return tuple(c for c in self.changes if c.significant)


def _tables(book: dict[str, Any], side: str) -> dict[str, dict[str, Any]]:
    try:
        return {t["question"]["id"]: t for t in book["tables"]}
    except (KeyError, TypeError):
        raise EngineError(f"The {side} book is not a heetui book in JSON (heetui book "
                          "--format json writes one).") from None


def diff_books(first: dict[str, Any], second: dict[str, Any], sig_level: float = 0.05
               ) -> BookDiff:
    """Every cell of the tables in both books that changed, tested (see the module)."""
    a, b = _tables(first, "first"), _tables(second, "second")
    only_a = [f"table {q}" for q in a if q not in b]
    only_b = [f"table {q}" for q in b if q not in a]
    found: list[_Found] = []
    for q in (q for q in b if q in a):
        _table_changes(q, a[q], b[q], found, only_a, only_b)
    zs = _zs(found)
    ps = p_values([None if math.isnan(z) else float(z) for z in zs])
    changes = [CellChange(f.question, f.row, f.column, f.kind, f.before, f.after,
                          None if math.isnan(z) else float(z), p,
                          p is not None and p < sig_level, MEAN_TEST if f.mean else PERCENT_TEST)
               for f, z, p in zip(found, zs, ps, strict=True)]
    changes.sort(key=lambda c: (-abs(c.change), c.question, c.row, c.column))
    return BookDiff(tuple(changes), tuple(only_a), tuple(only_b), sig_level,
                    sum(q in a for q in b))


@dataclass(frozen=True)
class _Found:
    """A changed cell and what its test reads: each side's effective base (a percent) or
    standard error (a mean)."""

    question: str
    row: str
    column: str
    kind: str
    before: float
    after: float
    mean: bool
    spread: tuple[float, float]  # effective bases, or SEs (NaN: none)


def _zs(found: list[_Found]) -> np.ndarray:
    """z of each change (after − before), by the columns' own tests (engine.stats) with no
    respondent in both sides."""
    before = np.array([f.before for f in found], dtype=float)
    after = np.array([f.after for f in found], dtype=float)
    one, two = (np.array([f.spread[i] for f in found], dtype=float) for i in (0, 1))
    mean = np.array([f.mean for f in found], dtype=bool)
    none = np.zeros(len(found))
    pz, _ = proportion_zs(after / 100, two, two, before / 100, one, one, none)
    ones = np.ones(len(found))
    mz, _ = mean_zs((after, two, 2 * ones, ones), (before, one, 2 * ones, ones),
                    np.zeros((len(found), 6)))
    z: np.ndarray = np.where(mean, mz, pz)
    return z


def _table_changes(q: str, ta: dict[str, Any], tb: dict[str, Any], out: list[_Found],
                   only_a: list[str], only_b: list[str]) -> None:
    cols_a = {c["key"]: (i, c) for i, c in enumerate(ta["columns"])}
    cols_b = {c["key"]: (i, c) for i, c in enumerate(tb["columns"])}
    rows_a = {r["key"]: r for r in ta["rows"]}
    only_a += [f"{q}: column {c['label']}" for k, (_, c) in cols_a.items() if k not in cols_b]
    only_b += [f"{q}: column {c['label']}" for k, (_, c) in cols_b.items() if k not in cols_a]
    only_a += [f"{q}: row {r['label']}" for k, r in rows_a.items()
               if k not in {x["key"] for x in tb["rows"]}]
    for rb in tb["rows"]:
        ra = rows_a.get(rb["key"])
        if ra is None:
            only_b.append(f"{q}: row {rb['label']}")
            continue
        for key, (jb, col) in cols_b.items():
            if key in cols_a:
                ja, col_a = cols_a[key]
                found = _cell(q, rb, col, ra["cells"][ja], rb["cells"][jb], col_a)
                if found is not None:
                    out.append(found)


def _cell(q: str, row: dict[str, Any], col: dict[str, Any], ca: dict[str, Any],
          cb: dict[str, Any], col_a: dict[str, Any]) -> _Found | None:
    mean = ca.get("value") is not None and cb.get("value") is not None
    before = ca.get("value") if mean else ca.get("percent")
    after = cb.get("value") if mean else cb.get("percent")
    if before is None or after is None or abs(after - before) < SAME:
        return None
    spread = ((_number(ca.get("se")), _number(cb.get("se"))) if mean
              else (_base(col_a), _base(col)))
    return _Found(q, row["label"], col["label"], row["kind"], float(before), float(after),
                  mean, spread)


def _number(x: object) -> float:
    return float(x) if isinstance(x, int | float) else math.nan


def _base(col: dict[str, Any]) -> float:
    eff = col.get("effective_base")
    return float(eff if eff is not None else col.get("base") or 0)
