"""The engine's front door: everything the command line and the app ask of the engine.

The front ends import from ``heetui.engine`` only, never from its modules (an import-linter
contract in pyproject.toml holds them to it), so the engine's inside can be rearranged without
touching them. What is here:

- a survey: ``open_survey`` (``open_waves``: several as the waves of one, engine.waves)
  and ``Survey`` (its ``codebook`` is the survey's model, the one
  every command and screen reads), ``overview``;
- tables: ``TabRequest``, ``resolve_banner`` (``settings_banner``: the settings file's,
  when the survey has it), ``table`` (a ``Crosstab``, or a ``GridSummary`` for a rating
  grid), ``table_ready``, ``is_grid``, ``arrange``, a numeric question's ``histogram``; the
  names of tests and corrections are in ``heetui.choices``, below every layer, so that the
  argument parser never loads the engine;
- books: ``BookRequest``, ``tab_book``; what moved between two: ``diff_books``;
  profiles: ``profile``, ``Profile``, ``ProfileRow``;
- filters: ``parse_filter``, ``parse_filters`` (several, "&" and saved ``@names``),
  ``Filter`` (``Filter.written``: as ``--filter`` takes it), ``write_filters``,
  ``describe_group``, ``categories`` (a variable as answers: a numeric one with bands as
  its bands);
- the workspace (the analyst's edits, engine.edits): ``edits`` (its functions each make
  one ``Edit``), ``apply_edit``, ``undo_edit``, ``Applied``, ``save_view`` (the app's
  last view, ``Survey.view``); ``Survey.workspace`` is the
  file, ``Survey.workspace_problems`` what of it does not apply;
- weights computed to targets (engine.weighting, ``[weight.NAME]`` entries of the
  workspace; ``edits.weigh`` makes one): ``Survey.weight_names``, ``Survey.choose_weight``,
  ``Survey.weight_reports`` (each a ``WeightReport``);
- distinctive words of an open-ended question by a banner: ``distinctive_words``
  (``term_comments``: the comments behind one of its terms);
- coding comments (engine.coding, ``[frame.ID]`` entries of the workspace): ``coding``
  (edits of a question's code frame, each one ``Edit`` for ``apply_edit``; the counts a
  coder works by; ``next_uncoded``, ``hits``);
- comments: ``verbatims`` and its selection, page and cell types, and the session ``Audit``;
- quotes for the report (engine.quotes, ``[quote.ID]`` entries of the workspace): ``quotes``
  (``star``: one comment starred or not, an ``Edit``; ``quotes``: the starred comments by
  question and theme, attributed as the disclosure rule allows, a ``Quotes``).
"""

from __future__ import annotations

from heetui.engine import coding, edits, quotes
from heetui.engine.audit import Audit
from heetui.engine.banner import resolve_banner, settings_banner
from heetui.engine.book import BookRequest, tab_book
from heetui.engine.comments import (
    PAGE,
    CellRef,
    Selection,
    Verbatim,
    VerbatimPage,
    narrowings,
    resolve_theme,
    verbatims,
)
from heetui.engine.crosstab import GROUP_COLUMN, TabRequest
from heetui.engine.diffing import BookDiff, diff_books
from heetui.engine.distribution import Histogram, histogram
from heetui.engine.edits import Applied, Edit, apply_edit, save_view, undo_edit
from heetui.engine.filters import (
    Filter,
    describe_group,
    parse_filter,
    parse_filters,
    write_filters,
)
from heetui.engine.grid import is_grid, table, table_ready
from heetui.engine.lookup import categories
from heetui.engine.ordering import arrange
from heetui.engine.profiling import Profile, ProfileRow, profile
from heetui.engine.quotes import Quotes
from heetui.engine.results import SE_LABEL, Crosstab, GridSummary, Row
from heetui.engine.session import Survey, open_survey, open_waves
from heetui.engine.summary import overview
from heetui.engine.weighting import WeightReport
from heetui.engine.words import Words, distinctive_words, term_comments

__all__ = [
    "GROUP_COLUMN", "PAGE", "SE_LABEL", "Applied", "Audit", "BookDiff", "BookRequest", "CellRef",
    "Crosstab", "Edit", "Filter", "GridSummary", "Histogram", "Profile", "ProfileRow", "Quotes",
    "Row",
    "Selection", "Survey", "TabRequest", "Verbatim", "VerbatimPage", "WeightReport", "Words",
    "apply_edit", "arrange", "categories", "coding", "describe_group", "diff_books",
    "distinctive_words",
    "edits", "histogram", "is_grid", "narrowings", "open_survey", "open_waves", "overview",
    "parse_filter", "parse_filters", "profile", "quotes", "resolve_banner", "resolve_theme",
    "save_view", "settings_banner", "tab_book", "table", "table_ready", "term_comments",
    "undo_edit", "verbatims", "write_filters",
]
