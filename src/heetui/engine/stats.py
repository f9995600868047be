"""Statistics used by the tabulation engine, in numpy (no DuckDB here). The tests are
computed element by element over arrays (every pair of every row of many tables at once,
engine.tabulation), with the same operations in the same order as for one pair.

Conventions (see README "Statistics conventions"):
- effective base (Kish): (Σw)² / Σw²
- column-proportion test: two-sample z, pooled proportion p̄ = (e1·p1 + e2·p2)/(e1 + e2)
  over effective bases, no continuity correction. The variance of p1 − p2 is the
  linearised one, p̄(1−p̄)·(Σ₁w²/W1² + Σ₂w²/W2² − 2·Σ₁₂w²/(W1·W2)), Σ₁₂ over the
  respondents in both columns (0 for disjoint columns). Written per respondent it is
  p̄(1−p̄)·Σᵢ wᵢ²(aᵢ/W1 − bᵢ/W2)² with aᵢ, bᵢ membership of the columns, so it is never
  negative; unweighted it is p̄(1−p̄)(1/n1 + 1/n2 − 2·n12/(n1·n2)).
- means: linearised (Taylor) standard error of a weighted mean,
  SE² = n/(n−1) · Σ w²(x − x̄)² / (Σw)², which is s²/n when unweighted; two overlapping
  columns' means covary through their shared respondents: each respondent's residual is
  scaled by its column's √(n/(n−1)), so Var(m1 − m2) = Σᵢ wᵢ²(aᵢc1r1ᵢ/W1 − bᵢc2r2ᵢ/W2)²,
  again never negative.
- a pair that cannot be tested (no Σw, no variation, the same respondents in both
  columns) gets a reason instead of a statistic; it is left out of the multiplicity
  correction, as it is not a test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from heetui.choices import CORRECTIONS, Correction


def effective_bases(sw: np.ndarray, sw2: np.ndarray) -> np.ndarray:
    """Kish's effective base of each column, 0 where no column has weight."""
    with np.errstate(divide="ignore", invalid="ignore"):
        eff: np.ndarray = np.where(sw2 > 0, sw * sw / sw2, 0.0)
    return eff


def effective_base(sw: float, sw2: float) -> float:
    return float(effective_bases(np.asarray(sw, dtype=np.float64),
                                 np.asarray(sw2, dtype=np.float64)))


def normal_p_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


@dataclass(frozen=True)
class ZTest:
    """A z statistic, or the reason the pair could not be tested."""

    z: float | None
    reason: str | None = None


NO_WEIGHT = "a column has no weight (sum of weights 0)"
NO_VARIATION = "no variation: every respondent compared gave the same answer"
SAME_RESPONDENTS = "the two columns hold the same respondents"
NO_MEAN = "a column has no mean or fewer than two respondents"
FEW_PSUS = "the two columns reach too few PSUs of the design for a test"
# why a pair was not tested, by the index the array tests below return (0: it was tested)
REASONS: tuple[str | None, ...] = (None, NO_WEIGHT, SAME_RESPONDENTS, NO_VARIATION, NO_MEAN,
                                   FEW_PSUS)
_WEIGHT, _SAME, _VARIATION, _MEAN, _FEW = range(1, 6)

Array = np.ndarray


ROUNDING = 64 * float(np.finfo(np.float64).eps)  # relative rounding error of a long sum


def _degenerate(factor: Array, scale: Array) -> Array:
    """A variance factor that is zero up to rounding, relative to its terms' size."""
    zero: Array = factor <= 1e-12 * scale
    return zero


def _tested(z: Array, conditions: list[Array], reasons: list[int]) -> tuple[Array, Array]:
    """z where no condition holds, else NaN; and the index in REASONS of the first
    condition that holds (0 where none does)."""
    why = np.select(conditions, reasons, 0)
    return np.where(why == 0, z, np.nan), why


