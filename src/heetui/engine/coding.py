"""Coding open-ended comments: edits of a question's code frame (engine.frames), made the
same way from the command line and the app, and the counts a coder works by.

Every edit is one workspace entry, the question's whole frame (``[frame.ID]``), changed
from what the file holds when it is written (``Edit.merge``, under the workspace's lock),
so two coders on one workspace keep each other's work; ``apply_edit`` writes it and
``undo_edit`` takes it back. A question's first edit starts its frame from the survey's
own themes. Search-and-apply keeps the search (every comment matching it carries the
theme, in this wave and the next); coding one comment by hand keeps its id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from heetui.engine.comments import UNCODED
from heetui.engine.edits import Edit
from heetui.engine.frames import base_holds, parse_theme, theme_code
from heetui.engine.search import NOT_BLANK_SQL, TERM_SQL, like_pattern, search_terms
from heetui.engine.session import Survey
from heetui.engine.sql import Clause, Param, where
from heetui.errors import EngineError
from heetui.survey.codebook import Frame, Net, Theme, Variable

Entry = dict[str, Any]


@dataclass(frozen=True)
class CodingCounts:
    """A question's code frame and its comments (non-blank): how many, how many carry a
    theme, and per theme (in order) and per net of themes how many carry it."""

    kind: ClassVar[str] = "frame"  # what the output formats are registered under
    question: str
    text: str
    comments: int
    coded: int
    themes: tuple[tuple[Theme, int], ...]
    nets: tuple[tuple[Net, int], ...] = ()
    edited: bool = False  # the frame is the workspace's (else the survey's own themes)
    workspace: str = ""

    @property
    def uncoded(self) -> int:
        return self.comments - self.coded


def open_question(survey: Survey, question: str) -> Variable:
    """An open-ended question with comments, by id; one sentence otherwise."""
    v = survey.codebook.find(question.strip())
    opens = [x.id for x in survey.codebook.variables if x.type == "open"]
    if v is None or v.type != "open":
        raise EngineError(f"{question.strip()!r} is not an open-ended question; choose one of: "
                          f"{', '.join(opens) or '(none)'}.")
    if survey.bundle.verbatims is None:
        raise EngineError("This survey has no verbatim comments to code.")
    return v


def coding_counts(survey: Survey, question: str) -> CodingCounts:
    """Comments of ``question``, coded and not, per theme and per net of themes."""
    v = open_question(survey, question)
    frame = survey.codebook.frame(v.id)
    nets = "".join(f", COUNT(*) FILTER (WHERE list_has_any(themes, "
                   f"[{', '.join(str(int(c)) for c in n.codes)}]))" for n in frame.nets)
    nulls = ", NULL" * len(frame.nets)
    rows = survey.query(Clause(  # the themes computed once (a frame's searches: a scan each)
        f"WITH m AS MATERIALIZED (SELECT themes FROM verbatims WHERE question = ? AND "
        f"{NOT_BLANK_SQL}) SELECT NULL, COUNT(*), COUNT(*) FILTER (WHERE len(themes) > 0)"
        f"{nets} FROM m UNION ALL SELECT t, COUNT(*), NULL{nulls} FROM (SELECT UNNEST(themes) "
        "AS t FROM m) GROUP BY t", [v.id]))
    per = {int(t): int(k) for t, k, *_ in rows if t is not None}
    n, coded, *per_net = next(r[1:] for r in rows if r[0] is None)
    ws = survey.workspace
    return CodingCounts(v.id, v.text, int(n), int(coded),
                        tuple((t, per.get(t.code, 0)) for t in frame.themes),
                        tuple((net, int(k)) for net, k in zip(frame.nets, per_net, strict=True)),
                        frame.edited, str(ws.path) if ws is not None else "")


def next_uncoded(survey: Survey, question: str, after: int | None = None) -> int | None:
    """The position (0-based, among the question's comments as ``verbatims`` lists them) of
    the first comment with words and no theme after the comment with id ``after`` (from the
    start when None, and round to the start when none follows); None when none is left."""
    v = open_question(survey, question)
    for start in ([after, None] if after is not None else [None]):
        found = survey.query(Clause(
            "SELECT (SELECT COUNT(*) FROM verbatims WHERE question = ? AND comment_id < m.id) "
            f"FROM (SELECT MIN(comment_id) AS id FROM verbatims WHERE question = ? AND "
            f"{UNCODED} AND comment_id > ?) m WHERE m.id IS NOT NULL",
            [v.id, v.id, -1 if start is None else start]))
        if found:
            return int(found[0][0])
    return None


# ---- edits of the frame -------------------------------------------------------------------

def _written(t: Theme) -> Entry:
    out: Entry = {"code": t.code, "label": t.label}
    for name, value in (("stored", t.stored), ("search", t.searches), ("add", t.added),
                        ("remove", t.removed)):
        if value:
            out[name] = list(value)
    return out


def _start(frame: Frame) -> Entry:
    """A frame's entry as the workspace holds it (the survey's own themes when it has none)."""
    entry: Entry = {"themes": [_written(t) for t in frame.themes]}
    if frame.nets:
        entry["nets"] = [{"label": n.label, "themes": list(n.codes)} for n in frame.nets]
    return entry


def _themes(entry: Entry) -> list[Entry]:
    themes = entry.get("themes")
    if not isinstance(themes, list):
        raise EngineError("The frame's themes in the workspace are not a list; fix them by "
                          "hand (docs/workspace.md).")
    return themes


def _find(entry: Entry, code: int) -> Entry:
    for t in _themes(entry):
        if isinstance(t, dict) and t.get("code") == code:
            return t
    raise EngineError(f"Theme {code} is no longer in the frame (another session changed it).")


def _frame_edit(survey: Survey, question: str, description: Callable[[Frame], str],
                change: Callable[[Entry, Frame], None]) -> Edit:
    """An edit of ``question``'s frame: ``change`` applied to the entry the file holds
    (started from the survey's themes when there is none)."""
    v = open_question(survey, question)
    frame = survey.codebook.frame(v.id)

    def merge(entry: Any) -> Any:
        entry = entry if isinstance(entry, dict) else _start(frame)
        change(entry, frame)
        return entry

    current = survey.workspace.get(("frame", v.id)) if survey.workspace else None
    return Edit(("frame", v.id), merge(current), description(frame), merge)


def _code_of(frame: Frame, theme: str) -> int:
    return theme_code(frame.themes, theme)


def _label(label: str, what: str = "Give the theme a label.") -> str:
    text = " ".join(label.split())
    if not text:
        raise EngineError(what)
    return text


def _new_theme(survey: Survey, entry: Entry, label: str) -> Entry:
    """A theme appended to the frame's entry, with a code no theme, stored or merged, has."""
    themes = _themes(entry)
    taken = {t.code for t in survey.codebook.themes} | {
        c for t in themes if isinstance(t, dict)
        for c in [t.get("code"), *t.get("stored", [])] if isinstance(c, int)}
    new = {"code": max(taken, default=0) + 1, "label": label}
    parse_theme(new)
    themes.append(new)
    return new


def add_theme(survey: Survey, question: str, label: str) -> Edit:
    """A new theme at the end of the frame."""
    text = _label(label)

    def change(entry: Entry, frame: Frame) -> None:
        _new_theme(survey, entry, text)

    return _frame_edit(survey, question, lambda f: f"Theme {text!r} added to {question}",
                       change)


def rename_theme(survey: Survey, question: str, theme: str, label: str) -> Edit:
    text = _label(label, "Give the theme its new label.")
    code = _code_of(survey.codebook.frame(open_question(survey, question).id), theme)

    def change(entry: Entry, frame: Frame) -> None:
        _find(entry, code)["label"] = text

    return _frame_edit(survey, question,
                       lambda f: f"Theme {code} of {question} renamed {text!r}", change)


def delete_theme(survey: Survey, question: str, theme: str) -> Edit:
    """A theme out of the frame: its comments lose it, nets lose it (a net left empty goes)."""
    code = _code_of(survey.codebook.frame(open_question(survey, question).id), theme)

    def change(entry: Entry, frame: Frame) -> None:
        entry["themes"] = [t for t in _themes(entry) if t is not _find(entry, code)]
        _drop_from_nets(entry, {code})

    return _frame_edit(survey, question, lambda f: f"Theme {f.label(code)!r} deleted from "
                       f"{question}", change)


def _drop_from_nets(entry: Entry, codes: set[int], into: int | None = None) -> None:
    nets = entry.get("nets")
    if not isinstance(nets, list):
        return
    kept = []
    for n in nets:
        if isinstance(n, dict) and isinstance(n.get("themes"), list):
            ts = [into if c in codes and into is not None else c for c in n["themes"]
                  if c not in codes or into is not None]
            n["themes"] = list(dict.fromkeys(ts))
            if not n["themes"]:
                continue
        kept.append(n)
    if kept:
        entry["nets"] = kept
    else:
        entry.pop("nets", None)


def order_themes(survey: Survey, question: str, themes: list[str]) -> Edit:
    """The themes named first, in that order; the rest follow as they were."""
    frame = survey.codebook.frame(open_question(survey, question).id)
    codes = list(dict.fromkeys(_code_of(frame, t) for t in themes))

    def change(entry: Entry, frame: Frame) -> None:
        listed = [_find(entry, c) for c in codes]
        entry["themes"] = listed + [t for t in _themes(entry) if t not in listed]

    return _frame_edit(survey, question, lambda f: f"Themes of {question} ordered "
                       f"{', '.join(map(str, codes))}", change)


def move_theme(survey: Survey, question: str, theme: str, by: int) -> Edit:
    """A theme ``by`` places up (negative) or down the frame."""
    frame = survey.codebook.frame(open_question(survey, question).id)
    code = _code_of(frame, theme)
    order = [t.code for t in frame.themes]
    i = order.index(code)
    j = min(max(i + by, 0), len(order) - 1)
    order.insert(j, order.pop(i))
    return order_themes(survey, question, [str(c) for c in order])


def merge_themes(survey: Survey, question: str, themes: list[str], into: str) -> Edit:
    """Themes merged into one: it carries every comment any of them carried (their stored
    codes, searches and hand-coded comments), and they leave the frame."""
    v = open_question(survey, question)
    frame = survey.codebook.frame(v.id)
    target = _code_of(frame, into)
    sources = [c for c in dict.fromkeys(_code_of(frame, t) for t in themes) if c != target]
    if not sources:
        raise EngineError("Name at least one theme to merge into another.")
    # a comment taken from one theme by hand keeps none of them only if it carries none now
    removed = {cid for t in frame.themes if t.code in (target, *sources) for cid in t.removed}
    carrying = _carrying(survey, v.id, sorted(removed), [target, *sources])

    def change(entry: Entry, frame: Frame) -> None:
        kept = _find(entry, target)
        for code in sources:
            t = _find(entry, code)
            kept["stored"] = _union(kept.get("stored"), [code, *t.get("stored", [])])
            for name in ("search", "add"):
                kept[name] = _union(kept.get(name), t.get(name))
            entry["themes"] = [x for x in _themes(entry) if x is not t]
        kept["remove"] = sorted(removed - carrying)
        for name in ("stored", "search", "add", "remove"):
            if not kept.get(name):
                kept.pop(name, None)
        _drop_from_nets(entry, set(sources), into=target)

    which = f"Theme{'s' if len(sources) > 1 else ''} {', '.join(map(str, sources))}"
    return _frame_edit(survey, question, lambda f: f"{which} of {question} merged into "
                       f"{f.label(target)!r}", change)


def _union(a: Any, b: Any) -> list[Any]:
    return list(dict.fromkeys([*(a if isinstance(a, list) else []),
                               *(b if isinstance(b, list) else [])]))


def _carrying(survey: Survey, question: str, ids: list[int], codes: list[int]) -> set[int]:
    """Of the comments ``ids``, those that carry any of ``codes`` now."""
    if not ids:
        return set()
    rows = survey.query(Clause("SELECT comment_id FROM verbatims WHERE question = ? AND "
                               "list_has_any(themes, ?) AND comment_id IN (SELECT unnest(?))",
                               [question, codes, ids]))
    return {int(r[0]) for r in rows}


def split_theme(survey: Survey, question: str, theme: str, label: str, search: str) -> Edit:
    """A new theme taking the comments of ``theme`` that match ``search``: they carry the
    new theme and no longer the old one."""
    v = open_question(survey, question)
    frame = survey.codebook.frame(v.id)
    code = _code_of(frame, theme)
    ids = hits(survey, v.id, search, code)
    if not ids:
        raise EngineError(f"No comment of theme {frame.label(code)!r} matches {search!r}.")
    text = _label(label)

    def change(entry: Entry, frame: Frame) -> None:
        _new_theme(survey, entry, text)["add"] = ids
        old = _find(entry, code)
        old["remove"] = sorted(set(old.get("remove", [])) | set(ids))

    return _frame_edit(survey, question, lambda f: f"Theme {f.label(code)!r} of {question} "
                       f"split: {len(ids):,} comments matching {search!r} to {text!r}", change)


def hits(survey: Survey, question: str, search: str, theme: int | None = None) -> list[int]:
    """Ids of ``question``'s comments matching ``search`` (and carrying ``theme``)."""
    terms = search_terms(search)
    if not terms:
        raise EngineError("Give the words to search for.")
    clauses: list[Clause[Param]] = [Clause("question = ?", [question]),
                                    Clause(NOT_BLANK_SQL, [])]
    clauses += [Clause(TERM_SQL, [like_pattern(t)]) for t in terms]
    if theme is not None:
        clauses.append(Clause("list_contains(themes, ?)", [theme]))
    w = where(clauses)
    return [int(r[0]) for r in survey.query(Clause(
        f"SELECT comment_id FROM verbatims WHERE {w.sql} ORDER BY comment_id", w.params))]


def apply_search(survey: Survey, question: str, theme: str, search: str) -> Edit:
    """Search-and-apply: every comment of the question matching ``search`` carries the
    theme (kept as the search, so the next wave's comments are coded by it too)."""
    v = open_question(survey, question)
    code = _code_of(survey.codebook.frame(v.id), theme)
    text = " ".join(search.split())
    if not search_terms(text):
        raise EngineError("Give the words to search for.")

    def change(entry: Entry, frame: Frame) -> None:
        t = _find(entry, code)
        t["search"] = _union(t.get("search"), [text])

    return _frame_edit(survey, question, lambda f: f"Comments of {question} matching "
                       f"{text!r} coded {f.label(code)!r}", change)


def remove_search(survey: Survey, question: str, theme: str, search: str) -> Edit:
    v = open_question(survey, question)
    code = _code_of(survey.codebook.frame(v.id), theme)
    text = " ".join(search.split())

    def change(entry: Entry, frame: Frame) -> None:
        t = _find(entry, code)
        if text not in t.get("search", []):
            raise EngineError(f"Theme {code} has no search {text!r}.")
        t["search"] = [s for s in t["search"] if s != text]
        if not t["search"]:
            del t["search"]

    return _frame_edit(survey, question, lambda f: f"Search {text!r} taken from "
                       f"{f.label(code)!r}", change)


def code_comment(survey: Survey, question: str, comment: int, theme: str,
                 on: bool | None = None) -> Edit:
    """Give one comment the theme (``on``), take it away (``on`` False) or toggle it (None)."""
    v = open_question(survey, question)
    frame = survey.codebook.frame(v.id)
    code = _code_of(frame, theme)
    t = frame.theme(code)
    assert t is not None
    row = survey.query(Clause(
        f"SELECT list_contains(v.themes, ?), {base_holds(t)} FROM verbatims v JOIN "
        "stored_verbatims c USING (comment_id) WHERE v.comment_id = ? AND v.question = ?",
        [code, comment, v.id]))
    if not row:
        raise EngineError(f"Comment {comment} is not a comment on {v.id}.")
    has, by_rule = bool(row[0][0]), bool(row[0][1])
    want = not has if on is None else on

    def change(entry: Entry, frame: Frame) -> None:
        x = _find(entry, code)
        add, rem = set(x.get("add", [])), set(x.get("remove", []))
        add.discard(comment)
        rem.discard(comment)
        if want and not by_rule:
            add.add(comment)
        if not want and by_rule:
            rem.add(comment)
        for name, ids in (("add", add), ("remove", rem)):
            if ids:
                x[name] = sorted(ids)
            else:
                x.pop(name, None)

    return _frame_edit(survey, question, lambda f: f"Comment {comment} of {question} "
                       f"{'coded' if want else 'uncoded'} {f.label(code)!r}", change)


def theme_net(survey: Survey, question: str, label: str, themes: list[str]) -> Edit:
    """A net of themes: respondents whose comments carry any of them."""
    frame = survey.codebook.frame(open_question(survey, question).id)
    codes = list(dict.fromkeys(_code_of(frame, t) for t in themes))
    text = _label(label, "Give the net of themes a label.")
    if not codes:
        raise EngineError("A net of themes needs at least one theme.")

    def change(entry: Entry, frame: Frame) -> None:
        nets = entry.get("nets")
        entry["nets"] = [*(nets if isinstance(nets, list) else []),
                         {"label": text, "themes": codes}]

    return _frame_edit(survey, question, lambda f: f"Net {text!r} of {question}'s themes "
                       f"({', '.join(map(str, codes))})", change)


__all__ = ["CodingCounts", "add_theme", "apply_search", "code_comment", "coding_counts",
           "delete_theme", "hits", "merge_themes", "move_theme", "next_uncoded",
           "open_question", "order_themes", "remove_search", "rename_theme", "split_theme",
           "theme_net"]
