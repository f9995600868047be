"""Statistics used by the tabulation engine, in plain Python (no DuckDB here).

Conventions (see README "Statistics conventions"):
- effective base (Kish): (Σw)² / Σw²
- column-proportion test: two-sample z, pooled proportion, no continuity correction,
  effective bases when weighted; overlapping columns subtract the covariance of the
  shared respondents: SE = √(p̄(1−p̄)(1/e1 + 1/e2 − 2·e12/(e1·e2)))
- means: linearised (Taylor) standard error of a weighted mean,
  SE² = n/(n−1) · Σ w²(x − x̄)² / (Σw)², which is s²/n when unweighted
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Correction = Literal["none", "bonferroni", "bh"]
CORRECTIONS: tuple[str, ...] = ("none", "bonferroni", "bh")


def effective_base(sw: float, sw2: float) -> float:
    return sw * sw / sw2 if sw2 > 0 else 0.0


def normal_p_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


def proportion_z(p1: float, e1: float, p2: float, e2: float, e12: float = 0.0) -> float | None:
    """z statistic for p1 − p2; None when a base is empty. e12 is the overlap's base."""
    if e1 <= 0 or e2 <= 0:
        return None
    pooled = (p1 * e1 + p2 * e2) / (e1 + e2)
    factor = 1.0 / e1 + 1.0 / e2 - 2.0 * e12 / (e1 * e2)
    var = pooled * (1.0 - pooled) * factor
    if var <= 1e-15:
        return 0.0 if abs(p1 - p2) < 1e-12 else None
    return (p1 - p2) / math.sqrt(var)


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
    n = min(m1.n, m2.n)
    factor = n / (n - 1) if n > 1 else 1.0
    return factor * cross / (m1.sw * m2.sw)


def mean_z(m1: MeanStat, m2: MeanStat, cov: float = 0.0) -> float | None:
    if m1.se is None or m2.se is None:
        return None
    var = m1.se ** 2 + m2.se ** 2 - 2.0 * cov
    if var <= 1e-15:
        return 0.0 if abs(m1.mean - m2.mean) < 1e-12 else None
    return (m1.mean - m2.mean) / math.sqrt(var)


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
