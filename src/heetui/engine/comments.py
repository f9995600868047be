"""Verbatim comments: select by question, filters, crosstab cell, themes and search; page them.

Comments are read with LIMIT/OFFSET so any page costs the same.

Disclosure (engine.disclosure holds the rule, ``_disclose`` measures what it needs): the
group is the people whose comments the filters and the cell hold, before any question,
theme or search narrows it; it is shown only when ``may_show`` allows it beside its
complement in its view (the rest of its table row, or of a profile's group), its overlap
with every other column of its table, and every group shown earlier in the session. A
refused group and an empty answer raise the same ``DisclosureError``. Source ids are not
shown unless the data owner asks for them, and a comment's key attributes are shown only
as far as at least min_group people of the group share that combination.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, ClassVar

from heetui.engine.commenters import distinct_people, members
from heetui.engine.disclosure import DisclosureError, may_show, refusal
from heetui.engine.eligibility import eligibility
from heetui.engine.filters import Filter, condition, describe_group, group_where
from heetui.engine.frames import theme_code, themes_sql
from heetui.engine.search import NOT_BLANK_SQL, TERM_SQL, like_pattern, search_terms
from heetui.engine.session import Survey
from heetui.engine.sql import Clause, Condition, Param, ident, joined, where
from heetui.errors import EngineError
from heetui.survey.codebook import MIN_GROUP_FLOOR, Codebook, Frame, Variable

PAGE = 50
UNCODED = f"len(themes) = 0 AND {NOT_BLANK_SQL}"  # a comment with words and no theme yet
EARLY = 10_000  # comments a disclosure decision reads before counting all of them

__all__ = ["DisclosureError"]  # raised here, defined with the rule (engine.disclosure)


@dataclass(frozen=True)
class CellRef:
    """A crosstab cell: respondents in a banner column who gave one of ``codes``."""

    question: str
    codes: tuple[int, ...]  # () = the whole column (a base row)
    row_label: str = ""
    column: tuple[Filter, ...] = ()  # who the banner column holds; () = the Total column
    group: tuple[Filter, ...] = ()  # a group-vs-rest banner (from a profile)
    in_group: bool | None = None  # True: the group, False: the rest, None: everyone
    view: tuple[tuple[Filter, ...], ...] = ()  # the other banner columns of its table


@dataclass(frozen=True)
class Selection:
    question: str | None = None  # an open-ended question; None = all of them
    filters: tuple[Filter, ...] = ()
    cell: CellRef | None = None
    themes: tuple[int, ...] = ()
    search: str = ""
    uncoded: bool = False  # only comments carrying no theme (a coding view's next to code)


@dataclass(frozen=True)
class Verbatim:
    comment_id: int
    respondent_id: int | str | None  # None unless the caller asked for source ids (show_ids)
    question: str
    text: str
    themes: tuple[str, ...]
    theme_codes: tuple[int, ...]
    source: str
    attribution: str | None
    attributes: tuple[tuple[str, str], ...] = ()  # (label, value) of key respondent attributes
    key: int = 0  # the comment's own id, for coding it (outputs show ``number``)
    number: int = 0  # position in the selection (1, 2, …): what outputs show instead of ids
    withheld: bool = False  # some key attributes left out: too few respondents share them


@dataclass(frozen=True)
class ThemeCount:
    code: int
    label: str
    count: int


@dataclass(frozen=True)
class VerbatimPage:
    kind: ClassVar[str] = "verbatims"  # what the output formats are registered under
    description: str
    respondents: int  # size of the selected group
    total: int  # comments matching the whole selection
    offset: int
    items: tuple[Verbatim, ...]
    themes: tuple[ThemeCount, ...] = field(default=())
    terms: tuple[str, ...] = ()  # search terms, for highlighting
    people: int = 0  # distinct people whose comments the whole selection shows
    min_group: int = 5  # the threshold in effect


def _open_questions(cb: Codebook, question: str | None) -> list[str]:
    opens = [v.id for v in cb.variables if v.type == "open"]
    if question is None:
        return opens
    v = cb.find(question)
    if v is None or v.type != "open":
        raise EngineError(f"{question!r} is not an open-ended question; choose one of: "
                          f"{', '.join(opens) or '(none)'}.")
    return [v.id]


def _cell_conditions(cb: Codebook, cell: CellRef) -> list[Condition]:
    q = cb.get(cell.question)
    conds = eligibility(cb, q) if q.type != "open" else []
    if cell.codes and q.type != "open":
        conds.append(condition(cb, Filter(q.id, cell.codes)))
    conds += [condition(cb, f) for f in cell.column]
    if cell.group and cell.in_group is not None:
        group = group_where(cb, cell.group)
        conds.append(joined("(" if cell.in_group else "NOT (", group, ")"))
    return conds


@dataclass(frozen=True)
class Narrowing:
    """One narrowing of a comment selection in the engine's words: ``kind`` is cell, filter,
    question, theme or search; ``parts`` say what it keeps (a cell: its column and its row;
    filters: one each)."""

    kind: str
    parts: tuple[str, ...]


def _cell_parts(cb: Codebook, c: CellRef) -> tuple[str, str]:
    if c.column:
        column = describe_group(cb, c.column)
    elif c.group and c.in_group is not None:
        group = describe_group(cb, c.group)
        column = group if c.in_group else f"Not ({group})"
    else:
        column = "Total"
    return column, f"{c.question} = {c.row_label}" if c.codes else f"{c.question} (base)"


def narrowings(cb: Codebook, sel: Selection) -> list[Narrowing]:
    """Every narrowing of a selection, in the order ``describe`` names them."""
    out = []
    if sel.cell is not None:
        out.append(Narrowing("cell", _cell_parts(cb, sel.cell)))
    if sel.filters:
        out.append(Narrowing("filter", tuple(f.describe(cb) for f in sel.filters)))
    if sel.question:
        out.append(Narrowing("question", (sel.question,)))
    if sel.themes:
        frame = frame_of(cb, sel.question)
        out.append(Narrowing("theme", (" or ".join(frame.label(t) for t in sel.themes),)))
    if sel.uncoded:
        out.append(Narrowing("uncoded", ("not yet coded",)))
    if sel.search.strip():
        out.append(Narrowing("search", (repr(sel.search.strip()),)))
    return out


_LEAD = {"question": "comments on ", "theme": "theme ", "search": "search "}


def describe(cb: Codebook, sel: Selection) -> str:
    """A selection in one line, as outputs and refusals name it."""
    return " · ".join(_LEAD.get(n.kind, "") + part for n in narrowings(cb, sel)
                      for part in n.parts) or "All respondents"


Query = Clause[Param]  # a clause of a comment query: its values may be any Param
ALL: Query = Clause("TRUE", [])


def _respondents(cb: Codebook, sel: Selection) -> Query | None:
    """Who the filters and the cell select, or None for everyone."""
    conds = [condition(cb, f) for f in sel.filters]
    if sel.cell is not None:
        conds += _cell_conditions(cb, sel.cell)
    return where(conds) if conds else None


def _is_coded(cb: Codebook, sel: Selection) -> bool:
    """Whether the cell is one of an open question's theme table."""
    return sel.cell is not None and cb.get(sel.cell.question).type == "open"


