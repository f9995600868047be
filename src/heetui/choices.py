"""The names of the engine's test options, below every layer so that the command line's
argument parser reads them without importing the engine (no numpy, no DuckDB)."""

from __future__ import annotations

from typing import Literal

Correction = Literal["none", "bonferroni", "bh"]
CORRECTIONS: tuple[str, ...] = ("none", "bonferroni", "bh")
# the tests a correction adjusts together, in one row: "subtable" the columns of one outer
# option of a nested span (SPSS CTABLES COMPARETEST), "span" every test of the span
CORRECTION_FAMILIES: tuple[str, ...] = ("subtable", "span")
# pairs: each column against the other columns of its span (letters); total: each column
# against Total; rest: each column against everyone not in it; previous: each column against
# the one before it in its span (waves in order: wave-on-wave change) (higher/lower marks)
COMPARES: tuple[str, ...] = ("pairs", "total", "rest", "previous")
