"""The questionnaire model: variables (questions and segments), options, nets, scores.

A codebook is plain data; it knows nothing of DuckDB or Textual. ``Codebook.from_dict``
checks the structure and collects every problem instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

VarType = Literal["single", "multi", "numeric", "open"]  # a variable's own type
BITS_SUFFIX = "__bits"  # a multi-response variable's packed answers (see Variable.bits_column)
MAX_PACKED = 64  # options of a multi-response variable that fit its packed column
# every type a codebook entry can have, with the name a reader sees; a grid entry becomes
# one single-choice variable per item (see Grid)
TYPE_NAMES: dict[str, str] = {"single": "single", "multi": "multi", "numeric": "numeric",
                              "open": "open-ended", "grid": "grid"}
VAR_TYPES: tuple[str, ...] = tuple(TYPE_NAMES)
GRID_TYPE = "grid"
CATEGORICAL_TYPES: tuple[str, ...] = ("single", "multi")  # banners and filters take these
Role = Literal["question", "segment"]
# a multi-response question's base: respondents asked it (who answered any of its columns),
# or those who chose at least one option (SPSS's default for a multiple-dichotomy set)
MultiBase = Literal["asked", "answered"]
MULTI_BASES: tuple[str, ...] = ("asked", "answered")
# the group of an import's bookkeeping columns kept as variables (a platform's collector,
# status, duration …): listed, never the question a survey opens on
METADATA_GROUP = "Survey metadata"


def option_column(var_id: str, code: object) -> str:
    """The 0/1 column of one option of a multi-response variable: ``{id}_{code}``."""
    return f"{var_id}_{code}"


@dataclass(frozen=True)
class Option:
    code: int
    label: str
    value: float | None = None  # score value for means; None = excluded (e.g. Don't know)
    exclusive: bool = False  # multi-response: cannot be combined with other options
    # the answer as the imported file holds it, where the import gave it a code (a text
    # answer, a renumbered number): the file imports again by it, whatever the label says
    source: str | None = None
    hidden: bool = False  # left out of tables (a workspace edit); still in the base
    # a derived variable's answer: the condition (filters joined by "&") respondents who
    # give it meet; "else" for everyone a single-choice variable's other answers leave
    when: str = ""


@dataclass(frozen=True)
class MissingCode:
    """A value of the source file imported as missing (null in the data), with its reason:
    an SPSS user-missing code, a Stata extended missing value (``.a``), or a labelled special
    code of a numeric variable (``97 = Don't know``). ``code`` is the value as the source
    holds it; ``count`` the respondents who had it when the file was imported."""

    code: int | float | str
    label: str = ""
    count: int | None = None


@dataclass(frozen=True)
class Net:
    label: str
    codes: tuple[int, ...]


@dataclass(frozen=True)
class Score:
    """A score row: % of ``plus`` options minus % of ``minus`` options (e.g. net advocacy)."""

    id: str
    label: str
    plus: tuple[int, ...]
    minus: tuple[int, ...]


@dataclass(frozen=True)
class Eligibility:
    """Who is asked the question: respondents whose ``variable`` is one of ``codes``."""

    variable: str
    codes: tuple[int, ...]


@dataclass(frozen=True)
class Variable:
    id: str
    text: str
    type: VarType
    role: Role
    options: tuple[Option, ...] = ()
    nets: tuple[Net, ...] = ()
    scores: tuple[Score, ...] = ()
    eligible: Eligibility | None = None
    group: str = ""
    label: str = ""  # short label for banners and lists; falls back to id
    bands: tuple[float, ...] = ()  # a numeric variable's band edges, e.g. (18, 35, 55)
    missing: tuple[MissingCode, ...] = ()  # source values imported as missing, with reasons
    grid: str = ""  # the id of the grid this variable is an item of ("" for none)
    base: MultiBase = "asked"  # a multi-response question's base (MultiBase)
    # the column of the imported file it was read from, where its id does not say so (an
    # item of a multi-response set kept as a question beside the set): it imports again by it
    source: str = ""
    # the answer codes in the order tables list them, where the workspace reorders them
    # (options keep their stored order: a packed column's bits follow it)
    order: tuple[int, ...] = ()

    @property
    def short(self) -> str:
        return self.label or self.id

    @property
    def derived(self) -> bool:
        """Made by the workspace from conditions over other variables (Option.when): its
        codes are computed within each query, never stored."""
        return any(o.when for o in self.options)

    @property
    def listed(self) -> list[Option]:
        """The options tables show, in their order: hidden ones left out, ``order`` first."""
        rank = {c: k for k, c in enumerate(self.order)}
        shown = [o for o in self.options if not o.hidden]
        return sorted(shown, key=lambda o: rank.get(o.code, len(rank)))

    @property
    def categorical(self) -> bool:
        """Single- or multi-response: usable as a banner or a filter."""
        return self.type in CATEGORICAL_TYPES

    @property
    def banded(self) -> Variable:
        """A numeric variable with bands as a single-choice variable, one option per band
        (code k for the k-th band: below the first edge, between edges, from the last)."""

        return replace(self, type="single", options=band_options(self.bands))

    @property
    def has_mean(self) -> bool:
        return any(o.value is not None for o in self.options)

    def option(self, code: int) -> Option:
        for o in self.options:
            if o.code == code:
                return o
        raise KeyError(code)

    def column(self, code: int | None = None) -> str:
        """Parquet column holding this variable (multi: one 0/1 column per option)."""
        if self.type == "multi":
            if code is None:
                raise ValueError("a multi-response variable has one column per option")
            return option_column(self.id, code)
        return self.id

    @property
    def bits_column(self) -> str | None:
        """The column that packs a multi-response variable's answers into one integer (bit
        i set: the i-th option in codebook order chosen; null: not answered). Bundles carry
        it beside the 0/1 columns because grouped sums over one integer are several times
        faster than over one column per option; loading checks that the two agree."""
        if self.type == "multi" and len(self.options) <= MAX_PACKED:
            return f"{self.id}{BITS_SUFFIX}"
        return None

    def columns(self) -> list[str]:
        if self.type == "multi":
            return [self.column(o.code) for o in self.options]
        if self.type == "open":
            return []
        return [self.id]


def _num(x: float) -> str:
    return f"{x:g}"


def band_options(edges: tuple[float, ...]) -> tuple[Option, ...]:
    """Options of the bands cut at ``edges``: "Under 18", "18–34", …, "55 and over" (whole
    edges are read as whole-number answers; otherwise "18 to under 35.5")."""
    whole = all(float(e).is_integer() for e in edges)
    labels = [f"Under {_num(edges[0])}"]
    for lo, hi in zip(edges, edges[1:], strict=False):
        labels.append(f"{_num(lo)}–{_num(hi - 1)}" if whole else
                      f"{_num(lo)} to under {_num(hi)}")
    labels.append(f"{_num(edges[-1])} and over")
    return tuple(Option(k + 1, label) for k, label in enumerate(labels))


@dataclass(frozen=True)
class Theme:
    """A theme (code) comments are coded to. In a workspace's code frame it also says which
    comments carry it: those the survey stored with its code or one of ``stored``, those
    matching any of ``searches`` (search-and-apply), and those ``added`` by hand, less those
    ``removed`` by hand (comment ids)."""

    code: int
    label: str
    stored: tuple[int, ...] = ()  # other stored codes it counts (themes merged into it)
    searches: tuple[str, ...] = ()
    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()


@dataclass(frozen=True)
class Frame:
    """The code frame of an open-ended question: its themes in order and nets of themes.
    ``edited``: kept in the workspace (engine.frames), else the survey's own themes."""

    question: str
    themes: tuple[Theme, ...]
    nets: tuple[Net, ...] = ()
    edited: bool = False

    def label(self, code: int) -> str:
        return next((t.label for t in self.themes if t.code == code), str(code))

    def theme(self, code: int) -> Theme | None:
        return next((t for t in self.themes if t.code == code), None)


