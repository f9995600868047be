"""Crosstabs: one grouped DuckDB pass per (question, banner, filters), then plain Python.

The query groups base respondents by banner membership (the banner's code, or the
0/1 bits of a multi-response banner) and, for single-choice questions, by answer code,
returning count, Σw and Σw² per group (and per option/net for multi-response questions).
Every column, cell, overlap and test is then a sum over those few groups, so weighted and
unweighted results, letters and overlap corrections all come from one scan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from heetui.engine.banner import (
    Banner,
    ColumnSpec,
    Field,
    Span,
    column_specs,
    key_fields,
    key_sql,
    letters_for,
    resolve_banner,
    unsigned,
)
from heetui.engine.choices import COMPARES, CORRECTIONS, Correction
from heetui.engine.filters import (
    EngineError,
    Filter,
    condition,
    describe_group,
    eligibility,
    group_where,
    ident,
    resolve_variable,
    where,
)
from heetui.engine.numeric import summary_rows
from heetui.engine.results import Cell, Column, Crosstab, PairTest, Row, RowKind
from heetui.engine.session import Survey
from heetui.engine.stats import (
    ZTest,
    adjust,
    covariance_from_moments,
    effective_base,
    mean_from_moments,
    mean_z,
    normal_p_two_sided,
    proportion_z,
    significant_at,
)
from heetui.survey.codebook import Codebook, Option, Variable

SLICE_ITEMS = 7  # items of a packed multi-response question grouped together (see grouped_sql)


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
class TabRequest:
    question: str
    banner: str | None = None  # spans "a,b,c", nested "a/b", or a named banner
    filters: tuple[Filter, ...] = ()
    weighted: bool = False
    sig_level: float = 0.05
    correction: Correction = "none"
    low_base: int | None = None
    min_test_base: int | None = None
    group: tuple[Filter, ...] = ()  # banner = this group vs the rest (a profile)
    against: str = "rest"  # with a group: "rest" or "total"
    compare: str = "pairs"  # pairs within each span, or each column against total or rest


GROUP_ID = "__group__"
GROUP_COLUMN = f"{GROUP_ID}=1"  # the key of a profile group's own column


def group_banner(cb: Codebook, group: tuple[Filter, ...], against: str) -> Banner:
    """A banner of two columns: the group (code 1) and the rest (2) or everyone (0)."""
    label = describe_group(cb, group)
    other = Option(2, "Rest") if against == "rest" else Option(0, "Everyone")
    v = Variable(id=GROUP_ID, text=f"Group: {label}", type="single", role="segment",
                 options=(Option(1, label), other), label="Group")
    return Banner(GROUP_ID, "Group", (Span(v),))


def grouped(survey: Survey, q: Variable, b: Banner | None,
            filters: tuple[Filter, ...], coded: bool = False,
            group: tuple[Filter, ...] = ()) -> Grouped:
    """The one DuckDB pass behind a crosstab (cached per question, banner and filters)."""
    return survey.cached(_grouped_key(q, b, filters, coded, group),
                         lambda: _grouped_query(survey, q, b, filters, coded, group))


def _grouped_key(q: Variable, b: Banner | None, filters: tuple[Filter, ...], coded: bool,
                 group: tuple[Filter, ...]) -> tuple[object, ...]:
    variables = tuple(v.id for v in b.variables) if b else ()
    return ("grouped", q.id, variables, filters, coded, group)


def coded_view(survey: Survey, q: Variable) -> Variable:
    """An open-ended question tabulated by the themes coded in its comments (multi-response:
    % of respondents who commented whose comments carry each theme)."""
    cb = survey.codebook
    if survey.bundle.verbatims is None or not cb.themes:
        raise EngineError(f"{q.id!r} is an open-ended question without coded themes; read its "
                          "comments with `heetui verbatims`.")
    return Variable(id=q.id, text=f"{q.text} (themes coded in the comments)", type="multi",
                    role=q.role, options=tuple(Option(t.code, t.label) for t in cb.themes),
                    group=q.group, label=q.label)


def _fields(b: Banner | None) -> dict[str, Field]:
    """The banner's bit fields in the grouping key (a group banner: 2 = in, 3 = not)."""
    if b is not None and b.id == GROUP_ID:
        v = b.spans[0].inner
        return {v.id: Field(v, 0, 2)}
    return key_fields(b.variables if b else ())


