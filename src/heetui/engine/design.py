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
respondent (engine.crosstab.respondent_sql: banner key, answer, in the base), numbered
here by merged group (banner key, answer) with lookup tables (``respondent_codes``), and
one bincount over (merged group, PSU) gives the sums per PSU, whose totals are the merged
groups' own (``respondent_sums``); other questions group their DuckDB pass by PSU too
(``psu_sql``), a hash table of a group per few respondents, slower as PSUs grow, and are
merged and summed per (banner key, PSU) with bincounts (``key_sums``). Either way a
question keeps its sums per banner key and PSU, dense (``PsuSums``): a column's are its
keys' added (``column_sums``), a row's numerator and denominator a few of those
(``combine``), then centred within strata. Nothing here is a matrix product: BLAS's
threads, spinning between calls, took the CPUs DuckDB needed on a busy machine.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
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


def _codes(bkey: np.ndarray, answer: np.ndarray | None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each respondent's (banner key, answer) numbered key·A + answer, with the keys (K,)
    and answers (A,) the numbers stand for: each over its whole range when that is small
    (a banner's keys, answer codes; some numbers then stand for no one), else its distinct
    values. ``answer`` None: one answer, −1 (a multi-response question's groups)."""
    lo, hi = (int(bkey.min()), int(bkey.max())) if len(bkey) else (0, -1)
    most = max(4 * len(bkey), 1 << 16)  # the most numbers a lookup table may hold
    if answer is None:
        answers, a, lo_a = np.array([-1], dtype=np.int64), None, 0
    elif not len(answer):
        answers, a, lo_a = np.zeros(0, dtype=np.int64), answer, 0
    else:
        lo_a, hi_a = int(answer.min()), int(answer.max())
        if (hi_a - lo_a + 1) * min(hi - lo + 1, 1 << 8) <= most:
            answers, a = np.arange(lo_a, hi_a + 1, dtype=np.int64), answer
        else:
            answers, a = dense(answer)
            lo_a = 0
    width = max(len(answers), 1)
    if (hi - lo + 1) * width <= most:  # numbered over the keys' range: (key − lo)·A
        keys = np.arange(lo, hi + 1, dtype=np.int64)
        code = bkey.astype(np.int64)  # (arithmetic: indexing by a uint8 key is slower)
        offset = lo * width + lo_a
        if hi * width >= 1 << 62:  # a wide key: less lo first, so key·A cannot overflow
            code -= lo
            offset = lo_a
        if width > 1:
            code *= width
        if offset:
            code -= offset
    else:
        keys, code = dense(bkey)
        code *= width  # in place (dense's own array)
        if lo_a:
            code -= lo_a
    if a is not None:
        code += a
    return keys, answers, code


@dataclass(frozen=True)
class PsuSums:
    """A question's sums per banner key and PSU, which the design's variances read, over the
    B banner keys with someone in the base (``key_first``: the first merged group of each,
    whose column memberships are the key's) and the N PSUs, of the weights (of ones when
    the table is unweighted, ``weighted``): a single-choice question's per answer
    (``answers``, kind "answers"), a multi-response question's per item then over its base
    ("items"), a numeric question's Σw·x then Σw ("value")."""

    sums: np.ndarray  # (B, S, N): a banner key's sums side by side, for column_sums
    key_first: np.ndarray  # (B,)
    kind: str
    weighted: bool
    answers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass(frozen=True)
class RespondentCodes:
    """The respondents of a pass fetched one row a respondent, numbered by the group
    (banner key, answer) they fall in (``code``: over _codes's range, ``outside`` for those
    outside the base); the M merged groups with someone in the base (``found``: their
    numbers, in order of key then answer), with their counts and Σw² and their places in
    the grid of the B banner keys (``keys``) by the A answers (``answers``) someone in the
    base gives (``grid``); and each respondent's cell (grid place·N + PSU, B·A·N + PSU
    outside the base)."""

    code: np.ndarray  # (n,)
    outside: int
    found: np.ndarray  # (M,)
    grid: np.ndarray  # (M,)
    cell: np.ndarray  # (n,)
    keys: np.ndarray  # (B,)
    answers: np.ndarray  # (A,)
    count: np.ndarray  # (M,)
    w2: np.ndarray  # (M,)

    @property
    def bkey(self) -> np.ndarray:
        """(M,) each merged group's banner key."""
        out: np.ndarray = self.keys[self.grid // max(len(self.answers), 1)]
        return out

    @property
    def answer(self) -> np.ndarray:
        """(M,) each merged group's answer."""
        out: np.ndarray = self.answers[self.grid % max(len(self.answers), 1)]
        return out


def respondent_codes(info: DesignInfo, ok: np.ndarray, bkey: np.ndarray,
                     answer: np.ndarray | None, cells: bool = True) -> RespondentCodes:
    """The merged groups of the respondents of a pass (``ok``: in its base) and each
    respondent's (and, ``cells``, each one's cell): lookup tables and bincounts over the
    respondents, no sort, no hash; but for numbers too many for a table (a numeric
    question's values), the base's own, sorted."""
    if len(ok) != len(info.respondent_psu):
        raise EngineError("The survey's data changed while it was open; open it again.")
    if answer is not None and not np.can_cast(answer.dtype, np.int64):
        answer = np.round(answer).astype(np.int64)  # codes are whole numbers, of any type
    keys, answers, code = _codes(bkey, answer)
    full, width = len(keys) * len(answers), max(len(answers), 1)
    if full < max(4 * len(code), 1 << 16):
        if not ok.all():
            np.copyto(code, full, where=~ok)
        count = np.bincount(code, minlength=full + 1)[:full]
        number = found = np.flatnonzero(count)  # the merged groups' numbers
        count = count[found]
    else:
        number, inner, count = np.unique(code[ok], return_inverse=True, return_counts=True)
        full = len(number)
        code = np.full(len(code), full, dtype=np.int64)
        code[ok] = inner.reshape(-1)
        found = np.arange(full)
    key_at, key_of = np.unique(number // width, return_inverse=True)  # a few hundred
    answer_at, answer_of = np.unique(number % width, return_inverse=True)
    grid = key_of.reshape(-1) * len(answer_at) + answer_of.reshape(-1)
    n = len(info.keys)
    cell = code[:0]
    if cells:
        table = np.full(full + 1, len(key_at) * len(answer_at) * n, dtype=np.int64)
        table[found] = grid * n  # each number's cell but for the PSU
        cell = table[code]
        cell += info.respondent_psu
    return RespondentCodes(code, full, found, grid, cell, keys[key_at], answers[answer_at],
                           count, np.bincount(code, weights=info.respondent_weight2,
                                              minlength=full + 1)[found])


def respondent_sums(info: DesignInfo, codes: RespondentCodes, weighted: bool
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Each merged group's count, Σw and Σw² (M, 3), and the Σw (count, unweighted) of each
    banner key and answer in each PSU (B, A, N): one bincount over the respondents' cells,
    whose sums over the PSUs are the groups' own; the other of Σw and count, one over
    their groups."""
    b, a, n = len(codes.keys), max(len(codes.answers), 1), len(info.keys)
    w = info.respondent_weight
    totals = np.bincount(codes.cell, w if weighted else None, minlength=(b * a + 1) * n)
    totals = totals[:b * a * n].reshape(b, a, n).astype(np.float64, copy=False)
    sw = totals.reshape(b * a, n).sum(axis=1)[codes.grid] if weighted else np.bincount(
        codes.code, weights=w, minlength=codes.outside + 1)[codes.found]
    return np.column_stack([codes.count.astype(np.float64), sw, codes.w2]), totals


def key_first(codes: RespondentCodes) -> np.ndarray:
    """(B,) the first merged group of each banner key (its column memberships the key's)."""
    out: np.ndarray = np.searchsorted(codes.grid // max(len(codes.answers), 1),
                                      np.arange(len(codes.keys)))
    return out


def key_sums(of: np.ndarray, merged_key: np.ndarray, psu: np.ndarray, n_psu: int,
             values: np.ndarray, kind: str, weighted: bool) -> PsuSums:
    """The PsuSums of G groups of a pass grouped by PSU too (``psu``: each group's PSU,
    ``of``: its merged group, whose banner keys ``merged_key`` come in order), from their
    ``values`` (G, S): a bincount a sum over (banner key, PSU)."""
    keys, b = dense(merged_key)
    at = b[of] * n_psu + psu.astype(np.int64)
    sums = np.stack([np.bincount(at, weights=v, minlength=len(keys) * n_psu)
                     for v in values.T]).reshape(values.shape[1], len(keys), n_psu)
    return PsuSums(np.ascontiguousarray(sums.transpose(1, 0, 2)),
                   np.searchsorted(b, np.arange(len(keys))), kind, weighted)


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
    return scaled_squares(centre(x, info), info)


def centre(x: np.ndarray, info: DesignInfo) -> np.ndarray:
    """``x`` (…, N) less the mean of each stratum's PSUs (all n_h of them)."""
    means = np.add.reduceat(x, info.starts, axis=-1) / info.n_psu
    out: np.ndarray = x - np.repeat(means, info.n_psu, axis=-1)
    return out


def scaled_squares(centred: np.ndarray, info: DesignInfo) -> np.ndarray:
    """Σ_i scale_i·c_i² over the last axis of ``centred`` (…, N), in one pass."""
    out: np.ndarray = np.einsum("...i,...i,i->...", centred, centred, info.scale)
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
    runs when the groups come in order, else a bincount a column; either way each group's
    rows are added in their order."""
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


def merged_groups(bkey: np.ndarray, answer: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Groups merged across PSUs: each group's merged group, and the banner key and answer
    of each merged group, in order of key then answer."""
    keys, answers, code = _codes(bkey, answer)
    found, pair = dense(code)
    return pair, keys[found // len(answers)], answers[found % len(answers)]


@dataclass(frozen=True)
class Domains:
    """One question's sums per banner key and PSU (PsuSums.sums, (B, S, N)), with each of
    its R rows' numerator (Σ w·y) and denominator (Σ w) a combination of those sums
    (``mix``: two (R, S) matrices)."""

    sums: np.ndarray
    mix: tuple[np.ndarray, np.ndarray]


def column_sums(sums: np.ndarray, member: np.ndarray) -> np.ndarray:
    """(K, S, N): the sums (B, S, N) of each column's banner keys (``member``, (K, B)), a
    key's block at a time. (Not a matrix product: BLAS's threads, spinning while they
    wait, took the CPUs DuckDB and numpy needed on a busy machine, ten times the work.)"""
    out = np.zeros((len(member), *sums.shape[1:]))
    for k, b in zip(*np.nonzero(member), strict=True):
        out[k] += sums[b]
    return out


def combine(mix: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(R, K, N): each row's combination ``mix`` (R, S) of the sums ``cols`` (K, S, N),
    adding only the sums a row takes (a row takes one answer, or a few)."""
    out = np.zeros((len(mix), cols.shape[0], cols.shape[2]))
    for r, s in zip(*np.nonzero(mix), strict=True):
        out[r] += cols[:, s] if mix[r, s] == 1 else mix[r, s] * cols[:, s]
    return out


def linearised(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (row, column)'s ratio, its Σ w, and its linearised values summed per PSU, from
    its numerators and denominators per PSU (R, K, N)."""
    w = den.sum(axis=-1)
    has = w > 0
    safe = np.where(has, w, 1.0)
    est = np.where(has, num.sum(axis=-1) / safe, np.nan)
    u = (num - np.where(has, est, 0.0)[..., None] * den) / safe[..., None]
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
    question's compared columns over its banner keys (K, B) and its rows' sums per banner
    key and PSU; rows sharing a denominator (a single-choice question's categories, every
    item of a multi-response one) share its sums and the degrees of freedom it gives."""
    from heetui.engine.stats import design_zs

    x, y = pairs
    n_rows, k = len(is_mean), len(members[0]) if members else 0
    out = DesignStats(np.full((n_rows, k), np.nan), np.full((n_rows, len(x)), np.nan),
                      np.zeros((n_rows, len(x)), dtype=np.int64), np.zeros((n_rows, len(x))))
    r0 = 0
    for member, dom in zip(members, domains, strict=True):
        r1 = r0 + len(dom.mix[0])
        cols = column_sums(dom.sums, member)
        dens, which = np.unique(dom.mix[1], axis=0, return_inverse=True)
        which = which.reshape(-1)
        den = combine(dens, cols)
        est, w, u = linearised(combine(dom.mix[0], cols), den[which])
        centred = centre(u, info)  # a difference of centred values is centred
        var = scaled_squares(centred, info)
        df = _pair_df((den[:, x] > 0) | (den[:, y] > 0), info)[which]
        z, why = design_zs(est, w, var, scaled_squares(centred[:, x] - centred[:, y], info),
                           (x, y), is_mean[r0:r1, None], df)
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
