"""Segment profile: where a group differs from everyone else, across every question.

Every question's table with a two-column banner (group vs rest, or group vs
everyone), the same tests as the crosstabs, and one multiplicity correction over the
whole profile (Benjamini–Hochberg by default: many rows are tested at once). Questions that
define the group differ by definition and are left out of the rows and the correction: the
filters' own variables, and any finer or coarser version of one (engine.related), which the
profile names in ``defining``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from heetui.choices import Correction
from heetui.engine.collector import collection_paused
from heetui.engine.crosstab import TabRequest
from heetui.engine.filters import Filter, describe_group, group_where
from heetui.engine.related import defines_group
from heetui.engine.results import Crosstab, is_percent
from heetui.engine.session import Survey
from heetui.engine.sql import joined
from heetui.engine.stats import adjust, check_levels, significant_at
from heetui.engine.survey_wide import Progress, crosstabs
from heetui.errors import EngineError
from heetui.survey.codebook import Variable


@dataclass(frozen=True)
class ProfileRow:
    question: str
    question_text: str
    row: str
    row_key: str
    kind: str
    group_value: float  # percent (0–100) for categories and nets; the mean or score otherwise
    other_value: float
    difference: float  # group − other, in points (percent rows) or units (means)
    p_value: float | None  # None: not tested (see not_tested)
    p_adjusted: float | None
    significant: bool
    group_base: int
    other_base: int
    not_tested: str | None = None  # why the row was not tested
    significant_loose: bool = False  # at the looser of two levels (or the one level)


@dataclass(frozen=True)
class Profile:
    kind: ClassVar[str] = "profile"  # what the output formats are registered under
    group: tuple[Filter, ...]
    group_text: str
    against: str
    weighted: bool
    correction: Correction
    sig_level: float
    group_size: int
    rows: tuple[ProfileRow, ...]  # significant first by |difference|, then the rest
    # questions left out because they define the group (beside the filters' own variables):
    # a finer or coarser version of a filter's variable, true by definition (engine.related)
    defining: tuple[str, ...] = ()
    loose_level: float | None = None  # a second, looser level
    design: str | None = None  # design-based variances: how (engine.design); None without

    @property
    def significant(self) -> tuple[ProfileRow, ...]:
        return tuple(r for r in self.rows if r.significant)

    @property
    def loose_only(self) -> tuple[ProfileRow, ...]:
        """Rows significant at the looser of two levels only."""
        return tuple(r for r in self.rows if r.significant_loose and not r.significant)

    def listed(self, show_all: bool) -> tuple[ProfileRow, ...]:
        """The rows a view lists: every row, or the significant ones (at either level)."""
        return self.rows if show_all else tuple(r for r in self.rows if r.significant_loose)


def profile(survey: Survey, group: tuple[Filter, ...], against: str = "rest",
            weighted: bool = False, sig_level: float = 0.05, correction: Correction = "bh",
            progress: Progress | None = None, loose_level: float | None = None,
            design: bool = True) -> Profile:
    cb = survey.codebook
    if not group:
        raise EngineError("A profile needs a group: give at least one --filter VAR=VALUE.")
    levels = check_levels(sig_level, loose_level)
    if levels:
        raise EngineError(levels)
    used = {f.variable for f in group}
    size = int(survey.query(joined("SELECT COUNT(*) FROM respondents WHERE ",
                                   group_where(cb, group)))[0][0])
    # the variables that define the group differ by construction; open-ended questions
    # take part by their coded themes
    coded = [v for v in cb.variables if cb.coded(v)] if survey.bundle.verbatims else []
    questions = [v for v in cb.closed + coded if v.id not in used]
    tables = crosstabs(survey, TabRequest("", weighted=weighted, sig_level=sig_level,
                                          group=group, against=against, design=design),
                       [v.id for v in questions], progress)
    defining: list[str] = []
    found: list[_Found] = []
    how: str | None = None
    with collection_paused(keep=True):  # a row per answer of thousands of questions
        for v, ct in zip(questions, tables, strict=True):
            how = how or ct.design
            if defines_group(ct):
                defining.append(v.id)
            else:
                found += _found(v, ct)
        rows = _corrected(found, correction, sig_level, loose_level)
    rows.sort(key=lambda r: (not r.significant, not r.significant_loose, -abs(r.difference)))
    return Profile(group=group, group_text=describe_group(cb, group),
                   against=against, weighted=weighted, correction=correction,
                   sig_level=sig_level, group_size=size, rows=tuple(rows),
                   defining=tuple(defining), loose_level=loose_level, design=how)


# A row before the correction: ProfileRow's fields up to p_value, then the two bases, why it
# was not tested, and the z statistic
_Found = tuple[str, str, str, str, str, float, float, float, float | None, int, int,
               str | None, float | None]


def _found(v: Variable, ct: Crosstab) -> list[_Found]:
    """The rows of a question's table that compare the group with the others."""
    tests = {t.row: t for t in ct.tests}
    out: list[_Found] = []
    for r in ct.rows:
        if r.is_value and not r.has_se:
            continue  # a numeric question's summary statistics are not tested
        g, o = r.cells[1], r.cells[2]
        percent = is_percent(r.kind)
        gv = g.percent if percent else g.value
        ov = o.percent if percent else o.value
        if gv is None or ov is None:
            continue
        t = tests.get(r.key)
        why = t.reason if t else (ct.columns[1].not_tested or ct.columns[2].not_tested)
        out.append((v.id, v.text, r.label, r.key, r.kind, gv, ov, gv - ov,
                    t.p_value if t else None, ct.columns[1].base, ct.columns[2].base, why,
                    t.statistic if t else None))
    return out


def _corrected(found: list[_Found], correction: Correction, sig_level: float,
               loose_level: float | None = None) -> list[ProfileRow]:
    """The rows, with one multiplicity correction over every tested row of the profile."""
    tested = [(i, p) for i, f in enumerate(found) if (p := f[8]) is not None]
    adjusted: list[float | None] = [None] * len(found)
    for (i, _), pa in zip(tested, adjust([p for _, p in tested], correction), strict=True):
        adjusted[i] = pa
    loose = sig_level if loose_level is None else loose_level
    return [ProfileRow(q, text, row, key, kind, gv, ov, diff, p, pa,
                       pa is not None and significant_at(pa, z or 0.0, sig_level), gb, ob, why,
                       pa is not None and significant_at(pa, z or 0.0, loose))
            for (q, text, row, key, kind, gv, ov, diff, p, gb, ob, why, z), pa
            in zip(found, adjusted, strict=True)]
