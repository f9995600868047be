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
from heetui.engine.design import PSU_KEY, design_info, psu_sql, respondent_split
from heetui.engine.disclosure import withhold_themes
from heetui.engine.eligibility import eligibility
from heetui.engine.filters import Filter, condition, describe_group, group_where
from heetui.engine.lookup import resolve_variable
from heetui.engine.results import Crosstab
from heetui.engine.session import PERFECT_HASH_RESPONDENTS, Survey
from heetui.engine.shaping import Tabled
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
            group: tuple[Filter, ...] = (), design: bool = False) -> Grouped:
    """The one DuckDB pass behind a crosstab (cached per question, banner and filters);
    ``design``: its groups split by PSU too (engine.design)."""
    return survey.cached(_grouped_key(q, b, filters, coded, group, design),
                         lambda: _grouped_query(survey, q, b, filters, coded, group, design))


def _grouped_key(q: Variable, b: Banner | None, filters: tuple[Filter, ...], coded: bool,
                 group: tuple[Filter, ...], design: bool = False) -> tuple[object, ...]:
    variables = tuple(v.id for v in b.variables) if b else ()
    return ("grouped", q.id, variables, filters, coded, group) + (("design",) if design
                                                                   else ())


def uses_design(survey: Survey, req: TabRequest) -> bool:
    """Whether a request's tables take design-based variances: the codebook declares a
    design and the request does not decline it."""
    return req.design and survey.codebook.settings.design is not None


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
               ) -> Clause[float]:
    """The grouping key: the banner's bit fields, or for a profile's group 2 (in the group)
    and 3 (not)."""
    if group:
        return joined("CASE WHEN ", group_where(survey.codebook, group), " THEN 2 ELSE 3 END")
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
    base = where(([] if coded else eligibility(cb, q, packed))
                 + [condition(cb, f) for f in filters])
    used = _tabled_used(survey, q, b, filters) if psu is None and not group else {}
    levels = None if not used else _levels(
        survey, b, used, ([] if coded else eligibility(cb, q, packed))
        + [condition(cb, f) for f in filters])
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
                            for o in q.options], w)
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


def _tabled_used(survey: Survey, q: Variable, b: Banner | None,
                 filters: tuple[Filter, ...]) -> dict[str, Tabled]:
    """The tabled derived variables (engine.shaping.Tabled) a pass groups by: in the banner
    or as the question. (A filter on one keeps its CASE: the filter leaves out respondents
    before they are grouped, which costs less than grouping them all by its sources.)"""
    names = {v.id for v in b.variables} if b else set()
    return {n: t for n, t in survey.tabled.items() if n in names | {q.id}}


@dataclass(frozen=True)
class _Levels:
    """A pass that reads tabled derived variables, in two levels: respondents grouped by
    the stored columns those variables read (``sources``, with the stored part of the
    banner key, ``__b``), then the derived variables computed once per group (``defs``)
    and the groups grouped by the banner key (``bkey``); every sum adds up. DuckDB groups
    by a few stored columns about as fast as by one, where the derived variable's CASE
    would be evaluated for every respondent. A condition that reads a derived variable is
    tested on the groups (``outer``), the others on the respondents (``inner``)."""

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
    unless it is a derived variable's."""
    inner_q = not lv.derived(qkey)
    keys = lv.keys() + ([f"{qkey} AS qkey"] if inner_q else [])
    by = lv.by() + (["qkey"] if inner_q else [])
    inner = ", ".join(keys + [f"{x} AS __s{i}" for i, x in enumerate(sums)])
    outer = ", ".join(f"SUM(__s{i})" for i in range(len(sums)))
    # the first level reads the stored columns alone (no derived column beside them)
    first = survey.resolve(joined(f"SELECT {inner} FROM ", source, " WHERE ", lv.inner,
                                  f" GROUP BY {', '.join(by)}"))
    return joined(f"SELECT {lv.bkey} AS bkey, {'qkey' if inner_q else qkey} AS qkey, "
                  f"{outer} FROM (SELECT *, {lv.defs} FROM (", first, ")) WHERE ", lv.outer,
                  " GROUP BY bkey, qkey")


