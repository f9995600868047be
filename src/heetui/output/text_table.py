"""A crosstab as plain text at any width, laid out as a printed tab book lays out a banner.

Every column is as wide as its widest cell (or its heading's longest word), one space
apart, so no two cells ever touch. Headings wrap at spaces and after "/" and keep their
letter; a title line names each span over its columns. When the columns do not fit the
width, the table continues in blocks of whole spans (a span wider than the page is split),
each block repeating the row labels and the Total column.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from heetui.engine.results import Crosstab
from heetui.output.tables import (
    Show,
    base_rows,
    body_rows,
    column_heading,
    count_note,
    legend,
    span_titles,
    state_line,
    untested_notes,
)

MAX_WORD = 16  # a heading word longer than this is broken; shorter words never are
MIN_COLUMN = 5
GAP = 1  # spaces before each column


def label_width(labels: list[str], width: int) -> int:
    """The row-label column of a text table: its longest label and two spaces, within 16 to
    44 characters and a third of the width."""
    return max(16, min(44, max(len(label) for label in labels) + 2, width // 3))


def wrap_words(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces and after "/"; a word longer
    than the width is cut only when nothing else fits."""
    tokens: list[str] = []
    for word in text.split():
        parts = word.split("/")
        tokens += [p + "/" for p in parts[:-1]] + [parts[-1]] if len(parts) > 1 else [word]
    lines: list[str] = []
    line = ""
    for tok in (t for t in tokens if t):
        joiner = "" if line.endswith("/") or not line else " "
        if len(line) + len(joiner) + len(tok) <= width:
            line += joiner + tok
            continue
        if line:
            lines.append(line)
        while len(tok) > width:
            lines.append(tok[:width])
            tok = tok[width:]
        line = tok
    if line or not lines:
        lines.append(line)
    return lines


@dataclass(frozen=True)
class SpanGroup:
    title: str  # the span's label ("" for Total)
    columns: tuple[int, ...]


def span_groups(ct: Crosstab) -> list[SpanGroup]:
    """Total, then runs of columns sharing a span title."""
    groups: list[SpanGroup] = []
    for i, title in enumerate(span_titles(ct)):
        if i > 1 and groups[-1].title == title:
            groups[-1] = SpanGroup(title, (*groups[-1].columns, i))
        else:
            groups.append(SpanGroup(title, (i,)))
    return groups


def span_blocks(groups: list[SpanGroup], widths: list[int], room: int, gap: int = GAP
                ) -> list[list[SpanGroup]]:
    """Groups packed into blocks whose columns fit ``room`` after the label and Total; a
    group too wide for a block of its own is split across blocks. Each block starts with
    Total (the first group). The text table's blocks, and the printed pages of a wide
    workbook sheet (output.xlsx)."""
    def span_w(cols: tuple[int, ...]) -> int:
        return sum(widths[i] + gap for i in cols)

    avail = max(room - span_w((0,)), widths[0] + GAP)
    pieces: list[SpanGroup] = []
    for g in groups[1:]:
        chunk: list[int] = []
        for i in g.columns:
            if chunk and span_w((*chunk, i)) > avail:
                pieces.append(SpanGroup(g.title, tuple(chunk)))
                chunk = []
            chunk.append(i)
        pieces.append(SpanGroup(g.title, tuple(chunk)))
    blocks: list[list[SpanGroup]] = []
    used = avail + 1
    for p in pieces:
        if used + span_w(p.columns) > avail:
            blocks.append([groups[0]])
            used = 0
        blocks[-1].append(p)
        used += span_w(p.columns)
    return blocks or [[groups[0]]]


def heading_lines(ct: Crosstab, width: int) -> list[str]:
    """The question and the state line (banner, weighting, filters, base), each wrapped to
    ``width``, then a blank line."""
    return [*textwrap.wrap(f"{ct.question.id}: {ct.question.text}", width,
                           subsequent_indent="  "), *textwrap.wrap(state_line(ct), width), ""]


def column_width(values: list[str], head: str) -> int:
    """A column as wide as its widest value and its heading's longest word (up to
    MAX_WORD), and at least MIN_COLUMN."""
    return max(MIN_COLUMN, *(len(v) for v in values),
               *(min(len(w), MAX_WORD) for w in wrap_words(head, MAX_WORD)))


def _title_lines(g: SpanGroup, width: int, continued: bool) -> list[str]:
    if not g.title:
        return [" " * width]
    title = g.title + (" (continued)" if continued else "")
    if len(title) + 2 <= width:
        return [f" {title} ".center(width, "─")]
    return [line.center(width) for line in wrap_words(title, width)]


def render_text(ct: Crosstab, show: Show = "percent", decimals: int = 0, width: int = 120,
                weighted_counts: bool = True) -> str:
    """A crosstab as text (a grid summary's: output.grid_output.render_grid_text)."""
    rows = base_rows(ct) + body_rows(ct, show, decimals, weighted_counts=weighted_counts)
    label_w = label_width([label for label, _ in rows], width)
    heads = [column_heading(c) for c in ct.columns]
    widths = [column_width([values[i] for _, values in rows], head)
              for i, head in enumerate(heads)]
    lines = heading_lines(ct, width)
    seen: set[str] = set()
    for bi, block in enumerate(span_blocks(span_groups(ct), widths, width - label_w)):
        if bi:
            lines.append("")
        cols = [i for g in block for i in g.columns]
        titles = []
        for g in block:
            w = sum(widths[i] + GAP for i in g.columns) - GAP
            titles.append(_title_lines(g, w, g.title in seen))
            seen.add(g.title)
        if ct.banner is not None:
            for k in range(max(len(t) for t in titles)):
                parts = [t[k] if k < len(t) else " " * len(t[0]) for t in titles]
                lines.append(" " * label_w + "".join(" " * GAP + p for p in parts))
        wrapped = {i: wrap_words(heads[i], widths[i]) for i in cols}
        depth = max(len(w) for w in wrapped.values())
        for k in range(depth):
            cells = [(wrapped[i][k - depth + len(wrapped[i])] if k >= depth - len(wrapped[i])
                      else "").rjust(widths[i]) for i in cols]
            lines.append(" " * label_w + "".join(" " * GAP + c for c in cells))
        for label, values in rows:
            lines.append(_fit(label, label_w)
                         + "".join(" " * GAP + values[i].rjust(widths[i]) for i in cols))
    note = " ".join(filter(None, [count_note(ct, show, weighted_counts), legend(ct)]))
    lines += ["", *textwrap.wrap(note, width)]
    for note in untested_notes(ct):
        lines += textwrap.wrap(note, width, subsequent_indent="  ")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _fit(label: str, w: int) -> str:
    return (label if len(label) < w else label[: w - 2] + "…").ljust(w)
