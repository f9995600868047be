"""Round steps: 1, 2 or 5 × 10^k, the one rule for a histogram's bin width and a chart
axis's step, with the decimals a value written in that step needs."""

from __future__ import annotations

import math


def decimals_of(step: float) -> int:
    """The decimals that write every multiple of the round ``step`` exactly (0.05: 2)."""
    return max(0, -math.floor(math.log10(step) + 1e-9))


def round_steps(finest: float, decades: int) -> list[tuple[float, int]]:
    """The round steps, finest first, from the decade of ``finest`` for ``decades``
    decades, each with its decimals (decimals_of)."""
    e = math.floor(math.log10(finest))
    return [(m * 10.0 ** k, max(0, -k)) for k in range(e, e + decades) for m in (1, 2, 5)]
