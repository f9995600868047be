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

Correction = Literal["none", "bonferroni", "bh"]
CORRECTIONS: tuple[str, ...] = ("none", "bonferroni", "bh")


@dataclass(frozen=True)
class Agg:
    """Sums over a set of respondents: count, Σw, Σw²."""

    n: int = 0
    sw: float = 0.0
    sw2: float = 0.0

    def __add__(self, other: Agg) -> Agg:
        return Agg(self.n + other.n, self.sw + other.sw, self.sw2 + other.sw2)

    def unweighted(self) -> Agg:
        return Agg(self.n, float(self.n), float(self.n))

    @property
    def effective(self) -> float:
        return self.sw * self.sw / self.sw2 if self.sw2 > 0 else 0.0


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
    base: Agg


def weighted_mean(points: Sequence[tuple[float, Agg]]) -> MeanStat | None:
    """Mean of a variable constant within each group: points are (value, group sums)."""
    total = Agg()
    for _, a in points:
        total = total + a
    if total.n == 0 or total.sw <= 0:
        return None
    mean = sum(x * a.sw for x, a in points) / total.sw
    if total.n < 2:
        return MeanStat(mean, None, total)
    ss = sum(a.sw2 * (x - mean) ** 2 for x, a in points)
    var = total.n / (total.n - 1) * ss / (total.sw * total.sw)
    return MeanStat(mean, math.sqrt(var), total)


def mean_covariance(points: Sequence[tuple[float, Agg]], m1: MeanStat, m2: MeanStat) -> float:
    """Covariance of two column means from the respondents they share (``points``)."""
    shared = sum(a.sw2 * (x - m1.mean) * (x - m2.mean) for x, a in points)
    n_eff = min(m1.base.n, m2.base.n)
    factor = n_eff / (n_eff - 1) if n_eff > 1 else 1.0
    return factor * shared / (m1.base.sw * m2.base.sw)


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
