"""From grouped sums to tables: the columns, rows, cells and tests of many crosstabs of one
request (banner, filters, settings) at once.

A grouped pass (engine.crosstab) gives sums per group of base respondents: the group's
banner key, its answer code (single choice) and count, Σw, Σw², with per-item sums for a
multi-response question and moment sums for a numeric one. The groups of every question
asked are stacked one after another, and then

- a column is a set of groups (its membership, the same for every question of the stack),
- a row is a set of (group, sums) pairs: the groups of its question whose answer is one of
  its codes, or every group of the question with the sums of one item,
- each base, cell, mean and test of every table is a sum over those pairs, taken for the
  whole stack by a few numpy calls (``_sums``).

Python then only assembles the result objects. One question asked alone (``heetui tab``)
is a stack of one, so every table, in a book or alone, comes from the same arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from heetui.engine.banner import ColumnSpec, letters_for
from heetui.engine.choices import Correction
from heetui.engine.numeric import summary_rows
from heetui.engine.results import Cell, Column, PairTest, Row, RowKind
from heetui.engine.stats import (
    REASONS,
    adjust,
    effective_bases,
    mean_zs,
    means_from_moments,
    normal_p_two_sided,
    proportion_zs,
    significant_at,
)
from heetui.survey.codebook import Variable


@dataclass(frozen=True)
class Grouped:
    """Sums per group of base respondents (G groups)."""

    bkey: np.ndarray  # (G,) the banner's grouping key (see engine.banner)
    qcode: np.ndarray  # (G,) answer code of a single-choice question (-1 for multi)
    base: np.ndarray  # (G, 3): count, Σw, Σw²
    items: np.ndarray  # (G, I, 2): count, Σw per option then net (multi-response only)
    moments: np.ndarray  # (G, 2, 6): weighted, unweighted moment sums (numeric only)
    xvalue: np.ndarray | None = None  # (G,) a numeric question's value in each group


@dataclass(frozen=True)
class Settings:
    """What a table's numbers depend on beside its sums."""

    weighted: bool
    sig_level: float
    correction: Correction
    compare: str  # pairs within each span, or each column against total or its rest
    low_base: int
    min_test_base: int


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    tests: tuple[PairTest, ...]


@dataclass(frozen=True)
class Stack:
    """The groups of several questions' grouped passes, one question after another."""

    parts: tuple[tuple[Variable, Grouped], ...]
    first: list[int]  # (Q + 1) the first group of each question, then the end
    question: np.ndarray  # (G,) the question of each group
    bkey: np.ndarray  # (G,)
    qcode: np.ndarray  # (G,)
    base: np.ndarray  # (G, 3)


def stack(parts: Sequence[tuple[Variable, Grouped]]) -> Stack:
    sizes = [len(g.bkey) for _, g in parts]
    first = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    return Stack(tuple(parts), first.tolist(), np.repeat(np.arange(len(parts)), sizes),
                 np.concatenate([g.bkey for _, g in parts]).astype(np.int64),
                 np.concatenate([g.qcode for _, g in parts]).astype(np.int64),
                 np.concatenate([g.base for _, g in parts]).reshape(-1, 3))


# ---- rows -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowDef:
    key: str
    label: str
    kind: RowKind
    codes: tuple[int, ...]
    item: int | None = None  # multi-response: index into Grouped.items
    values: dict[int, float] | None = None  # mean/score: value per answer code
    numeric: bool = False  # the mean of a numeric variable

    @property
    def is_mean(self) -> bool:
        return self.numeric or self.values is not None