def _group_clauses(cb: Codebook, sel: Selection, respondents: Query | None) -> list[Query]:
    """The comments of the selected group, before the search and the theme filter."""
    coded = _is_coded(cb, sel)
    questions = _open_questions(cb, sel.cell.question if coded and sel.cell else sel.question)
    out: list[Query] = []
    if not questions:
        out.append(Clause("FALSE", []))
    elif sel.question is not None or coded:
        out.append(Clause(f"question IN ({', '.join('?' for _ in questions)})",
                          [*questions]))
    # else every open question: the loader checked that comments name only those, and
    # the string test per comment cost more than the text search itself (2M comments)
    if coded and sel.cell is not None:
        # a cell of an open question's theme table: its comments carrying that theme
        out.append(Clause(f"respondent_id IS NOT NULL AND {NOT_BLANK_SQL}", []))
        if sel.cell.codes:
            out.append(Clause("list_has_any(themes, ?)", [list(sel.cell.codes)]))
    if respondents is not None:
        # interview excerpts belong to no respondent: they show only for the whole survey
        idc = ident(cb.settings.id_column)
        out.append(joined(f"respondent_id IN (SELECT {idc} FROM respondents WHERE ",
                          respondents, ")"))
    return out


COLUMNS = "comment_id, respondent_id, question, text, themes, source, attribution"


