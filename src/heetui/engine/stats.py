"""Statistics used by the tabulation engine, in plain Python (no DuckDB here).

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

from heetui.engine.choices import CORRECTIONS, Correction


def effective_base(sw: float, sw2: float) -> float:
    return sw * sw / sw2 if sw2 > 0 else 0.0


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


def _degenerate(factor: float, scale: float) -> bool:
    """A variance factor that is zero up to rounding, relative to its terms' size."""
    return factor <= 1e-12 * scale


def proportion_z(p1: float, w1: float, s1: float, p2: float, w2: float, s2: float,
                 s12: float = 0.0) -> ZTest:
    """z for p1 − p2 from each column's Σw (w) and Σw² (s) and the Σw² of the respondents
    in both (s12). Unweighted, pass counts for all three sums."""
    if w1 <= 0 or w2 <= 0 or s1 <= 0 or s2 <= 0:
        return ZTest(None, NO_WEIGHT)
    e1, e2 = w1 * w1 / s1, w2 * w2 / s2
    pooled = (p1 * e1 + p2 * e2) / (e1 + e2)
    a, b = s1 / (w1 * w1), s2 / (w2 * w2)
    factor = a + b - 2.0 * s12 / (w1 * w2)
    if _degenerate(factor, a + b):
        return ZTest(None, SAME_RESPONDENTS)
    var = pooled * (1.0 - pooled) * factor
    if var <= 1e-15 * factor:
        return ZTest(None, NO_VARIATION)
    return ZTest((p1 - p2) / math.sqrt(var))


@dataclass(frozen=True)
class MeanStat:
    mean: float
    se: float | None
    n: int
    sw: float


# Moment sums of a set of respondents, in this order: n, Σw, Σwx, Σw², Σw²x, Σw²x²
# (unweighted: w = 1). Every mean, SE and covariance below is computed from them.
N, W, WX, W2, W2X, W2X2 = range(6)


def mean_from_moments(m: np.ndarray) -> MeanStat | None:
    """Weighted mean with its linearised SE: SE² = n/(n−1) · Σw²(x − x̄)² / (Σw)²."""
    n, w = int(round(m[N])), float(m[W])
    if n == 0 or w <= 0:
        return None
    mean = float(m[WX]) / w
    if n < 2:
        return MeanStat(mean, None, n, w)
    ss = float(m[W2X2] - 2 * mean * m[W2X] + mean * mean * m[W2])
    var = n / (n - 1) * max(ss, 0.0) / (w * w)
    return MeanStat(mean, math.sqrt(var), n, w)


def covariance_from_moments(shared: np.ndarray, m1: MeanStat, m2: MeanStat) -> float:
    """Covariance of two column means from the moments of the respondents they share."""
    cross = float(shared[W2X2] - (m1.mean + m2.mean) * shared[W2X] + m1.mean * m2.mean
                  * shared[W2])
    return math.sqrt(_small_sample(m1.n) * _small_sample(m2.n)) * cross / (m1.sw * m2.sw)


def _small_sample(n: int) -> float:
    return n / (n - 1) if n > 1 else 1.0


def mean_z(m1: MeanStat | None, m2: MeanStat | None, cov: float = 0.0) -> ZTest:
    if m1 is None or m2 is None or m1.se is None or m2.se is None:
        return ZTest(None, NO_MEAN)
    scale = m1.se ** 2 + m2.se ** 2
    if scale <= 0:
        return ZTest(None, NO_VARIATION)
    var = scale - 2.0 * cov
    if _degenerate(var, scale):
        return ZTest(None, SAME_RESPONDENTS)
    return ZTest((m1.mean - m2.mean) / math.sqrt(var))


def significant_at(p_adjusted: float, z: float, sig_level: float) -> bool:
    """The significance decision: an adjusted p below the level, for a real difference."""
    return bool(p_adjusted < sig_level and z != 0)


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