def proportion_zs(p1: Array, w1: Array, s1: Array, p2: Array, w2: Array, s2: Array,
                  s12: Array) -> tuple[Array, Array]:
    """z for p1 − p2 from each column's Σw (w) and Σw² (s) and the Σw² of the respondents
    in both (s12), element by element; unweighted, counts for all three sums. Returns z
    (NaN where the pair cannot be tested) and why not (an index into REASONS)."""
    with np.errstate(all="ignore"):
        e1, e2 = w1 * w1 / s1, w2 * w2 / s2
        pooled = (p1 * e1 + p2 * e2) / (e1 + e2)
        a, b = s1 / (w1 * w1), s2 / (w2 * w2)
        factor = a + b - 2.0 * s12 / (w1 * w2)
        var = pooled * (1.0 - pooled) * factor
        z = (p1 - p2) / np.sqrt(var)
        return _tested(z, [(w1 <= 0) | (w2 <= 0) | (s1 <= 0) | (s2 <= 0),
                           _degenerate(factor, a + b), var <= 1e-15 * factor],
                       [_WEIGHT, _SAME, _VARIATION])


@dataclass(frozen=True)
class MeanStat:
    mean: float
    se: float | None
    n: int
    sw: float


# Moment sums of a set of respondents, in this order: n, Σw, Σwx, Σw², Σw²x, Σw²x²
# (unweighted: w = 1). Every mean, SE and covariance below is computed from them.
N, W, WX, W2, W2X, W2X2 = range(6)

# A column's mean by the arrays means_from_moments returns: mean, SE, n and Σw
Means = tuple[Array, Array, Array, Array]


def means_from_moments(m: Array) -> Means:
    """Weighted means with their linearised SE, SE² = n/(n−1) · Σw²(x − x̄)² / (Σw)², from
    moment sums (…, 6): the mean (NaN without respondents or weight), its SE (NaN also
    for fewer than two respondents), n and Σw."""
    n, w = np.round(m[..., N]), m[..., W]
    with np.errstate(all="ignore"):
        mean = m[..., WX] / w
        ss = m[..., W2X2] - 2 * mean * m[..., W2X] + mean * mean * m[..., W2]
        # values that are all the same leave rounding noise, not a spread: a few ulps of
        # the sum it is taken from (a real spread of a millionth of the values is kept)
        ss = np.where(ss <= ROUNDING * m[..., W2X2], 0.0, ss)
        se = np.sqrt(n / (n - 1) * ss / (w * w))
    has = (n != 0) & (w > 0)
    return np.where(has, mean, np.nan), np.where(has & (n >= 2), se, np.nan), n, w


def mean_from_moments(m: np.ndarray) -> MeanStat | None:
    """The mean of one set of moment sums (see means_from_moments), or None."""
    mean, se, n, w = (float(a) for a in means_from_moments(np.asarray(m, dtype=np.float64)))
    if math.isnan(mean):
        return None
    return MeanStat(mean, None if math.isnan(se) else se, int(n), w)


def _small_sample(n: Array) -> Array:
    factor: Array = np.where(n > 1, n / np.where(n > 1, n - 1, 1), 1.0)
    return factor


def mean_zs(first: Means, second: Means, shared: Array) -> tuple[Array, Array]:
    """z for the difference of two columns' means (see means_from_moments), element by
    element; ``shared`` (…, 6) the moment sums of the respondents in both, through which
    overlapping columns' means covary. Returns z (NaN where not tested) and why not."""
    m1, se1, n1, w1 = first
    m2, se2, n2, w2 = second
    with np.errstate(all="ignore"):
        cross = shared[..., W2X2] - (m1 + m2) * shared[..., W2X] + m1 * m2 * shared[..., W2]
        cov = np.sqrt(_small_sample(n1) * _small_sample(n2)) * cross / (w1 * w2)
        scale = se1 * se1 + se2 * se2
        var = scale - 2.0 * cov
        z = (m1 - m2) / np.sqrt(var)
        return _tested(z, [np.isnan(se1) | np.isnan(se2), scale <= 0,
                           _degenerate(var, scale)], [_MEAN, _VARIATION, _SAME])


