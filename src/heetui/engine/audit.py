"""A session audit: the comment groups a session has shown, so that a new group whose
difference from (or overlap with) an earlier one would single out fewer than the minimum
is refused (engine.verbatims, ``earlier``).

Only group definitions are kept (filters and cell: who, never what they wrote); they are
measured again on the data each time. The app keeps one audit while it runs; the CLI's
``verbatims --session FILE`` reads and writes one as JSON (``dumps``/``loads``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from typing import Any

from heetui.engine.comments import CellRef, Selection, group_of
from heetui.engine.filters import Filter, Range
from heetui.errors import EngineError
from heetui.survey.codebook import Codebook

FORMAT = "heetui comment session 1"
MAX_GROUPS = 1000  # groups one session remembers: each costs a query on every check


@dataclass
class Audit:
    """The groups shown so far in one session, in the order they were shown."""

    shown: list[Selection] = field(default_factory=list)

    def record(self, sel: Selection) -> bool:
        """Remember the group of a selection just shown; whether it was new."""
        group = group_of(sel)
        if group.cell is not None:  # who it holds, not how its table named it
            group = replace(group, cell=replace(group.cell, row_label="", view=()))
        if group in self.shown:
            return False
        if len(self.shown) >= MAX_GROUPS:
            raise EngineError(f"This session has shown {MAX_GROUPS:,} groups of comments, the "
                              "most one session checks; start a new session.")
        self.shown.append(group)
        return True

    def dumps(self, cb: Codebook) -> str:
        return json.dumps({"format": FORMAT, "survey": cb.title,
                           "shown": [_selection(s) for s in self.shown]}, indent=1) + "\n"

    @classmethod
    def loads(cls, text: str, cb: Codebook) -> Audit:
        """An audit read back; EngineError (one sentence) when it is not one of this
        survey's."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError("format")
            if data.get("survey") != cb.title:
                raise EngineError("The session file records another survey "
                                  f"({str(data.get('survey'))[:80]!r}); start a new one.")
            if len(data["shown"]) > MAX_GROUPS:
                raise EngineError(f"The session file holds more than {MAX_GROUPS:,} groups, "
                                  "the most one session checks; start a new one.")
            shown = [_read_selection(s, cb) for s in data["shown"]]
        except EngineError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            raise EngineError("The session file is not a heetui comment session; give a new "
                              "file name, or the file an earlier run wrote.") from None
        return cls(shown)


def _filter(f: Filter) -> dict[str, Any]:
    return {"variable": f.variable, "codes": list(f.codes),
            "ranges": [[None if math.isinf(lo) else lo, None if math.isinf(hi) else hi, li, hi_in]
                       for lo, hi, li, hi_in in f.ranges]}


def _selection(s: Selection) -> dict[str, Any]:
    c = s.cell
    cell = None if c is None else {
        "question": c.question, "codes": list(c.codes), "column": [_filter(f) for f in c.column],
        "group": [_filter(f) for f in c.group], "in_group": c.in_group}
    return {"filters": [_filter(f) for f in s.filters], "cell": cell}


def _read_filter(d: dict[str, Any], cb: Codebook) -> Filter:
    if d["variable"] not in cb:
        raise ValueError("variable")
    ranges: list[Range] = [(-math.inf if lo is None else float(lo),
                            math.inf if hi is None else float(hi), bool(li), bool(hi_in))
                           for lo, hi, li, hi_in in d["ranges"]]
    return Filter(str(d["variable"]), tuple(int(c) for c in d["codes"]), tuple(ranges))


def _read_selection(d: dict[str, Any], cb: Codebook) -> Selection:
    c = d["cell"]
    cell = None
    if c is not None:
        if c["question"] not in cb or c["in_group"] not in (True, False, None):
            raise ValueError("cell")
        cell = CellRef(str(c["question"]), tuple(int(x) for x in c["codes"]),
                       column=tuple(_read_filter(f, cb) for f in c["column"]),
                       group=tuple(_read_filter(f, cb) for f in c["group"]),
                       in_group=c["in_group"])
    return Selection(filters=tuple(_read_filter(f, cb) for f in d["filters"]), cell=cell)