class _Query:
    """The clauses of one selection's comment queries, each with its own values:
    ``respondents`` (who the filters and cell select), ``group`` (their comments),
    ``base`` (those matching the search), ``theme`` (the theme filter, which narrows the
    page and the total but not the per-theme counts) and ``shown`` (base and theme)."""

    def __init__(self, survey: Survey, sel: Selection) -> None:
        cb = survey.codebook
        if survey.bundle.verbatims is None:
            raise EngineError("This survey has no verbatim comments.")
        self.survey = survey
        self.cb = cb
        respondents = _respondents(cb, sel)
        self.respondents = respondents or ALL
        self.coded = _is_coded(cb, sel)
        group = _group_clauses(cb, sel, respondents)
        self.group = where(group)
        search: list[Query] = [Clause(TERM_SQL, [like_pattern(term)])
                               for term in search_terms(sel.search)]
        # comments not yet coded: a narrowing of what is counted, as a search is
        uncoded: list[Query] = [Clause(UNCODED, [])] if sel.uncoded else []
        self.base = where([*group, *search, *uncoded])
        self.theme: Query = Clause("list_has_any(themes, ?)", [list(sel.themes)]) \
            if sel.themes else ALL
        self.frame = frame_of(cb, sel.question)
        self.shown = where([self.base, self.theme])
        self.sel = sel
        self._counts: tuple[int, tuple[ThemeCount, ...], int] | None = None

    def group_size(self) -> int:
        """Respondents in the selected group (a theme cell: those whose comments carry it)."""
        if self.coded:
            q = joined("SELECT COUNT(DISTINCT respondent_id) FROM verbatims WHERE ", self.group)
        else:
            q = joined("SELECT COUNT(*) FROM respondents WHERE ", self.respondents)
        return int(self.survey.query(q)[0][0])

    def people(self) -> int:
        """Distinct people behind the comments of the whole selection (as ``counts``
        counts them), without the per-theme counts; kept with the survey."""
        if self._counts is not None:
            return self._counts[2]

        def compute() -> int:
            q = joined("SELECT ", distinct_people(self.survey, ALL), " FROM verbatims WHERE ",
                       self.shown)
            return int(self.survey.query(q)[0][0])

        return self.survey.cached(("comment people", self.sel), compute)

    def reaches(self, threshold: int) -> bool:
        """Whether the selection's comments come from at least ``threshold`` people,
        decided from its first EARLY comments when they hold that many (a scan that stops
        there), else by ``people``."""
        early = joined("SELECT ", distinct_people(self.survey, ALL), " FROM (SELECT "
                       "respondent_id, attribution FROM verbatims WHERE ", self.shown,
                       Clause(" LIMIT ?", [EARLY]), ")")
        return int(self.survey.query(early)[0][0]) >= threshold or \
            self.people() >= threshold

    def counts(self) -> tuple[int, tuple[ThemeCount, ...], int]:
        """Comments matching the whole selection, per theme of the frame before the theme
        filter, and the distinct people behind the matching comments: respondents by id,
        interview excerpts (no id) at least one per attribution. One pass over the
        comments, kept with the survey (paging reads it again)."""
        if self._counts is None:
            self._counts = self.survey.cached(("comment counts", self.sel), self._count)
        return self._counts

    def _narrowed(self) -> bool:
        """Whether a search, the uncoded test or a theme narrows the question's comments
        (each a test worked once, on comments then kept for every count)."""
        return bool(self.sel.uncoded or self.sel.search.strip() or self.sel.themes)

    def _count_sql(self, pad: str = "") -> Query:
        """Rows (kind, theme, comments, people, then ``pad``): kind 0 the totals, 1 a theme's
        count of comments before the theme filter; where the selection is narrowed, read
        from its comments kept as ``m`` (``_kept``)."""
        tc = self.theme
        totals = joined("SELECT 0, NULL, COUNT(*) FILTER (WHERE ", tc, "), ",
                        distinct_people(self.survey, tc), f"{pad} FROM ")
        per_theme = (f" UNION ALL SELECT 1, t, COUNT(*), NULL{pad} FROM (SELECT UNNEST(themes) "
                     "AS t FROM ")
        if self.sel.uncoded:  # comments without a theme: every theme's count is 0
            return joined(totals, "m")
        if self._narrowed():
            return joined(totals, "m", per_theme, "m) GROUP BY t")
        # two plain scans: cheaper than keeping a million comments between them
        return joined(totals, "verbatims WHERE ", self.base, per_theme,
                      "verbatims WHERE ", self.base, ") GROUP BY t")

    def _kept(self, columns: str = "themes, respondent_id, attribution") -> Query:
        return joined(f"WITH m AS MATERIALIZED (SELECT {columns} FROM verbatims WHERE ",
                      self.base, ") ")

    def _count(self) -> tuple[int, tuple[ThemeCount, ...], int]:
        q = self._count_sql()
        return self._counted(self.survey.query(joined(self._kept(), q) if self._narrowed()
                                               else q))

    def _counted(self, rows: list[tuple[Any, ...]]) -> tuple[int, tuple[ThemeCount, ...], int]:
        per = {int(t): int(n) for kind, t, n, _ in rows if kind == 1}
        n, people = next((int(n), int(k)) for kind, _, n, k in rows if kind == 0)
        return n, tuple(ThemeCount(t.code, t.label, per.get(t.code, 0))
                        for t in self.frame.themes), people

    def counted_page(self, offset: int, limit: int) -> list[tuple[Any, ...]] | None:
        """The page with its counts from one read of the selection's comments, where a
        search or the uncoded test reads every comment's text anyway: read once, not once
        for the counts and again for the page (the first page of a million comments'
        uncoded ones: 20 ms sooner; a theme alone reads no text, and keeping the text of
        its comments cost more than the page's own read). None where it does not apply, or
        the counts are already kept (``page`` reads the page alone)."""
        page: list[tuple[Any, ...]] = []
        read = False

        def compute() -> tuple[int, tuple[ThemeCount, ...], int]:
            nonlocal read
            read = True
            width = COLUMNS.count(",") + 1
            rows = self.survey.query(joined(
                self._kept(COLUMNS), self._count_sql(pad=", NULL" * width),
                f" UNION ALL SELECT 2, NULL, NULL, NULL, {COLUMNS} FROM (SELECT * FROM m "
                "WHERE ", self.theme, self._window(offset, limit), ")"))
            page.extend(sorted((r[4:] for r in rows if r[0] == 2), key=lambda r: r[0]))
            return self._counted([r[:4] for r in rows if r[0] != 2])

        if not (self.sel.uncoded or self.sel.search.strip()) or self._counts is not None:
            return None
        self._counts = self.survey.cached(("comment counts", self.sel), compute)
        return page if read else None

    @staticmethod
    def _window(offset: int, limit: int) -> Query:
        return Clause(" ORDER BY comment_id LIMIT ? OFFSET ?", [limit, offset])

    def page(self, offset: int, limit: int) -> list[tuple[Any, ...]]:
        """The page's comments. Where a code frame is edited, their ids first, then their
        rows, so that the frame's themes are computed for the page's comments only (unless
        the selection filters by theme, which reads every comment's); else in one query."""
        window = self._window(offset, limit)
        if themes_sql(self.cb) is None:  # the themes as stored: nothing to compute, one query
            return self.survey.query(joined(f"SELECT {COLUMNS} FROM verbatims WHERE ",
                                            self.shown, window))
        ids = [int(r[0]) for r in self.survey.query(
            joined("SELECT comment_id FROM verbatims WHERE ", self.shown, window))]
        if not ids:
            return []
        # the range lets DuckDB skip row groups by their min/max statistics
        return self.survey.query(Clause(
            f"SELECT {COLUMNS} FROM verbatims WHERE comment_id BETWEEN ? AND ? AND comment_id IN "
            f"({', '.join('?' for _ in ids)}) ORDER BY comment_id", [min(ids), max(ids), *ids]))


