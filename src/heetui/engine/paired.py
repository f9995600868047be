"""Estimates of a grid's items and the paired test between two items (plain numpy).

Two items of a grid are answered by the same respondents, so their estimates are not
independent. The test of item a against item b uses the linearised (Taylor) variance of the
difference of two ratio estimates over overlapping sets of respondents:

    Var(m_a − m_b) = Σᵢ wᵢ² (f_a·r_aᵢ/W_a − f_b·r_bᵢ/W_b)²

r_aᵢ = y_aᵢ − m_a for a respondent in a's base (0 outside it), W_a the base's Σw, and f the
small-sample factor: √(n/(n−1)) for means (as for a column mean's SE), 1 for percents.
Unweighted, with every respondent answering both items, this is the paired z: for a percent
the Wald test of two dependent proportions, (b − c)/√(b + c − (b − c)²/n) from the 2×2 table's
discordant counts b and c; for a mean the paired t statistic, d̄/(s_d/√n). Without pooling:
the two proportions are of different questions, so there is no common p̄ to pool.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from heetui.engine.stats import NO_VARIATION, ZTest, mean_from_moments

SAME_ANSWERS = "every respondent gave the two items the same answer"
NO_ITEM_MEAN = "an item has no mean"
NO_ITEM_WEIGHT = "an item has no weight (sum of weights 0)"


@dataclass(frozen=True)
class Measure:
    """A column of a grid's summary: y per answer code (1 for the codes of a scale point or
    net, the score for a mean), counted over respondents whose code is in ``base``."""

    key: str
    label: str
    kind: Literal["category", "net", "mean"]
    y: dict[int, float]
    codes: tuple[int, ...]  # the codes the column stands for (drill-down)
    base: set[int]


@dataclass(frozen=True)
class Estimate:
    count: int  # respondents in the cell (a mean: in its base)
    weighted_count: float
    value: float | None  # the percent (0–100) or the mean
    se: float | None  # a mean's standard error
    n: int  # respondents in the base
    sw: float  # the base's Σw under the estimate (n unweighted)


def _weights(sums: np.ndarray, weighted: bool) -> tuple[np.ndarray, np.ndarray]:
    """Σw and Σw² under the estimate: real weights, or 1 per respondent."""
    return (sums[:, 1], sums[:, 2]) if weighted else (sums[:, 0], sums[:, 0])


def _y(m: Measure, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # a few dozen codes per pair of items, tens of thousands of pairs in a book of grids:
    # set lookups on a list cost a tenth of np.isin's fixed overhead here
    keys = codes.tolist()
    inside = np.array([c in m.base for c in keys], dtype=bool)
    y = np.array([m.y.get(c, 0.0) for c in keys], dtype=np.float64)
    return inside, y


def estimate(m: Measure, codes: np.ndarray, sums: np.ndarray, weighted: bool) -> Estimate:
    """An item's estimate from its distribution (codes, and count, Σw, Σw² per code)."""
    inside, y = _y(m, codes)
    sw, sw2 = _weights(sums, weighted)
    n_base, w_base = float(sums[inside, 0].sum()), float(sw[inside].sum())
    if m.kind == "mean":
        x = y[inside]
        s, s2 = sw[inside], sw2[inside]
        mom = np.array([n_base, s.sum(), (s * x).sum(), s2.sum(), (s2 * x).sum(),
                        (s2 * x * x).sum()])
        stat = mean_from_moments(mom)
        return Estimate(int(n_base), float(sums[inside, 1].sum()),
                        None if stat is None else stat.mean, None if stat is None else stat.se,
                        int(n_base), w_base)
    hit = inside & (y != 0)
    value = float((sw[hit] * y[hit]).sum()) / w_base if w_base > 0 else None
    return Estimate(int(sums[hit, 0].sum()), float(sums[hit, 1].sum()),
                    None if value is None else 100.0 * value, None, int(n_base), w_base)


@dataclass(frozen=True)
class PairSums:
    """The joint distribution of two items: codes of a and b, and (count, Σw, Σw²) of the
    respondents giving each pair of codes."""

    codes_a: np.ndarray
    codes_b: np.ndarray
    sums: np.ndarray


def _factor(m: Measure, e: Estimate) -> float:
    return math.sqrt(e.n / (e.n - 1)) if m.kind == "mean" and e.n > 1 else 1.0


# each code of a pair's table looked up in a measure: (in a's base, a's y, in b's, b's y)
Looked = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def look_up(m: Measure, pair: PairSums) -> Looked:
    """The codes of a joint table (or of many, end to end) looked up in ``m``, once."""
    return (*_y(m, pair.codes_a), *_y(m, pair.codes_b))


def paired_z(m: Measure, pair: PairSums, a: Estimate, b: Estimate, weighted: bool,
             looked: Looked | None = None) -> ZTest:
    """z for item a's estimate minus item b's (see the module notes); ``looked``: the
    pair's codes already looked up in ``m`` (look_up), as for every pair of a grid at
    once."""
    if a.value is None or b.value is None:
        return ZTest(None, NO_ITEM_MEAN if m.kind == "mean" else NO_ITEM_WEIGHT)
    if a.sw <= 0 or b.sw <= 0:
        return ZTest(None, NO_ITEM_WEIGHT)
    scale = 1.0 if m.kind == "mean" else 100.0  # proportions are held as percents
    in_a, ya, in_b, yb = look_up(m, pair) if looked is None else looked
    _, sw2 = _weights(pair.sums, weighted)
    ra = np.where(in_a, ya - a.value / scale, 0.0) * _factor(m, a) / a.sw
    rb = np.where(in_b, yb - b.value / scale, 0.0) * _factor(m, b) / b.sw
    spread = float((sw2 * (ra * ra + rb * rb)).sum())
    if spread <= 0:
        return ZTest(None, NO_VARIATION)
    var = float((sw2 * (ra - rb) ** 2).sum())
    if var <= 1e-12 * spread:
        return ZTest(None, SAME_ANSWERS)
    return ZTest((a.value - b.value) / scale / math.sqrt(var))
