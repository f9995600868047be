"""Quotes for the report: comments starred while reading (the workspace's ``[quote.ID]``
entries, engine.starred), and the starred comments of each open-ended question grouped by
the themes of its code frame, each attributed as far as the disclosure rule allows.

``star`` makes the edit (one ``Edit`` for ``apply_edit``; its merge reads the list the file
holds under the workspace's lock, so two sessions starring at once keep each other's
stars). ``quotes`` reads them: a comment carrying several themes is quoted under each, in
the frame's order, with the same number; one carrying none under "Not coded". Who said it
is the comment's key attributes as engine.comments shows them beside it (the one rule:
only as far as at least the minimum group of the people who commented share them), or an
interview's own attribution, then its source: "NHS Trust · London (survey)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from heetui.engine.coding import open_question
from heetui.engine.comments import Selection, _attributes, _disclose, group_of, min_group
from heetui.engine.edits import Edit
from heetui.engine.frames import comment_id
from heetui.engine.session import Survey
from heetui.engine.sql import Clause
from heetui.errors import EngineError
from heetui.survey.codebook import Frame

NOT_CODED = "Not coded"
UNATTRIBUTED = "Unattributed"


@dataclass(frozen=True)
class Quote:
    number: int  # within its question, in the order the comments were starred
    key: int  # the comment's id, as the workspace holds it (outputs show ``number``)
    text: str
    source: str
    attribution: str  # who said it, as far as the rule allows: "NHS Trust · London (survey)"
    withheld: bool  # some key attributes left out: too few people share them
    themes: tuple[str, ...]


@dataclass(frozen=True)
class ThemeQuotes:
    """The starred comments of a question carrying one theme (``code`` None: none)."""

    theme: str
    code: int | None
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class QuestionQuotes:
    question: str
    text: str
    themes: tuple[ThemeQuotes, ...]
    quoted: int  # starred comments found (each once, whatever its themes)
    missing: tuple[int, ...] = ()  # starred ids that are no comment of the question now


@dataclass(frozen=True)
class Quotes:
    kind: ClassVar[str] = "quotes"  # what the output formats are registered under
    survey: str  # its title
    questions: tuple[QuestionQuotes, ...]
    min_group: int  # the threshold attributions were decided by

    @property
    def quoted(self) -> int:
        return sum(q.quoted for q in self.questions)


def star(survey: Survey, question: str, comment: int, on: bool | None = None) -> Edit:
    """Star one comment of ``question`` for the report (``on``), unstar it (``on`` False)
    or toggle it (None). A comment starred before stays listed where it was."""
    v = open_question(survey, question)
    starred = comment in survey.codebook.stars(v.id)
    want = not starred if on is None else on
    if want and not survey.query(Clause(
            "SELECT 1 FROM verbatims WHERE comment_id = ? AND question = ?",
            [comment, v.id])):
        raise EngineError(f"Comment {comment} is not a comment on {v.id} (its id as "
                          "`heetui verbatims --show-source-ids` prints it).")

    def merge(ids: Any) -> Any:
        if ids is not None and not (isinstance(ids, list) and all(map(comment_id, ids))):
            raise EngineError(f"quote.{v.id}.starred in the workspace is not a list of "
                              "comment ids; fix it by hand (docs/workspace.md).")
        now = [x for x in ids or [] if x != comment]
        if want:
            now.insert(ids.index(comment) if ids and comment in ids else len(now), comment)
        return now or None

    current = survey.workspace.get(("quote", v.id, "starred")) if survey.workspace else None
    return Edit(("quote", v.id, "starred"), merge(current),
                f"Comment {comment} of {v.id} {'starred' if want else 'unstarred'}", merge)


def quotes(survey: Survey, question: str | None = None, min_group_size: int | None = None
           ) -> Quotes:
    """The starred comments of ``question`` (None: of every open-ended question with any),
    grouped by theme and attributed. The comments are shown only when the disclosure rule
    shows the whole survey's (the group every quote is drawn from)."""
    cb = survey.codebook
    threshold = min_group(cb, min_group_size)
    if question is not None:
        ids = [open_question(survey, question).id]
    else:
        ids = [v.id for v in cb.variables if v.type == "open" and cb.stars(v.id)]
    everyone = Selection()
    if ids:
        _disclose(survey, everyone, threshold, ())
    return Quotes(cb.title, tuple(_question(survey, q, threshold, everyone) for q in ids),
                  threshold)


def _question(survey: Survey, question: str, threshold: int, group: Selection
              ) -> QuestionQuotes:
    cb = survey.codebook
    starred = cb.stars(question)
    rows = {int(r[0]): r for r in survey.query(Clause(
        "SELECT comment_id, respondent_id, text, themes, source, attribution FROM verbatims "
        "WHERE question = ? AND comment_id IN (SELECT unnest(?))",
        [question, list(starred)]))} if starred else {}
    found = [rows[i] for i in starred if i in rows]
    attrs = _attributes(survey, [r[1] for r in found if r[1] is not None], threshold,
                        group_of(group))
    frame = cb.frame(question)
    made = []
    for number, (cid, rid, text, codes, source, attribution) in enumerate(found, start=1):
        shown, withheld = attrs.get(rid, ((), False)) if rid is not None else ((), False)
        codes = tuple(int(c) for c in codes or ())
        own = attribution if rid is None else None  # an interview's, tied to no respondent
        made.append((codes, Quote(number, int(cid), text or "", source or "",
                                  _who(shown, own, source), withheld,
                                  tuple(frame.label(c) for c in codes))))
    return QuestionQuotes(question, cb.get(question).text, _by_theme(frame, made), len(made),
                          tuple(i for i in starred if i not in rows))


def _who(shown: Sequence[tuple[str, str]], attribution: str | None, source: str | None
         ) -> str:
    """A quote's attribution: its shown key attributes (an interview: its own attribution),
    then its source in brackets."""
    values = [value for _, value in shown if value != "-"]
    if attribution:
        values = [attribution]
    who = " · ".join(values) or UNATTRIBUTED
    return f"{who} ({source})" if source else who


def _by_theme(frame: Frame, made: list[tuple[tuple[int, ...], Quote]]
              ) -> tuple[ThemeQuotes, ...]:
    """Quotes under each theme they carry (the frame's order, then any code it does not
    name), then those carrying none."""
    order = [t.code for t in frame.themes]
    order += sorted({c for codes, _ in made for c in codes} - set(order))
    groups = [ThemeQuotes(frame.label(c), c, tuple(q for codes, q in made if c in codes))
              for c in order]
    groups.append(ThemeQuotes(NOT_CODED, None, tuple(q for codes, q in made if not codes)))
    return tuple(g for g in groups if g.quotes)


__all__ = ["NOT_CODED", "QuestionQuotes", "Quote", "Quotes", "ThemeQuotes", "quotes", "star"]
