"""Design-based variances: Taylor linearisation over the strata and primary sampling units
(PSUs) the codebook declares (``survey.design``), with a finite population correction when
it gives one, as R's ``survey`` package computes them.

Every estimate heetui tests is a ratio over a domain (a banner column, its base, and for a
mean the respondents with a value): R = Σ w·y / Σ w. Its linearised value is
uᵢ = wᵢ·dᵢ·(yᵢ − R) / Σ w·d (d: in the domain), and its variance
Σ_h (1 − f_h)·n_h/(n_h − 1)·Σ_i (U_hi − Ū_h)², U_hi the sum of u over PSU i of stratum h,
n_h the stratum's sampled PSUs (all of them, also those with no one in the domain: a
column is a domain of the whole design, not a smaller design) and f_h its sampling
fraction. The difference of two columns' estimates has the linearised value u₁ − u₂, so
overlapping and disjoint columns alike covary through the PSUs they share.

Each respondent's PSU and weight are read once, with the design (``DesignInfo``). The
pass of a single-choice or packed multi-response question then fetches one row a
respondent (engine.crosstab.respondent_sql: banner key, answer, in the base), and its
groups (banner key, answer, PSU) are added up here (``respondent_split``: lookup tables
and bincounts, no sort); other questions group their DuckDB pass by PSU too (``psu_sql``),
a hash table of a group per few respondents, slower as PSUs grow. Either way the groups
are merged across PSUs for the estimates and indexed once for the variances
(``split_by_psu``); a row's numerator and denominator per (banner key, PSU) are bincounts
over them, summed into columns by one product, then into rows, then centred within strata.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from weakref import WeakKeyDictionary

import numpy as np

from heetui.engine.session import Survey
from heetui.engine.sql import ident
from heetui.errors import EngineError

PSU_KEY = "__psu"  # the grouped passes' column of each group's PSU key


@dataclass(frozen=True)
class DesignInfo:
    """The design's PSUs (ordered by stratum) and what each stratum's variance needs."""

    keys: np.ndarray  # (N,) each PSU's key, as the grouped passes return it
    order: np.ndarray  # (N,) positions sorting ``keys``
    starts: np.ndarray  # (H,) the first PSU of each stratum
    n_psu: np.ndarray  # (H,) sampled PSUs per stratum
    scale: np.ndarray  # (N,) each PSU's stratum's (1 − f_h)·n_h/(n_h − 1)
    fpc: bool
    # each respondent's PSU (0…N−1) and weight (0 where missing), in the order a query
    # without ORDER BY returns the respondents (DuckDB keeps the files' order): a pass
    # fetched one row a respondent is split by PSU without reading the design again
    respondent_psu: np.ndarray
    respondent_weight: np.ndarray
    respondent_weight2: np.ndarray  # its square

    @property
    def df(self) -> int:
        """The design's degrees of freedom: PSUs − strata."""
        return len(self.keys) - len(self.n_psu)

    def index(self, keys: np.ndarray) -> np.ndarray:
        """The PSU (0…N−1, stratum order) of each key of a grouped pass."""
        ordered = self.keys[self.order]
        pos = np.minimum(np.searchsorted(ordered, keys), len(self.keys) - 1)
        if not np.array_equal(ordered[pos], keys):
            raise EngineError("The survey's design changed while it was open; open it again.")
        found: np.ndarray = self.order[pos]
        return found

    def describe(self) -> str:
        return (f"design-based variance (Taylor linearisation over {len(self.n_psu):,} "
                f"strata and {len(self.keys):,} PSUs" + (", with FPC" if self.fpc else "")
                + "), t-tests on the degrees of freedom of the PSUs each pair reaches (at "
                f"most {self.df - 1:,})")