def min_group(cb: Codebook, asked: int | None = None) -> int:
    """The minimum group in effect: the caller's, else the codebook's; never below the floor."""
    threshold = cb.settings.min_group if asked is None else asked
    if threshold < MIN_GROUP_FLOOR:
        raise EngineError(f"The minimum group for comments must be at least {MIN_GROUP_FLOOR} "
                          f"(asked for {threshold}); smaller groups identify respondents.")
    return threshold


def group_of(sel: Selection) -> Selection:
    """The group a selection reads: its filters and cell, before any question, theme or
    search narrows it (what the disclosure rule decides on, and what a session records)."""
    return replace(sel, question=None, themes=(), search="", uncoded=False)


def _members(cb: Codebook, group: Selection) -> Query:
    """The distinct people whose comments a group holds: respondents by id, interview
    excerpts (no id) one per attribution, as ``_Query.counts`` counts them."""
    clauses = _group_clauses(cb, group, _respondents(cb, group))
    return joined("SELECT DISTINCT coalesce(CAST(respondent_id AS VARCHAR), 'interview: ' "
                  "|| attribution) AS who FROM verbatims WHERE ", where(clauses),
                  " AND coalesce(CAST(respondent_id AS VARCHAR), attribution) IS NOT NULL")


def compare_groups(survey: Survey, a: Selection, b: Selection) -> tuple[int, int, int]:
    """People in group ``a`` but not ``b``, in ``b`` but not ``a``, and in both."""
    cb = survey.codebook
    ma, mb = _members(cb, group_of(a)), _members(cb, group_of(b))
    q = joined("WITH a AS (", ma, "), b AS (", mb, ") SELECT "
               "(SELECT COUNT(*) FROM (SELECT who FROM a EXCEPT SELECT who FROM b)), "
               "(SELECT COUNT(*) FROM (SELECT who FROM b EXCEPT SELECT who FROM a)), "
               "(SELECT COUNT(*) FROM (SELECT who FROM a INTERSECT SELECT who FROM b))")
    only_a, only_b, both = survey.query(q)[0]
    return int(only_a), int(only_b), int(both)


