"""Crosstabs: one grouped DuckDB pass per (question, banner, filters), then numpy.

The query groups base respondents by banner membership (the banner's code, or the
0/1 bits of a multi-response banner) and, for single-choice questions, by answer code,
returning count, Σw and Σw² per group (and per option/net for multi-response questions).
Every column, cell, overlap and test is then a sum over those few groups
(engine.tabulation), so weighted and unweighted results, letters and overlap corrections
all come from one scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from heetui.choices import COMPARES, CORRECTION_FAMILIES, CORRECTIONS, Correction
from heetui.engine.banner import (
    Banner,
    Field,
    Span,
    check_size,
    column_specs,
    key_fields,
    key_sql,
    resolve_banner,
    unsigned,
)
from heetui.engine.design import (
    PSU_KEY,
    DesignInfo,
    PsuSums,
    RespondentCodes,
    design_info,
    key_first,
    psu_sql,
    respondent_codes,
    respondent_sums,
)
from heetui.engine.disclosure import withhold_themes
from heetui.engine.eligibility import eligibility
from heetui.engine.filters import Filter, describe_group
from heetui.engine.lookup import resolve_variable
from heetui.engine.results import Crosstab
from heetui.engine.search import NOT_BLANK_SQL
from heetui.engine.session import PERFECT_HASH_RESPONDENTS, Survey
from heetui.engine.shaping import Tabled, filter_conditions
from heetui.engine.sql import Clause, Param, ident, joined, where
from heetui.engine.stats import check_levels
from heetui.engine.tabulation import (
    Grouped,
    Settings,
    Testing,
    merge_psus,
    row_defs,
    stack,
    tables,
)
from heetui.engine.waves import stacked, wave_passes
from heetui.errors import EngineError
from heetui.survey.codebook import Codebook, Option, Variable

SLICE_ITEMS = 7  # items of a packed multi-response question grouped together (see grouped_sql)


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
    loose_level: float | None = None  # a second, looser level, its letters lower-case
    correction_family: str = "subtable"  # see choices.CORRECTION_FAMILIES
    design: bool = True  # design-based variances, when the codebook declares a design

    @property
    def testing(self) -> Testing:
        return Testing(self.sig_level, self.correction, self.compare, self.loose_level,
                       self.correction_family)


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
            group: tuple[Filter, ...] = (), design: bool = False,
            weighted: bool = True) -> Grouped:
    """The one DuckDB pass behind a crosstab (cached per question, banner and filters);
    ``design``: with its sums per banner key and PSU too (engine.design), of the weights
    or, not ``weighted``, of ones."""
    return survey.cached(_grouped_key(q, b, filters, coded, group, design, weighted),
                         lambda: _grouped_query(survey, q, b, filters, coded, group,
                                                design, weighted))


def _grouped_key(q: Variable, b: Banner | None, filters: tuple[Filter, ...], coded: bool,
                 group: tuple[Filter, ...], design: bool = False,
                 weighted: bool = True) -> tuple[object, ...]:
    variables = tuple(v.id for v in b.variables) if b else ()
    return ("grouped", q.id, variables, filters, coded, group) + (
        ("design", weighted) if design else ())


def uses_design(survey: Survey, req: TabRequest) -> bool:
    """Whether a request's tables take design-based variances: the codebook declares a
    design and the request does not decline it."""
    return req.design and survey.codebook.settings.design is not None


def coded_view(survey: Survey, q: Variable) -> Variable:
    """An open-ended question tabulated by the themes coded in its comments (multi-response:
    % of respondents who commented whose comments carry each theme)."""
    if survey.bundle.verbatims is None or not survey.codebook.coded(q):
        raise EngineError(f"{q.id!r} is an open-ended question without coded themes; read its "
                          "comments with `heetui verbatims`, or code them (`heetui code`).")
    return survey.codebook.themes_view(q)


def _fields(b: Banner | None) -> dict[str, Field]:
    """The banner's bit fields in the grouping key (a group banner: 2 = in, 3 = not)."""
    if b is not None and b.id == GROUP_ID:
        v = b.spans[0].inner
        return {v.id: Field(v, 0, 2)}
    return key_fields(b.variables if b else ())


def key_sql_of(survey: Survey, b: Banner | None, group: tuple[Filter, ...]
               ) -> Clause[float]:
    """The grouping key: the banner's bit fields, or for a profile's group 2 (in the group)
    and 3 (not)."""
    if group:
        return joined("CASE WHEN ", where(filter_conditions(survey.codebook, survey.tabled,
                                                            group)), " THEN 2 ELSE 3 END")
    fields = _fields(b)
    return Clause(key_sql(fields, {v: survey.packed(f.var) for v, f in fields.items()}), [])


