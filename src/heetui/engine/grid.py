"""A rating grid's summary table: its items, and for each a column per scale point, net
and the mean, with paired tests between items.

The summary is a ``GridSummary`` (a ``Crosstab`` whose columns are the items, each with its
base and letter, and whose rows are the scale points, nets and mean); the outputs show it
with a row per item.

One DuckDB scan groups the grid's respondents by every pair of items' answers (each
respondent unnested to a row per pair of items: count, Σw and Σw² per pair and pair of
codes). Each item's distribution is a margin of
those tables, and the joint table of two items gives what their paired test needs: the same
respondents answer every item, so two items' estimates covary (see engine.paired).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from heetui.engine.banner import letters_for
from heetui.engine.crosstab import TabRequest, base_text, check_tests, crosstab, tab_ready
from heetui.engine.eligibility import asked_where
from heetui.engine.filters import Filter
from heetui.engine.paired import Measure, PairSums, estimate, look_up, paired_z
from heetui.engine.results import Cell, Column, Crosstab, GridSummary, PairTest, Row
from heetui.engine.session import Survey
from heetui.engine.sql import Clause, ident, joined
from heetui.engine.stats import ZTest, effective_base
from heetui.engine.tabulation import not_tested, row_marks
from heetui.errors import EngineError
from heetui.survey.codebook import Grid, Variable

MISSING = -1  # an item's code in the joint tables when the respondent left it blank
# A summary's scan has a row per pair of items per respondent, and tests every pair: a grid
# of more items is refused before the scan (README: Scaling).
MAX_GRID_ITEMS = 40


@dataclass(frozen=True)
class _Joint:
    """Sums per pair of items and pair of codes: ``sums[(a, b)]`` is (codes_a, codes_b,
    (K, 3) count, Σw, Σw²) over the grid's respondents, a slice ``at[(a, b)]`` of
    ``whole``, every pair's table end to end."""

    sums: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray]]
    whole: PairSums
    at: dict[tuple[int, int], slice]

    def margin(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Codes of item i and their (count, Σw, Σw²), summed over any partner item."""
        pair = next(p for p in self.sums if i in p)
        ca, cb, s = self.sums[pair]
        codes = ca if pair[0] == i else cb
        keys, inv = np.unique(codes, return_inverse=True)
        out = np.zeros((len(keys), 3))
        np.add.at(out, inv, s)
        return keys, out


def _joint_sql(survey: Survey, items: list[Variable], filters: tuple[Filter, ...]
               ) -> Clause[float]:
    """Each respondent unnested to a row per pair of items (pair number, a's code, b's
    code), grouped in one pass, in order of pair and codes."""
    cols = [f"q{k}" for k in range(len(items))]
    inner = ", ".join(f"COALESCE(CAST({ident(v.id)} AS INTEGER), {MISSING}) AS {c}"
                      for v, c in zip(items, cols, strict=True))
    pairs = list(combinations(cols, 2))
    firsts, seconds = (", ".join(p[j] for p in pairs) for j in (0, 1))
    w = survey.weight_sql
    return joined(f"SELECT p, ca, cb, COUNT(*), SUM(w), SUM(w * w) FROM (SELECT "
                  f"UNNEST(range({len(pairs)})) AS p, UNNEST([{firsts}]) AS ca, "
                  f"UNNEST([{seconds}]) AS cb, w FROM (SELECT {inner}, {w} AS w "
                  "FROM respondents WHERE ",
                  asked_where(survey.codebook, items[0], filters, survey.tabled),
                  ")) GROUP BY p, ca, cb ORDER BY p, ca, cb")


def _joint(survey: Survey, items: list[Variable], filters: tuple[Filter, ...]) -> _Joint:
    joint = _joint_sql(survey, items, filters)
    cols = survey.cached(_key(items, filters), lambda: survey.query_arrays(joint))
    pairs = list(combinations(range(len(items)), 2))
    p, ca, cb = (c.astype(np.int64) for c in cols[:3])
    sums = np.column_stack([c.astype(np.float64) for c in cols[3:6]])
    bounds = np.searchsorted(p, np.arange(len(pairs) + 1))
    at = {pair: slice(lo, hi) for pair, lo, hi in zip(pairs, bounds[:-1], bounds[1:],
                                                      strict=True)}
    return _Joint({pair: (ca[sl], cb[sl], sums[sl]) for pair, sl in at.items()},
                  PairSums(ca, cb, sums), at)


def _measures(scale: Variable) -> list[Measure]:
    """The grid's columns: each scale point, each net, then the mean when options score."""
    out = [Measure(str(o.code), o.label, "category", {o.code: 1.0}, (o.code,),
                   {o.code for o in scale.options}) for o in scale.options]
    every = {o.code for o in scale.options}
    out += [Measure(f"net{j + 1}", n.label, "net", dict.fromkeys(n.codes, 1.0), n.codes, every)
            for j, n in enumerate(scale.nets)]
    if scale.has_mean:
        values = {o.code: o.value for o in scale.options if o.value is not None}
        out.append(Measure("mean", "Mean score", "mean", values, tuple(values), set(values)))
    return out


def is_grid(survey: Survey, req: TabRequest) -> bool:
    return req.question not in survey.codebook and survey.codebook.grid(req.question) is not None


def table(survey: Survey, req: TabRequest) -> Crosstab:
    """The table a request names: a grid's summary, or a question's crosstab."""
    return grid_table(survey, req) if is_grid(survey, req) else crosstab(survey, req)


def table_ready(survey: Survey, req: TabRequest) -> bool:
    """Whether ``table(survey, req)`` can answer without a query (see tab_ready)."""
    if not is_grid(survey, req):
        return tab_ready(survey, req)
    try:
        grid = check_request(survey, req)
    except EngineError:
        return True
    return survey.is_cached(_key(survey.codebook.items(grid), req.filters))


def _key(items: list[Variable], filters: tuple[Filter, ...]) -> tuple[object, ...]:
    return ("grid", tuple(v.id for v in items), filters)


def check_request(survey: Survey, req: TabRequest) -> Grid:
    """The grid a request names; the mistakes only a grid can make raise EngineError."""
    grid = survey.codebook.grid(req.question)
    if grid is None:
        raise EngineError(f"{req.question!r} is not a grid of this survey.")
    if req.banner or req.group or req.compare != "pairs":
        raise EngineError(f"A grid's summary compares its items with each other; tab one of "
                          f"its items ({', '.join(grid.items)}) by a banner instead.")
    check_tests(survey, req)
    n = len(grid.items)
    if n > MAX_GRID_ITEMS:
        raise EngineError(f"The grid {grid.id!r} has {n} items, more than the "
                          f"{MAX_GRID_ITEMS} whose pairs ({n * (n - 1) // 2:,}) a summary "
                          "tests; tab its items one by one, or split the grid in the "
                          "codebook.")
    return grid


ITEMS = "items"  # Crosstab.compare of a grid's summary: items tested in pairs


def grid_table(survey: Survey, req: TabRequest) -> GridSummary:
    grid = check_request(survey, req)
    cb = survey.codebook
    items = cb.items(grid)
    low = cb.settings.low_base if req.low_base is None else req.low_base
    min_test = cb.settings.min_test_base if req.min_test_base is None else req.min_test_base
    joint = _joint(survey, items, req.filters)
    margins = [joint.margin(i) for i in range(len(items))]
    columns = _item_columns(items, margins, req.weighted, low, min_test,
                            req.loose_level is not None)
    measures: list[Row] = []
    tests: list[PairTest] = []
    for m in _measures(items[0]):
        row, row_tests = _measure_row(m, columns, margins, joint, req)
        measures.append(row)
        tests += row_tests
    scale = replace(items[0], id=grid.id, text=grid.text, label=grid.label, missing=())
    return GridSummary(
        question=scale, banner=None, weighted=req.weighted, filters=req.filters,
        filter_text=tuple(f.describe(cb) for f in req.filters),
        base_text=base_text(cb, items[0], items=True),
        columns=tuple(columns), rows=tuple(measures), sig_level=req.sig_level,
        correction=req.correction, low_base=low, min_test_base=min_test, overlapping=True,
        tests=tuple(tests), compare=ITEMS, grid=grid, loose_level=req.loose_level)


def _item_columns(items: list[Variable], margins: list[tuple[np.ndarray, np.ndarray]],
                  weighted: bool, low: int, min_test: int, capitals: bool) -> list[Column]:
    out = []
    for v, letter, (codes, sums) in zip(items, letters_for(len(items), capitals), margins,
                                        strict=True):
        n, sw, sw2 = sums[codes != MISSING].sum(axis=0)
        eff = effective_base(sw, sw2) if weighted else float(n)
        why = not_tested(weighted, float(sw), eff, min_test)
        out.append(Column(key=v.id, label=v.short, letter=letter, code=None, base=int(n),
                          weighted_base=float(sw), effective_base=eff, low_base=bool(n < low),
                          tested=why is None, not_tested=why, heading=v.short))
    return out


def _measure_row(m: Measure, columns: list[Column],
                 margins: list[tuple[np.ndarray, np.ndarray]], joint: _Joint,
                 req: TabRequest) -> tuple[Row, list[PairTest]]:
    ests = [estimate(m, codes, sums, req.weighted) for codes, sums in margins]
    stats: dict[tuple[int, int, int], ZTest] = {}
    looked = look_up(m, joint.whole)  # every pair's codes at once
    for a, b in combinations(range(len(columns)), 2):
        if columns[a].tested and columns[b].tested:
            ca, cb, s = joint.sums[(a, b)]
            sl = joint.at[(a, b)]
            stats[(a, b, 0)] = paired_z(m, PairSums(ca, cb, s), ests[a], ests[b],
                                        req.weighted, (looked[0][sl], looked[1][sl],
                                                       looked[2][sl], looked[3][sl]))
    shown = [e.value for e in ests]
    marks, tests = row_marks(m.key, columns, list(stats),
                             [(t.z, t.reason) for t in stats.values()], shown,
                             replace(req.testing, compare="pairs"))
    mean = m.kind == "mean"
    cells = tuple(Cell(e.count, e.weighted_count, None if mean else e.value,
                       e.value if mean else None, e.se, sig)
                  for e, (sig, _) in zip(ests, marks, strict=True))
    return Row(m.key, m.label, m.kind, m.codes, cells), tests
