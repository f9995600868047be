"""The engine's front door: everything the command line and the app ask of the engine.

The front ends import from ``heetui.engine`` only, never from its modules (an import-linter
contract in pyproject.toml holds them to it), so the engine's inside can be rearranged without
touching them. What is here:

- a survey: ``open_survey`` and ``Survey`` (its ``codebook`` is the survey's model, the one
  every command and screen reads), ``overview``;
- tables: ``TabRequest``, ``resolve_banner`` (``settings_banner``: the settings file's,
  when the survey has it), ``table`` (a ``Crosstab``, or a ``GridSummary`` for a rating
  grid), ``table_ready``, ``is_grid``, ``arrange``, a numeric question's ``histogram``; the
  names of tests and corrections are in ``heetui.choices``, below every layer, so that the
  argument parser never loads the engine;
- books: ``BookRequest``, ``tab_book``; profiles: ``profile``, ``Profile``, ``ProfileRow``;
- filters: ``parse_filter``, ``parse_filters`` (several, "&" and saved ``@names``),
  ``Filter`` (``Filter.written``: as ``--filter`` takes it), ``write_filters``,
  ``describe_group``;
- the workspace (the analyst's edits, engine.edits): ``edits`` (its functions each make
  one ``Edit``), ``apply_edit``, ``undo_edit``, ``Applied``; ``Survey.workspace`` is the
  file, ``Survey.workspace_problems`` what of it does not apply;
- comments: ``verbatims`` and its selection, page and cell types, and the session ``Audit``.
"""

from __future__ import annotations

from heetui.engine import edits
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
from heetui.engine.distribution import Histogram, histogram
from heetui.engine.edits import Applied, Edit, apply_edit, undo_edit
from heetui.engine.filters import (
    Filter,
    describe_group,
    parse_filter,
    parse_filters,
    write_filters,
)
from heetui.engine.grid import is_grid, table, table_ready
from heetui.engine.ordering import arrange
from heetui.engine.profiling import Profile, ProfileRow, profile
from heetui.engine.results import SE_LABEL, Crosstab, GridSummary, Row
from heetui.engine.session import Survey, open_survey
from heetui.engine.summary import overview

__all__ = [
    "GROUP_COLUMN", "PAGE", "SE_LABEL", "Applied", "Audit", "BookRequest", "CellRef",
    "Crosstab", "Edit", "Filter", "GridSummary", "Histogram", "Profile", "ProfileRow", "Row",
    "Selection", "Survey", "TabRequest", "Verbatim", "VerbatimPage", "apply_edit", "arrange",
    "describe_group", "edits", "histogram", "is_grid", "narrowings", "open_survey", "overview",
    "parse_filter", "parse_filters", "profile", "resolve_banner", "resolve_theme",
    "settings_banner", "tab_book", "table", "table_ready", "undo_edit", "verbatims",
    "write_filters",
]