def row_defs(q: Variable) -> list[RowDef]:
    if q.type == "numeric":
        return [RowDef("mean", "Mean", "mean", (), numeric=True)]
    multi = q.type == "multi"
    defs = [RowDef(str(o.code), o.label, "category", (o.code,), i if multi else None)
            for i, o in enumerate(q.options)]
    defs += [RowDef(f"net{j + 1}", n.label, "net", n.codes,
                    len(q.options) + j if multi else None) for j, n in enumerate(q.nets)]
    if multi:
        return defs
    if q.has_mean:
        vals = {o.code: o.value for o in q.options if o.value is not None}
        defs.append(RowDef("mean", "Mean score", "mean", tuple(vals), values=vals))
    for s in q.scores:
        vals = {o.code: 100.0 * ((o.code in s.plus) - (o.code in s.minus)) for o in q.options}
        defs.append(RowDef(s.id, s.label, "score", s.plus + s.minus, values=vals))
    return defs


# Sums each (row, group) pair carries: the cell's count and Σw, then the moment sums of a
# mean (engine.stats N … W2X2) under the estimate; zero where a row has no mean.
COUNT, WSUM, MOMENTS = 0, 1, slice(2, 8)


@dataclass(frozen=True)
class _Rows:
    defs: list[RowDef]
    question: np.ndarray  # (R,) the question of each row
    first: list[int]  # (Q + 1) the first row of each question, then the end
    pair_row: np.ndarray  # (P,) the row of each (row, group) pair
    pair_group: np.ndarray  # (P,) its group
    sums: np.ndarray  # (P, 8) see COUNT, WSUM, MOMENTS


def _rows(st: Stack, weighted: bool) -> _Rows:
    defs: list[RowDef] = []
    first = [0]
    coded: list[tuple[int, int, int, float]] = []  # (row, question, code, value)
    whole: list[tuple[int, int, RowDef]] = []  # rows summing every group of their question
    for j, (q, _) in enumerate(st.parts):
        for rd in row_defs(q):
            r = len(defs)
            defs.append(rd)
            if rd.item is not None or rd.numeric:
                whole.append((r, j, rd))
            elif rd.values is not None:
                coded += [(r, j, c, x) for c, x in rd.values.items()]
            else:
                coded += [(r, j, c, 0.0) for c in dict.fromkeys(rd.codes)]
        first.append(len(defs))
    rows = np.repeat(np.arange(len(st.parts)), np.diff(first))
    pairs = [_coded_pairs(st, coded, weighted)] + [_whole_pairs(st, r, j, rd, weighted)
                                                   for r, j, rd in whole]
    return _Rows(defs, rows, first, np.concatenate([p[0] for p in pairs]),
                 np.concatenate([p[1] for p in pairs]),
                 np.concatenate([p[2] for p in pairs]).reshape(-1, 8))