def _related(cb: Codebook, group: Selection, earlier: Sequence[Selection]) -> list[Selection]:
    """The groups that showing ``group`` could single out by comparison: the rest of its
    view, its overlap with (and difference from) every other column of its table, and its
    differences from and overlap with every group shown earlier in the session."""
    others: list[Selection] = []
    whole = _view_whole(group)
    if whole is not None:
        others.append(whole)
    c = group.cell
    if c is not None and c.column:
        others += [replace(group, cell=replace(c, column=c.column + d)) for d in c.view
                   if d and d != c.column and not _disjoint(cb, c.column, d)]
    return others + [group_of(e) for e in earlier]


def _disjoint(cb: Codebook, a: tuple[Filter, ...], b: tuple[Filter, ...]) -> bool:
    """Whether two banner columns can share nobody: both pick codes of one single-choice
    variable (its span), and different ones."""
    return any(f.variable == g.variable and cb.get(f.variable).type != "multi"
               and not f.ranges and not g.ranges and not set(f.codes) & set(g.codes)
               for f in a for g in b)


def _disclose(survey: Survey, sel: Selection, threshold: int,
              earlier: Sequence[Selection]) -> None:
    """The one disclosure decision (``may_show``) on the selection's group, measured before
    any narrowing; a refusal names no count. A group with nothing to compare it with is
    decided by whether it reaches the threshold, which its first comments often show."""
    group = group_of(sel)
    others = _related(survey.codebook, group, earlier)
    q = _Query(survey, group)
    # with nothing to compare, only whether the group reaches the threshold matters
    people = q.people() if others else threshold if q.reaches(threshold) else 0
    related = [n for o in others for n in compare_groups(survey, group, o)] \
        if people >= threshold else []
    if not may_show(people, related, threshold):
        raise DisclosureError(refusal(threshold))