def significant_at(p_adjusted: float, z: float, sig_level: float) -> bool:
    """The significance decision: an adjusted p below the level, for a real difference."""
    return bool(p_adjusted < sig_level and z != 0)


def level_letter(letter: str, strict: bool) -> str:
    """A beaten column's letter as a cell carries it: as it is (capitals) for a difference
    at the stricter level, lower-case for one at the looser of two levels only."""
    return letter if strict else letter.lower()


def vs_mark(up: bool, strict: bool) -> str:
    """A column against Total or its rest: "higher" or "lower" at the stricter level,
    "higher_loose" or "lower_loose" at the looser of two levels only."""
    return ("higher" if up else "lower") + ("" if strict else "_loose")


def check_levels(sig_level: float, loose_level: float | None) -> str | None:
    """Why the significance level(s) cannot be used, or None: each between 0 and 1, and a
    second level looser (greater) than the first."""
    for level in (sig_level, loose_level):
        if level is not None and not 0 < level < 1:
            return f"The significance level must be between 0 and 1, not {level:g}."
    if loose_level is not None and loose_level <= sig_level:
        return (f"The second significance level ({loose_level:g}) must be looser than the "
                f"first ({sig_level:g}), as in 0.05,0.10.")
    return None


def adjust(pvalues: Sequence[float], method: Correction) -> list[float]:
    """Multiplicity-adjusted p-values (Bonferroni, or Benjamini–Hochberg step-up)."""
    m = len(pvalues)
    if method == "none" or m == 0:
        return list(pvalues)
    if method == "bonferroni":
        return [min(1.0, p * m) for p in pvalues]
    if method == "bh":
        order = sorted(range(m), key=lambda i: pvalues[i])
        out = [0.0] * m
        running = 1.0
        for rank in range(m, 0, -1):
            i = order[rank - 1]
            running = min(running, pvalues[i] * m / rank)
            out[i] = min(1.0, running)
        return out
    raise ValueError(f"unknown correction {method!r}; expected one of {', '.join(CORRECTIONS)}")


def design_zs(est: Array, w: Array, var: Array, var_diff: Array, pairs: tuple[Array, Array],
              is_mean: Array, df: Array) -> tuple[Array, Array]:
    """The design-based statistic of each pair (x, y) of columns of each row:
    (est_x − est_y) / √Var(u_x − u_y), the variances of the columns (``var`` (R, K)) and of
    each pair's difference (``var_diff`` (R, P)) from engine.design, on ``df`` degrees of
    freedom. Returns it (NaN where not tested) and why not (an index into REASONS)."""
    x, y = pairs
    with np.errstate(all="ignore"):
        z = (est[:, x] - est[:, y]) / np.sqrt(var_diff)
        scale = var[:, x] + var[:, y]
        empty = (w[:, x] <= 0) | (w[:, y] <= 0) | np.isnan(est[:, x]) | np.isnan(est[:, y])
        return _tested(z, [empty & ~is_mean, empty, scale <= 1e-30,
                           _degenerate(var_diff, scale), df <= 0],
                       [_WEIGHT, _MEAN, _VARIATION, _SAME, _FEW])


def t_p_two_sided(t: Array, df: float) -> Array:
    """Two-sided p-values of Student's t with ``df`` degrees of freedom, element by element:
    P(|T| > |t|) = I_x(df/2, 1/2) at x = df/(df + t²), the regularised incomplete beta."""
    t = np.asarray(t, dtype=np.float64)
    with np.errstate(all="ignore"):
        if df <= LARGE_DF:
            p = incomplete_beta(df / (df + t * t), df / 2.0, 0.5)
        else:
            near = np.abs(t) < 1.5
            p = np.where(near, 1.0 - _near_zero(np.where(near, t, 0.0), df),
                         _far_tail(np.where(near, 2.0, t), df))
    return np.where(np.isnan(t), np.nan, np.clip(p, 0.0, 1.0))