def _coded_pairs(st: Stack, coded: list[tuple[int, int, int, float]], weighted: bool
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of single-choice rows: each (row, question, code) joined to the question's
    groups with that answer code (one per banner key)."""
    e = np.array(coded, dtype=np.float64).reshape(-1, 4)
    e_row, e_q, e_code, e_x = e[:, 0].astype(np.int64), e[:, 1].astype(np.int64), \
        e[:, 2].astype(np.int64), e[:, 3]
    codes = np.unique(np.concatenate([st.qcode, e_code]))
    gkey = st.question * len(codes) + np.searchsorted(codes, st.qcode)
    ekey = e_q * len(codes) + np.searchsorted(codes, e_code)
    order = np.argsort(gkey, kind="stable")
    lo = np.searchsorted(gkey[order], ekey, "left")
    n = np.searchsorted(gkey[order], ekey, "right") - lo
    pos = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + np.repeat(lo, n)
    group = order[pos]
    x = np.repeat(e_x, n)
    base = st.base[group]
    sw = base[:, 1] if weighted else base[:, 0]
    sw2 = base[:, 2] if weighted else base[:, 0]
    sums = np.column_stack([base[:, 0], base[:, 1], base[:, 0], sw, sw * x, sw2, sw2 * x,
                            sw2 * x * x])
    return np.repeat(e_row, n), group, sums


def _whole_pairs(st: Stack, r: int, j: int, rd: RowDef, weighted: bool
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of an item's row (multi-response) or a numeric question's mean: every
    group of the question, with the item's sums or the value's moments."""
    g = st.parts[j][1]
    groups = np.arange(st.first[j], st.first[j + 1])
    if rd.item is not None:
        sums = np.column_stack([g.items[:, rd.item, :], np.zeros((len(groups), 6))])
    else:
        sums = np.column_stack([g.base[:, :2], g.moments[:, 0 if weighted else 1]])
    return np.full(len(groups), r), groups, sums


# ---- columns and the tests between them --------------------------------------------------

@dataclass(frozen=True)
class _Layout:
    """The columns of every table of the stack: the C banner columns, for tests against
    the rest each banner column's rest, and for each candidate test the groups in both of
    its columns (whose sums give the overlap terms)."""

    member: np.ndarray  # (K + P, G)
    n_columns: int  # C
    n_compared: int  # K: C, and the rests
    pairs: list[tuple[int, int, int]]  # (x, y, family) candidate tests, in order
    rest: bool  # tests against the rest of each column


def _layout(specs: list[ColumnSpec], compare: str) -> _Layout:
    member = np.array([s.member for s in specs], dtype=bool).reshape(len(specs), -1)
    c = len(specs)
    banner = range(1, c)
    if compare == "pairs":
        pairs = [(x, y, specs[x].span or 0) for x in banner for y in banner
                 if x < y and specs[x].test_group == specs[y].test_group]
    elif compare == "total":
        pairs = [(x, 0, specs[x].span or 0) for x in banner]
    else:  # every respondent of the table who is not in the column
        member = np.vstack([member, ~member[1:]])
        pairs = [(x, c + x - 1, specs[x].span or 0) for x in banner]
    k = len(member)
    both = np.zeros((len(pairs), member.shape[1]), dtype=bool)
    for p, (x, y, _) in enumerate(pairs):
        both[p] = member[x] & member[y]
    return _Layout(np.vstack([member, both]), c, k, pairs, compare == "rest")


def _sums(member: np.ndarray, seg: np.ndarray, n_seg: int, values: np.ndarray
          ) -> np.ndarray:
    """(n_seg, M, d): for each segment and each of the M rows of ``member`` (M, N), the sum
    of ``values`` (N, d) over the entries of that segment in that row, in entry order."""
    m = len(member)
    k, i = np.nonzero(member)
    idx = seg[i] * m + k
    out = np.empty((n_seg * m, values.shape[1]))
    for d in range(values.shape[1]):
        out[:, d] = np.bincount(idx, weights=values[i, d], minlength=n_seg * m)
    return out.reshape(n_seg, m, values.shape[1])


def _flat(a: np.ndarray) -> list[float | None]:
    """The values of ``a`` in one flat list (row after row), None where one is missing
    (NaN). One list per quantity: the cyclic garbage collector then has a few objects to
    track per batch instead of one list per row."""
    values = a.astype(object).ravel()
    values[np.isnan(a).ravel()] = None
    out: list[float | None] = values.tolist()
    return out


# ---- the tables -------------------------------------------------------------------------

def tables(st: Stack, specs: list[ColumnSpec], span_ids: list[str | None], s: Settings
           ) -> list[Table]:
    """The table of each question of the stack, with the banner columns of ``specs`` (their
    memberships over the stack's groups) and ``span_ids`` their spans' ids (None: Total)."""
    lay = _layout(specs, s.compare)
    bases = _sums(lay.member, st.question, len(st.parts), st.base)  # (Q, K + P, 3)
    rows = _rows(st, s.weighted)
    sums = _sums(lay.member[:, rows.pair_group], rows.pair_row, len(rows.defs), rows.sums)
    nums = _numbers(sums, bases, rows, lay, s)
    columns = _columns(bases[:, :lay.n_compared], specs, span_ids, s)
    letters = [c.letter or "" for c in columns[0][0]] if columns else []
    names = [(letters[x], "Total" if y == 0 else letters[y] if y < lay.n_columns else "Rest")
             for x, y, _ in lay.pairs]
    out = []
    for j, (_, g) in enumerate(st.parts):
        cols, rest_why = columns[j]
        order, untestable = _order(cols, rest_why, lay)
        plan = _RowPlan(cols, letters, order, [lay.pairs[p] for p in order],
                        [names[p] for p in order], untestable, s)
        body: list[Row] = []
        tests: list[PairTest] = []
        for r in range(rows.first[j], rows.first[j + 1]):
            row, row_tests = _row(r, rows.defs[r], plan, nums)
            body.append(row)
            tests += row_tests
        if g.xvalue is not None:  # a numeric question: its full summary under the mean
            member = lay.member[:lay.n_columns, st.first[j]:st.first[j + 1]]
            body += summary_rows(g.xvalue, g.base, member, s.weighted)
        out.append(Table(tuple(cols), tuple(body), tuple(tests)))
    return out


@dataclass(frozen=True)
class _Numbers:
    """Every row's cells and tests, flat: with R rows, C columns, K compared columns and P
    candidate tests, the cell (r, i) at r·C + i, the compared column (r, k) at r·K + k and
    the test (r, p) at r·P + p."""

    c: int
    k: int
    p: int
    count: list[int]  # (R, C)
    wsum: list[float]  # (R, C)
    percent: list[float | None]  # (R, C) None for means and empty columns
    value: list[float | None]  # (R, C) means and scores
    se: list[float | None]  # (R, C)
    shown: list[float | None]  # (R, K) the estimate each test compares
    z: list[float | None]  # (R, P) None where the pair could not be tested
    why: list[int]  # (R, P) why not (an index into stats.REASONS), 0 when tested
    p_value: list[float | None]  # (R, P)


def _numbers(sums: np.ndarray, bases: np.ndarray, rows: _Rows, lay: _Layout, s: Settings
             ) -> _Numbers:
    c, k = lay.n_columns, lay.n_compared
    est, s2 = (WSUM, 2) if s.weighted else (COUNT, 0)
    base_est = bases[rows.question, :k, est]  # (R, K) Σw (or n) of each column's base
    base_s2 = bases[rows.question, :, s2]  # (R, K + P) Σw² (or n), then of both columns
    with np.errstate(divide="ignore", invalid="ignore"):
        prop = np.where(base_est > 0, sums[:, :k, est] / np.where(base_est > 0, base_est, 1),
                        np.nan)
    mean, se, n, w = means_from_moments(sums[:, :k, MOMENTS])
    x = np.array([p[0] for p in lay.pairs], dtype=np.intp)
    y = np.array([p[1] for p in lay.pairs], dtype=np.intp)
    both = k + np.arange(len(lay.pairs))
    zp, whyp = proportion_zs(prop[:, x], base_est[:, x], base_s2[:, x], prop[:, y],
                             base_est[:, y], base_s2[:, y], base_s2[:, both])
    zm, whym = mean_zs((mean[:, x], se[:, x], n[:, x], w[:, x]),
                       (mean[:, y], se[:, y], n[:, y], w[:, y]), sums[:, both, MOMENTS])
    is_mean = np.array([rd.is_mean for rd in rows.defs], dtype=bool)[:, None]
    pct = 100.0 * prop
    z = _flat(np.where(is_mean, zm, zp))
    return _Numbers(
        c, k, len(lay.pairs), count=sums[:, :c, COUNT].astype(np.int64).ravel().tolist(),
        wsum=sums[:, :c, WSUM].ravel().tolist(),
        percent=_flat(np.where(is_mean, np.nan, pct[:, :c])),
        value=_flat(np.where(is_mean, mean[:, :c], np.nan)),
        se=_flat(np.where(is_mean, se[:, :c], np.nan)), shown=_flat(np.where(is_mean, mean, pct)),
        z=z, why=np.where(is_mean, whym, whyp).ravel().tolist(), p_value=p_values(z))


def p_values(z: Sequence[float | None]) -> list[float | None]:
    """The two-sided normal p-value of each z (stats.normal_p_two_sided)."""
    return [None if x is None else normal_p_two_sided(x) for x in z]


def _columns(bases: np.ndarray, specs: list[ColumnSpec], span_ids: list[str | None],
             s: Settings) -> list[tuple[list[Column], list[str | None]]]:
    """Each question's C columns, with their bases and whether each is tested, and why
    each compared rest (K − C) cannot be tested (None: it can)."""
    n, sw, sw2 = bases[..., 0], bases[..., 1], bases[..., 2]
    eff = effective_bases(sw, sw2) if s.weighted else n.astype(np.float64)
    c = len(specs)
    letters = [None, *letters_for(c - 1)]
    heads = [(sp.key, sp.label, letter, sp.code) for sp, letter in zip(specs, letters,
                                                                       strict=True)]
    tails = [(sid, sp.filters, sp.heading, sp.group) for sp, sid in zip(specs, span_ids,
                                                                      strict=True)]
    out = []
    for nj, swj, effj in zip(n.astype(np.int64).tolist(), sw.tolist(), eff.tolist(),
                             strict=True):
        why = [None] + [not_tested(s.weighted, a, e, s.min_test_base)
                        for a, e in zip(swj[1:], effj[1:], strict=True)]
        cols = [Column(*heads[i], nj[i], swj[i], effj[i], nj[i] < s.low_base,
                       i > 0 and why[i] is None, why[i], *tails[i]) for i in range(c)]
        out.append((cols, why[c:]))
    return out


def not_tested(weighted: bool, sw: float, eff: float, min_test: int) -> str | None:
    """Why a banner column is left out of the tests, or None. Weighted tests count the
    effective base, so respondents with weight 0 do not make a column testable. An
    effective base of exactly ``min_test`` (equal weights) is tested, whatever the last
    bit of (Σw)²/Σw² says in the order its sums were added."""
    if weighted and sw <= 0:
        return "no weight in the column (sum of weights 0)"
    if eff < min_test * (1 - 1e-12):
        return f"{'effective base' if weighted else 'base'} below {min_test}"
    return None


def _order(cols: list[Column], rest_why: list[str | None], lay: _Layout
           ) -> tuple[list[int], dict[int, str]]:
    """The candidate tests a table makes, in the order its rows list them (those that cannot
    be made first), and why those cannot: the rest of a column too small to test."""
    c = lay.n_columns
    present = [p for p, (x, y, _) in enumerate(lay.pairs)
               if cols[x].tested and (y == 0 or y >= c or cols[y].tested)]
    if not lay.rest:
        return present, {}
    untestable = {p: f"the rest of the column: {rest_why[lay.pairs[p][1] - c]}"
                  for p in present if rest_why[lay.pairs[p][1] - c]}
    return [p for p in present if p in untestable] + [p for p in present
                                                       if p not in untestable], untestable


@dataclass(frozen=True)
class _RowPlan:
    """What every row of one table shares: its columns and the tests it makes."""

    columns: list[Column]
    letters: list[str]  # each column's letter ("" for Total)
    order: list[int]  # the candidate tests made, in order
    pairs: list[tuple[int, int, int]]  # theirs (x, y, family)
    names: list[tuple[str, str]]  # the two columns' names in a PairTest
    untestable: dict[int, str]
    settings: Settings


def _row(r: int, rd: RowDef, plan: _RowPlan, nums: _Numbers) -> tuple[Row, list[PairTest]]:
    at = r * nums.p
    z = [None if p in plan.untestable else nums.z[at + p] for p in plan.order]
    reasons = [plan.untestable.get(p) or REASONS[nums.why[at + p]] for p in plan.order]
    p_value = [None if zp is None else nums.p_value[at + p]
               for zp, p in zip(z, plan.order, strict=True)]
    s = plan.settings
    marks, tests = _tests(rd.key, plan.letters, plan.pairs, plan.names, z, reasons, p_value,
                          nums.shown[r * nums.k:(r + 1) * nums.k], s.sig_level,
                          s.correction, s.compare)
    lo, hi = r * nums.c, (r + 1) * nums.c
    count, wsum = nums.count[lo:hi], nums.wsum[lo:hi]
    if rd.is_mean:
        cells = tuple([Cell(n, w, None, v, e, sig, vs) for n, w, v, e, (sig, vs) in zip(
            count, wsum, nums.value[lo:hi], nums.se[lo:hi], marks, strict=True)])
    else:
        cells = tuple([Cell(n, w, pct, None, None, sig, vs) for n, w, pct, (sig, vs) in zip(
            count, wsum, nums.percent[lo:hi], marks, strict=True)])
    return Row(rd.key, rd.label, rd.kind, rd.codes, cells), tests


Marks = tuple[tuple[str, ...], str | None]  # letters beaten; higher/lower than total/rest
NO_MARKS: Marks = ((), None)


def row_marks(row: str, columns: Sequence[Column], pairs: Sequence[tuple[int, int, int]],
              stats: Sequence[tuple[float | None, str | None]],
              values: Sequence[float | None], sig_level: float, correction: Correction,
              compare: str) -> tuple[list[Marks], list[PairTest]]:
    """Each column's marks and every test of one row, from its tests' (z, or why not) in
    ``pairs`` order (x, y, family)."""
    letters = [c.letter or "" for c in columns]
    names = [(letters[x], "Total" if y == 0 else letters[y] if y < len(columns) else "Rest")
             for x, y, _ in pairs]
    z = [x for x, _ in stats]
    return _tests(row, letters, pairs, names, z, [why for _, why in stats], p_values(z),
                  values, sig_level, correction, compare)


def _tests(row: str, letters: list[str], pairs: Sequence[tuple[int, int, int]],
           names: Sequence[tuple[str, str]], z: Sequence[float | None],
           reasons: Sequence[str | None], p_value: list[float | None],
           values: Sequence[float | None], sig_level: float, correction: Correction,
           compare: str) -> tuple[list[Marks], list[PairTest]]:
    """The tests of one row and each column's marks. The correction adjusts the p-values of
    one family (a span, within this row) together; untested pairs keep their reason and
    stay out of it."""
    adj = p_value if correction == "none" else _adjusted(pairs, p_value, correction)
    won: dict[int, list[int]] = {}
    vs: dict[int, str] = {}
    tests = []
    for (x, y, _), (a, b), zx, why, px, ax in zip(pairs, names, z, reasons, p_value, adj,
                                                  strict=True):
        if zx is None or px is None or ax is None:
            tests.append(PairTest(row, a, b, None, None, None, False, why, values[x],
                                  values[y]))
            continue
        significant = significant_at(ax, zx, sig_level)
        if significant and compare == "pairs":
            winner, loser = (x, y) if zx > 0 else (y, x)
            won.setdefault(winner, []).append(loser)
        elif significant:
            vs[x] = "higher" if zx > 0 else "lower"
        tests.append(PairTest(row, a, b, zx, px, ax, significant, None, values[x], values[y]))
    if not won and not vs:
        return [NO_MARKS] * len(letters), tests
    return [(tuple(letters[i] for i in sorted(won[c])) if c in won else (), vs.get(c))
            for c in range(len(letters))], tests


def _adjusted(pairs: Sequence[tuple[int, int, int]], p: list[float | None],
              correction: Correction) -> list[float | None]:
    out = list(p)
    for family in {f for (_, _, f), p_x in zip(pairs, p, strict=True) if p_x is not None}:
        at = [k for k, (_, _, f) in enumerate(pairs) if f == family and p[k] is not None]
        adjusted = adjust([p_x for k in at if (p_x := p[k]) is not None], correction)
        for k, v in zip(at, adjusted, strict=True):
            out[k] = v
    return out