def _packed_source(survey: Survey, q: Variable, coded: bool) -> str | None:
    """The packed column the grouped pass reads for a multi-response question, if any."""
    return survey.packed(q) if q.type == "multi" and not coded else None


def item_slices(n_items: int) -> list[tuple[int, int]]:
    """(first item, width) of each slice of a packed question's items, as even as can be
    with at most SLICE_ITEMS items per slice."""
    k = max(1, -(-n_items // SLICE_ITEMS))
    widths = [n_items // k + (1 if i >= k - n_items % k else 0) for i in range(k)]
    return [(sum(widths[:i]), w) for i, w in enumerate(widths)]


def net_mask(q: Variable, net: int) -> int:
    """The bits of a packed question's value a net is set by (any of its options')."""
    pos = {o.code: i for i, o in enumerate(q.options)}
    return sum(1 << pos[c] for c in q.nets[net].codes)


def slice_sql(q: Variable, m: str, first: int, width: int) -> str:
    """The slice of items [first, first + width) as an integer: options are bits of the
    packed value ``m``, a net is set when any of its options' bits is."""
    n_opt = len(q.options)
    parts = []
    top = min(first + width, n_opt)
    if first < top:
        parts.append(f"(({m} >> {first}) & {(1 << (top - first)) - 1})")
    for i in range(max(first, n_opt), first + width):
        mask = net_mask(q, i - n_opt)
        parts.append(f"((({m} & {mask}::UBIGINT) <> 0)::UBIGINT << {i - first})")
    return " | ".join(parts)


def grouped_sql(survey: Survey, q: Variable, b: Banner | None,
                filters: tuple[Filter, ...], coded: bool = False,
                group: tuple[Filter, ...] = (), psu: str | None = None) -> Clause[Param]:
    """The SQL of the grouped pass (also timed on its own by the benchmarks); ``psu``: the
    SQL of each respondent's PSU key, grouped by too and returned last."""
    cb = survey.codebook
    bkey = key_sql_of(survey, b, group)
    packed = _packed_source(survey, q, coded)
    conditions = ([] if coded else eligibility(cb, q, packed)) + filter_conditions(
        cb, survey.tabled, filters)
    base = where(conditions)
    used = _tabled_used(survey, q, b) if psu is None and not group else {}
    levels = None if not used else _levels(survey, b, used, conditions)
    if packed is not None and psu is None:
        # with a tabled banner, the slices' grouping sets grouped by its sources as well
        # are summed into arrays only where DuckDB's perfect hash takes 18 bits (session)
        two = levels if survey.respondents >= PERFECT_HASH_RESPONDENTS else None
        return _packed_sql(survey, q, packed, bkey, base, two)
    # a numeric question is grouped by its value: the distribution gives its moments and
    # its quantiles (engine.numeric)
    qkey = {"single": f"{ident(q.id)}::BIGINT",
            "numeric": f"CAST({ident(q.id)} AS DOUBLE)"}.get(q.type, "-1")
    w = survey.weight_sql
    sums = ["COUNT(*)", f"SUM({w})", f"SUM({w} * {w})"]
    source: Clause[Param] = Clause("respondents", [])
    if coded:
        source = _commenters(survey, q)
        sums += _item_sums([f"list_contains(__themes, {int(o.code)})::INTEGER"
                            for o in q.options] + [
            f"list_has_any(__themes, [{', '.join(str(int(c)) for c in n.codes)}])::INTEGER"
            for n in q.nets], w)
    elif packed is not None:  # by PSU: one group per (banner key, PSU), each item a sum
        m = f"CAST({ident(packed)} AS UBIGINT)"
        sums += _item_sums([f"({slice_sql(q, m, i, 1)})::DOUBLE"
                            for i in range(len(q.options) + len(q.nets))], w)
    elif q.type == "multi":
        sums += _item_sums([ident(c) for c in q.columns()] + [
            "(" + " OR ".join(f"{ident(q.column(c))} = 1" for c in n.codes) + ")::INTEGER"
            for n in q.nets], w)
    if levels is not None:
        return _two_level(survey, levels, qkey, sums, source)
    by_psu = ("", "") if psu is None else (f", {psu} AS {PSU_KEY}", f", {PSU_KEY}")
    return joined("SELECT ", bkey, f" AS bkey, {qkey} AS qkey, {', '.join(sums)}{by_psu[0]} "
                  "FROM ", source, " WHERE ", base, f" GROUP BY bkey, qkey{by_psu[1]}")


def _tabled_used(survey: Survey, q: Variable, b: Banner | None) -> dict[str, Tabled]:
    """The derived variables a pass groups by their sources (engine.shaping.Tabled): in
    the banner or as the question. (A filter on one is written as its answers' conditions,
    shaping.filter_sql: it leaves out respondents as the columns are read.)"""
    names = {v.id for v in b.variables} if b else set()
    return {n: t for n, t in survey.tabled.items() if n in names | {q.id} and t.sources}


@dataclass(frozen=True)
class _Levels:
    """A pass that reads tabled derived variables, in two levels: respondents grouped by
    the stored columns those variables read (``sources``, with the stored part of the
    banner key, ``__b``), then the derived variables computed once per group (``defs``)
    and each group's banner key (``bkey``); the groups of one key are added up after the
    query (_merged, from_slices): every sum adds up. DuckDB groups by a few stored columns
    about as fast as by one, where the derived variable's CASE would be evaluated for every
    respondent. A condition that reads a derived variable is tested on the groups
    (``outer``), the others on the respondents (``inner``)."""

    names: tuple[str, ...]  # the derived columns, quoted
    stored_key: str
    sources: tuple[str, ...]
    defs: str
    bkey: str
    inner: Clause[float]
    outer: Clause[float]

    def derived(self, sql: str) -> bool:
        return _reads(self.names, sql)

    def keys(self) -> list[str]:
        """The first level's keys of the banner: its stored part and the sources."""
        return ([] if self.stored_key == "0" else [f"{self.stored_key} AS __b"]) + list(
            self.sources)

    def by(self) -> list[str]:
        return ([] if self.stored_key == "0" else ["__b"]) + list(self.sources)


def _levels(survey: Survey, b: Banner | None, used: dict[str, Tabled],
            clauses: list[Clause[float]]) -> _Levels:
    """The two levels of a pass by banner ``b`` reading the tabled derived variables
    ``used``, with the conditions ``clauses`` (its base)."""
    made = [(ident(name), sql) for t in used.values() for name, sql in t.columns]
    names = tuple(name for name, _ in made)
    fields = _fields(b)
    packed = {v: survey.packed(f.var) for v, f in fields.items()}
    stored_key = key_sql(fields, packed, [v for v in fields if v not in used])
    derived_key = key_sql(fields, packed, [v for v in fields if v in used])
    return _Levels(
        names, stored_key, tuple(dict.fromkeys(s for t in used.values() for s in t.sources)),
        ", ".join(f"{sql} AS {name}" for name, sql in made),
        derived_key if stored_key == "0" else f"(__b | {derived_key})",
        where([c for c in clauses if not _reads(names, c.sql)]),
        where([c for c in clauses if _reads(names, c.sql)]))


def _reads(names: tuple[str, ...], sql: str) -> bool:
    """Whether ``sql`` reads any of the (quoted) columns ``names``."""
    return any(name in sql for name in names)


def _two_level(survey: Survey, lv: _Levels, qkey: str, sums: list[str],
               source: Clause[Param]) -> Clause[Param]:
    """The grouped pass in two levels (_Levels), the answer grouped by in the first level
    unless it is a derived variable's. The second level is a projection: each group of
    the first with its banner key and answer; groups that share them are added up after
    the query (_merged), which costs less than a second GROUP BY in DuckDB."""
    inner_q = not lv.derived(qkey)
    keys = lv.keys() + ([f"{qkey} AS qkey"] if inner_q else [])
    by = lv.by() + (["qkey"] if inner_q else [])
    inner = ", ".join(keys + [f"{x} AS __s{i}" for i, x in enumerate(sums)])
    outer = ", ".join(f"__s{i}" for i in range(len(sums)))
    # the first level reads the stored columns alone (no derived column beside them)
    first = survey.resolve(joined(f"SELECT {inner} FROM ", source, " WHERE ", lv.inner,
                                  f" GROUP BY {', '.join(by)}"))
    return joined(f"SELECT {lv.bkey} AS bkey, {'qkey' if inner_q else qkey} AS qkey, "
                  f"{outer} FROM (SELECT *, {lv.defs} FROM (", first, ")) WHERE ", lv.outer)


def _merged(values: np.ndarray, bkey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of a pass (``values``: answer second, as _grouped_rows reads them, and their
    banner keys) with the rows that share a banner key and an answer added up, each in the
    place of the first of them (rows that share none come back as they are)."""
    if len(bkey) < 2:  # (no rows: a 1-d array)
        return values, bkey
    answer = np.ascontiguousarray(values[:, 1]).view(np.int64)  # exact, a value's bits too
    order = np.lexsort((answer, bkey))  # stable: each run of equal rows starts at its first
    key, ans = bkey[order], answer[order]
    starts = np.flatnonzero(np.concatenate([[True], (key[1:] != key[:-1])
                                            | (ans[1:] != ans[:-1])]))
    if len(starts) == len(bkey):
        return values, bkey
    first = order[starts]
    placed = np.argsort(first)
    out = np.add.reduceat(values[order], starts, axis=0)[placed]
    out[:, :2] = values[first[placed], :2]  # the key and the answer, not added up
    return out, bkey[first[placed]]


def _item_sums(items: list[str], w: str) -> list[str]:
    """A count and a weighted sum of each 0/1 item expression."""
    return [s for e in items for s in (f"SUM({e})", f"SUM({e} * {w})")]


def _commenters(survey: Survey, q: Variable) -> Clause[Param]:
    """Respondents joined to one row per respondent who answered ``q`` in words: the union
    of their comments' themes (``__themes``)."""
    idc = ident(survey.codebook.settings.id_column)
    return Clause("respondents JOIN (SELECT respondent_id AS __rid, "
                  "list_distinct(flatten(list(themes))) AS __themes FROM verbatims "
                  f"WHERE question = ? AND respondent_id IS NOT NULL AND {NOT_BLANK_SQL} "
                  f"GROUP BY respondent_id) AS __c ON {idc} = __c.__rid", [q.id])


def _packed_sql(survey: Survey, q: Variable, packed: str, bkey: Clause[float],
                base: Clause[float], lv: _Levels | None = None) -> Clause[Param]:
    """The grouped pass of a packed multi-response question: one grouping set per slice of
    items, (banner key, which of the slice's items the respondent chose), so each respondent
    feeds a few small groups instead of one sum per item. (By PSU, the groups' patterns
    would split into about one group per respondent: grouped_sql sums each item instead.)"""
    m = f"CAST({ident(packed)} AS UBIGINT)"
    spans = item_slices(len(q.options) + len(q.nets))
    cs = [f"c{k}" for k in range(len(spans))]
    slices = ", ".join(f"({slice_sql(q, m, a, n)})::{unsigned(n)} AS {c}"
                       for c, (a, n) in zip(cs, spans, strict=True))
    part = " + ".join(f"{k} * (1 - GROUPING({c}))" for k, c in enumerate(cs))
    if lv is not None:  # in two levels (_Levels)
        by = ", ".join(lv.by())
        first = survey.resolve(joined(
            f"SELECT {by}, {part} AS part, COALESCE({', '.join(cs)}) AS slice, COUNT(*) "
            f"AS n, SUM(w) AS sw, SUM(w * w) AS sw2 FROM (SELECT {', '.join(lv.keys())}, "
            f"{slices}, {survey.weight_sql} AS w FROM respondents WHERE ", lv.inner,
            f") GROUP BY GROUPING SETS ({', '.join(f'({by}, {c})' for c in cs)})"))
        # one row a group of the first level: from_slices adds up those of a banner key
        return joined(f"SELECT {lv.bkey} AS bkey, part, slice, n, sw, sw2 "
                      f"FROM (SELECT *, {lv.defs} FROM (", first, ")) WHERE ", lv.outer)
    return joined(f"SELECT bkey, {part} AS part, COALESCE({', '.join(cs)}) AS slice, "
                  "COUNT(*), SUM(w), SUM(w * w) FROM (SELECT ", bkey,
                  f" AS bkey, {slices}, {survey.weight_sql} AS w FROM respondents "
                  "WHERE ", base, f") GROUP BY GROUPING SETS "
                  f"({', '.join(f'(bkey, {c})' for c in cs)})")


def _grouped_query(survey: Survey, q: Variable, b: Banner | None,
                   filters: tuple[Filter, ...], coded: bool,
                   group: tuple[Filter, ...], design: bool = False,
                   weighted: bool = True) -> Grouped:
    passes = [] if group or design else wave_passes(survey, b)
    if passes:  # by a banner holding the wave: each wave's table alone (engine.waves)
        return stacked([p.keyed(_grouped_query(p.survey, q, p.banner, filters, coded, group))
                        for p in passes])
    psu = psu_sql(survey) if design else None
    if psu is not None and not coded and (q.type != "multi" or len(q.options) <= 64):
        return _by_respondent(survey, q, b, filters, group, weighted)
    sql = grouped_sql(survey, q, b, filters, coded, group, psu)
    if psu is None and _packed_source(survey, q, coded) is not None:
        return from_slices(survey.query_arrays(sql), len(q.options) + len(q.nets))
    if psu is not None:  # thousands of groups: fetched as arrays, the PSU key last, merged
        cols = survey.query_arrays(sql)  # across PSUs for the estimates (design: the split)
        filled = [np.ma.filled(np.ma.asarray(c, dtype=np.float64), 0.0) for c in cols[:-1]]
        g = _grouped_rows(q, np.column_stack(filled), cols[0].astype(np.int64))
        info = design_info(survey)
        return merge_psus(g, info.index(cols[-1].astype(np.int64)), len(info.keys), weighted)
    rows = survey.query(sql)
    values, bkey = _merged(np.array([[float(x or 0) for x in r] for r in rows],
                                    dtype=np.float64),
                           np.array([int(r[0]) for r in rows], dtype=np.int64))
    return _grouped_rows(q, values, bkey)


def respondent_sql(survey: Survey, q: Variable, b: Banner | None,
                   filters: tuple[Filter, ...], group: tuple[Filter, ...] = ()
                   ) -> Clause[Param]:
    """The pass of a design-based table of a single-choice, numeric or multi-response
    question (also timed by the benchmarks): one row a respondent, in the order
    engine.design read the PSUs, with its banner key, answer (code, value, or the options
    chosen as bits) and whether it is in the base. DuckDB returns that in about the time of
    a grouped pass, where grouping by PSU too would fill a hash table of a group per few
    respondents."""
    cb = survey.codebook
    packed = _packed_source(survey, q, False)
    base = where(eligibility(cb, q, packed) + filter_conditions(cb, survey.tabled, filters))
    # a code in its own integer type (as narrow as it is stored: a fraction of the bytes);
    # a multi-response question without its packed column packed here, option i bit i
    answer = (f"CAST({ident(q.id)} AS DOUBLE)" if q.type == "numeric" else ident(q.id)
              if q.type != "multi" else f"CAST({ident(packed)} AS UBIGINT)" if packed else
              " | ".join(f"(COALESCE({ident(q.column(o.code))} = 1, FALSE)::UBIGINT << {i})"
                         for i, o in enumerate(q.options)))
    return joined("SELECT ", key_sql_of(survey, b, group), f" AS bkey, COALESCE({answer}, 0) "
                  "AS answer, COALESCE(", base, ", FALSE) AS ok FROM respondents")


def _by_respondent(survey: Survey, q: Variable, b: Banner | None,
                   filters: tuple[Filter, ...], group: tuple[Filter, ...],
                   weighted: bool) -> Grouped:
    """The merged groups (banner key, answer) of the respondents of respondent_sql and
    their sums per banner key and PSU (engine.design.respondent_codes): what grouping by
    PSU in DuckDB gives, without its hash table of a group per few respondents."""
    info = design_info(survey)
    bkey, answer, ok = survey.query_arrays(respondent_sql(survey, q, b, filters, group))
    if q.type == "numeric":
        return _numeric_by_respondent(info, bkey, answer, ok.astype(bool), weighted)
    multi = q.type == "multi"
    codes = respondent_codes(info, ok.astype(bool), bkey, None if multi else answer)
    base, totals = respondent_sums(info, codes, weighted)
    m = len(base)
    if not multi:
        return Grouped(bkey=codes.bkey, qcode=codes.answer, base=base,
                       items=np.zeros((m, 0, 2)), moments=np.zeros((m, 2, 6)),
                       split=PsuSums(totals, key_first(codes), "answers", weighted,
                                     codes.answers))
    n_items = len(q.options) + len(q.nets)
    sums = np.empty((m, n_items + 1, len(info.keys)))  # items, then the base
    sums[:, n_items] = totals[:, 0]
    items = _chosen_sums(codes, answer.view(np.int64), (info.respondent_weight, weighted),
                         (len(q.options), [net_mask(q, j) for j in range(len(q.nets))]),
                         sums[:, :n_items])
    return Grouped(bkey=codes.bkey, qcode=np.full(m, -1, dtype=np.int64), base=base,
                   items=items, moments=np.zeros((m, 2, 6)),
                   split=PsuSums(sums, np.arange(m), "items", weighted))


def _numeric_by_respondent(info: DesignInfo, bkey: np.ndarray, value: np.ndarray,
                           ok: np.ndarray, weighted: bool) -> Grouped:
    """A numeric question's groups (banner key, value) merged across PSUs, for its means and
    summaries (numbered by lookup tables when its values are whole numbers of a small
    range, else sorted), and each banner key's Σw·x and Σw per PSU, for the variances."""
    by_key = respondent_codes(info, ok, bkey, None)  # a group a banner key
    _, totals = respondent_sums(info, by_key, weighted)
    m, n = len(by_key.found), len(info.keys)
    w = info.respondent_weight
    sums = np.empty((m, 2, n))
    sums[:, 0] = np.bincount(by_key.cell, value * w if weighted else value,
                             minlength=(m + 1) * n)[:m * n].reshape(m, n)
    sums[:, 1] = totals[:, 0]
    whole = bool(np.isfinite(value).all() and np.array_equal(value, np.rint(value))
                 and np.abs(value).max(initial=0.0) < 2.0 ** 53)
    codes = respondent_codes(info, ok, bkey, value.astype(np.int64) if whole
                             else value.view(np.int64), cells=False)  # exact values' bits
    sw = np.bincount(codes.code, weights=w, minlength=codes.outside + 1)[codes.found]
    g = numeric_grouped(codes.bkey, codes.answer.astype(np.float64) if whole
                        else codes.answer.view(np.float64),
                        np.column_stack([codes.count.astype(np.float64), sw, codes.w2]))
    return replace(g, split=PsuSums(sums, key_first(codes), "value", weighted))


# about the most cells (group, or group and PSU, times a slice's patterns of items) a
# bincount over the respondents fills fast
SLICE_CELLS = 1 << 20


def _chosen_sums(codes: RespondentCodes, packed: np.ndarray, weights: tuple[np.ndarray, bool],
                 spec: tuple[int, list[int]], per_psu: np.ndarray) -> np.ndarray:
    """(M, items, 2): each item's count and Σw in each merged group (``codes``), from the
    packed values (``spec``: the options, bit i each; the nets' masks, set when any of a
    mask's bits is), writing into ``per_psu`` (M, items, N) each item's Σw (its count,
    unweighted) per group and PSU: a few bincounts over the respondents (_bit_sums), not
    two per item, the per-PSU sums added up into the groups' own."""
    w, weighted = weights
    m, n = per_psu.shape[0], per_psu.shape[2]
    out = np.empty((m, per_psu.shape[1], 2))
    by, other = (1, 0) if weighted else (0, 1)
    for word, count, item in _bit_words(packed, *spec):
        at = slice(item, item + count)
        found = _bit_sums(word, count, codes.cell, (m + 1) * n, w if weighted else None)
        per_psu[:, at] = found[:, :m * n].reshape(count, m, n).transpose(1, 0, 2)
        out[:, at, by] = per_psu[:, at].sum(axis=-1)
        out[:, at, other] = _bit_sums(word, count, codes.code, codes.outside + 1,
                                      None if weighted else w)[:, codes.found].T
    return out


def _bit_sums(word: np.ndarray, count: int, cell: np.ndarray, cells: int,
              weights: np.ndarray | None) -> np.ndarray:
    """(count, cells): the sums of ``weights`` (ones when None) over the respondents of each
    cell (``cell``: each one's, 0…cells − 1) holding each of the first ``count`` bits of
    ``word``. The bits are read a slice at a time, one bincount over (slice pattern, cell),
    then each bit's sum adds the patterns holding it; the slice is as wide as keeps
    patterns × cells small enough to add up fast."""
    bits = max(1, min(8, (SLICE_CELLS // cells).bit_length() - 1))
    out = np.empty((count, cells))
    at = np.empty(len(word), dtype=np.int64)
    for first in range(0, count, bits):
        k = min(bits, count - first)
        np.right_shift(word, first, out=at)  # in place: no new array a step
        np.bitwise_and(at, (1 << k) - 1, out=at)
        at *= cells
        at += cell
        sums = np.bincount(at, weights, minlength=cells << k).reshape(1 << k, cells)
        for j in range(k):
            out[first + j] = sums[(np.arange(1 << k) >> j) & 1 == 1].sum(axis=0)
    return out


def _bit_words(packed: np.ndarray, n_options: int, nets: list[int]
               ) -> list[tuple[np.ndarray, int, int]]:
    """The packed values as words of bits (each with its bits' count and first item): the
    options' own, then the nets' (set when any bit of a net's mask is), 63 a word."""
    words = [(packed, n_options, 0)]
    for first in range(0, len(nets), 63):
        word = np.zeros(len(packed), dtype=np.int64)
        for j, mask in enumerate(nets[first:first + 63]):
            word |= ((packed.view(np.uint64) & np.uint64(mask)) != 0).astype(np.int64) << j
        words.append((word, len(nets[first:first + 63]), n_options + first))
    return words


def _grouped_rows(q: Variable, values: np.ndarray, bkey: np.ndarray) -> Grouped:
    """Grouped sums from the rows of a pass (``values``, missing sums 0): banner key (exact,
    up to 62 bits, in ``bkey``), answer code or value, count, Σw, Σw², then an item's
    count and Σw per option and net (multi-response)."""
    n_items = (len(q.options) + len(q.nets)) if q.type == "multi" else 0
    g = len(bkey)
    arr = values.reshape(g, 5 + 2 * n_items)
    if q.type == "numeric":
        return numeric_grouped(bkey, arr[:, 1], arr[:, 2:5])
    items = arr[:, 5:].reshape(g, n_items, 2) if n_items else np.zeros((g, 0, 2))
    return Grouped(bkey=bkey, qcode=arr[:, 1].astype(np.int64), base=arr[:, 2:5],
                   items=items, moments=np.zeros((g, 2, 6)))


def numeric_grouped(bkey: np.ndarray, xvalue: np.ndarray, base: np.ndarray) -> Grouped:
    """A numeric question's sums from its groups of (banner key, value): ``base`` holds
    each group's count, Σw and Σw², from which its moments follow."""
    n, sw, sw2 = base[:, 0], base[:, 1], base[:, 2]
    moments = np.zeros((len(bkey), 2, 6))
    moments[:, 0] = np.column_stack([n, sw, sw * xvalue, sw2, sw2 * xvalue,
                                     sw2 * xvalue * xvalue])
    moments[:, 1] = np.column_stack([n, n, n * xvalue, n, n * xvalue, n * xvalue * xvalue])
    return Grouped(bkey=bkey, qcode=np.full(len(bkey), -1, dtype=np.int64), base=base,
                   items=np.zeros((len(bkey), 0, 2)), moments=moments, xvalue=xvalue)


def from_slices(cols: list[np.ndarray], n_items: int) -> Grouped:
    """Grouped sums from the packed pass: columns (banner key, slice number, the slice's
    chosen items as bits, count, Σw, Σw²). Every slice holds each respondent once, so the
    first slice gives the bases; an item's sums add the rows of its slice with its bit set."""
    bkey, part, chosen = (c.astype(np.int64) for c in cols[:3])
    sums = np.column_stack([c.astype(np.float64) for c in cols[3:6]])
    keys, gidx = np.unique(bkey, return_inverse=True)
    gidx = gidx.reshape(-1)
    g = len(keys)
    first_slice = part == 0
    base = np.column_stack([np.bincount(gidx[first_slice], weights=sums[first_slice, j],
                                        minlength=g) for j in range(3)])
    items = np.zeros((g, n_items, 2))
    for k, (first, width) in enumerate(item_slices(n_items)):
        sel = part == k
        idx, bits, vals = gidx[sel], chosen[sel], sums[sel]
        for j in range(width):
            on = (bits >> j) & 1 == 1
            for s in range(2):
                items[:, first + j, s] = np.bincount(idx[on], weights=vals[on, s], minlength=g)
    return Grouped(bkey=keys, qcode=np.full(g, -1, dtype=np.int64), base=base, items=items,
                   moments=np.zeros((g, 2, 6)))


# ---- the crosstab -----------------------------------------------------------------------

def resolve(survey: Survey, req: TabRequest) -> tuple[Variable, Banner | None, bool]:
    """The request's question (a coded view of an open one), its banner, and whether it is
    coded; every mistake in the request raises EngineError here, before any query."""
    q, coded = resolve_question(survey, req.question)
    b = resolve_banner_of(survey, req)
    check_size(len(row_defs(q)), b, req.compare)
    return q, b, coded


def resolve_question(survey: Survey, name: str) -> tuple[Variable, bool]:
    """A question to tabulate (an open one: the view of its coded themes), and whether it
    is coded."""
    q = resolve_variable(survey.codebook, name, "question", allow_open=True)
    if q.type == "open":
        return coded_view(survey, q), True
    return q, False


def resolve_banner_of(survey: Survey, req: TabRequest) -> Banner | None:
    """The request's banner (or a profile's group banner), once its settings are checked."""
    cb = survey.codebook
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
    check_tests(survey, req)
    return b


def check_tests(survey: Survey, req: TabRequest) -> None:
    """The weighting and test settings of a request (any table's: a crosstab or a grid)."""
    if req.weighted and not survey.has_weight:
        raise EngineError("This survey has no weight variable; run the table unweighted.")
    levels = check_levels(req.sig_level, req.loose_level)
    if levels:
        raise EngineError(levels)
    if req.correction not in CORRECTIONS:
        raise EngineError(f"Unknown correction {req.correction!r}; choose none, bonferroni or bh.")
    if req.correction_family not in CORRECTION_FAMILIES:
        raise EngineError(f"Unknown correction family {req.correction_family!r}; choose "
                          f"{' or '.join(CORRECTION_FAMILIES)}.")


def tab_ready(survey: Survey, req: TabRequest) -> bool:
    """Whether ``crosstab(survey, req)`` can answer without a query: its grouped sums are
    cached (the rest is a few milliseconds of arithmetic), or the request is a mistake that
    raises at once."""
    try:
        q, b, coded = resolve(survey, req)
    except EngineError:
        return True
    return survey.is_cached(_grouped_key(q, b, req.filters, coded, req.group,
                                         uses_design(survey, req), req.weighted))


def crosstab(survey: Survey, req: TabRequest) -> Crosstab:
    q, b, coded = resolve(survey, req)
    return tabulate(survey, req, b, [(q, coded, grouped(survey, q, b, req.filters, coded,
                                                         req.group, uses_design(survey, req),
                                                         req.weighted))])[0]


def tabulate(survey: Survey, req: TabRequest, b: Banner | None,
             parts: Sequence[tuple[Variable, bool, Grouped]]) -> list[Crosstab]:
    """The crosstabs of resolved questions (each with whether it is coded, and its grouped
    sums however they were queried: alone, or with other questions in one scan, see
    engine.survey_wide) by the request's banner ``b``, computed together
    (engine.tabulation)."""
    cb = survey.codebook
    low = cb.settings.low_base if req.low_base is None else req.low_base
    min_test = cb.settings.min_test_base if req.min_test_base is None else req.min_test_base
    compare = "pairs" if req.group else req.compare
    st = stack([(q, g) for q, _, g in parts])
    specs = column_specs(b, _fields(b), st.bkey)
    if req.group and req.against == "total":  # "Everyone" overlaps the group
        specs[-1] = replace(specs[-1], member=specs[0].member)
    spans = b.spans if b else ()
    split = [g.split is not None for _, _, g in parts]
    design = design_info(survey) if split and all(split) else None
    done = tables(st, specs, [None if sp.span is None else spans[sp.span].id for sp in specs],
                  Settings(req.weighted, replace(req.testing, compare=compare), low, min_test,
                           design))
    filter_text = tuple(f.describe(cb) for f in req.filters)
    overlapping = (any(sp.overlapping for sp in spans) or compare == "total"
                   or req.against == "total" and bool(req.group))
    made = [Crosstab(
        question=q, banner=b, weighted=req.weighted, filters=req.filters,
        filter_text=filter_text,
        base_text="Base: respondents who left a comment" if coded else base_text(cb, q),
        columns=t.columns, rows=t.rows, sig_level=req.sig_level, correction=req.correction,
        low_base=low, min_test_base=min_test, overlapping=overlapping, tests=t.tests,
        group=req.group, compare=compare, loose_level=req.loose_level,
        correction_family=req.correction_family,
        design=None if design is None else design.describe())
        for (q, coded, _), t in zip(parts, done, strict=True)]
    # a theme table counts commenters: its small groups are withheld as comments are
    return [withhold_themes(ct, cb.settings.min_group) if coded else ct
            for ct, (_, coded, _) in zip(made, parts, strict=True)]


def base_text(cb: Codebook, q: Variable, items: bool = False) -> str:
    """Who a table's base counts; ``items``: a grid's, whose columns each count the
    respondents answering that item."""
    if q.type == "multi" and q.base == "answered":
        who = "respondents with at least one answer"
    else:
        who = "all respondents asked" if q.type == "multi" else "all respondents answering"
    if q.eligible is None:
        return f"Base: {who}" + (" each item" if items else "")
    e = cb.get(q.eligible.variable)
    labels = " or ".join(e.option(c).label for c in q.eligible.codes)
    return (f"Base: respondents {e.short.lower()} = {labels}"
            + (", answering each item" if items else "")
            + (", with at least one answer" if q.type == "multi" and q.base == "answered"
               else ""))
