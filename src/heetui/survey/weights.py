"""The one rule for a weight column: what makes a column a usable weight, and which column
names say "weight". The bundle loader checks a codebook's weight by it and the importer
checks (and proposes) a source's weight by it.

A weight is numeric, present for every respondent (no null, no NaN), never negative, at
most ``MAX_WEIGHT``, and sums to more than zero. ``WEIGHT_NAMES`` are the names a weight
goes by in the exports heetui imports (``weight``, ``wt``, ``weighting``, SPSS's and the
platforms' spellings); a name is compared without case, spaces or punctuation.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from heetui.survey.text import counted

if TYPE_CHECKING:
    import polars as pl

# beyond this, sums of weights and squared values lose every digit that matters (or overflow)
MAX_WEIGHT = 1e9
WEIGHT_NAMES = ("weight", "weights", "wt", "wgt", "weighting", "weightvar", "weightfactor",
                "finalweight", "finalwt", "surveyweight", "sampleweight", "designweight",
                "caseweight", "weightvariable", "pweight", "rakeweight", "rimweight")
STATS = ("null", "neg", "sum", "nan", "huge")


def is_weight_name(name: str) -> bool:
    """Whether a column's name (or header) says it is the weight."""
    return re.sub(r"[^0-9a-z]+", "", name.casefold()) in WEIGHT_NAMES


def weight_stats(column: str, numeric_float: bool, prefix: str = "") -> list[pl.Expr]:
    """The expressions whose values ``weight_problems`` judges, named ``{prefix}{stat}``."""
    import polars as pl

    w = pl.col(column)
    return [w.null_count().alias(f"{prefix}null"), (w < 0).sum().alias(f"{prefix}neg"),
            w.sum().alias(f"{prefix}sum"),
            (w.is_nan().sum() if numeric_float else pl.lit(0)).alias(f"{prefix}nan"),
            # NaN is no weight (counted above), not a huge one: polars orders it above all
            ((w.abs() > MAX_WEIGHT) & (w.is_not_nan() if numeric_float else pl.lit(True)))
            .sum().alias(f"{prefix}huge")]


def weight_problems(value: dict[str, Any], n: int) -> list[str]:
    """What is wrong with a weight column whose ``weight_stats`` are ``value`` (keyed by
    stat) over ``n`` respondents; empty when it is a usable weight."""
    out = []
    missing = int(value["null"] or 0) + int(value["nan"] or 0)
    if missing:
        out.append(f"{_are(missing, 'respondent', 'has', 'have')} no weight")
    if value["neg"]:
        out.append(f"weights must not be negative; {_are(value['neg'], 'weight')}")
    if n and not missing and (value["sum"] or 0) <= 0:
        out.append("weights sum to zero; expected a positive total")
    if value["huge"]:
        out.append(f"{_are(value['huge'], 'weight')} infinite or above {MAX_WEIGHT:g}")
    return out


def _are(n: int, noun: str, one: str = "is", more: str = "are") -> str:
    """``counted`` with its verb: "1 weight is", "2 weights are"."""
    n = int(n)
    return f"{counted(n, noun)} {one if n == 1 else more}"


def type_problem(dtype: pl.DataType) -> str | None:
    """What is wrong with a weight column of type ``dtype`` (None: numeric, as it must be);
    its values are judged by ``weight_problems``."""
    return None if dtype.is_numeric() else f"the weight column must be numeric, found {dtype}"


def check_weight(frame: pl.DataFrame, column: str) -> list[str]:
    """``type_problem`` or ``weight_problems`` of one column of a frame in memory."""
    dtype = frame.schema[column]
    wrong = type_problem(dtype)
    if wrong is not None:
        return [wrong]
    row = frame.select(weight_stats(column, dtype.is_float())).row(0, named=True)
    return weight_problems(row, frame.height)
