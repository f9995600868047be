"""The one shape every reader returns: a polars frame plus what the file says about it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from heetui.importers.formats import of_kind

Progress = Callable[[str, int, int], None]
Value = float | str  # a value as the source holds it (SPSS: doubles or text)


@dataclass(frozen=True)
class MRSet:
    """A multi-response question spread over several columns (or packed in one).

    kind: ``D`` dichotomies (an option is chosen when its column holds ``counted_value``),
    ``C`` categories (each column holds one chosen option's code), ``N`` an option is chosen
    when its column is not blank (SurveyMonkey, Qualtrics, LimeSurvey Y/blank), ``S`` one
    column holding the chosen options joined by ``separator`` (Google and Microsoft Forms).
    """

    name: str
    label: str
    kind: str
    variables: tuple[str, ...]
    counted_value: Value | None = None
    option_labels: tuple[str, ...] = ()  # D/N: one per column (default: variable labels);
    # S: the options in questionnaire order
    separator: str = ""
    # D: the base is the respondents holding the counted value in at least one column, as
    # SPSS takes it for the dichotomy sets a .sav file declares (MULT RESPONSE, CTABLES):
    # the set's codebook entry says base = "answered", its 0/1 columns hold everyone who
    # answered any column so that base = "asked" can choose them; otherwise the base is
    # everyone who answered any column (a platform's 1/0: everyone shown it)
    counted_base: bool = False


ID_NAMES = ("respondent_id", "respid", "resp_id", "respondent", "id", "caseid", "case_id",
            "serial", "record", "responseid", "response_id")
_ID_WORDS = re.compile(r"(^|[^a-z])(id|key|serial|uuid|guid)($|[^a-z])|^(resp|case|record)",
                       re.IGNORECASE)


def id_name_rank(column: str) -> int:
    """How surely a column's name says it holds respondent ids: 0 one of ``ID_NAMES``, 1 a
    name such as "Respondent ID", "ResponseKey", "resp_no", 2 neither."""
    if column.lower() in ID_NAMES:
        return 0
    return 1 if _ID_WORDS.search(column) else 2


@dataclass
class Table:
    frame: pl.DataFrame
    kind: str  # the InputFormat.kind it was read as (importers.formats)
    title: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # variable labels (question texts)
    value_labels: dict[str, dict[Value, str]] = field(default_factory=dict)
    mr_sets: list[MRSet] = field(default_factory=list)
    # values the file declares missing (SPSS user-missing), as inclusive (low, high) ranges
    user_missing: dict[str, list[tuple[Value, Value]]] = field(default_factory=dict)
    platform: str = ""  # the survey platform that wrote the file, when recognised
    meta: set[str] = field(default_factory=set)  # platform bookkeeping columns kept as
    # variables in the group "Survey metadata" (not counted as questions)
    drop: set[str] = field(default_factory=set)  # columns not imported (dates, e-mail, IP)
    text_ids: list[str] = field(default_factory=list)  # columns of a different id-like text
    # for every respondent, in file order: one is the respondent key when no whole-number
    # id is (infer), the others are left out with ``drop``
    texts: set[str] = field(default_factory=set)  # columns always read as open-ended text
    recognised: str = ""  # what was recognised, for the user: "a Qualtrics export: …"
    head: list[list[str]] = field(default_factory=list)  # a text file's header rows
    alone: set[str] = field(default_factory=set)  # a platform's one-column questions (Q1,
    # Q2 …): never taken for items of a grid because their names share a prefix
    notes: list[str] = field(default_factory=list)  # what the import decided, for the user
    unsure: list[str] = field(default_factory=list)  # what it was unsure of, for the user
    weight: str = ""  # the weight variable the file itself names (SPSS WEIGHT BY), if any

    @property
    def labelled(self) -> bool:
        """Whether the file's format carries labels (its codes and labels are kept as the
        file has them; nothing is coded from text): InputFormat.labelled."""
        return of_kind(self.kind).labelled
