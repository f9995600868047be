"""Numbers as a reader sees them: rounded half away from zero, as Excel and SPSS show them.

Python's format() and round() round the binary value half to even (42.5 → "42") and see
100·29/200 as 14.4999…; a spreadsheet shows the 15 significant digits it stores, then
rounds halves away from zero (43 and 15). Every printed number goes through ``fixed``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def value_decimals(kind: str) -> int:
    """Decimals of a value row's figures: one for scores (points), two for means and other
    statistics (the question's own units)."""
    return 1 if kind == "score" else 2


def fixed(x: float, decimals: int = 0, sign: bool = False) -> str:
    """``x`` with ``decimals`` places; ``sign`` prints "+" before positive values."""
    if not math.isfinite(x):
        return str(x)
    d = Decimal(f"{x:.15g}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "-0"
    return f"{d:+f}" if sign else f"{d:f}"
