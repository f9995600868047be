"""Comments starred for the report: the workspace's ``[quote.ID]`` entries, one per
open-ended question, and how they are read into the survey's model (``Codebook.starred``)::

    [quote.improve]
    starred = [812, 97]

``starred`` lists comment ids (``Verbatim.key``; `heetui verbatims --show-source-ids`
prints them) in the order they were starred. An entry that does not apply (not an
open-ended question, a field other than ``starred``, something other than comment ids) is
left out and reported by line; an id that is no comment of the question (a comment of an
earlier wave) is kept in the file and named where the quotes are written (engine.quotes).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from heetui.engine.frames import Report, comment_id, open_entries
from heetui.survey.codebook import Codebook, Starred

FIELDS = ("starred",)


def shape_quotes(cb: Codebook, entries: dict[str, dict[str, Any]], report: Report
                 ) -> Codebook:
    """The codebook with the workspace's starred comments; an entry that does not apply is
    left out and reported."""
    starred = []
    for v, entry in open_entries(cb, "quote", entries, report, "its starred comments"):
        name = v.id
        for field in entry:
            if field not in FIELDS:
                report(("quote", name, field), f"{field} is not part of quote.{name}; it "
                       "holds starred = [comment ids].")
        ids = entry.get("starred", [])
        if not isinstance(ids, list) or not all(comment_id(x) for x in ids):
            report(("quote", name, "starred"), f"quote.{name}.starred must be a list of "
                   "comment ids (whole numbers, as `heetui verbatims --show-source-ids` "
                   "prints them); they are left out.")
            continue
        if ids:
            starred.append(Starred(v.id, tuple(dict.fromkeys(ids))))
    return replace(cb, starred=tuple(starred), _index={})
