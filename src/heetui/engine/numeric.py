"""Summary statistics of a numeric question in each banner column, from its distribution:
the grouped pass of a numeric question counts respondents per (banner key, value), so a
column's values and their weights are the groups it holds.

Conventions (weighted: the survey weight; unweighted: 1 per respondent):
- standard deviation: √((Σwx² − (Σwx)²/Σw) / (Σw − 1)), weights as frequencies, as SPSS
  computes a weighted SD (the sample SD when unweighted);
- quantiles: the averaged inverted distribution function (Hyndman–Fan type 2): the value
  where the cumulative weight first reaches p·Σw, or the mean of it and the next value
  when it reaches p·Σw exactly (so the median of an even count is the mean of the two
  middle values; Excel's QUARTILE.INC can differ for quartiles, never for the median);
- minimum and maximum over the respondents with a positive weight.
No test is made on these rows; the mean row above them is tested.
"""

from __future__ import annotations

import math

import numpy as np

from heetui.engine.results import Cell, Row

STATS: tuple[tuple[str, str], ...] = (
    ("sd", "Standard deviation"), ("min", "Minimum"), ("q1", "Lower quartile"),
    ("median", "Median"), ("q3", "Upper quartile"), ("max", "Maximum"))
QUANTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}


def weighted_quantile(x: np.ndarray, w: np.ndarray, p: float) -> float:
    """Type-2 quantile of sorted values ``x`` with positive weights ``w``."""
    cum = np.cumsum(w)
    target = p * cum[-1]
    tol = 1e-9 * cum[-1]
    i = int(np.searchsorted(cum, target - tol, side="left"))
    i = min(i, len(x) - 1)
    if abs(cum[i] - target) <= tol and i + 1 < len(x):
        return float((x[i] + x[i + 1]) / 2)
    return float(x[i])


def summary(x: np.ndarray, w: np.ndarray) -> dict[str, float | None]:
    """Every statistic of STATS for values ``x`` with weights ``w`` (any order)."""
    keep = w > 0
    x, w = x[keep], w[keep]
    if len(x) == 0:
        return {k: None for k, _ in STATS}
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    total = float(w.sum())
    mean = float((w * x).sum()) / total
    ss = float((w * (x - mean) ** 2).sum())
    out: dict[str, float | None] = {
        "sd": math.sqrt(ss / (total - 1)) if total > 1 else None,
        "min": float(x[0]), "max": float(x[-1])}
    out.update({k: weighted_quantile(x, w, p) for k, p in QUANTILES.items()})
    return out


def summary_rows(values: np.ndarray, base: np.ndarray, member: np.ndarray,
                 weighted: bool) -> list[Row]:
    """Rows of STATS for each column of ``member`` (C, G): ``values`` (G,) the value of
    each group, ``base`` (G, 3) its count, Σw and Σw²."""
    weight = base[:, 1] if weighted else base[:, 0]
    per_column = []
    for m in member:
        per_column.append((summary(values[m], weight[m]), int(base[m, 0].sum()),
                           float(base[m, 1].sum())))
    return [Row(key, label, "stat", (), tuple(Cell(n, sw, None, s[key]) for s, n, sw in
                                              per_column))
            for key, label in STATS]
