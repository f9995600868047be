"""Rating grids recognised on import: single-choice columns that share a name prefix
(``Q5_1 … Q5_8``) and one scale (the same options, codes and labels) become one grid entry
of the codebook, its items in the order of the file.

- the items' answers are coded on one shared list of values (``shared_values``), so that a
  CSV's text answers get the same codes in every item, whichever answers each item has;
- the grid's text is what its items' texts share ("How satisfied are you with: Speed" and
  "…: Price" give "How satisfied are you with"), each item's label the rest;
- options coded from numbers score their code, so the grid has a mean, except answers
  outside the scale (Don't know, Not applicable … at an end of the list:
  importers.missing.outside_scale); a "No opinion" between two answers is scored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from heetui.importers.missing import outside_scale, sort_key
from heetui.importers.scales import reading_order
from heetui.survey.codebook import Grid, Option, Variable

_ITEM = re.compile(r"^(.*?[A-Za-z].*?)[_.]?(\d+)$")
SEPARATORS = " -–—:._?"
MIN_SHARED_TEXT = 8  # characters of text items must share to give the grid its text


def prefix_of(column: str) -> str | None:
    m = _ITEM.match(column)
    return m.group(1) if m else None


def shared_values(frame: pl.DataFrame, columns: list[str], most: int) -> dict[str, list[Any]]:
    """For each column in a group of at least two sharing a prefix and a kind (text, or
    whole numbers), all with at most ``most`` distinct answers: the group's answers in
    order (a familiar scale's, importers.scales, else reading order), to code every item
    on one list."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for col in columns:
        p = prefix_of(col)
        s = frame[col]
        if p is None or not (s.dtype == pl.String or s.dtype.is_integer()):
            continue
        groups.setdefault((p, s.dtype == pl.String), []).append(col)
    out: dict[str, list[Any]] = {}
    for (_, text), group in groups.items():
        own: dict[str, set[Any]] = {}
        for c in group:
            s = frame[c].str.strip_chars() if text else frame[c]
            own[c] = {v for v in s.drop_nulls().unique().to_list() if v != ""}
        cols = _on_one_scale(own)
        if len(cols) < 2:
            continue
        values = set().union(*(own[c] for c in cols))
        if 2 <= len(values) <= most:
            ordered = reading_order(values) if text else sorted(values, key=sort_key)
            out.update(dict.fromkeys(cols, ordered))
    return out


def _on_one_scale(own: dict[str, set[Any]]) -> list[str]:
    """The columns of a prefix group that answer on one scale: each shares at least half
    of its answers with the group's other columns (Q1 on a satisfaction scale and Q3 on an
    agreement scale share a prefix, not a scale, and are not coded as one grid)."""
    out = []
    for c, values in own.items():
        others = set().union(*(v for k, v in own.items() if k != c))
        if values and len(values & others) * 2 >= len(values):
            out.append(c)
    return out


@dataclass(frozen=True)
class GridEntry:
    """A grid as the import makes it: its scale (a single-choice variable carrying the
    grid's id, text, label and group, with the options, nets and scores its items share)
    and its items (their ids, labels, texts and missing values). ``variables`` gives the
    codebook's item variables, ``grid`` its ``Grid``."""

    scale: Variable
    items: tuple[Variable, ...]

    @property
    def id(self) -> str:
        return self.scale.id

    @property
    def grid(self) -> Grid:
        return Grid(self.scale.id, self.scale.text, tuple(i.id for i in self.items),
                    self.scale.label, self.scale.group)

    def variables(self) -> list[Variable]:
        return [replace(self.scale, id=i.id, text=i.text, label=i.label, missing=i.missing,
                        grid=self.scale.id) for i in self.items]


Entry = Variable | GridEntry  # an entry of the codebook the import writes


def _scale(options: tuple[Option, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((o.code, o.label) for o in options)


def _split_texts(texts: list[str], prefix: str) -> tuple[str, list[str]]:
    """The grid's text and each item's label from the items' texts."""
    shared = os.path.commonprefix(texts)
    if len(shared) < MIN_SHARED_TEXT or len(set(texts)) < len(texts):
        return prefix, texts
    cut = max(shared.rfind(ch) for ch in SEPARATORS) + 1 if any(
        ch in shared for ch in SEPARATORS) else len(shared)
    head = shared[:cut].rstrip(SEPARATORS + " ") or prefix
    labels = [t[cut:].strip(SEPARATORS + " ") or t for t in texts]
    return head, labels


def _with_scores(options: tuple[Option, ...]) -> tuple[Option, ...]:
    """Options coded from numbers score their code; answers outside the scale do not."""
    outside = outside_scale([o.label for o in options])
    scored = tuple(replace(o, value=float(o.code)) if i not in outside else o
                   for i, o in enumerate(options))
    return scored if sum(o.value is not None for o in scored) >= 2 else options


def group_grids(questions: list[Variable], numeric_columns: set[str],
                at: dict[str, int], taken: set[str], safe_id: Callable[[str, set[str]], str],
                alone: AbstractSet[str] = frozenset()) -> list[Entry]:
    """Replace each set of single-choice questions on one scale whose source columns share
    a prefix with one grid entry, placed where its first item was (``at``); columns in
    ``alone`` (a platform's own one-column questions, Q1, Q2 …) are never items."""
    groups: dict[tuple[str, tuple[tuple[int, str], ...]], list[Variable]] = {}
    for q in questions:
        p = prefix_of(q.label)
        if q.type == "single" and p is not None and q.group == "Imported" \
                and q.label not in alone:
            groups.setdefault((p, _scale(q.options)), []).append(q)
    grids: dict[str, GridEntry] = {}
    for (prefix, _), items in groups.items():
        if len(items) < 2:
            continue
        text, labels = _split_texts([q.text for q in items], prefix)
        gid = safe_id(prefix, taken)
        options = items[0].options
        if all(q.label in numeric_columns for q in items):
            options = _with_scores(options)
        scale = Variable(id=gid, type="single", text=text, label=prefix, group="Imported",
                         role="question", options=options)
        grid = GridEntry(scale, tuple(Variable(id=q.id, type="single", role="question",
                                               text=q.text, label=label, missing=q.missing)
                                      for q, label in zip(items, labels, strict=True)))
        grids.update(dict.fromkeys((q.id for q in items), grid))
        at[gid] = min(at.get(q.id, 0) for q in items)
    out: list[Entry] = []
    for q in questions:
        owner = grids.get(q.id)
        if owner is None:
            out.append(q)
        elif owner.items[0].id == q.id:
            out.append(owner)
    return out
