"""Packed multi-response answers: the 0/1 option columns of a variable as one integer.

Bit i is set when the i-th option (codebook order) was chosen; the value is null when every
option's column is null (the respondent was not asked or did not answer), the same rule
the engine uses for a multi-response base, whatever the order of the columns. Bundle
writers add these columns; loading checks them against the 0/1 columns, which stay the
bundle's record of the answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heetui.survey.codebook import Codebook, Variable

if TYPE_CHECKING:
    import polars as pl


def packed_expr(v: Variable) -> pl.Expr:
    """A polars expression computing ``v.bits_column`` from the option columns."""
    import polars as pl

    dtype = pl.UInt32 if len(v.options) <= 32 else pl.UInt64
    total = pl.sum_horizontal([pl.col(c).fill_null(0).cast(pl.UInt64)
                               * pl.lit(1 << i, dtype=pl.UInt64)
                               for i, c in enumerate(v.columns())])
    unanswered = pl.all_horizontal([pl.col(c).is_null() for c in v.columns()])
    return pl.when(unanswered).then(None).otherwise(total).cast(dtype)


def packable(cb: Codebook, columns: list[str]) -> list[Variable]:
    """Multi-response variables whose option columns are all among ``columns``."""
    have = set(columns)
    return [v for v in cb.variables
            if v.bits_column is not None and all(c in have for c in v.columns())]


def with_packed(frame: pl.DataFrame, cb: Codebook) -> pl.DataFrame:
    """``frame`` with a packed column for each multi-response variable (replacing any)."""
    exprs = [packed_expr(v).alias(str(v.bits_column)) for v in packable(cb, frame.columns)]
    return frame.with_columns(exprs) if exprs else frame
