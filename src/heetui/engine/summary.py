"""Survey overview: study facts, questions, and the sample profile with bases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.results import Crosstab
from heetui.engine.session import Survey
from heetui.engine.survey_wide import crosstabs
from heetui.survey.codebook import Variable


@dataclass(frozen=True)
class Category:
    code: int
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class SegmentProfile:
    segment: Variable
    base: int
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class Overview:
    title: str
    respondents: int
    comments: int
    facts: dict[str, Any]
    provenance: str
    weight: str | None
    segments: tuple[SegmentProfile, ...]


def respondent_count(survey: Survey) -> int:
    return int(survey.query("SELECT COUNT(*) FROM respondents")[0][0])


def segment_profile(survey: Survey, var_id: str) -> SegmentProfile:
    return _profile(crosstab(survey, TabRequest(var_id)))


def _profile(ct: Crosstab) -> SegmentProfile:
    v = ct.question
    cats = tuple(Category(int(r.codes[0]), r.label, r.cells[0].count, r.cells[0].percent or 0.0)
                 for r in ct.rows if r.kind == "category")
    return SegmentProfile(v, ct.total.base, cats)


def overview(survey: Survey) -> Overview:
    cb = survey.codebook
    facts = {k: v for k, v in cb.survey.items()
             if k not in ("title", "provenance") and not isinstance(v, dict)}
    comments = 0
    if survey.bundle.verbatims is not None:
        comments = int(survey.query("SELECT COUNT(*) FROM verbatims")[0][0])
    return Overview(
        title=cb.title, respondents=respondent_count(survey), comments=comments, facts=facts,
        provenance=str(cb.survey.get("provenance", "")), weight=cb.settings.weight,
        # single-choice segments share scans (engine.survey_wide): a survey of thousands
        # of segments is a few scans, not one each
        segments=tuple(_profile(ct) for ct in crosstabs(survey, TabRequest(""),
                                                        [s.id for s in cb.segments])))
