"""The distribution of a numeric question in each banner column, as a histogram.

The counts come from the crosstab's own grouped DuckDB pass (engine.crosstab.grouped: one
group per banner key and value, with its count and Σw), so a histogram and the table of the
same request count the same respondents. Bins are one round width (1, 2 or 5 × 10^k) for
every column, from a multiple of the width at or below the smallest value, each bin
holding [start, start + width); the last holds the largest value. Weighted requests count
Σw (weights as frequencies, as the table's quantiles do); unweighted ones count respondents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from heetui.engine.banner import column_specs, key_fields
from heetui.engine.crosstab import TabRequest, grouped, resolve
from heetui.engine.filters import Filter
from heetui.engine.session import Survey
from heetui.engine.steps import decimals_of, round_steps
from heetui.errors import EngineError
from heetui.survey.codebook import Variable

MAX_BINS = 20


@dataclass(frozen=True)
class Histogram:
    """Per banner column (``keys``, the crosstab's column keys), the respondents (Σw when
    weighted) in each bin between consecutive ``edges``."""

    question: str
    keys: tuple[str, ...]
    edges: tuple[float, ...]
    counts: tuple[tuple[float, ...], ...]  # one row per column, one count per bin
    weighted: bool

    @property
    def width(self) -> float:
        return round(self.edges[1] - self.edges[0], self.decimals)

    @property
    def decimals(self) -> int:
        """The decimals that write the width and every edge exactly."""
        return decimals_of(self.edges[1] - self.edges[0])


def bin_width(lo: float, hi: float, max_bins: int = MAX_BINS, whole: bool = False) -> float:
    """The narrowest round width (steps.round_steps) that covers ``lo``..``hi`` in at most
    ``max_bins`` bins; 1 at least when the values are ``whole`` numbers (no bin between two
    whole numbers, always empty). One value (``hi`` == ``lo``) gets one bin, the power of
    ten of its leading digit (2.5: 1; 0.0003: 0.0001; 0: 1)."""
    if hi <= lo:
        size = 10.0 ** math.floor(math.log10(abs(lo))) if lo else 1.0
        return max(size, 1.0) if whole else size
    finest = max((hi - lo) / max_bins, 1.0) if whole else (hi - lo) / max_bins
    for w, _ in round_steps(finest, 4):
        if math.floor(hi / w + 1e-9) - math.floor(lo / w + 1e-9) + 1 <= max_bins:
            return w
    raise AssertionError("a step of a thousand times the finest covers the span in one bin")


def no_distribution(q: Variable, group: tuple[Filter, ...] = ()) -> str | None:
    """Why question ``q`` (of a profile's ``group`` when one is given) has no distribution
    to draw as a histogram or box plots, in one sentence; None when it has one. The one
    rule the engine's histogram and the charts' kinds (output.plotext_charts) both read."""
    if group:
        return "A profile's group has no histogram: chart its question by a banner instead."
    if q.type != "numeric":
        return (f"{q.id!r} is not a numeric question: a histogram or box plots need numbers "
                "(draw its bars, or its means where it has a scale).")
    return None


def histogram(survey: Survey, req: TabRequest, max_bins: int = MAX_BINS) -> Histogram:
    """The histogram of the request's numeric question in each column of its banner."""
    q, b, coded = resolve(survey, req)
    refused = no_distribution(q, req.group)
    if refused:
        raise EngineError(refused)
    g = grouped(survey, q, b, req.filters, coded, req.group)
    specs = column_specs(b, key_fields(b.variables if b else ()), g.bkey)
    x = g.xvalue if g.xvalue is not None else np.zeros(0)
    w = g.base[:, 1] if req.weighted else g.base[:, 0]
    seen = (w > 0) & np.isfinite(x)
    if not seen.any():
        return Histogram(q.id, tuple(s.key for s in specs), (0.0, 1.0),
                         tuple((0.0,) for _ in specs), req.weighted)
    lo, hi = float(x[seen].min()), float(x[seen].max())
    width = bin_width(lo, hi, max_bins, whole=bool(np.all(x[seen] == np.round(x[seen]))))
    first = math.floor(lo / width + 1e-9)
    n = math.floor(hi / width + 1e-9) - first + 1
    index = np.clip(np.floor(x / width + 1e-9).astype(np.int64) - first, 0, n - 1)
    counts = tuple(tuple(float(c) for c in np.bincount(index[s.member & seen],
                                                       weights=w[s.member & seen],
                                                       minlength=n))
                   for s in specs)
    edges = tuple(round((first + i) * width, decimals_of(width)) for i in range(n + 1))
    return Histogram(q.id, tuple(s.key for s in specs), edges, counts, req.weighted)