def respondent_split(info: DesignInfo, ok: np.ndarray, bkey: np.ndarray,
                     answer: np.ndarray) -> RespondentSplit:
    """The groups (banner key, answer, PSU) of the respondents of a pass fetched one row a
    respondent (``ok``: in its base), and each respondent's cell (Σ by bincount): what
    grouping by PSU in DuckDB gives, without its hash table of one group per few
    respondents. Every respondent is numbered at once (banner key, answer and PSU within
    their ranges, no selection of the base), those outside the base in a cell of their own."""
    if len(ok) != len(info.respondent_psu):
        raise EngineError("The survey's data changed while it was open; open it again.")
    keys, answers, cell = _codes(bkey, answer.astype(np.int64, copy=False))
    n = len(info.keys)
    cells = len(keys) * len(answers) * n
    if cells <= max(4 * len(ok), 1 << 16):  # a cell per (key, answer, PSU) in range
        cell *= n  # in place: no new array of a million a step
        cell += info.respondent_psu
        np.copyto(cell, cells, where=~ok)
        count = np.bincount(cell, minlength=cells + 1)
        found = present = np.flatnonzero(count[:cells])
    else:  # too many to count in a table: the base respondents' cells, numbered
        found, inverse = dense(cell[ok] * n + info.respondent_psu[ok])
        cells, present = len(found), np.arange(len(found))
        cell = np.full(len(ok), cells, dtype=np.int64)
        cell[ok] = inverse
        count = np.bincount(cell, minlength=cells + 1)
    pair_codes, merged = dense(found // n)
    pairs = np.column_stack([keys[pair_codes // len(answers)],
                             answers[pair_codes % len(answers)]])
    return RespondentSplit(merged, pairs, found % n, cell, cells, present, count[present])


def _codes(bkey: np.ndarray, answer: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each respondent's (banner key, answer) numbered key·A + answer, with the keys (K,)
    and answers (A,) the numbers stand for: the distinct keys (a banner's few, spread over
    the bits of its fields), and the answers' whole range when that is small (codes), else
    the distinct answers."""
    keys, b = dense(bkey)
    if not len(answer):
        return keys, np.zeros(0, dtype=np.int64), b
    lo = int(answer.min())
    span = int(answer.max()) - lo + 1
    if span * len(keys) <= max(4 * len(answer), 1 << 16):
        answers, a = np.arange(lo, lo + span, dtype=np.int64), answer
    else:
        answers, a = dense(answer)
        lo = 0
    b *= len(answers)  # in place (dense's own array)
    b += a
    if lo:
        b -= lo
    return keys, answers, b


@dataclass(frozen=True)
class RespondentSplit:
    """The groups (banner key, answer, PSU) of the base respondents of a pass fetched one
    row a respondent: each group's merged group (``pairs``: (banner key, answer), in
    order) and PSU; each respondent's cell (0…cells, ``cells`` for those outside the
    base) and the cell of each group (``present``)."""

    merged: np.ndarray  # (G,)
    pairs: np.ndarray  # (M, 2)
    psu: np.ndarray  # (G,)
    cell: np.ndarray  # (n,)
    cells: int
    present: np.ndarray  # (G,)
    count: np.ndarray  # (G,) each group's respondents

    def merged_groups(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.merged, self.pairs[:, 0], self.pairs[:, 1]

    def sums(self, weights: np.ndarray) -> np.ndarray:
        """(G,): each group's sum of ``weights`` (one a respondent)."""
        out: np.ndarray = np.bincount(self.cell, weights=weights,
                                      minlength=self.cells + 1)[self.present]
        return out


def psu_sql(survey: Survey) -> str | None:
    """The SQL of each respondent's PSU key (stratum and PSU), or None without a design."""
    d = survey.codebook.settings.design
    if d is None:
        return None
    stratum = ident(d.strata) if d.strata else "0"
    psu = ident(d.cluster or survey.codebook.settings.id_column)
    return f"(hash({stratum}, {psu}) >> 1)::BIGINT"


_READ: WeakKeyDictionary[Survey, DesignInfo] = WeakKeyDictionary()
_LOCK = threading.Lock()


def design_info(survey: Survey) -> DesignInfo:
    """The survey's design, read once while it is open (over every respondent, whatever a
    table filters), kept apart from the cache of tables, which a refresh clears."""
    with _LOCK:
        found = _READ.get(survey)
    if found is None:
        found = _read_design(survey)
        with _LOCK:
            _READ[survey] = found
    return found


def _read_design(survey: Survey) -> DesignInfo:
    d = survey.codebook.settings.design
    key = psu_sql(survey)
    if d is None or key is None:
        raise EngineError("This survey declares no design (survey.design in the codebook).")
    stratum = ident(d.strata) if d.strata else "0"
    fpc = f"CAST({ident(d.fpc)} AS DOUBLE)" if d.fpc else "NULL::DOUBLE"
    keys, strata, fpcs = survey.query_arrays(
        f"SELECT k, dense_rank() OVER (ORDER BY s) - 1 AS h, f FROM (SELECT {key} AS k, "
        f"{stratum} AS s, MIN({fpc}) AS f FROM respondents GROUP BY ALL) ORDER BY h, k")
    keys = keys.astype(np.int64)
    if len(np.unique(keys)) != len(keys):
        raise EngineError("Two PSUs of the design share a key; renumber the PSUs.")
    psu_of, weight = survey.query_arrays(f"SELECT {key}, {survey.weight_sql} FROM respondents")
    h = strata.astype(np.int64)
    n_psu = np.bincount(h)
    starts = np.concatenate([[0], np.cumsum(n_psu)[:-1]]).astype(np.int64)
    n = n_psu[h].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        finite = 1.0 - (_fraction(fpcs.astype(np.float64), n) if d.fpc else 0.0)
        scale = np.where(n > 1, finite * n / (n - 1), 0.0)
    info = DesignInfo(keys, np.argsort(keys, kind="stable"), starts, n_psu, scale,
                      d.fpc is not None, np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0))
    w = np.ma.filled(np.ma.asarray(weight, dtype=np.float64), 0.0)
    return replace(info, respondent_psu=info.index(psu_of.astype(np.int64)).astype(np.int32),
                   respondent_weight=w, respondent_weight2=w * w)


