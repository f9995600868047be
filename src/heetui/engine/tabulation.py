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

from heetui.choices import Correction
from heetui.engine.banner import ColumnSpec, letters_for
from heetui.engine.design import (
    DesignInfo,
    Domains,
    PsuSums,
    design_stats,
    group_sums,
    key_sums,
    merged_groups,
)
from heetui.engine.numeric import summary_rows
from heetui.engine.results import Cell, Column, PairTest, Row, RowKind
from heetui.engine.stats import (
    REASONS,
    adjust,
    effective_bases,
    level_letter,
    mean_zs,
    means_from_moments,
    normal_p_two_sided,
    proportion_zs,
    significant_at,
    t_p_two_sided,
    vs_mark,
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
    # merged across PSUs (a design, engine.design), with the sums per banner key and PSU
    split: PsuSums | None = None


@dataclass(frozen=True)
class Testing:
    """How a table's columns are tested."""

    sig_level: float
    correction: Correction
    compare: str  # pairs within each span, or each column against total or its rest
    loose_level: float | None = None  # a second, looser level: lower-case letters
    family: str = "subtable"  # what a correction adjusts together (choices.CORRECTION_FAMILIES)


@dataclass(frozen=True)
class Settings:
    """What a table's numbers depend on beside its sums."""

    weighted: bool
    testing: Testing
    low_base: int
    min_test_base: int
    design: DesignInfo | None = None  # design-based variances, over the groups' PSUs


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
    stored = {o.code: i for i, o in enumerate(q.options)}  # a multi's items, stored order
    defs = [RowDef(str(o.code), o.label, "category", (o.code,),
                   stored[o.code] if multi else None) for o in q.listed]
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


def families(specs: list[ColumnSpec], family: str) -> list[int]:
    """The correction family of each column: its span, or (``subtable``) its span's columns
    under one outer option of a nested span, as SPSS CTABLES' COMPARETEST adjusts them."""
    if family == "span":
        return [s.span or 0 for s in specs]
    ids: dict[tuple[int, int], int] = {}
    return [ids.setdefault(s.test_group, len(ids)) for s in specs]


def _layout(specs: list[ColumnSpec], compare: str, family: str) -> _Layout:
    member = np.array([s.member for s in specs], dtype=bool).reshape(len(specs), -1)
    c = len(specs)
    banner = range(1, c)
    fam = families(specs, family)
    if compare == "pairs":
        pairs = [(x, y, fam[x]) for x in banner for y in banner
                 if x < y and specs[x].test_group == specs[y].test_group]
    elif compare == "total":
        pairs = [(x, 0, fam[x]) for x in banner]
    elif compare == "previous":  # the column before, within the same span (and outer option)
        pairs = [(x, x - 1, fam[x]) for x in banner
                 if x > 1 and specs[x].test_group == specs[x - 1].test_group]
    else:  # every respondent of the table who is not in the column
        member = np.vstack([member, ~member[1:]])
        pairs = [(x, c + x - 1, fam[x]) for x in banner]
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
    memberships over the stack's groups) and ``span_ids`` their spans' ids (None: Total);
    with a design, each question's groups were merged across PSUs, beside their sums per
    banner key and PSU (engine.design.PsuSums), which the design's variances read."""
    lay = _layout(specs, s.testing.compare, s.testing.family)
    bases = _sums(lay.member, st.question, len(st.parts), st.base)  # (Q, K + P, 3)
    rows = _rows(st, s.weighted)
    sums = _sums(lay.member[:, rows.pair_group], rows.pair_row, len(rows.defs), rows.sums)
    nums = _numbers(sums, bases, rows, lay, s, st)
    columns = _columns(bases[:, :lay.n_compared], specs, span_ids, s)
    made = [_order(cols, rest_why, lay) for cols, rest_why in columns]
    tests, sig, vs = _tests(rows, made, nums, lay, s)
    cells = list(map(Cell, nums.count, nums.wsum, nums.percent, nums.value, nums.se, sig, vs))
    c = lay.n_columns
    body = list(map(Row, [d.key for d in rows.defs], [d.label for d in rows.defs],
                    [d.kind for d in rows.defs], [d.codes for d in rows.defs],
                    [tuple(cells[r * c:(r + 1) * c]) for r in range(len(rows.defs))]))
    out = []
    first_test = 0
    for j, (_, g) in enumerate(st.parts):
        lo, hi = rows.first[j], rows.first[j + 1]
        table_rows = body[lo:hi]
        if g.xvalue is not None:  # a numeric question: its full summary under the mean
            member = lay.member[:c, st.first[j]:st.first[j + 1]]
            table_rows += summary_rows(g.xvalue, g.base, member, s.weighted)
        n_tests = (hi - lo) * len(made[j][0])
        out.append(Table(tuple(columns[j][0]), tuple(table_rows),
                         tuple(tests[first_test:first_test + n_tests])))
        first_test += n_tests
    return out


@dataclass(frozen=True)
class _Numbers:
    """Every row's cells and tests, flat: with R rows, C columns, K compared columns and P
    candidate tests, the cell (r, i) at r·C + i, the compared column (r, k) at r·K + k and
    the test (r, p) at r·P + p."""

    count: list[int]  # (R, C)
    wsum: list[float]  # (R, C)
    percent: list[float | None]  # (R, C) None for means and empty columns
    value: list[float | None]  # (R, C) means and scores
    se: list[float | None]  # (R, C)
    shown: list[float | None]  # (R, K) the estimate each test compares
    z: list[float | None]  # (R, P) None where the pair could not be tested
    reason: list[str | None]  # (R, P) why not (stats.REASONS), None when tested
    df: list[float] | None = None  # (R, P) a design-based t's degrees of freedom


def _numbers(sums: np.ndarray, bases: np.ndarray, rows: _Rows, lay: _Layout, s: Settings,
             st: Stack) -> _Numbers:
    c, k = lay.n_columns, lay.n_compared
    est, s2 = (WSUM, 2) if s.weighted else (COUNT, 0)
    base_est = bases[rows.question, :k, est]  # (R, K) Σw (or n) of each column's base
    base_s2 = bases[rows.question, :, s2]  # (R, K + P) Σw² (or n), then of both columns
    with np.errstate(divide="ignore", invalid="ignore"):
        prop = np.where(base_est > 0, sums[:, :k, est] / np.where(base_est > 0, base_est, 1),
                        np.nan)
    mean, se, n, w = means_from_moments(sums[:, :k, MOMENTS])
    is_mean = np.array([rd.is_mean for rd in rows.defs], dtype=bool)[:, None]
    if s.design is not None:
        return _design_numbers(sums, rows, lay, s, st, (100.0 * prop, mean), is_mean)
    x = np.array([p[0] for p in lay.pairs], dtype=np.intp)
    y = np.array([p[1] for p in lay.pairs], dtype=np.intp)
    both = k + np.arange(len(lay.pairs))
    zp, whyp = proportion_zs(prop[:, x], base_est[:, x], base_s2[:, x], prop[:, y],
                             base_est[:, y], base_s2[:, y], base_s2[:, both])
    zm, whym = mean_zs((mean[:, x], se[:, x], n[:, x], w[:, x]),
                       (mean[:, y], se[:, y], n[:, y], w[:, y]), sums[:, both, MOMENTS])
    pct = 100.0 * prop
    return _Numbers(
        count=sums[:, :c, COUNT].astype(np.int64).ravel().tolist(),
        wsum=sums[:, :c, WSUM].ravel().tolist(),
        percent=_flat(np.where(is_mean, np.nan, pct[:, :c])),
        value=_flat(np.where(is_mean, mean[:, :c], np.nan)),
        se=_flat(np.where(is_mean, se[:, :c], np.nan)), shown=_flat(np.where(is_mean, mean, pct)),
        z=_flat(np.where(is_mean, zm, zp)),
        reason=[REASONS[k] for k in np.where(is_mean, whym, whyp).ravel().tolist()])


def _design_numbers(sums: np.ndarray, rows: _Rows, lay: _Layout, s: Settings, st: Stack,
                    shown: tuple[np.ndarray, np.ndarray], is_mean: np.ndarray) -> _Numbers:
    """The cells and tests of a design-based table: the same estimates, with the design's
    SEs (of percents too, in points) and t statistics (engine.design), from each question's
    sums per banner key and PSU."""
    assert s.design is not None
    c, k = lay.n_columns, lay.n_compared
    members, domains = [], []
    for j, (_, g) in enumerate(st.parts):
        # a design's passes all keep their sums by PSU, in the table's weighting
        assert g.split is not None and g.split.weighted == s.weighted
        members.append(lay.member[:k, st.first[j] + g.split.key_first])
        domains.append(_psu_domains(g.split, rows.defs[rows.first[j]:rows.first[j + 1]]))
    x = np.array([p[0] for p in lay.pairs], dtype=np.intp)
    y = np.array([p[1] for p in lay.pairs], dtype=np.intp)
    d = design_stats(s.design, members, domains, is_mean[:, 0], (x, y))
    pct, mean = shown
    se = np.where(is_mean, d.se, 100.0 * d.se)
    return _Numbers(
        count=sums[:, :c, COUNT].astype(np.int64).ravel().tolist(),
        wsum=sums[:, :c, WSUM].ravel().tolist(),
        percent=_flat(np.where(is_mean, np.nan, pct[:, :c])),
        value=_flat(np.where(is_mean, mean[:, :c], np.nan)),
        se=_flat(se[:, :c]), shown=_flat(np.where(is_mean, mean, pct)), z=_flat(d.z),
        reason=[REASONS[w] for w in d.why.ravel().tolist()], df=d.df.ravel().tolist())


def merge_psus(g: Grouped, psu: np.ndarray, n_psu: int, weighted: bool) -> Grouped:
    """A pass grouped by PSU too (``psu``: each group's PSU, 0…n_psu−1), its groups merged
    across PSUs: the sums of the estimates and bases, in order of banner key then answer,
    with the sums per banner key and PSU (engine.design.PsuSums) the design's variances
    read: a multi-response question's items and base, a numeric question's Σw·x and Σw."""
    # a group's answer: its code, or a numeric question's value (its exact bits)
    answer = g.qcode if g.xvalue is None else g.xvalue.astype(np.float64).view(np.int64)
    of, bkeys, merged_answer = merged_groups(g.bkey, answer)
    n = len(bkeys)

    def add(a: np.ndarray) -> np.ndarray:
        flat = a.reshape(len(a), int(np.prod(a.shape[1:])))  # (0 groups: no one answered)
        return group_sums(of, n, flat).reshape((n, *a.shape[1:]))

    w = g.base[:, 1 if weighted else 0]
    if g.xvalue is not None:
        split = key_sums(of, bkeys, psu, n_psu, np.column_stack([w * g.xvalue, w]), "value",
                         weighted)
    else:
        split = key_sums(of, bkeys, psu, n_psu,
                         np.column_stack([g.items[:, :, 1 if weighted else 0], w]), "items",
                         weighted)
    # moment sums are a numeric question's only (else zeros, as _grouped_rows makes them)
    moments = add(g.moments) if g.xvalue is not None else np.zeros((n, *g.moments.shape[1:]))
    return Grouped(bkey=bkeys, qcode=merged_answer if g.xvalue is None else np.full(n, -1),
                   base=add(g.base), items=add(g.items), moments=moments,
                   xvalue=None if g.xvalue is None else merged_answer.view(np.float64),
                   split=split)


def _psu_domains(split: PsuSums, defs: list[RowDef]) -> Domains:
    """One question's rows over its sums per banner key and PSU (engine.design.Domains): a
    category's or net's Σw over its answers, a mean's or score's Σw·x (over Σw) over the
    answers with a value, an item's Σw, a numeric value's Σw·x; a proportion's denominator
    is the base, every answer."""
    if split.kind == "value":  # a numeric question: its mean, one row, Σw·x over Σw
        return Domains(split.sums, (np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])))
    if split.kind == "items":  # multi-response: a row per item (or net), over the base
        n = split.sums.shape[1]
        num, den = np.zeros((len(defs), n)), np.zeros((len(defs), n))
        den[:, n - 1] = 1.0
        for r, rd in enumerate(defs):
            assert rd.item is not None
            num[r, rd.item] = 1.0
        return Domains(split.sums, (num, den))
    num = np.zeros((len(defs), len(split.answers)))
    den = np.ones((len(defs), len(split.answers)))
    at = {code: i for i, code in enumerate(split.answers.tolist())}  # each answer's sum
    for r, rd in enumerate(defs):
        if rd.values is not None:
            den[r] = 0.0
            for code, value in rd.values.items():
                if code in at:
                    den[r, at[code]], num[r, at[code]] = 1.0, value
        else:
            num[r, [at[c] for c in rd.codes if c in at]] = 1.0
    return Domains(split.sums, (num, den))