def _item_sums(items: list[str], w: str) -> list[str]:
    """A count and a weighted sum of each 0/1 item expression."""
    return [s for e in items for s in (f"SUM({e})", f"SUM({e} * {w})")]


def _commenters(survey: Survey, q: Variable) -> Clause[Param]:
    """Respondents joined to one row per respondent who answered ``q`` in words: the union
    of their comments' themes (``__themes``)."""
    idc = ident(survey.codebook.settings.id_column)
    return Clause("respondents JOIN (SELECT respondent_id AS __rid, "
                  "list_distinct(flatten(list(themes))) AS __themes FROM verbatims "
                  "WHERE question = ? AND respondent_id IS NOT NULL AND trim(text) <> '' "
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
        return joined(f"SELECT {lv.bkey} AS bkey, part, slice, SUM(n), SUM(sw), SUM(sw2) "
                      f"FROM (SELECT *, {lv.defs} FROM (", first, ")) WHERE ", lv.outer,
                      " GROUP BY bkey, part, slice")
    return joined(f"SELECT bkey, {part} AS part, COALESCE({', '.join(cs)}) AS slice, "
                  "COUNT(*), SUM(w), SUM(w * w) FROM (SELECT ", bkey,
                  f" AS bkey, {slices}, {survey.weight_sql} AS w FROM respondents "
                  "WHERE ", base, f") GROUP BY GROUPING SETS "
                  f"({', '.join(f'(bkey, {c})' for c in cs)})")


def _grouped_query(survey: Survey, q: Variable, b: Banner | None,
                   filters: tuple[Filter, ...], coded: bool,
                   group: tuple[Filter, ...], design: bool = False) -> Grouped:
    passes = [] if group or design else wave_passes(survey, b)
    if passes:  # by a banner holding the wave: each wave's table alone (engine.waves)
        return stacked([p.keyed(_grouped_query(p.survey, q, p.banner, filters, coded, group))
                        for p in passes])
    psu = psu_sql(survey) if design else None
    if psu is not None and not coded and (q.type == "single" or _packed_source(survey, q, coded)):
        return _by_respondent(survey, q, b, filters, group)
    sql = grouped_sql(survey, q, b, filters, coded, group, psu)
    if psu is None and _packed_source(survey, q, coded) is not None:
        return from_slices(survey.query_arrays(sql), len(q.options) + len(q.nets))
    if psu is not None:  # thousands of groups: fetched as arrays, the PSU key last, merged
        cols = survey.query_arrays(sql)  # across PSUs for the estimates (design: the split)
        filled = [np.ma.filled(np.ma.asarray(c, dtype=np.float64), 0.0) for c in cols[:-1]]
        g = _grouped_rows(q, np.column_stack(filled), cols[0].astype(np.int64))
        info = design_info(survey)
        return merge_psus(g, info.index(cols[-1].astype(np.int64)), len(info.keys))
    rows = survey.query(sql)
    return _grouped_rows(q, np.array([[float(x or 0) for x in r] for r in rows],
                                     dtype=np.float64),
                         np.array([int(r[0]) for r in rows], dtype=np.int64))


def respondent_sql(survey: Survey, q: Variable, b: Banner | None,
                   filters: tuple[Filter, ...], group: tuple[Filter, ...] = ()
                   ) -> Clause[Param]:
    """The pass of a design-based table of a single-choice or packed multi-response
    question (also timed by the benchmarks): one row a respondent, in the order
    engine.design read the PSUs, with its banner key, answer (code, or packed value) and
    whether it is in the base. DuckDB returns that in about the time of a grouped pass,
    where grouping by PSU too would fill a hash table of a group per few respondents."""
    cb = survey.codebook
    packed = _packed_source(survey, q, False)
    base = where(eligibility(cb, q, packed) + [condition(cb, f) for f in filters])
    answer = (f"{ident(q.id)}::BIGINT" if packed is None
              else f"CAST({ident(packed)} AS UBIGINT)")
    return joined("SELECT ", key_sql_of(survey, b, group), f" AS bkey, COALESCE({answer}, 0) "
                  "AS answer, COALESCE(", base, ", FALSE) AS ok FROM respondents")


def _by_respondent(survey: Survey, q: Variable, b: Banner | None,
                   filters: tuple[Filter, ...], group: tuple[Filter, ...]) -> Grouped:
    """The sums grouping by PSU too would give (respondent_sql), added up here by banner
    key, answer and PSU (engine.design.respondent_split), then merged across PSUs."""
    info = design_info(survey)
    bkey, answer, ok = survey.query_arrays(respondent_sql(survey, q, b, filters, group))
    multi = q.type == "multi"
    split = respondent_split(info, ok.astype(bool), bkey,
                             np.full(len(ok), -1) if multi else answer)
    w = info.respondent_weight
    base = np.column_stack([split.count.astype(np.float64), split.sums(w),
                            split.sums(info.respondent_weight2)])
    items = (_chosen_sums(split.cell, split.present, answer.view(np.int64), w,
                          len(q.options), [net_mask(q, j) for j in range(len(q.nets))])
             if multi else np.zeros((len(split.present), 0, 2)))
    keys, answers = split.pairs[split.merged].T
    fine = Grouped(bkey=keys, qcode=answers, base=base, items=items,
                   moments=np.zeros((len(keys), 2, 6)))
    return merge_psus(fine, split.psu, len(info.keys), split.merged_groups())


SLICE_GROUPS = 1 << 19  # about the most (group, slice pattern) cells a bincount fills fast


def _chosen_sums(cell: np.ndarray, present: np.ndarray, packed: np.ndarray, w: np.ndarray,
                 n_options: int, nets: list[int]) -> np.ndarray:
    """(G, items, 2): each item's count and Σw over the respondents of each cell in
    ``present`` (``cell``: each respondent's, 0…max), from their packed values (option i:
    bit i; a net: any bit of its mask). Items are read a slice of a few bits at a time,
    one bincount over (slice pattern, cell) for the counts and one for Σw, then a
    pattern's sums are added into each item it holds: a few passes over the respondents,
    not two per item; the slice is as wide as keeps patterns × cells small enough to add
    up fast. (Two threads sharing the slices were no faster at 2,000 PSUs.)"""
    n = int(cell.max(initial=0)) + 1
    bits = max(1, min(5, (SLICE_GROUPS // n).bit_length() - 1))
    width = 1 << bits
    holds = ((np.arange(width) >> np.arange(bits)[:, None]) & 1).astype(np.float64)
    out = np.zeros((2, n_options + len(nets), n))  # item-major: whole rows written
    at = np.empty(len(packed), dtype=np.int64)
    for word, count, item in _bit_words(packed, n_options, nets):
        for first in range(0, count, bits):
            k = min(bits, count - first)
            np.right_shift(word, first, out=at)  # in place: no new array a step
            np.bitwise_and(at, width - 1, out=at)
            at *= n
            at += cell
            for s, weights in enumerate((None, w)):
                sums = np.bincount(at, weights=weights, minlength=n * width)
                out[s, item + first:item + first + k] = (holds @ sums.reshape(width, n))[:k]
    return np.ascontiguousarray(out[:, :, present].transpose(2, 1, 0))


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
                                         uses_design(survey, req)))


def crosstab(survey: Survey, req: TabRequest) -> Crosstab:
    q, b, coded = resolve(survey, req)
    return tabulate(survey, req, b, [(q, coded, grouped(survey, q, b, req.filters, coded,
                                                         req.group,
                                                         uses_design(survey, req)))])[0]


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