def _view_whole(sel: Selection) -> Selection | None:
    """The selection's view without its banner column (the Total of its table row, or the
    whole of a profile's group-vs-rest table), or None when it has no column."""
    c = sel.cell
    if c is None or (not c.column and c.in_group is None):
        return None
    return replace(sel, cell=replace(c, column=(), in_group=None))


def verbatims(survey: Survey, sel: Selection, offset: int = 0, limit: int = PAGE,
              min_group_size: int | None = None, show_ids: bool = False,
              earlier: Sequence[Selection] = ()) -> VerbatimPage:
    """One page of the comments behind a selection, with its theme counts. ``show_ids``
    (for the data owner) keeps respondent and comment ids; otherwise comments are numbered
    within the selection. ``earlier``: the groups shown before in this session (see
    engine.audit). A group the rule refuses, and a selection without comments, raise the
    same DisclosureError."""
    cb = survey.codebook
    threshold = min_group(cb, min_group_size)
    if offset < 0 or limit < 1:
        raise EngineError("The page must start at 0 or later and hold at least one comment.")
    q = _Query(survey, sel)
    # nothing of the selection is read before the decision (counts started beside it were
    # 10 ms sooner at 1M comments, but a refusal then waited for them, its time growing with
    # the refused group's comments)
    _disclose(survey, sel, threshold, earlier)
    once = q.counted_page(offset, limit)
    # the counts' scans beside the page and its writers' attributes: DuckDB's threads are
    # not all busy through any of them (a first page at 1M comments: 40 ms sooner beside
    # the attributes, 7 ms more beside the page too; 15 runs in turns)
    with ThreadPoolExecutor(1, thread_name_prefix="heetui-comment-counts") as pool:
        counting = pool.submit(q.counts)
        rows = q.page(offset, limit) if once is None else once
        attrs = _attributes(survey, [r[1] for r in rows if r[1] is not None], threshold,
                            group_of(sel))
        total, themes, shown = counting.result()
    if total == 0:
        raise DisclosureError(refusal(threshold))  # the same answer as a refused group
    items = []
    for i, (cid, rid, qid, text, themes_of, source, attribution) in enumerate(rows):
        shown_attrs, withheld = attrs.get(rid, ((), False)) if rid is not None \
            else ((), False)
        items.append(Verbatim(
            int(cid) if show_ids else offset + i + 1,
            source_id(rid) if rid is not None and show_ids else None, qid, text or "",
            tuple(cb.frame(qid).label(t) for t in (themes_of or [])),
            tuple(int(t) for t in (themes_of or [])), source, attribution,
            attributes=shown_attrs, number=offset + i + 1, withheld=withheld, key=int(cid)))
    return VerbatimPage(describe(cb, sel), q.group_size(), total, offset, tuple(items),
                        tuple(themes), tuple(search_terms(sel.search)), shown, threshold)


def key_attributes(cb: Codebook) -> list[Variable]:
    names = cb.settings.key_attributes or tuple(s.id for s in cb.segments[:3])
    return [cb.get(n) for n in names if n in cb]


def source_id(value: object) -> int | str:
    """A respondent id as outputs show it: a whole number as one (whether stored as an
    integer, a decimal or a double: an SPSS file's ids are doubles), any other id (text, a
    date) as its text."""
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and value == value and value % 1 == 0:
        return int(value)
    return str(value)


