"""Typed results of the engine: what the CLI prints and the TUI renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from heetui.choices import Correction
from heetui.engine.banner import Banner
from heetui.engine.filters import Filter
from heetui.survey.codebook import Grid, Variable

RowKind = Literal["category", "net", "mean", "score", "stat"]
VALUE_KINDS: tuple[str, ...] = ("mean", "score", "stat")  # rows whose cells hold a value
SE_KINDS: tuple[str, ...] = ("mean", "score")  # value rows with an SE, tested
PERCENT_KINDS: tuple[str, ...] = ("category", "net")  # rows whose cells are percents


def is_percent(kind: str) -> bool:
    """Whether a row of this kind shows percents (and gaps in percentage points)."""
    return kind in PERCENT_KINDS


def in_points(kind: str) -> bool:
    """Whether a gap between two cells of this kind is in percentage points (percents and
    scores, which are differences of percents) rather than in the row's own units (means)."""
    return is_percent(kind) or kind == "score"


NET_PREFIX = "NET: "
SE_LABEL = "standard error"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    letter: str | None  # None for Total
    code: int | None  # banner option code; None for Total
    base: int
    weighted_base: float
    effective_base: float
    low_base: bool
    tested: bool  # base large enough for significance tests
    not_tested: str | None = None  # why a banner column is not tested (None when tested)
    span: str | None = None  # the id of the column's span; None for Total
    filters: tuple[Filter, ...] = ()  # who the column holds (drill-down); () for Total
    heading: str = ""  # the label under its span's title; a nested column: the inner option
    group: str | None = None  # a nested column's outer option, titled over its columns
    withheld: bool = False  # too few respondents to show (engine.disclosure): numbers are 0


@dataclass(frozen=True)
class Cell:
    count: int
    weighted_count: float
    percent: float | None  # 0–100 of the column base; None for mean/score rows
    value: float | None = None  # mean or score
    se: float | None = None  # standard error of value
    # letters of the columns this cell is significantly above: capitals at the (stricter)
    # level, lower-case at the looser of two levels only
    sig: tuple[str, ...] = ()
    # against Total or the rest: "higher", "lower", at the looser of two levels only
    # "higher_loose", "lower_loose"; or None
    vs: str | None = None
    withheld: bool = False  # too few respondents to show (engine.disclosure): numbers are 0


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    kind: RowKind
    codes: tuple[int, ...]  # answer codes the row stands for (drill-down); () for mean
    cells: tuple[Cell, ...]

    @property
    def is_value(self) -> bool:
        """A mean, score or summary statistic: cells carry a value instead of a percent."""
        return self.kind in VALUE_KINDS

    @property
    def has_se(self) -> bool:
        """A mean or score: its value has a standard error and is tested."""
        return self.kind in SE_KINDS

    @property
    def is_summary(self) -> bool:
        """Nets, means and scores: shown in bold, kept in place when answers are sorted."""
        return self.kind != "category"

    @property
    def display_label(self) -> str:
        return NET_PREFIX + self.label if self.kind == "net" else self.label


@dataclass(frozen=True)
class PairTest:
    row: str
    a: str  # column letters
    b: str
    statistic: float | None  # None: the pair could not be tested (see reason)
    p_value: float | None
    p_adjusted: float | None
    significant: bool
    reason: str | None = None  # why the pair was not tested
    a_value: float | None = None  # the two estimates compared: percent (0–100) or mean
    b_value: float | None = None  # (the rest of a column, too, which no cell shows)
    significant_loose: bool = False  # at the looser of two levels (or the one level)

    @property
    def tested(self) -> bool:
        return self.statistic is not None


@dataclass(frozen=True)
class Crosstab:
    """A question's crosstab: a column per banner option (Total first), a row per answer,
    net, mean or score."""

    kind: ClassVar[str] = "table"  # what the output formats are registered under
    question: Variable
    banner: Banner | None
    weighted: bool
    filters: tuple[Filter, ...]
    filter_text: tuple[str, ...]
    base_text: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    sig_level: float
    correction: Correction
    low_base: int
    min_test_base: int
    overlapping: bool  # banner columns can share respondents
    tests: tuple[PairTest, ...] = field(default=())
    group: tuple[Filter, ...] = ()  # set when the banner is a group vs the rest
    compare: str = "pairs"  # columns tested in pairs within spans, or against total or rest
    loose_level: float | None = None  # a second, looser level: its letters lower-case
    # what the correction adjusts together in a nested span (choices.CORRECTION_FAMILIES)
    correction_family: str = "subtable"
    # design-based variances: how they were computed (engine.design), None without a design
    design: str | None = None

    @property
    def nested(self) -> bool:
        """Whether a span of the banner nests one variable within another."""
        return self.banner is not None and any(s.outer is not None for s in self.banner.spans)

    @property
    def total(self) -> Column:
        return self.columns[0]


@dataclass(frozen=True)
class GridSummary(Crosstab):
    """A rating grid's summary (engine.grid): the columns are its items (each with its base
    and letter, tested in pairs), each row a scale point, net or the mean; its outputs show
    a row per item (output.grid_output, output.grid_xlsx). A type of its own, so that every
    output is chosen by type (output.formats), never by a field."""

    kind: ClassVar[str] = "grid"
    grid: Grid = field(kw_only=True)