@dataclass(frozen=True)
class Starred:
    """The comments of an open-ended question starred for the report (their ids, in the
    order they were starred), kept in the workspace (engine.starred)."""

    question: str
    ids: tuple[int, ...]


@dataclass(frozen=True)
class Benchmark:
    label: str
    value: float
    note: str = ""


@dataclass(frozen=True)
class Grid:
    """A rating grid (battery): items answered on one scale. Each item is a single-choice
    variable of the codebook with the grid's options, nets and scores (``Variable.grid`` is
    the grid's id), so it tabulates alone by any banner; the grid's summary table puts the
    items side by side."""

    id: str
    text: str
    items: tuple[str, ...]  # the item variables' ids, in order
    label: str = ""
    group: str = ""

    @property
    def short(self) -> str:
        return self.label or self.id


def item_text(grid_text: str, item_label: str) -> str:
    """An item's question text when the codebook gives none: the grid's, then the item."""
    return f"{grid_text} — {item_label}"


NEST = "/"  # a nested banner span: "inner/outer" (variable ids never contain it)


@dataclass(frozen=True)
class BannerDef:
    """A named banner: spans side by side, each a variable id or "inner/outer"."""

    id: str
    label: str
    spans: tuple[str, ...]


FILTER_MARK = "@"  # a named filter where a filter is given: --filter @trusts_london


@dataclass(frozen=True)
class NamedFilter:
    """A filter saved by name in the workspace: conditions joined by "&" (all hold)."""

    id: str
    label: str
    when: str


MIN_GROUP_FLOOR = 3  # the smallest minimum group for comments heetui accepts