def _fraction(fpc: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Each stratum's sampling fraction: the FPC itself where every value is at most 1
    (fractions), else the sampled PSUs over the FPC (population counts), as R reads it."""
    if (fpc <= 1).all():
        return fpc
    fraction: np.ndarray = n / fpc
    return fraction


def variance(x: np.ndarray, info: DesignInfo) -> np.ndarray:
    """The design variance of totals whose per-PSU sums of linearised values are ``x``
    (…, N): Σ_h scale_h·Σ_i (x_hi − x̄_h)², the mean over all n_h PSUs of the stratum."""
    means = np.add.reduceat(x, info.starts, axis=-1) / info.n_psu
    centred = x - np.repeat(means, info.n_psu, axis=-1)
    out: np.ndarray = (centred * centred * info.scale).sum(axis=-1)
    return out


def dense(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of an integer array, sorted, and each value's position among
    them, as ``np.unique(values, return_inverse=True)`` gives them; by a lookup table, in
    time linear in the values, when their range is small (banner keys, answer codes)."""
    if len(values) == 0:
        return values[:0].astype(np.int64), np.zeros(0, dtype=np.int64)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo >= max(4 * len(values), 1 << 16):
        found, inverse = np.unique(values, return_inverse=True)
        return found.astype(np.int64), inverse.reshape(-1)
    at = values - values.dtype.type(lo) if lo else values
    present = np.bincount(at, minlength=hi - lo + 1) > 0
    position = np.cumsum(present) - 1
    return np.flatnonzero(present) + lo, position[at]


def group_sums(of: np.ndarray, n: int, values: np.ndarray) -> np.ndarray:
    """(n, C): the sums of the rows of ``values`` (G, C) by group (``of``: 0…n−1 each): by
    runs when the groups come in order (as respondent_split makes them), else a bincount
    a column; either way each group's rows are added in their order."""
    out = np.zeros((n, values.shape[1]))
    step = np.diff(of)
    if len(of) and (step > 0).all():  # one row a group, in order
        out[of] = values
    elif len(of) and (step >= 0).all():
        starts = np.concatenate([[0], np.flatnonzero(step) + 1])
        out[of[starts]] = np.add.reduceat(values, starts, axis=0)
    else:
        for i in range(values.shape[1]):
            out[:, i] = np.bincount(of, weights=values[:, i], minlength=n)
    return out


@dataclass(frozen=True)
class PsuSplit:
    """A question's grouped pass split by PSU (G groups of banner key, answer and PSU),
    indexed for the design: each group's banner key (b, among the B distinct keys, sorted),
    answer (a, among the A distinct answers, sorted) and PSU (0…N−1, stratum order), the
    merged group (banner key, answer) it falls in, and the first merged group of each
    banner key, whose column memberships are the key's."""

    b: np.ndarray  # (G,)
    a: np.ndarray  # (G,)
    psu: np.ndarray  # (G,)
    n_psu: int  # N
    answers: np.ndarray  # (A,) each answer's code (a numeric value's bits)
    merged: np.ndarray  # (G,) the merged group of each group
    key_first: np.ndarray  # (B,) the first merged group of each banner key
    base: np.ndarray  # (G, 3) each group's count, Σw, Σw² (engine.tabulation.Grouped)
    items: np.ndarray  # (G, I, 2) a multi-response question's count and Σw per item
    xvalue: np.ndarray | None  # (G,) a numeric question's value

    def cells(self, values: np.ndarray) -> np.ndarray:
        """(S, B, N): the sums of ``values`` (G, S) of the groups per banner key and PSU."""
        b = len(self.key_first)
        out = group_sums(self.b * self.n_psu + self.psu, b * self.n_psu, values)
        return np.ascontiguousarray(out.T).reshape(values.shape[1], b, self.n_psu)

    def by_answer(self, values: np.ndarray) -> np.ndarray:
        """(A, B·N): the sums of ``values`` (G,) per answer, banner key and PSU."""
        width = len(self.key_first) * self.n_psu
        out: np.ndarray = np.bincount(
            self.a * width + self.b * self.n_psu + self.psu, weights=values,
            minlength=len(self.answers) * width).reshape(len(self.answers), width)
        return out


def merged_groups(bkey: np.ndarray, answer: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Groups merged across PSUs: each group's merged group, and the banner key and answer
    of each merged group, in order of key then answer."""
    keys, answers, code = _codes(bkey, answer)
    found, pair = dense(code)
    return pair, keys[found // len(answers)], answers[found % len(answers)]


def split_by_psu(psu: np.ndarray, n_psu: int, merged: tuple[np.ndarray, np.ndarray, np.ndarray],
                 sums: tuple[np.ndarray, np.ndarray, np.ndarray | None]) -> PsuSplit:
    """The split of G groups of a pass grouped by PSU (with their ``sums``: base, items,
    numeric value), from their merged groups (``merged_groups``)."""
    of, key, answer = merged
    keys, b = dense(key)  # a few hundred merged groups: their keys and answers indexed
    answers, a = dense(answer)
    return PsuSplit(b[of], a[of], psu.astype(np.int64), n_psu, answers, of,
                    np.searchsorted(b, np.arange(len(keys))), *sums)


@dataclass(frozen=True)
class Domains:
    """One question's rows' numerators (Σ w·y) and denominators (Σ w) per column (or banner
    key) and PSU, (R, K, N); or as sums (S, K, N) (PsuSplit.cells / by_answer: answers,
    items, a value's Σw·x and Σw) with each row's numerator and denominator a combination
    of those (``mix``: two (R, S) matrices), which are summed into columns first."""

    num: np.ndarray
    den: np.ndarray
    mix: tuple[np.ndarray, np.ndarray] | None = None

    def columns(self, member: np.ndarray) -> Domains:
        """The rows by column and PSU (R, K, N), from sums by banner key and ``member``
        (K, B) each column's keys: matrix products (a few times einsum's speed here)."""
        assert self.mix is not None
        sums = np.matmul(member.astype(np.float64), self.num)
        flat = sums.reshape(len(sums), int(np.prod(sums.shape[1:])))
        num, den = ((m @ flat).reshape(len(m), *sums.shape[1:]) for m in self.mix)
        return Domains(num, den)


def linearised(dom: Domains) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (row, column)'s ratio, its Σ w, and its linearised values summed per PSU."""
    w = dom.den.sum(axis=-1)
    has = w > 0
    safe = np.where(has, w, 1.0)
    est = np.where(has, dom.num.sum(axis=-1) / safe, np.nan)
    u = (dom.num - np.where(has, est, 0.0)[..., None] * dom.den) / safe[..., None]
    return est, w, u


@dataclass(frozen=True)
class DesignStats:
    """Every row's design-based SE in each compared column (R, K), and each candidate
    test's statistic, why it was not made (stats.REASONS) and degrees of freedom (R, P)."""

    se: np.ndarray
    z: np.ndarray
    why: np.ndarray
    df: np.ndarray


def design_stats(info: DesignInfo, members: list[np.ndarray], domains: list[Domains],
                 is_mean: np.ndarray, pairs: tuple[np.ndarray, np.ndarray]) -> DesignStats:
    """The design-based numbers of every table of a stack, question by question: each
    question's compared columns over its banner keys (K, B) and its rows by banner key
    and PSU; a column's sums are its keys' sums, one matrix product."""
    from heetui.engine.stats import design_zs

    x, y = pairs
    n_rows, k = len(is_mean), len(members[0]) if members else 0
    out = DesignStats(np.full((n_rows, k), np.nan), np.full((n_rows, len(x)), np.nan),
                      np.zeros((n_rows, len(x)), dtype=np.int64), np.zeros((n_rows, len(x))))
    r0 = 0
    for member, dom in zip(members, domains, strict=True):
        assert dom.mix is not None
        r1 = r0 + len(dom.mix[0])
        cols = dom.columns(member)
        est, w, u = linearised(cols)
        var = variance(u, info)
        diff = u[:, x] - u[:, y]
        df = _pair_df((cols.den[:, x] > 0) | (cols.den[:, y] > 0), info)
        z, why = design_zs(est, w, var, variance(diff, info), (x, y), is_mean[r0:r1, None],
                           df)
        out.se[r0:r1] = np.sqrt(var)
        out.z[r0:r1], out.why[r0:r1], out.df[r0:r1] = z, why, df
        r0 = r1
    return out


def _pair_df(present: np.ndarray, info: DesignInfo) -> np.ndarray:
    """Degrees of freedom of each test, as R's svyttest counts them on the design restricted
    to the two columns: the PSUs they reach, less the strata those lie in, less one."""
    psus = present.sum(axis=-1)
    strata = (np.add.reduceat(present, info.starts, axis=-1) > 0).sum(axis=-1)
    df: np.ndarray = psus - strata - 1
    return df