def _columns(bases: np.ndarray, specs: list[ColumnSpec], span_ids: list[str | None],
             s: Settings) -> list[tuple[list[Column], list[str | None]]]:
    """Each question's C columns, with their bases and whether each is tested, and why
    each compared rest (K − C) cannot be tested (None: it can)."""
    n, sw, sw2 = bases[..., 0], bases[..., 1], bases[..., 2]
    eff = effective_bases(sw, sw2) if s.weighted else n.astype(np.float64)
    c = len(specs)
    letters = [None, *letters_for(c - 1, s.testing.loose_level is not None)]
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


def _tests(rows: _Rows, made: list[tuple[list[int], dict[int, str]]], nums: _Numbers,
           lay: _Layout, s: Settings) -> tuple[list[PairTest], list[tuple[str, ...]],
                                               list[str | None]]:
    """Every test of every row, table after table and row after row (a table's tests in
    the order _order gives), and the cells' marks."""
    npairs, k = len(lay.pairs), lay.n_compared
    at: list[int] = []  # r·P + p of each test
    blocked: list[str | None] = []  # why a test cannot be made, beside its pair's reason
    for j, (order, untestable) in enumerate(made):
        table = range(rows.first[j], rows.first[j + 1])
        at += [r * npairs + p for r in table for p in order]
        if untestable:
            blocked += [untestable.get(p) for _ in table for p in order]
        else:
            blocked += [None] * (len(table) * len(order))
    row = [i // npairs for i in at] if npairs else []
    pairs = [lay.pairs[i % npairs] for i in at] if npairs else []
    z = [None if b else nums.z[i] for i, b in zip(at, blocked, strict=True)]
    reasons = [b or nums.reason[i] for i, b in zip(at, blocked, strict=True)]
    letters = ["", *letters_for(lay.n_columns - 1, s.testing.loose_level is not None)]
    return pair_tests(row, pairs, [rows.defs[r].key for r in row], z, reasons,
                      [nums.shown[r * k + x] for r, (x, _, _) in zip(row, pairs, strict=True)],
                      [nums.shown[r * k + y] for r, (_, y, _) in zip(row, pairs, strict=True)],
                      letters, len(rows.defs), s.testing,
                      None if nums.df is None else [nums.df[i] for i in at])


Marks = tuple[tuple[str, ...], str | None]  # letters beaten; higher/lower than total/rest


def row_marks(row: str, columns: Sequence[Column], pairs: Sequence[tuple[int, int, int]],
              stats: Sequence[tuple[float | None, str | None]],
              values: Sequence[float | None], how: Testing
              ) -> tuple[list[Marks], list[PairTest]]:
    """Each column's marks and every test of one row, from its tests' (z, or why not) in
    ``pairs`` order (x, y, family)."""
    n = len(pairs)
    tests, sig, vs = pair_tests(
        [0] * n, list(pairs), [row] * n, [z for z, _ in stats], [why for _, why in stats],
        [values[x] for x, _, _ in pairs], [values[y] for _, y, _ in pairs],
        [c.letter or "" for c in columns], 1, how)
    return list(zip(sig, vs, strict=True)), tests


def pair_tests(row: list[int], pairs: list[tuple[int, int, int]], keys: list[str],
               z: list[float | None], reasons: list[str | None], a_values: list[float | None],
               b_values: list[float | None], letters: list[str], n_rows: int, how: Testing,
               df: list[float] | None = None
               ) -> tuple[list[PairTest], list[tuple[str, ...]], list[str | None]]:
    """Tests from their rows (of ``n_rows``), pairs (x, y, family), z or why not and the
    two estimates compared; and the marks of the C = len(letters) cells of each row (the
    letters each beats, or higher/lower than total or rest). The correction adjusts the
    p-values of one family (a subtable or a span, within one row) together; untested pairs
    keep their reason and stay out of it. ``df``: each test's degrees of freedom, for design-based t
    statistics (None: z, normal p-values)."""
    c = len(letters)
    p = p_values(z) if df is None else t_p_values(z, df)
    adj = p if how.correction == "none" else _adjusted(row, pairs, p, how.correction)
    loose = how.loose_level if how.loose_level is not None else how.sig_level
    significant = [_significant(zx, ax, how.sig_level) for zx, ax in zip(z, adj, strict=True)]
    looser = [_significant(zx, ax, loose) for zx, ax in zip(z, adj, strict=True)]
    names = [(letters[x], "Total" if y == 0 else letters[y] if y < c else "Rest")
             for x, y, _ in pairs]  # previous: the letter of the column before
    tests = list(map(PairTest, keys, [a for a, _ in names], [b for _, b in names], z, p, adj,
                     significant, reasons, a_values, b_values, looser))
    sig: list[tuple[str, ...]] = [()] * (n_rows * c)
    vs: list[str | None] = [None] * (n_rows * c)
    won: dict[int, list[tuple[int, bool]]] = {}
    for t in (t for t, yes in enumerate(looser) if yes):
        x, y, _ = pairs[t]
        up = (z[t] or 0.0) > 0
        if how.compare == "pairs":
            winner, loser = (x, y) if up else (y, x)
            won.setdefault(row[t] * c + winner, []).append((loser, significant[t]))
        else:
            vs[row[t] * c + x] = vs_mark(up, significant[t])
    for cell, beaten in won.items():
        sig[cell] = tuple(level_letter(letters[i], strict) for i, strict in sorted(beaten))
    return tests, sig, vs


def _significant(z: float | None, p_adjusted: float | None, level: float) -> bool:
    return z is not None and p_adjusted is not None and significant_at(p_adjusted, z, level)


def p_values(z: Sequence[float | None]) -> list[float | None]:
    """The two-sided normal p-value of each z (stats.normal_p_two_sided)."""
    return [None if x is None else normal_p_two_sided(x) for x in z]


def t_p_values(t: Sequence[float | None], df: Sequence[float]) -> list[float | None]:
    """The two-sided p-value of each t on its degrees of freedom (stats.t_p_two_sided)."""
    ts = np.array([np.nan if v is None else v for v in t], dtype=np.float64)
    dfs = np.asarray(df, dtype=np.float64)
    p = np.full(len(ts), np.nan)
    for d in np.unique(dfs):
        at = dfs == d
        p[at] = t_p_two_sided(ts[at], float(d)) if d > 0 else np.nan
    return _flat(p)


def _adjusted(row: list[int], pairs: list[tuple[int, int, int]], p: list[float | None],
              correction: Correction) -> list[float | None]:
    """The p-values adjusted within each family of each row."""
    families: dict[tuple[int, int], list[int]] = {}
    for t, (r, (_, _, family), p_t) in enumerate(zip(row, pairs, p, strict=True)):
        if p_t is not None:
            families.setdefault((r, family), []).append(t)
    out = list(p)
    for tests in families.values():
        adjusted = adjust([p_t for t in tests if (p_t := p[t]) is not None], correction)
        for t, v in zip(tests, adjusted, strict=True):
            out[t] = v
    return out
