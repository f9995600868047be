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

The grouped pass groups respondents by PSU too (``psu_sql``: a key of stratum and PSU),
so the per-PSU sums of every column, row and pair come from its sums, without another
scan: a row's numerator and a column's denominator per (banner key, PSU) are summed into
columns by one matrix product, then centred within strata.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
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
    h = strata.astype(np.int64)
    n_psu = np.bincount(h)
    starts = np.concatenate([[0], np.cumsum(n_psu)[:-1]]).astype(np.int64)
    n = n_psu[h].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        finite = 1.0 - (_fraction(fpcs.astype(np.float64), n) if d.fpc else 0.0)
        scale = np.where(n > 1, finite * n / (n - 1), 0.0)
    return DesignInfo(keys, np.argsort(keys, kind="stable"), starts, n_psu, scale,
                      d.fpc is not None)


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


@dataclass(frozen=True)
class Domains:
    """One question's rows by the compared columns, per PSU: the numerator (Σ w·y) and
    denominator (Σ w) of each row's ratio in each column, (R, K, N)."""

    num: np.ndarray
    den: np.ndarray


def domains(member: np.ndarray, bkey: np.ndarray, psu: np.ndarray, base: np.ndarray,
            entries: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
            is_mean: np.ndarray, n_psu: int) -> Domains:
    """Per-PSU sums of one question's rows in the columns of ``member`` (K, G), from its G
    groups' banner keys, PSUs and base Σw, and its row entries (local row, group, Σ w·y,
    Σ w of the respondents with a value): a proportion's denominator is the column base,
    a mean's the respondents with a value. Groups of one banner key belong to the same
    columns, so the sums per (banner key, PSU) are mapped to columns by one product."""
    keys, first, inverse = np.unique(bkey, return_index=True, return_inverse=True)
    n_keys, n_rows = len(keys), len(is_mean)
    by_key = member[:, first].astype(np.float64)  # (K, B)
    row, group, num, den = entries
    at = (inverse[group] * n_rows + row) * n_psu + psu[group]  # (B, R, N), flat

    def per_key(values: np.ndarray) -> np.ndarray:
        return np.bincount(at, weights=values, minlength=n_keys * n_rows * n_psu).reshape(
            n_keys, n_rows * n_psu)

    def to_columns(sums: np.ndarray) -> np.ndarray:  # (B, R·N) -> (R, K, N), one product
        out: np.ndarray = (by_key @ sums).reshape(len(by_key), n_rows, n_psu)
        return out.transpose(1, 0, 2)

    base_cells = np.bincount(inverse * n_psu + psu, weights=base,
                             minlength=n_keys * n_psu).reshape(n_keys, 1, n_psu)
    denominators = np.where(is_mean[None, :, None],
                            per_key(den).reshape(n_keys, n_rows, n_psu), base_cells)
    return Domains(to_columns(per_key(num)),
                   to_columns(denominators.reshape(n_keys, n_rows * n_psu)))


def linearised(dom: Domains) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (row, column)'s ratio, its Σ w, and its linearised values summed per PSU."""
    w = dom.den.sum(axis=-1)
    has = w > 0
    safe = np.where(has, w, 1.0)
    est = np.where(has, dom.num.sum(axis=-1) / safe, np.nan)
    u = (dom.num - np.where(has, est, 0.0)[..., None] * dom.den) / safe[..., None]
    return est, w, u


@dataclass(frozen=True)
class Entries:
    """A stack's row entries (engine.tabulation): each (row, group) pair's row, group, and
    the numerator and denominator its row's ratio takes from the group."""

    row: np.ndarray
    group: np.ndarray
    num: np.ndarray
    den: np.ndarray


@dataclass(frozen=True)
class DesignStats:
    """Every row's design-based SE in each compared column (R, K), and each candidate
    test's statistic, why it was not made (stats.REASONS) and degrees of freedom (R, P)."""

    se: np.ndarray
    z: np.ndarray
    why: np.ndarray
    df: np.ndarray


def design_stats(info: DesignInfo, member: np.ndarray, groups: tuple[np.ndarray, np.ndarray,
                                                                      np.ndarray],
                 group_first: list[int], row_first: list[int], is_mean: np.ndarray,
                 entries: Entries, pairs: tuple[np.ndarray, np.ndarray]) -> DesignStats:
    """The design-based numbers of every table of a stack, question by question: ``member``
    (K, G) the compared columns, ``groups`` each group's banner key, PSU and base Σw."""
    from heetui.engine.stats import design_zs

    bkey, psu, base = groups
    x, y = pairs
    n_rows, k = len(is_mean), len(member)
    out = DesignStats(np.full((n_rows, k), np.nan), np.full((n_rows, len(x)), np.nan),
                      np.zeros((n_rows, len(x)), dtype=np.int64), np.zeros((n_rows, len(x))))
    order = np.argsort(entries.row, kind="stable")
    bounds = np.searchsorted(entries.row[order], row_first)
    for j in range(len(group_first) - 1):
        g0, g1, r0, r1 = group_first[j], group_first[j + 1], row_first[j], row_first[j + 1]
        at = order[bounds[j]:bounds[j + 1]]
        local = (entries.row[at] - r0, entries.group[at] - g0, entries.num[at],
                 entries.den[at])
        dom = domains(member[:, g0:g1], bkey[g0:g1], psu[g0:g1], base[g0:g1], local,
                      is_mean[r0:r1], len(info.keys))
        est, w, u = linearised(dom)
        var = variance(u, info)
        diff = u[:, x] - u[:, y]
        df = _pair_df((dom.den[:, x] > 0) | (dom.den[:, y] > 0), info)
        z, why = design_zs(est, w, var, variance(diff, info), (x, y), is_mean[r0:r1, None],
                           df)
        out.se[r0:r1] = np.sqrt(var)
        out.z[r0:r1], out.why[r0:r1], out.df[r0:r1] = z, why, df
    return out


def _pair_df(present: np.ndarray, info: DesignInfo) -> np.ndarray:
    """Degrees of freedom of each test, as R's svyttest counts them on the design restricted
    to the two columns: the PSUs they reach, less the strata those lie in, less one."""
    psus = present.sum(axis=-1)
    strata = (np.add.reduceat(present, info.starts, axis=-1) > 0).sum(axis=-1)
    df: np.ndarray = psus - strata - 1
    return df
