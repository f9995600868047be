"""Crosstabs: one grouped DuckDB pass per (question, banner, filters), then plain Python.

The query groups base respondents by banner membership (the banner's code, or the
0/1 bits of a multi-response banner) and, for single-choice questions, by answer code,
returning count, Σw and Σw² per group (and per option/net for multi-response questions).
Every column, cell, overlap and test is then a sum over those few groups, so weighted and
unweighted results, letters and overlap corrections all come from one scan.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from heetui.engine.filters import (
    EngineError,
    Filter,
    condition,
    eligibility,
    ident,
    resolve_variable,
    where,
)
from heetui.engine.results import Cell, Column, Crosstab, PairTest, Row, RowKind
from heetui.engine.session import Survey
from heetui.engine.stats import (
    CORRECTIONS,
    Agg,
    Correction,
    MeanStat,
    adjust,
    mean_covariance,
    mean_z,
    normal_p_two_sided,
    proportion_z,
    weighted_mean,
)
from heetui.survey.codebook import Codebook, Variable

LETTERS = string.ascii_uppercase + string.ascii_lowercase


@dataclass(frozen=True)
class Group:
    bkey: tuple[int | None, ...]
    qcode: int | None
    base: Agg
    items: tuple[Agg, ...]  # multi-response: options then nets


@dataclass(frozen=True)
class TabRequest:
    question: str
    banner: str | None = None
    filters: tuple[Filter, ...] = ()
    weighted: bool = False
    sig_level: float = 0.05
    correction: Correction = "none"
    low_base: int | None = None
    min_test_base: int | None = None


def grouped(survey: Survey, q: Variable, b: Variable | None,
            filters: tuple[Filter, ...]) -> list[Group]:
    """The one DuckDB pass behind a crosstab (cached per question, banner and filters)."""
    key = ("grouped", q.id, b.id if b else None, filters)
    return survey.cached(key, lambda: _grouped_query(survey, q, b, filters))


def _grouped_query(survey: Survey, q: Variable, b: Variable | None,
                   filters: tuple[Filter, ...]) -> list[Group]:
    cb = survey.codebook
    w = survey.weight_sql
    keys: list[str] = []
    if b is not None:
        keys += [f"COALESCE({ident(c)}, 0)" for c in b.columns()] if b.type == "multi" \
            else [ident(b.id)]
    if q.type == "single":
        keys.append(ident(q.id))
    aggs = ["COUNT(*)", f"SUM({w})", f"SUM({w} * {w})"]
    if q.type == "multi":
        exprs = [ident(c) for c in q.columns()]
        exprs += [f"GREATEST({', '.join(ident(q.column(c)) for c in n.codes)})" for n in q.nets]
        for e in exprs:
            aggs += [f"SUM({e})", f"SUM({e} * {w})", f"SUM({e} * {w} * {w})"]
    conds = eligibility(cb, q) + [condition(cb, f) for f in filters]
    sql_where, params = where(conds)
    sql = f"SELECT {', '.join(keys + aggs)} FROM respondents WHERE {sql_where}"
    if keys:
        sql += " GROUP BY ALL"
    rows = survey.query(sql, params)
    nb = len(keys) - (1 if q.type == "single" else 0)
    out = []
    for r in rows:
        k = len(keys)
        if r[k] == 0:
            continue
        base = Agg(int(r[k]), float(r[k + 1] or 0.0), float(r[k + 2] or 0.0))
        items = tuple(Agg(int(r[i] or 0), float(r[i + 1] or 0.0), float(r[i + 2] or 0.0))
                      for i in range(k + 3, len(r), 3))
        qcode = r[nb] if q.type == "single" else None
        out.append(Group(tuple(r[:nb]), qcode, base, items))
    return out


# ---- columns ---------------------------------------------------------------------------

Member = Callable[[Group], bool]


def _banner_columns(b: Variable | None) -> list[tuple[str, int | None, Member]]:
    cols: list[tuple[str, int | None, Member]] = [("Total", None, lambda g: True)]
    if b is None:
        return cols
    for i, o in enumerate(b.options):
        if b.type == "multi":
            cols.append((o.label, o.code, lambda g, i=i: g.bkey[i] == 1))
        else:
            cols.append((o.label, o.code, lambda g, c=o.code: g.bkey[0] == c))
    return cols


def _sum(groups: Sequence[Group], pick: Callable[[Group], Agg | None]) -> Agg:
    total = Agg()
    for g in groups:
        a = pick(g)
        if a is not None:
            total = total + a
    return total


# ---- rows ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _RowDef:
    key: str
    label: str
    kind: RowKind
    codes: tuple[int, ...]
    pick: Callable[[Group], Agg | None]
    values: dict[int, float] | None = None  # mean/score: value per answer code


def _row_defs(q: Variable) -> list[_RowDef]:
    defs: list[_RowDef] = []
    if q.type == "multi":
        for i, o in enumerate(q.options):
            defs.append(_RowDef(str(o.code), o.label, "category", (o.code,),
                                lambda g, i=i: g.items[i]))
        for j, n in enumerate(q.nets):
            idx = len(q.options) + j
            defs.append(_RowDef(f"net{j + 1}", n.label, "net", n.codes,
                                lambda g, i=idx: g.items[i]))
        return defs
    for o in q.options:
        defs.append(_RowDef(str(o.code), o.label, "category", (o.code,),
                            lambda g, c=o.code: g.base if g.qcode == c else None))
    for j, n in enumerate(q.nets):
        codes = frozenset(n.codes)
        defs.append(_RowDef(f"net{j + 1}", n.label, "net", n.codes,
                            lambda g, cs=codes: g.base if g.qcode in cs else None))
    if q.has_mean:
        vals = {o.code: o.value for o in q.options if o.value is not None}
        defs.append(_RowDef("mean", "Mean score", "mean", tuple(vals),
                            lambda g, vs=vals: g.base if g.qcode in vs else None, vals))
    for s in q.scores:
        vals = {o.code: 100.0 * ((o.code in s.plus) - (o.code in s.minus)) for o in q.options}
        defs.append(_RowDef(s.id, s.label, "score", s.plus + s.minus,
                            lambda g: g.base, vals))
    return defs


def _mean_points(groups: Sequence[Group], rd: _RowDef, weighted: bool
                 ) -> list[tuple[float, Agg]]:
    assert rd.values is not None
    pts = []
    for g in groups:
        if g.qcode in rd.values:
            a = g.base if weighted else g.base.unweighted()
            pts.append((rd.values[g.qcode], a))
    return pts


# ---- the crosstab -----------------------------------------------------------------------

def crosstab(survey: Survey, req: TabRequest) -> Crosstab:
    cb = survey.codebook
    q = resolve_variable(cb, req.question, "question")
    b = resolve_variable(cb, req.banner, "banner") if req.banner else None
    if req.weighted and not survey.has_weight:
        raise EngineError("This survey has no weight variable; run the table unweighted.")
    if not 0 < req.sig_level < 1:
        raise EngineError(f"The significance level must be between 0 and 1, not {req.sig_level}.")
    if req.correction not in CORRECTIONS:
        raise EngineError(f"Unknown correction {req.correction!r}; choose none, bonferroni or bh.")
    low = cb.settings.low_base if req.low_base is None else req.low_base
    min_test = cb.settings.min_test_base if req.min_test_base is None else req.min_test_base
    groups = grouped(survey, q, b, req.filters)

    def est(a: Agg) -> Agg:
        return a if req.weighted else a.unweighted()

    specs = _banner_columns(b)
    members = [[g for g in groups if m(g)] for _, _, m in specs]
    columns: list[Column] = []
    for i, ((label, code, _), gs) in enumerate(zip(specs, members, strict=True)):
        base = _sum(gs, lambda g: g.base)
        columns.append(Column(
            key="total" if i == 0 else f"c{code}", label=label,
            letter=None if i == 0 else LETTERS[(i - 1) % len(LETTERS)], code=code,
            base=base.n, weighted_base=base.sw, effective_base=est(base).effective,
            low_base=base.n < low, tested=i > 0 and base.n >= min_test))
    overlap = {}
    tested = [i for i, c in enumerate(columns) if c.tested]
    for x in tested:
        for y in tested:
            if x < y:
                shared = [g for g in members[x] if specs[y][2](g)]
                overlap[(x, y)] = shared
    rows: list[Row] = []
    tests: list[PairTest] = []
    for rd in _row_defs(q):
        cells, row_tests = _row(rd, columns, members, overlap, est, req)
        rows.append(Row(rd.key, rd.label, rd.kind, rd.codes, tuple(cells)))
        tests += row_tests
    return Crosstab(
        question=q, banner=b, weighted=req.weighted, filters=req.filters,
        filter_text=tuple(f.describe(cb) for f in req.filters), base_text=base_text(cb, q),
        columns=tuple(columns), rows=tuple(rows), sig_level=req.sig_level,
        correction=req.correction, low_base=low, min_test_base=min_test,
        overlapping=b is not None and b.type == "multi", tests=tuple(tests))


def _row(rd: _RowDef, columns: list[Column], members: list[list[Group]],
         overlap: dict[tuple[int, int], list[Group]], est: Callable[[Agg], Agg],
         req: TabRequest) -> tuple[list[Cell], list[PairTest]]:
    weighted = req.weighted
    raw = [_sum(gs, rd.pick) for gs in members]
    bases = [_sum(gs, lambda g: g.base) for gs in members]
    means: list[MeanStat | None] = []
    if rd.values is not None:
        means = [weighted_mean(_mean_points(gs, rd, weighted)) for gs in members]
    stats: dict[tuple[int, int], float] = {}
    for (x, y), shared in overlap.items():
        z: float | None
        if rd.values is None:
            bx, by = est(bases[x]), est(bases[y])
            if bx.sw <= 0 or by.sw <= 0:
                continue
            px, py = est(raw[x]).sw / bx.sw, est(raw[y]).sw / by.sw
            e12 = est(_sum(shared, lambda g: g.base)).effective
            z = proportion_z(px, bx.effective, py, by.effective, e12)
        else:
            mx, my = means[x], means[y]
            if mx is None or my is None:
                continue
            cov = mean_covariance(_mean_points(shared, rd, weighted), mx, my) if shared else 0.0
            z = mean_z(mx, my, cov)
        if z is not None:
            stats[(x, y)] = z
    pairs = list(stats)
    pvals = [normal_p_two_sided(stats[p]) for p in pairs]
    adj = adjust(pvals, req.correction)
    sig: dict[int, list[str]] = {i: [] for i in range(len(columns))}
    tests = []
    for (x, y), p, pa in zip(pairs, pvals, adj, strict=True):
        z = stats[(x, y)]
        significant = pa < req.sig_level and z != 0
        if significant:
            winner, loser = (x, y) if z > 0 else (y, x)
            sig[winner].append(columns[loser].letter or "")
        tests.append(PairTest(rd.key, columns[x].letter or "", columns[y].letter or "", z, p, pa,
                              significant))
    cells = []
    for i in range(len(columns)):
        a, base = raw[i], bases[i]
        letters = tuple(sorted(sig[i], key=LETTERS.index))
        if rd.values is None:
            eb = est(base)
            pct = 100.0 * est(a).sw / eb.sw if eb.sw > 0 else None
            cells.append(Cell(a.n, a.sw, pct, None, None, letters))
        else:
            m = means[i]
            cnt = _sum(members[i], rd.pick)
            cells.append(Cell(cnt.n, cnt.sw, None, m.mean if m else None,
                              m.se if m else None, letters))
    return cells, tests


def base_text(cb: Codebook, q: Variable) -> str:
    if q.eligible is None:
        return "Base: all respondents answering"
    e = cb.get(q.eligible.variable)
    labels = " or ".join(e.option(c).label for c in q.eligible.codes)
    return f"Base: respondents {e.short.lower()} = {labels}"