def key_sql_of(survey: Survey, b: Banner | None, group: tuple[Filter, ...]
               ) -> tuple[str, list[object]]:
    """The SQL of the grouping key and its parameters: the banner's bit fields, or for a
    profile's group 2 (in the group) and 3 (not)."""
    if group:
        gsql, gparams = group_where(survey.codebook, group)
        return f"CASE WHEN {gsql} THEN 2 ELSE 3 END", list(gparams)
    fields = _fields(b)
    return key_sql(fields, {v: survey.packed(f.var) for v, f in fields.items()}), []


def _packed_source(survey: Survey, q: Variable, coded: bool) -> str | None:
    """The packed column the grouped pass reads for a multi-response question, if any."""
    return survey.packed(q) if q.type == "multi" and not coded else None


def _slices(n_items: int) -> list[tuple[int, int]]:
    """(first item, width) of each slice of a packed question's items, as even as can be
    with at most SLICE_ITEMS items per slice."""
    k = max(1, -(-n_items // SLICE_ITEMS))
    widths = [n_items // k + (1 if i >= k - n_items % k else 0) for i in range(k)]
    return [(sum(widths[:i]), w) for i, w in enumerate(widths)]


def _slice_sql(q: Variable, m: str, first: int, width: int) -> str:
    """The slice of items [first, first + width) as an integer: options are bits of the
    packed value ``m``, a net is set when any of its options' bits is."""
    n_opt = len(q.options)
    pos = {o.code: i for i, o in enumerate(q.options)}
    parts = []
    top = min(first + width, n_opt)
    if first < top:
        parts.append(f"(({m} >> {first}) & {(1 << (top - first)) - 1})")
    for i in range(max(first, n_opt), first + width):
        mask = sum(1 << pos[c] for c in q.nets[i - n_opt].codes)
        parts.append(f"((({m} & {mask}::UBIGINT) <> 0)::UBIGINT << {i - first})")
    return " | ".join(parts)


def grouped_sql(survey: Survey, q: Variable, b: Banner | None,
                filters: tuple[Filter, ...], coded: bool = False,
                group: tuple[Filter, ...] = ()) -> tuple[str, list[object]]:
    """The SQL of the grouped pass (also timed on its own by the benchmarks)."""
    cb = survey.codebook
    w = survey.weight_sql
    bkey, bparams = key_sql_of(survey, b, group)
    packed = _packed_source(survey, q, coded)
    conds = ([] if coded else eligibility(cb, q, packed)) + [condition(cb, f) for f in filters]
    sql_where, where_params = where(conds)
    if packed is not None:
        # one grouping set per slice of items: (banner key, which of the slice's items the
        # respondent chose), so each respondent feeds a few small groups instead of one
        # sum per item
        m = f"CAST({ident(packed)} AS UBIGINT)"
        spans = _slices(len(q.options) + len(q.nets))
        cs = [f"c{k}" for k in range(len(spans))]
        slices = ", ".join(f"({_slice_sql(q, m, a, n)})::{unsigned(n)} AS {c}"
                           for c, (a, n) in zip(cs, spans, strict=True))
        part = " + ".join(f"{k} * (1 - GROUPING({c}))" for k, c in enumerate(cs))
        sql = (f"SELECT bkey, {part} AS part, COALESCE({', '.join(cs)}) AS slice, COUNT(*), "
               f"SUM(w), SUM(w * w) FROM (SELECT {bkey} AS bkey, {slices}, {w} AS w "
               f"FROM respondents WHERE {sql_where}) "
               f"GROUP BY GROUPING SETS ({', '.join(f'(bkey, {c})' for c in cs)})")
        return sql, bparams + where_params
    # a numeric question is grouped by its value: the distribution gives its moments and
    # its quantiles (engine.numeric)
    qkey = {"single": f"{ident(q.id)}::BIGINT",
            "numeric": f"CAST({ident(q.id)} AS DOUBLE)"}.get(q.type, "-1")
    aggs = ["COUNT(*)", f"SUM({w})", f"SUM({w} * {w})"]
    source = "respondents"
    params: list[object] = []
    if coded:
        # one row per respondent who commented: the union of their comments' themes
        idc = ident(cb.settings.id_column)
        source = (f"respondents JOIN (SELECT respondent_id AS __rid, "
                  f"list_distinct(flatten(list(themes))) AS __themes FROM verbatims "
                  f"WHERE question = ? AND respondent_id IS NOT NULL AND trim(text) <> '' "
                  f"GROUP BY respondent_id) AS __c ON {idc} = __c.__rid")
        params.append(q.id)
        for o in q.options:
            e = f"list_contains(__themes, {int(o.code)})::INTEGER"
            aggs += [f"SUM({e})", f"SUM({e} * {w})"]
    elif q.type == "multi":
        exprs = [ident(c) for c in q.columns()]
        exprs += ["(" + " OR ".join(f"{ident(q.column(c))} = 1" for c in n.codes) + ")::INTEGER"
                  for n in q.nets]
        for e in exprs:
            aggs += [f"SUM({e})", f"SUM({e} * {w})"]
    sql = (f"SELECT {bkey} AS bkey, {qkey} AS qkey, {', '.join(aggs)} "
           f"FROM {source} WHERE {sql_where} GROUP BY bkey, qkey")
    return sql, bparams + params + where_params


def _grouped_query(survey: Survey, q: Variable, b: Banner | None,
                   filters: tuple[Filter, ...], coded: bool,
                   group: tuple[Filter, ...]) -> Grouped:
    sql, params = grouped_sql(survey, q, b, filters, coded, group)
    if _packed_source(survey, q, coded) is not None:
        return _from_slices(survey.query_arrays(sql, params), len(q.options) + len(q.nets))
    rows = survey.query(sql, params)
    n_items = (len(q.options) + len(q.nets)) if q.type == "multi" else 0
    arr = np.array([[float(x or 0) for x in r] for r in rows], dtype=np.float64).reshape(
        len(rows), 5 + 2 * n_items)
    g = len(rows)
    moments = np.zeros((g, 2, 6))
    xvalue = None
    if q.type == "numeric":
        n, sw, sw2, xvalue = arr[:, 2], arr[:, 3], arr[:, 4], arr[:, 1]
        moments[:, 0] = np.column_stack([n, sw, sw * xvalue, sw2, sw2 * xvalue,
                                         sw2 * xvalue * xvalue])
        moments[:, 1] = np.column_stack([n, n, n * xvalue, n, n * xvalue,
                                         n * xvalue * xvalue])
    items = arr[:, 5:].reshape(g, n_items, 2) if n_items else np.zeros((g, 0, 2))
    bkey = np.array([int(r[0]) for r in rows], dtype=np.int64)  # exact: up to 62 bits
    qcode = np.full(g, -1, dtype=np.int64) if q.type == "numeric" else arr[:, 1].astype(
        np.int64)
    return Grouped(bkey=bkey, qcode=qcode, base=arr[:, 2:5], items=items, moments=moments,
                   xvalue=xvalue)


def _from_slices(cols: list[np.ndarray], n_items: int) -> Grouped:
    """Grouped sums from the packed pass: columns (banner key, slice number, the slice's
    chosen items as bits, count, Σw, Σw²). Every slice holds each respondent once, so the
    first slice gives the bases; an item's sums add the rows of its slice with its bit set."""
    bkey, part, chosen = (c.astype(np.int64) for c in cols[:3])
    sums = np.column_stack([c.astype(np.float64) for c in cols[3:6]])
    keys, gidx = np.unique(bkey, return_inverse=True)
    g = len(keys)
    first_slice = part == 0
    base = np.column_stack([np.bincount(gidx[first_slice], weights=sums[first_slice, j],
                                        minlength=g) for j in range(3)])
    items = np.zeros((g, n_items, 2))
    for k, (first, width) in enumerate(_slices(n_items)):
        sel = part == k
        idx, bits, vals = gidx[sel], chosen[sel], sums[sel]
        for j in range(width):
            on = (bits >> j) & 1 == 1
            for s in range(2):
                items[:, first + j, s] = np.bincount(idx[on], weights=vals[on, s], minlength=g)
    return Grouped(bkey=keys, qcode=np.full(g, -1, dtype=np.int64), base=base, items=items,
                   moments=np.zeros((g, 2, 6)))


# ---- rows -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _RowDef:
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


def _row_defs(q: Variable) -> list[_RowDef]:
    if q.type == "numeric":
        return [_RowDef("mean", "Mean", "mean", (), numeric=True)]
    multi = q.type == "multi"
    defs = [_RowDef(str(o.code), o.label, "category", (o.code,), i if multi else None)
            for i, o in enumerate(q.options)]
    defs += [_RowDef(f"net{j + 1}", n.label, "net", n.codes,
                     len(q.options) + j if multi else None) for j, n in enumerate(q.nets)]
    if multi:
        return defs
    if q.has_mean:
        vals = {o.code: o.value for o in q.options if o.value is not None}
        defs.append(_RowDef("mean", "Mean score", "mean", tuple(vals), values=vals))
    for s in q.scores:
        vals = {o.code: 100.0 * ((o.code in s.plus) - (o.code in s.minus)) for o in q.options}
        defs.append(_RowDef(s.id, s.label, "score", s.plus + s.minus, values=vals))
    return defs


# ---- the crosstab -----------------------------------------------------------------------

def resolve(survey: Survey, req: TabRequest) -> tuple[Variable, Banner | None, bool]:
    """The request's question (a coded view of an open one), its banner, and whether it is
    coded; every mistake in the request raises EngineError here, before any query."""
    cb = survey.codebook
    q = resolve_variable(cb, req.question, "question", allow_open=True)
    coded = q.type == "open"
    if coded:
        q = coded_view(survey, q)
    if req.group:
        if req.against not in ("rest", "total"):
            raise EngineError(f"Compare the group against rest or total, not {req.against!r}.")
        b: Banner | None = group_banner(cb, req.group, req.against)
    else:
        b = resolve_banner(cb, req.banner) if req.banner else None
        if b is not None:
            _fields(b)  # a banner too wide for one grouping key is refused here
    if req.compare not in COMPARES:
        raise EngineError(f"Compare columns by {', '.join(COMPARES)}, not {req.compare!r}.")
    if req.weighted and not survey.has_weight:
        raise EngineError("This survey has no weight variable; run the table unweighted.")
    if not 0 < req.sig_level < 1:
        raise EngineError(f"The significance level must be between 0 and 1, not {req.sig_level}.")
    if req.correction not in CORRECTIONS:
        raise EngineError(f"Unknown correction {req.correction!r}; choose none, bonferroni or bh.")
    return q, b, coded


def tab_ready(survey: Survey, req: TabRequest) -> bool:
    """Whether ``crosstab(survey, req)`` can answer without a query: its grouped sums are
    cached (the rest is a few milliseconds of arithmetic), or the request is a mistake that
    raises at once."""
    try:
        q, b, coded = resolve(survey, req)
    except EngineError:
        return True
    return survey.is_cached(_grouped_key(q, b, req.filters, coded, req.group))


def crosstab(survey: Survey, req: TabRequest) -> Crosstab:
    q, b, coded = resolve(survey, req)
    return tabulate(survey, req, q, b, coded,
                    grouped(survey, q, b, req.filters, coded, req.group))


def tabulate(survey: Survey, req: TabRequest, q: Variable, b: Banner | None, coded: bool,
             g: Grouped) -> Crosstab:
    """The crosstab of a resolved request from its grouped sums (however they were
    queried: alone, or with other questions in one scan, see engine.survey_wide)."""
    cb = survey.codebook
    low = cb.settings.low_base if req.low_base is None else req.low_base
    min_test = cb.settings.min_test_base if req.min_test_base is None else req.min_test_base
    calc = _Calc(g, req.weighted)
    specs = column_specs(b, _fields(b), g.bkey)
    if req.group and req.against == "total":  # "Everyone" overlaps the group
        specs[-1] = replace(specs[-1], member=specs[0].member)
    member = np.array([s.member for s in specs]).reshape(len(specs), len(g.bkey))
    bases = member @ g.base  # (C, 3)
    letters = [None, *letters_for(len(specs) - 1)]
    spans = b.spans if b else ()
    columns: list[Column] = []
    for i, s in enumerate(specs):
        n, sw, _ = bases[i]
        eff = calc.effective(bases[i])
        why = None if i == 0 else _not_tested(req.weighted, float(sw), eff, min_test)
        columns.append(Column(
            key=s.key, label=s.label, letter=letters[i], code=s.code,
            base=int(n), weighted_base=float(sw), effective_base=eff,
            low_base=bool(n < low), tested=i > 0 and why is None, not_tested=why,
            span=None if s.span is None else spans[s.span].id, filters=s.filters,
            heading=s.heading, group=s.group))
    compare = "pairs" if req.group else req.compare
    plan = _plan(specs, columns, member, calc, compare, min_test)
    rows: list[Row] = []
    tests: list[PairTest] = []
    for rd in _row_defs(q):
        cells, row_tests = calc.row(rd, columns, plan, req)
        rows.append(Row(rd.key, rd.label, rd.kind, rd.codes, tuple(cells)))
        tests += row_tests
    if g.xvalue is not None:  # a numeric question: its full summary under the mean
        rows += summary_rows(g.xvalue, g.base, member, req.weighted)
    return Crosstab(
        question=q, banner=b, weighted=req.weighted, filters=req.filters,
        filter_text=tuple(f.describe(cb) for f in req.filters),
        base_text="Base: respondents who left a comment" if coded else base_text(cb, q),
        columns=tuple(columns), rows=tuple(rows), sig_level=req.sig_level,
        correction=req.correction, low_base=low, min_test_base=min_test,
        overlapping=any(s.overlapping for s in spans) or compare == "total"
        or req.against == "total" and bool(req.group),
        tests=tuple(tests), group=req.group, compare=compare)


@dataclass(frozen=True)
class _Plan:
    """The tests of a table: memberships of the columns and of any comparison columns
    (a column's rest), and the pairs (i, j, family) tested; a family is the set of tests a
    multiplicity correction spans (one span, within one row)."""

    member: np.ndarray  # (K, G): the C table columns, then the comparison columns
    pairs: tuple[tuple[int, int, int], ...]
    untestable: dict[int, str]  # comparison columns too small to test, with the reason
    compare: str
    base_sw: np.ndarray  # (K,) Σw (or n) of each column's base: the same for every row
    base_sw2: np.ndarray  # (K,) Σw² (or n)
    shared_sw2: dict[tuple[int, int, int], float]  # Σw² of the respondents in both

    def shared(self, pair: tuple[int, int, int]) -> npt.NDArray[np.bool_]:
        """Groups whose respondents are in both columns of a pair."""
        # numpy's stubs type a row of an array as Any; memberships are boolean
        both: npt.NDArray[np.bool_] = self.member[pair[0]] & self.member[pair[1]]
        return both


def _with_sums(member: np.ndarray, pairs: tuple[tuple[int, int, int], ...],
               untestable: dict[int, str], compare: str, calc: _Calc) -> _Plan:
    shared = {p: float((member[p[0]] & member[p[1]]) @ calc.sw2) for p in pairs}
    return _Plan(member, pairs, untestable, compare, member @ calc.sw, member @ calc.sw2,
                 shared)


def _plan(specs: list[ColumnSpec], columns: list[Column], member: np.ndarray, calc: _Calc,
          compare: str, min_test: int) -> _Plan:
    tested = [i for i, c in enumerate(columns) if c.tested]
    if compare == "pairs":
        pairs = tuple((x, y, specs[x].span or 0) for x in tested for y in tested
                      if x < y and specs[x].test_group == specs[y].test_group)
        return _with_sums(member, pairs, {}, compare, calc)
    if compare == "total":
        return _with_sums(member, tuple((x, 0, specs[x].span or 0) for x in tested), {},
                          compare, calc)
    rest = ~member[tested]  # every respondent of the table who is not in the column
    untestable: dict[int, str] = {}
    for k, r in enumerate(rest):
        base = calc.base_of(r)
        why = _not_tested(calc.weighted, base[1], calc.effective(base), min_test)
        if why:
            untestable[len(columns) + k] = f"the rest of the column: {why}"
    return _with_sums(np.vstack([member, rest]),
                      tuple((x, len(columns) + k, specs[x].span or 0)
                            for k, x in enumerate(tested)), untestable, compare, calc)


def _not_tested(weighted: bool, sw: float, eff: float, min_test: int) -> str | None:
    """Why a banner column is left out of the tests, or None. Weighted tests count the
    effective base, so respondents with weight 0 do not make a column testable."""
    if weighted and sw <= 0:
        return "no weight in the column (sum of weights 0)"
    if eff < min_test:
        return f"{'effective base' if weighted else 'base'} below {min_test}"
    return None


class _Calc:
    """Sums over groups for one crosstab, under the weighted or unweighted estimate."""

    def __init__(self, g: Grouped, weighted: bool) -> None:
        self.g = g
        self.weighted = weighted
        n = g.base[:, 0]
        # the estimate's (Σw, Σw²): real weights, or 1 per respondent
        self.sw = g.base[:, 1] if weighted else n
        self.sw2 = g.base[:, 2] if weighted else n

    def effective(self, base_row: np.ndarray) -> float:
        n, sw, sw2 = base_row
        return effective_base(sw, sw2) if self.weighted else float(n)

    def _hits(self, rd: _RowDef, member: np.ndarray) -> npt.NDArray[np.float64]:
        """(C, 2): count and Σw of respondents in each column who are in the row."""
        g = self.g
        # numpy's stubs type these products as Any; the sums are float64
        hits: npt.NDArray[np.float64]
        if rd.item is not None:
            hits = member @ g.items[:, rd.item, :]
        else:
            in_row = (g.qcode == rd.codes[0] if len(rd.codes) == 1
                      else np.isin(g.qcode, rd.codes))
            hits = (member & in_row) @ g.base[:, :2]
        return hits

    def base_of(self, member: np.ndarray) -> np.ndarray:
        """count, Σw, Σw² of the respondents in a set of groups."""
        return np.asarray(member @ self.g.base, dtype=np.float64)

    def row(self, rd: _RowDef, columns: list[Column], plan: _Plan, req: TabRequest
            ) -> tuple[list[Cell], list[PairTest]]:
        g = self.g
        member = plan.member
        base_est = plan.base_sw
        stats: dict[tuple[int, int, int], ZTest] = {}
        testable = [p for p in plan.pairs if p[1] not in plan.untestable]
        stats.update({p: ZTest(None, plan.untestable[p[1]]) for p in plan.pairs
                      if p[1] in plan.untestable})
        if not rd.is_mean:
            hits = self._hits(rd, member)
            est = hits[:, 1] if self.weighted else hits[:, 0]
            with np.errstate(divide="ignore", invalid="ignore"):
                prop = np.where(base_est > 0, est / np.where(base_est > 0, base_est, 1), np.nan)
            sw2 = plan.base_sw2
            for p in testable:
                x, y, _ = p
                stats[p] = proportion_z(prop[x], base_est[x], sw2[x], prop[y], base_est[y],
                                        sw2[y], plan.shared_sw2[p])
        else:
            mom = self._moments(rd)
            col_m = member @ mom
            means = [mean_from_moments(col_m[i]) for i in range(len(member))]
            for p in testable:
                mx, my = means[p[0]], means[p[1]]
                cov = (covariance_from_moments(plan.shared(p) @ mom, mx, my)
                       if mx is not None and my is not None else 0.0)
                stats[p] = mean_z(mx, my, cov)
            in_mean = self._in_mean(rd)
            counts = (member & in_mean) @ g.base[:, :2]
        shown = [None if np.isnan(x) else 100.0 * float(x) for x in prop] if not rd.is_mean \
            else [m.mean if m else None for m in means]
        marks, tests = _marks(rd.key, columns, stats, req, plan.compare, shown)
        cells = []
        for i in range(len(columns)):
            sig, vs = marks[i]
            if not rd.is_mean:
                pct = None if np.isnan(prop[i]) else 100.0 * float(prop[i])
                cells.append(Cell(int(hits[i, 0]), float(hits[i, 1]), pct, sig=sig, vs=vs))
            else:
                m = means[i]
                cells.append(Cell(int(counts[i, 0]), float(counts[i, 1]), None,
                                  m.mean if m else None, m.se if m else None, sig, vs))
        return cells, tests

    def _in_mean(self, rd: _RowDef) -> np.ndarray:
        """Groups of respondents counted in a mean (categorical: answers with a value)."""
        if rd.numeric or rd.values is None:
            return np.ones(len(self.g.qcode), dtype=bool)
        return np.isin(self.g.qcode, list(rd.values))

    def _moments(self, rd: _RowDef) -> np.ndarray:
        """(G, 6) moment sums per group under the current estimate (see stats.N … W2X2)."""
        g = self.g
        if rd.numeric:
            return g.moments[:, 0 if self.weighted else 1]
        assert rd.values is not None
        x = np.array([rd.values.get(int(c), 0.0) for c in g.qcode])
        keep = self._in_mean(rd).astype(float)
        n, sw, sw2 = g.base[:, 0] * keep, self.sw * keep, self.sw2 * keep
        return np.column_stack([n, sw, sw * x, sw2, sw2 * x, sw2 * x * x])


Marks = tuple[tuple[str, ...], str | None]  # letters beaten; higher/lower than total/rest


def _marks(row_key: str, columns: list[Column], stats: dict[tuple[int, int, int], ZTest],
           req: TabRequest, compare: str, values: list[float | None]
           ) -> tuple[list[Marks], list[PairTest]]:
    """Each column's marks and every test; the correction adjusts the p-values of one
    family (a span, within this row) together; untested pairs keep their reason and stay
    out of it."""
    pvals = {p: normal_p_two_sided(t.z) for p, t in stats.items() if t.z is not None}
    adj: dict[tuple[int, int, int], float] = {}
    for fam in {p[2] for p in pvals}:
        keys = [p for p in pvals if p[2] == fam]
        adj.update(zip(keys, adjust([pvals[k] for k in keys], req.correction), strict=True))
    won: list[list[int]] = [[] for _ in columns]
    vs: list[str | None] = [None] * len(columns)
    tests = []
    for p, t in stats.items():
        x, y, _ = p
        a = columns[x].letter or ""
        b = "Total" if y == 0 else columns[y].letter or "" if y < len(columns) else "Rest"
        if t.z is None:
            tests.append(PairTest(row_key, a, b, None, None, None, False, t.reason,
                                  values[x], values[y]))
            continue
        significant = significant_at(adj[p], t.z, req.sig_level)
        if significant and compare == "pairs":
            winner, loser = (x, y) if t.z > 0 else (y, x)
            won[winner].append(loser)
        elif significant:
            vs[x] = "higher" if t.z > 0 else "lower"
        tests.append(PairTest(row_key, a, b, t.z, pvals[p], adj[p], significant, None,
                              values[x], values[y]))
    return [(tuple(columns[i].letter or "" for i in sorted(w)), v)
            for w, v in zip(won, vs, strict=True)], tests


def base_text(cb: Codebook, q: Variable) -> str:
    if q.eligible is None:
        return "Base: all respondents answering"
    e = cb.get(q.eligible.variable)
    labels = " or ".join(e.option(c).label for c in q.eligible.codes)
    return f"Base: respondents {e.short.lower()} = {labels}"