def _attributes(survey: Survey, ids: list[Any], threshold: int, group: Selection
                ) -> dict[Any, tuple[tuple[tuple[str, str], ...], bool]]:
    """Per respondent id: the key attributes that may be shown beside their comments (the
    longest leading run of them that at least ``threshold`` people of the selection's
    group share: counted where they are shown, so the selection's own filter cannot
    narrow a shared combination to one person), and whether any were withheld."""
    cb = survey.codebook
    variables = [v for v in key_attributes(cb) if v.type != "open"]
    if not ids or not variables:
        return {}
    cols = [c for v in variables for c in v.columns()]
    idc = ident(cb.settings.id_column)
    # the range lets DuckDB skip row groups by their min/max statistics
    rows = survey.query(Clause(
        f"SELECT {idc}, {', '.join(ident(c) for c in cols)} FROM respondents "
        f"WHERE {idc} BETWEEN ? AND ? AND {idc} IN ({', '.join('?' for _ in ids)})",
        [min(ids), max(ids), *ids]))
    # the first EARLY comments' writers share a combination with at most as many people as
    # the whole group does: when they already reach the threshold for every combination on
    # the page, each shows in full, and the group is not counted whole
    early = _combination_counts(survey, variables, cols, group, EARLY)
    full = len(variables)
    ends = _ends(variables)
    shared = early if all(early[full].get(tuple(r[1:]), 0) >= threshold for r in rows) \
        else _combination_counts(survey, variables, cols, group)
    out: dict[Any, tuple[tuple[tuple[str, str], ...], bool]] = {}
    for r in rows:
        values = r[1:]
        keep = max((k for k in range(len(variables) + 1)
                    if shared[k].get(values[:ends[k]], 0) >= threshold), default=0)
        out[r[0]] = (tuple(_attribute_pairs(variables, dict(zip(cols, values,
                                                                      strict=True)))[:keep]),
                          keep < len(variables))
    return out


def _ends(variables: list[Variable]) -> list[int]:
    """For k = 0 … len(variables): how many of the attributes' columns the first k hold (a
    combination of the first k is a row's values up to there)."""
    return [sum(len(v.columns()) for v in variables[:k]) for k in range(len(variables) + 1)]


def _combination_counts(survey: Survey, variables: list[Variable], cols: list[str],
                        group: Selection, early: int | None = None
                        ) -> list[dict[tuple[object, ...], int]]:
    """For k = 0 … len(variables): the group's commenters per combination of the first k
    attributes (one grouped scan, cached with the survey); with ``early``, only the writers
    of the group's first ``early`` comments (a lower bound of each count)."""
    cb = survey.codebook
    idc = ident(cb.settings.id_column)
    ends = _ends(variables)

    def compute() -> list[dict[tuple[object, ...], int]]:
        clauses = where(_group_clauses(cb, group, _respondents(cb, group)))
        if early is None:
            marked, member = members(survey, idc, clauses)
        else:
            marked, member = Clause("", []), joined(
                f"{idc} IN (SELECT respondent_id FROM verbatims WHERE ", clauses,
                Clause(" LIMIT ?", [early]), ")")
        full = survey.query(joined(
            f"SELECT {', '.join(ident(c) for c in cols)}, COUNT(*) FROM respondents", marked,
            " WHERE ", member, " GROUP BY ALL"))
        out: list[dict[tuple[object, ...], int]] = []
        for k in range(len(variables) + 1):
            counts: dict[tuple[object, ...], int] = {}
            for *values, n in full:
                key = tuple(values[:ends[k]])
                counts[key] = counts.get(key, 0) + int(n)
            out.append(counts)
        return out

    return survey.cached(("attribute combinations", tuple(cols), group, early), compute)


def _attribute_pairs(variables: list[Variable], values: dict[str, object]
                     ) -> list[tuple[str, str]]:
    pairs = []
    for v in variables:
        if v.type == "multi":
            labels = [o.label for o in v.options if values[v.column(o.code)] == 1]
            pairs.append((v.short, ", ".join(labels) or "-"))
        else:
            code = values[v.id]
            pairs.append((v.short, next((o.label for o in v.options if o.code == code), "-")))
    return pairs


def frame_of(cb: Codebook, question: str | None) -> Frame:
    """The code frame themes are named from: the question's, or (comments on every
    question) the survey's own themes."""
    v = cb.find(question) if question else None
    return cb.frame(v.id) if v is not None else Frame("", cb.themes)


def resolve_theme(cb: Codebook, text: str, question: str | None = None) -> int:
    """A theme by code or label, of ``question``'s frame (else the survey's themes)."""
    return theme_code(frame_of(cb, question).themes, text)
