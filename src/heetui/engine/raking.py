"""Weighting arithmetic on cells: rim weighting (iterative proportional fitting), cell
weighting, caps, and the figures analysts check. Plain numpy, no DuckDB: engine.weighting
feeds it the cells of one grouped scan.

A *cell* is a combination of the weighting variables' answers (with a starting weight,
of those and the starting weight's value): every respondent in a cell ends with the same
weight, so raking needs only each cell's count, never the respondents themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Cells:
    """``codes[v][k]``: cell k's answer index (0 … answers−1) on weighting variable v;
    ``count[k]`` its respondents; ``start[k]`` their starting weight (1.0 without one)."""

    codes: list[Ints]
    count: Floats
    start: Floats


@dataclass(frozen=True)
class Fitted:
    weight: Floats  # each cell's weight (a respondent's), mean 1 over respondents
    iterations: int
    converged: bool


def margins(cells: Cells, weight: Floats, v: int, answers: int) -> Floats:
    """Weighted respondents in each answer of variable ``v``."""
    out: Floats = np.bincount(cells.codes[v], weights=cells.count * weight,
                              minlength=answers).astype(np.float64)
    return out


def rake(cells: Cells, targets: list[Floats], low: float | None = None,
         high: float | None = None, tolerance: float = 1e-10, max_iterations: int = 1000
         ) -> Fitted:
    """Rim weights: starting from ``start``, each variable's weighted shares are set to its
    ``targets`` (shares summing to 1) in turn, cycle after cycle. With caps, after each
    cycle the weights (mean 1) are clipped into [low, high] and brought back to mean 1
    until they lie within them. Stops when no weight changes by more than ``tolerance``
    in a cycle (converged), or after ``max_iterations`` cycles."""
    n = cells.count.sum()
    weight = cells.start * n / (cells.count * cells.start).sum()
    for iteration in range(1, max_iterations + 1):
        before = weight.copy()
        for v, share in enumerate(targets):
            have = margins(cells, weight, v, len(share))
            factor = np.divide(share * n, have, out=np.ones_like(have), where=have > 0)
            weight = weight * factor[cells.codes[v]]
        if low is not None or high is not None:
            weight = _capped(weight, cells.count, low, high)
        if np.max(np.abs(weight - before)) <= tolerance:
            return Fitted(weight, iteration, True)
    return Fitted(weight, max_iterations, False)


def _capped(weight: Floats, count: Floats, low: float | None, high: float | None,
            rounds: int = 1000) -> Floats:
    """Clip into [low, high] and rescale to mean 1, until the weights stay within."""
    n = count.sum()
    lo = -np.inf if low is None else low
    hi = np.inf if high is None else high
    for _ in range(rounds):
        if weight.min() >= lo - 1e-12 and weight.max() <= hi + 1e-12:
            break
        weight = np.clip(weight, lo, hi)
        weight = weight * n / (count * weight).sum()
    return weight


def cell_weights(cells: Cells, target: Floats) -> Floats:
    """Cell weights: each cell of the full cross (``codes[0]`` numbers the cells) weighted
    to its target share, keeping the starting weights' proportions within it."""
    n = cells.count.sum()
    have = np.bincount(cells.codes[0], weights=cells.count * cells.start,
                       minlength=len(target))
    factor = np.divide(target * n, have, out=np.zeros_like(have), where=have > 0)
    out: Floats = cells.start * factor[cells.codes[0]]
    return out


@dataclass(frozen=True)
class Spread:
    """What analysts read of a weight: efficiency (Σw)²/(nΣw²), effective sample size
    (Σw)²/Σw², extremes and their ratio."""

    respondents: int
    total: float
    efficiency: float
    effective_n: float
    low: float
    high: float

    @property
    def ratio(self) -> float:
        return self.high / self.low if self.low > 0 else float("inf")


def spread(weight: Floats, count: Floats) -> Spread:
    held = count > 0
    w, c = weight[held], count[held]
    n = float(c.sum())
    sw = float((c * w).sum())
    sw2 = float((c * w * w).sum())
    return Spread(int(n), sw, sw * sw / (n * sw2), sw * sw / sw2, float(w.min()),
                  float(w.max()))