@dataclass(frozen=True)
class Design:
    """The sample design, for design-based variances (engine.design): the columns holding
    each respondent's stratum and primary sampling unit (PSU ids are read within their
    stratum; without a cluster column each respondent is a PSU), and a finite population
    correction: per stratum, the population's number of PSUs, or (values up to 1) the
    sampling fraction."""

    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c in (self.strata, self.cluster, self.fpc) if c)


@dataclass(frozen=True)
class Settings:
    id_column: str = "respondent_id"
    weight: str | None = None
    low_base: int = 100
    min_test_base: int = 30
    min_group: int = 5
    key_attributes: tuple[str, ...] = ()  # shown beside each comment; default: first segments
    design: Design | None = None  # strata, clusters and FPC, when the survey declares them


@dataclass(frozen=True)
class Codebook:
    survey: Mapping[str, Any]
    settings: Settings
    variables: tuple[Variable, ...]
    themes: tuple[Theme, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    benchmark_note: str = ""
    banners: tuple[BannerDef, ...] = ()
    grids: tuple[Grid, ...] = ()
    filters: tuple[NamedFilter, ...] = ()  # the workspace's named filters
    frames: tuple[Frame, ...] = ()  # the workspace's code frames of open-ended questions
    starred: tuple[Starred, ...] = ()  # the workspace's starred comments, per question
    _index: dict[str, Variable] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({v.id: v for v in self.variables})

    @property
    def title(self) -> str:
        from heetui.survey.text import safe_text

        return safe_text(str(self.survey.get("title", "Untitled survey")))

    @property
    def questions(self) -> list[Variable]:
        return [v for v in self.variables if v.role == "question"]

    @property
    def opening(self) -> str:
        """The question a survey opens on: the first question (else segment) that can be
        tabulated and is no bookkeeping (``METADATA_GROUP``); a grid's item opens its grid
        (its summary). Any tabulable variable when there is no other."""
        order = [v for v in self.questions + self.segments if v.type != "open"]
        first = next((v for v in order if v.group != METADATA_GROUP), order[0])
        return first.grid or first.id

    @property
    def segments(self) -> list[Variable]:
        return [v for v in self.variables if v.role == "segment"]

    @property
    def categorical(self) -> list[Variable]:
        return [v for v in self.variables if v.categorical]

    @property
    def closed(self) -> list[Variable]:
        """Variables that can be tabulated (single, multi or numeric)."""
        return [v for v in self.variables if v.type != "open"]

    def __contains__(self, var_id: object) -> bool:
        return var_id in self._index

    def __iter__(self) -> Iterator[Variable]:
        return iter(self.variables)

    def get(self, var_id: str) -> Variable:
        return self._index[var_id]

    def find(self, name: str) -> Variable | None:
        """Look a variable up by id, case-insensitively."""
        if name in self._index:
            return self._index[name]
        low = name.lower()
        for v in self.variables:
            if v.id.lower() == low:
                return v
        return None

    def banner(self, name: str) -> BannerDef | None:
        """A named banner by id, case-insensitively."""
        low = name.lower()
        return next((b for b in self.banners if b.id.lower() == low), None)

    def named_filter(self, name: str) -> NamedFilter | None:
        """A named filter by id (with or without its "@"), case-insensitively."""
        low = name.removeprefix(FILTER_MARK).lower()
        return next((f for f in self.filters if f.id.lower() == low), None)

    def grid(self, name: str) -> Grid | None:
        """A grid by id, case-insensitively."""
        low = name.lower()
        return next((g for g in self.grids if g.id.lower() == low), None)

    def items(self, grid: Grid) -> list[Variable]:
        """A grid's item variables, in order."""
        return [self._index[i] for i in grid.items]

    def theme_label(self, code: int) -> str:
        for t in self.themes:
            if t.code == code:
                return t.label
        return str(code)

    def frame(self, question: str) -> Frame:
        """An open-ended question's code frame: the workspace's, else the survey's themes
        (an imported survey has none: its questions start with an empty frame)."""
        found = next((f for f in self.frames if f.question == question), None)
        return found or Frame(question, self.themes)

    def stars(self, question: str) -> tuple[int, ...]:
        """The ids of an open-ended question's comments starred for the report."""
        return next((s.ids for s in self.starred if s.question == question), ())

    def themes_view(self, v: Variable) -> Variable:
        """An open-ended question as the multi-response question of its frame's themes (and
        nets of themes), as it tabulates and filters."""
        f = self.frame(v.id)
        return replace(v, text=f"{v.text} (themes coded in the comments)", type="multi",
                       options=tuple(Option(t.code, t.label) for t in f.themes), nets=f.nets)

    def coded(self, v: Variable) -> bool:
        """Whether ``v`` is an open-ended question with themes to tabulate and filter by."""
        return v.type == "open" and bool(self.frame(v.id).themes)