LARGE_DF = 200  # beyond, the continued fraction takes hundreds of steps: quadrature
_LAGUERRE = np.polynomial.laguerre.laggauss(80)


def _log_beta_half(a: float) -> float:
    """ln B(a, ½) = ln Γ(½) − (ln Γ(a + ½) − ln Γ(a)), the difference by its expansion for
    large a (lgamma's two large values would lose its last digits)."""
    ratio = 0.5 * math.log(a) - 1.0 / (8.0 * a) + 1.0 / (192.0 * a ** 3)
    return math.lgamma(0.5) - ratio


def _near_zero(t: Array, df: float) -> Array:
    """P(|T| ≤ t) = I_y(½, df/2) at y = t²/(df + t²), for |t| < 1.5: its power series
    y^½(1 − y)^(df/2) / (½·B(½, df/2)) · Σₙ (df/2 + ½)ₙ / (3/2)ₙ · yⁿ."""
    a = df / 2.0
    y = t * t / (df + t * t)
    front = np.exp(0.5 * np.log(np.where(y > 0, y, 1.0)) + a * np.log1p(-y) - math.log(0.5)
                   - _log_beta_half(a))
    term = np.ones_like(y)
    total = np.ones_like(y)
    n = 0
    while (term > 1e-17 * total).any():
        term = term * (a + 0.5 + n) / (1.5 + n) * y
        total = total + term
        n += 1
    out: Array = np.where(y > 0, front * total, 0.0)
    return out


def _far_tail(t: Array, df: float) -> Array:
    """P(|T| > t) = I_x(df/2, ½) at x = df/(df + t²), for |t| ≥ 1.5: with u = x·e^(−v/a),
    x^a / (a·B(a, ½)) · ∫₀^∞ e^(−v) (1 − x·e^(−v/a))^(−½) dv, by Gauss–Laguerre quadrature
    (the integrand is smooth: its singularity lies near v = −t²/2)."""
    a = df / 2.0
    x = df / (df + t * t)
    nodes, weights = _LAGUERRE
    front = np.exp(a * np.log1p(-t * t / (df + t * t)) - math.log(a) - _log_beta_half(a))
    g = (1.0 - x[..., None] * np.exp(-nodes / a)) ** -0.5
    out: Array = front * (g * weights).sum(axis=-1)
    return out


def incomplete_beta(x: Array, a: float, b: float) -> Array:
    """The regularised incomplete beta I_x(a, b) of each x in [0, 1], by its continued
    fraction, evaluated where it converges fast (x below (a + 1)/(a + b + 2)) and through
    I_x(a, b) = 1 − I_{1−x}(b, a) above."""
    x = np.asarray(x, dtype=np.float64)
    out = np.where(x <= 0.0, 0.0, 1.0)
    inside = (x > 0.0) & (x < 1.0)
    xi = x[inside]
    low = xi < (a + 1.0) / (a + b + 2.0)
    front = np.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                   + a * np.log(xi) + b * np.log1p(-xi))
    direct = front * _fraction(np.where(low, xi, 0.5), a, b) / a
    mirror = 1.0 - front * _fraction(np.where(low, 0.5, 1.0 - xi), b, a) / b
    out[inside] = np.where(low, direct, mirror)
    return out


def _fraction(x: Array, a: float, b: float, steps: int = 20_000) -> Array:
    """The continued fraction of I_x(a, b) for x in (0, 1) (modified Lentz), until every
    element has converged to rounding (a relative 4e-16)."""
    tiny = 1e-300

    def guard(v: Array) -> Array:
        return np.where(np.abs(v) < tiny, tiny, v)

    c = np.ones_like(x)
    d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0))
    h = d.copy()
    for m in range(1, steps + 1):
        change = np.zeros_like(x)
        for coef in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                     -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 / guard(1.0 + coef * d)
            c = guard(1.0 + coef / c)
            h = h * d * c
            change = np.maximum(change, np.abs(d * c - 1.0))
        if not (change > 4e-16).any():
            break
    return h
