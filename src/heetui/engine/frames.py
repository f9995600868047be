"""Code frames: the themes of open-ended questions kept in the workspace (``[frame.ID]``),
and the SQL that codes every comment by them.

An entry lists a question's themes in order, each with the comments it holds::

    [frame.improve]
    themes = [
      {code = 1, label = "Funding transparency and timing"},
      {code = 11, label = "Placements", search = ["placement"], add = [812], remove = [97]},
    ]
    nets = [{label = "Any funding (net)", themes = [1, 2]}]

A comment carries a theme when the survey stored it with the theme's code (or one of its
``stored`` codes: themes merged into it), when it matches any of the theme's ``search``es
(search-and-apply: every word and "phrase" of a search appears, engine.search), or when its
id is in ``add``; never when its id is in ``remove``. A question without an entry keeps the
survey's own themes (an imported survey's questions have none). Nothing is materialised:
the comments' ``themes`` column is computed by ``themes_sql`` within each query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from heetui.engine.lookup import names
from heetui.engine.search import like_pattern, search_terms
from heetui.errors import EngineError
from heetui.sqltext import literal
from heetui.survey.codebook import Codebook, Frame, Net, Theme, Variable

Report = Callable[[tuple[str, ...], str], None]  # an entry's key, and what is wrong with it
THEME_FIELDS = ("code", "label", "stored", "search", "add", "remove")
MAX_CODE = 32767  # theme codes are small integers (stored as such in the comments)
HAND = "frame_hand"  # the table of comments coded by hand: comment_id, added, removed


def shape_frames(cb: Codebook, entries: dict[str, dict[str, Any]], report: Report
                 ) -> Codebook:
    """The codebook with the workspace's code frames; an entry (or a theme, or a net) that
    does not apply is left out and reported."""
    frames = [_frame(v.id, entry, report)
              for v, entry in open_entries(cb, "frame", entries, report, "its code frame")]
    return replace(cb, frames=tuple(frames), _index={})


def open_entries(cb: Codebook, section: str, entries: dict[str, dict[str, Any]],
                 report: Report, what: str) -> Iterator[tuple[Variable, dict[str, Any]]]:
    """The entries of a section keyed by open-ended question, with their question; one
    keyed by anything else is reported (``what`` it held is left out)."""
    for name, entry in entries.items():
        v = cb.find(name)
        if v is None or v.type != "open":
            opens = ", ".join(x.id for x in cb.variables if x.type == "open") or "none"
            report((section, name), f"{name} is not an open-ended question of this survey "
                   f"(those are: {opens}); {what} is left out.")
            continue
        yield v, entry


def _frame(question: str, entry: dict[str, Any], report: Report) -> Frame:
    key = ("frame", question)
    for field in entry:
        if field not in ("themes", "nets"):
            report((*key, field), f"{field} is not part of a code frame; a frame has themes "
                   "and nets.")
    themes: list[Theme] = []
    raw = entry.get("themes", [])
    if not isinstance(raw, list):
        report((*key, "themes"), f"frame.{question}.themes must be a list of themes "
               "({code = 1, label = \"...\"}).")
        raw = []
    for i, t in enumerate(raw):
        try:
            theme = parse_theme(t)
            _unique(themes, theme)
            themes.append(theme)
        except EngineError as e:
            report((*key, "themes"), f"frame.{question}, theme {i + 1}: {e}")
    nets: list[Net] = []
    raw_nets = entry.get("nets", [])
    for net in raw_nets if isinstance(raw_nets, list) else [raw_nets]:
        try:
            nets.append(_net(themes, nets, net))
        except EngineError as e:
            report((*key, "nets"), f"frame.{question}.nets: {e}")
    return Frame(question, tuple(themes), tuple(nets), edited=True)


def parse_theme(t: object) -> Theme:
    """One theme as the workspace writes it; a mistake is one sentence."""
    if not isinstance(t, dict):
        raise EngineError("a theme is written {code = 1, label = \"...\"}.")
    wrong = [f for f in t if f not in THEME_FIELDS]
    if wrong:
        raise EngineError(f"{wrong[0]} is not a field of a theme; the fields are "
                          f"{', '.join(THEME_FIELDS)}.")
    code, label = t.get("code"), t.get("label")
    if not isinstance(code, int) or not _code(code):
        raise EngineError(f"its code must be a whole number from 1 to {MAX_CODE}.")
    if not isinstance(label, str) or not label.strip():
        raise EngineError(f"theme {code} needs a label.")
    searches = t.get("search", [])
    if not isinstance(searches, list) or not all(isinstance(s, str) for s in searches):
        raise EngineError(f"the searches of theme {code} must be a list of texts.")
    for s in searches:
        if not search_terms(s):
            raise EngineError(f"theme {code} has an empty search.")
    return Theme(code, " ".join(label.split()), _ids(t, "stored", code, _code),
                 tuple(searches), _ids(t, "add", code), _ids(t, "remove", code))


def _code(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= MAX_CODE


def comment_id(x: object) -> bool:
    """Whether ``x`` can be a comment's id (a whole number DuckDB's BIGINT holds)."""
    return isinstance(x, int) and not isinstance(x, bool) and 0 <= x < 2 ** 63


def _ids(t: dict[str, Any], field: str, code: int, valid: Callable[[object], bool] = comment_id
         ) -> tuple[int, ...]:
    value = t.get(field, [])
    if not isinstance(value, list) or not all(valid(x) for x in value):
        what = "theme codes" if field == "stored" else "comment ids"
        raise EngineError(f"{field} of theme {code} must be a list of {what}.")
    return tuple(dict.fromkeys(value))


def _unique(themes: list[Theme], theme: Theme) -> None:
    for t in themes:
        if t.code == theme.code:
            raise EngineError(f"code {theme.code} is taken by {t.label!r}.")
        if t.label.casefold() == theme.label.casefold():
            raise EngineError(f"the label {theme.label!r} is taken by theme {t.code}.")


def _net(themes: list[Theme], nets: list[Net], net: object) -> Net:
    if not isinstance(net, dict) or not isinstance(net.get("label"), str) \
            or not isinstance(net.get("themes"), list):
        raise EngineError("a net of themes is written {label = \"...\", themes = [1, 2]}.")
    label = " ".join(net["label"].split())
    if any(names(label, None, t.label) for t in themes) or any(
            n.label.casefold() == label.casefold() for n in nets):
        raise EngineError(f"the label {label!r} is taken.")
    codes = [theme_code(themes, str(x)) for x in net["themes"]]
    if not codes:
        raise EngineError(f"the net {label!r} has no themes.")
    return Net(label, tuple(dict.fromkeys(codes)))


def theme_code(themes: tuple[Theme, ...] | list[Theme], text: str) -> int:
    """The theme ``text`` names, by code or label (any letter case)."""
    val = text.strip()
    for t in themes:
        if names(val, t.code, t.label):
            return t.code
    if not themes:
        raise EngineError(f"Unknown theme {val!r}: no themes are coded here yet.")
    known = "; ".join(f"{t.code} {t.label}" for t in themes)
    raise EngineError(f"Unknown theme {val!r}; choose a code or label from: {known}.")


# ---- the SQL ------------------------------------------------------------------------------

def themes_sql(cb: Codebook) -> str | None:
    """The comments' ``themes`` as the workspace's frames code them (an expression over a
    stored comment ``c`` and its row of the hand-coding table ``h``), or None when no frame
    is edited (the stored column as it is)."""
    edited = [f for f in cb.frames if f.edited]
    if not edited:
        return None
    cases = " ".join(f"WHEN {literal(f.question)} THEN {_frame_sql(f)}" for f in edited)
    return f"CASE c.question {cases} ELSE CAST(c.themes AS INTEGER[]) END"


def _frame_sql(f: Frame) -> str:
    parts = [f"CASE WHEN {_holds(t)} THEN [{t.code}] ELSE []::INTEGER[] END" for t in f.themes]
    return f"flatten([{', '.join(parts)}])" if parts else "[]::INTEGER[]"


def base_holds(t: Theme) -> str:
    """Whether a stored comment ``c`` carries ``t`` by its stored codes or a search (before
    any coding by hand)."""
    return _holds(replace(t, added=(), removed=()))


def _holds(t: Theme) -> str:
    """Whether a comment carries theme ``t``."""
    stored = ", ".join(str(c) for c in (t.code, *t.stored))
    ways = [f"list_has_any(c.themes, [{stored}])"]
    for s in t.searches:
        ways.append("(" + " AND ".join(f"c.text ILIKE {literal(like_pattern(term))} "
                                       "ESCAPE '\\'" for term in search_terms(s)) + ")")
    if t.added:
        ways.append(f"coalesce(list_contains(h.added, {t.code}), false)")
    holds = " OR ".join(ways)
    if t.removed:
        holds = f"({holds}) AND NOT coalesce(list_contains(h.removed, {t.code}), false)"
    return f"({holds})"


def hand_coded(cb: Codebook) -> tuple[list[int], list[list[int]], list[list[int]]]:
    """The comments coded by hand: their ids, and per comment the theme codes added and
    removed (the rows of the ``frame_hand`` table)."""
    added: dict[int, list[int]] = {}
    removed: dict[int, list[int]] = {}
    for f in cb.frames:
        for t in f.themes:
            for cid in t.added:
                added.setdefault(cid, []).append(t.code)
            for cid in t.removed:
                removed.setdefault(cid, []).append(t.code)
    ids = sorted(added.keys() | removed.keys())
    return ids, [added.get(i, []) for i in ids], [removed.get(i, []) for i in ids]
