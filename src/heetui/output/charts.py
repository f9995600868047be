"""Draw the charts of ``chart_data`` as text: horizontal bars, one text row per bar.

A chart is laid out as a banner chart in a printed survey report: Total first, then each
span's bars together under the span's title, a blank line between spans. A bar is one
run of block characters whose length is proportional to its value (eighths of a
character for single bars; whole characters for the segments of stacked bars); axes run
from 0 in round steps (1, 2 or 5 × 10^k) and every tick falls on a whole character.

Series are told apart by their fill character as well as colour, and every mark (letters,
▲/▼, †, ◆) is text, so charts read the same with NO_COLOR or on a monochrome terminal;
colour is ANSI SGR codes, added only when asked.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace

from heetui.engine.steps import round_steps
from heetui.output.chart_data import (
    Bars,
    Chart,
    Group,
    Label,
    Multiples,
    Panel,
    Scores,
    Stacked,
)
from heetui.output.numbers import fixed, value_decimals

MARKERS = ("█", "▓", "▒", "░", "▚", "·", "◆", "▞", "+", "o", "x", "=")
# ANSI foreground colours per series: blue, cyan, green, yellow, red, magenta, grey, white
COLORS = ("34", "36", "32", "33", "31", "35", "90", "37", "94", "96", "92", "91")
BAR_COLOR = "36"
HEAD = "1"  # span titles: bold
EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")
FULL = "█"
AXIS = "│"
SIG_MARK = "†"
EMPTY = "(nothing to draw: no respondent in this selection gave an answer here)"
INDENT = "  "  # bars under a span title
GAP = "   "  # between small multiples side by side
MAX_INTERVALS = 8  # ticks on an axis: at most this many steps
MIN_BAR = 14  # characters of bar at least, when panels are set side by side
MIN_LABEL = 16  # characters of label at least, wrapped, when that sets panels side by side


def _paint(text: str, sgr: str | None, color: bool) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if color and sgr and text else text


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def wrap_label(label: Label, width: int) -> list[str]:
    """The label in lines of ``width`` characters: whole on one line if it fits, else its
    name wrapped (never cut) and its letter, base and mark after the last line's words (the
    base left out only if letter, base and mark cannot share a line)."""
    if len(label.text) <= width:
        return [label.text]
    tail = label.letter + label.base + label.mark
    if len(tail) > width:
        tail = label.letter + label.mark
    lines = textwrap.wrap(label.name, width) or [""]
    if len(lines[-1]) + len(tail) <= width:
        lines[-1] += tail
    elif tail:
        lines += textwrap.wrap(tail.strip(), width)
    return lines


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


# ---- scales -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Scale:
    """An axis from ``lo`` to ``lo + intervals·step`` (0 included), ``cells`` characters
    per step, so that every tick falls on a whole character."""

    lo: float
    step: float
    intervals: int
    cells: int
    decimals: int
    unit: str

    @property
    def width(self) -> int:
        return self.intervals * self.cells

    @property
    def zero(self) -> int:
        """The column of 0 (a tick: lo is a whole number of steps)."""
        return _half_up(-self.lo / self.step) * self.cells

    def cells_of(self, value: float) -> float:
        """The length of a bar of ``value`` in characters (negative: left of 0)."""
        return value / self.step * self.cells

    def ticks(self) -> list[tuple[int, str]]:
        """Each tick's column and label (0, 0.5, 1, 1.5: no trailing zeros)."""
        return [(i * self.cells, _plain(fixed(self.lo + i * self.step, self.decimals))
                 + self.unit) for i in range(self.intervals + 1)]


def _plain(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def nice_steps(span: float) -> list[tuple[float, int]]:
    """An axis's round steps (the engine's round_steps), finest first, from the decade of
    a sixteenth of ``span`` for four decades, each with the decimals its tick labels need."""
    return round_steps(span / MAX_INTERVALS / 2, 4)


def make_scale(lo: float, hi: float, room: int, unit: str = "") -> Scale:
    """The finest round scale covering ``lo``..``hi`` and 0 in at most ``room`` characters
    whose tick labels stand one space apart at least; with no room for that, the scale of
    the fewest steps."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi - lo <= 0:
        hi = lo + 1.0
    coarsest: Scale | None = None
    for step, dec in nice_steps(hi - lo):
        first = math.floor(lo / step + 1e-9)
        n = max(1, math.ceil(hi / step - 1e-9) - first)
        if n > MAX_INTERVALS:
            continue
        scale = Scale(first * step, step, n, max(1, room // n), dec, unit)
        if scale.cells >= max(len(t) for _, t in scale.ticks()) + 1:
            return scale
        if coarsest is None or n < coarsest.intervals:
            coarsest = scale
    assert coarsest is not None  # the coarsest step covers the span in one or two steps
    return coarsest


def axis_lines(scale: Scale, lead: int, room: int) -> list[str]:
    """The axis under a plot whose column 0 is at ``lead``: a rule with a tick at each
    step, and the tick labels centred under their ticks, kept apart and within ``room``
    characters of the plot (a label that cannot be is left out)."""
    rule = ["─"] * (scale.width + 1)
    for col, _ in scale.ticks():
        rule[col] = "┬"
    rule[scale.zero] = "└" if scale.zero == 0 else "┘" if scale.zero == scale.width else "┼"
    placed: list[tuple[int, str]] = []
    for col, text in scale.ticks():
        start = max(0, min(col - (len(text) - 1) // 2, room - len(text)))
        while placed and placed[-1][0] + len(placed[-1][1]) + 1 > start:
            placed.pop()  # the last label gives way to one nearer the end
        if start >= 0:
            placed.append((start, text))
    labels = ""
    for start, text in placed:
        labels = labels.ljust(start) + text
    pad = " " * lead
    return [pad + "".join(rule), pad + labels]


# ---- bar rows ---------------------------------------------------------------------------

def bar_cells(scale: Scale, value: float) -> str:
    """The plot row of one bar: the zero line and the bar beside it, in eighths of a
    character to the right of 0, whole characters to its left."""
    row = [" "] * (scale.width + 1)
    z = scale.zero
    row[z] = AXIS
    length = scale.cells_of(value)
    if length >= 0:
        full, part = divmod(_half_up(length * 8), 8)
        full = min(full, scale.width - z)
        row[z + 1: z + 1 + full] = [FULL] * full
        if part and z + 1 + full <= scale.width:
            row[z + 1 + full] = EIGHTHS[part]
    else:
        full = min(_half_up(-length), z)
        row[z - full: z] = [FULL] * full
    return "".join(row).rstrip()


def _colour_bars(line: str, color: bool, sgr: str = BAR_COLOR) -> str:
    """``line`` with each run of bar characters coloured."""
    if not color:
        return line
    marks = set(EIGHTHS[1:]) | {FULL}
    out, run = [], ""
    for ch in line:
        if ch in marks:
            run += ch
            continue
        if run:
            out.append(_paint(run, sgr, True))
            run = ""
        out.append(ch)
    if run:
        out.append(_paint(run, sgr, True))
    return "".join(out)


@dataclass(frozen=True)
class _Line:
    """One line of a grouped chart: a bar (index into the chart's labels), a span title, or
    the blank line before it."""

    kind: str  # bar | title | gap
    index: int = -1
    text: str = ""
    indent: bool = False


def layout(groups: tuple[Group, ...]) -> list[_Line]:
    """Total first, then each group under its title, a blank line before each group."""
    out: list[_Line] = []
    for gi, g in enumerate(groups):
        if gi:
            out.append(_Line("gap"))
        if g.title:
            out.append(_Line("title", text=g.title))
        out += [_Line("bar", i, indent=bool(g.title)) for i in g.bars]
    return out


def label_width(labels: tuple[Label, ...], lines: list[_Line], width: int) -> int:
    """Characters for the labels and a space: as the longest needs, at most 2/5 of the
    width (and 44)."""
    longest = max((len(labels[ln.index].text) + (len(INDENT) if ln.indent else 0)
                   for ln in lines if ln.kind == "bar"), default=0)
    return min(longest, max(12, min(44, width * 2 // 5))) + 1


def _label(labels: tuple[Label, ...], ln: _Line, lw: int) -> list[str]:
    """A bar's label in lines of ``lw`` characters (a long one wrapped); the bar is drawn
    beside the last."""
    indent = INDENT if ln.indent else ""
    return [(indent + line).ljust(lw)
            for line in wrap_label(labels[ln.index], lw - 1 - len(indent))]


def _beside(label: list[str], row: str) -> list[str]:
    """A label's lines, ``row`` (the bar) after the last."""
    return [line.rstrip() for line in label[:-1]] + [label[-1] + row]


def _heading(text: str, width: int, color: bool) -> list[str]:
    return [_paint(line, HEAD, color) for line in _wrap(text, width)]


def _empty(title: str, width: int) -> list[str]:
    return [*_wrap(title, width), *_wrap(EMPTY, width)]


def _key(key: tuple[str, ...], width: int) -> list[str]:
    return [line for k in key for line in _wrap(k, width)]


def _bar_text(scale: Scale, value: float | None, text: str) -> str:
    """A bar's plot row and, one space after the bar (or the zero line), its text."""
    plot = bar_cells(scale, value or 0.0)
    return f"{plot} {text}"


# ---- single bars: means, scores, and a multi-response question without a banner --------

def _single(title: str, labels: tuple[Label, ...], groups: tuple[Group, ...],
            values: list[float | None], texts: list[str], unit: str, width: int,
            color: bool) -> list[str]:
    lines = layout(groups)
    lw = label_width(labels, lines, width)
    room = max(4, width - lw - max(len(t) for t in texts) - 2)
    known = [v for v in values if v is not None]
    scale = make_scale(min(known, default=0.0), max(known, default=0.0), room, unit)

    def bar(ln: _Line) -> list[str]:
        rows = _beside(_label(labels, ln, lw),
                       _bar_text(scale, values[ln.index], texts[ln.index]))
        return [_colour_bars(row.rstrip(), color) for row in rows]

    out = _wrap(title, width) + _grouped(lines, bar, width, color)
    return out + axis_lines(scale, lw, width - lw)


def _grouped(lines: list[_Line], bar: Callable[[_Line], list[str]], width: int,
             color: bool) -> list[str]:
    """A chart's rows in their span groups: a blank line before a span, its title, then
    ``bar``'s lines for each of its bars."""
    out: list[str] = []
    for ln in lines:
        if ln.kind == "gap":
            out.append("")
        elif ln.kind == "title":
            out += _heading(ln.text, width, color)
        else:
            out += bar(ln)
    return out


def _bars(c: Bars, width: int, color: bool) -> list[str]:
    if not any(c.values):
        return _empty(c.title, width)
    lines = _single(c.title, c.bars, c.groups, list(c.values), list(c.texts), "%", width,
                    color)
    return lines + _key(c.key, width)


def _scores(c: Scores, width: int, color: bool) -> list[str]:
    if all(v is None for v in c.values):
        return _empty(c.title, width)
    dec = value_decimals(c.kind)
    labels = list(c.bars)
    values = list(c.values)
    texts = [("-" if v is None else fixed(v, dec))
             + (f" ±{fixed(se, dec)}" if v is not None and se is not None else "")
             + (f" {s}" if s else "") for v, se, s in zip(c.values, c.ses, c.sig, strict=True)]
    groups = c.groups
    if c.benchmarks:  # Total ranked among the benchmarks, then the banner's spans
        total = labels[0]
        labels[0] = Label(f"◆ {total.name}", total.letter, total.base, " (this survey)")
        first = len(labels)
        labels += [Label(lab) for lab, _ in c.benchmarks]
        values += [v for _, v in c.benchmarks]
        texts += [fixed(v, dec) for _, v in c.benchmarks]
        ranked = sorted([0, *range(first, len(labels))], key=lambda i: -(values[i] or 0.0))
        groups = (Group("Against benchmarks (illustrative)", tuple(ranked)),
                  *(g for g in c.groups if 0 not in g.bars))
    lines = _single(c.title, tuple(labels), groups, values, texts, "", width, color)
    note = "± one standard error" + ("; ◆ marks this survey among the benchmarks, which are "
                                     "illustrative" if c.benchmarks else "") + "."
    return lines + _key((*c.key, note), width)


# ---- 100 % stacked bars -----------------------------------------------------------------

def segment_lengths(values: tuple[float, ...], width: int) -> list[int]:
    """Each segment's length in whole characters for percents ``values`` of a bar of
    ``width`` (100 %): every segment gets the whole characters of its share, and the
    characters left over go to the largest remainders, so that each is within one character
    of its share and the lengths add up to the bar's length however the percents round. A
    segment that is not zero gets one character at least (a sliver is not drawn as
    nothing); the characters that costs beyond the rounding are taken from the largest
    segments, and the lengths then go to the shares in their order, so a larger share is
    never drawn shorter than a smaller one."""
    shares = [max(0.0, v) / 100 * width for v in values]
    whole = min(width, _half_up(sum(shares)))
    out = [max(math.floor(x), 1 if x > 0 else 0) for x in shares]
    spare = sorted((i for i, x in enumerate(shares) if out[i] < x),
                   key=lambda i: (-(shares[i] - out[i]), -shares[i], i))
    for i in spare[: max(0, whole - sum(out))]:
        out[i] += 1
    while sum(out) > whole:  # the slivers' characters come out of the largest segment
        i = max(range(len(out)), key=lambda k: (out[k], shares[k], -k))
        if out[i] <= 1:
            break
        out[i] -= 1
    by_size = sorted(range(len(out)), key=lambda i: (-shares[i], i))
    for i in reversed(by_size):  # more slivers than characters: the smallest give way
        if sum(out) <= whole:
            break
        out[i] = 0
    # the longest lengths to the largest shares: a larger share is never drawn shorter, and
    # no segment ends further from its share than the furthest did before
    ordered = [0] * len(out)
    for i, n in zip(by_size, sorted(out, reverse=True), strict=True):
        ordered[i] = n
    return ordered


def _stacked_row(c: Stacked, j: int, scale: Scale, color: bool, numbers: bool) -> str:
    """Column ``j``'s bar, ``scale.width`` + 1 characters: the zero line and a run of each
    option's fill character, the option's percent written inside where it fits."""
    out = [AXIS]
    lengths = segment_lengths(tuple(v[j] for _, v in c.segments), scale.width)
    for k, n in enumerate(lengths):
        if not n:
            continue
        text = f"{fixed(c.segments[k][1][j])}%"
        fill = MARKERS[k % len(MARKERS)]
        sgr = COLORS[k % len(COLORS)]
        if numbers and n >= len(text) + 2:
            left = (n - len(text)) // 2
            out.append(_paint(fill * left, sgr, color) + _paint(text, f"{sgr};7", color)
                       + _paint(fill * (n - len(text) - left), sgr, color))
        else:
            out.append(_paint(fill * n, sgr, color))
    out.append(" " * (scale.width - sum(lengths)))
    return "".join(out)


def _legend(names: list[str], width: int, color: bool) -> list[str]:
    """Each series' fill character, in its colour, and its name; items side by side where
    they fit, a long name wrapped."""
    lines: list[str] = []
    line, used = "", 0  # the line so far, and its length as read (without colour codes)
    for i, name in enumerate(names):
        item = textwrap.wrap(f"{MARKERS[i % len(MARKERS)]} {name}", width,
                             subsequent_indent="  ")
        size = len(item[0])
        item[0] = _paint(item[0][0], COLORS[i % len(COLORS)], color) + item[0][1:]
        if line and (len(item) > 1 or used + 3 + size > width):
            lines.append(line)
            line, used = "", 0
        if len(item) > 1:
            lines += item
        elif line:
            line, used = f"{line}   {item[0]}", used + 3 + size
        else:
            line, used = item[0], size
    return lines + ([line] if line else [])


def _notes(notes: tuple[str, ...], width: int) -> list[str]:
    if not notes:
        return []
    head = f"{SIG_MARK} differs significantly in at least one answer (tested as in the table):"
    return [*_wrap(head, width), *(line for n in notes for line in textwrap.wrap(
        n, width, initial_indent="  ", subsequent_indent="    "))]


def _net_column(name: str, values: tuple[str, ...]) -> list[str]:
    """A net's heading and values as a column: percents aligned, marks after them."""
    split = [v.partition("%") for v in values]
    num_w = max(len(n) + len(p) for n, p, _ in split)
    mark_w = max(len(m) for _, _, m in split)
    w = max(len(name), num_w + mark_w)
    return [name.rjust(w)] + [((n + p).rjust(num_w) + m.ljust(mark_w)).rjust(w)
                              for n, p, m in split]


def _stacked(c: Stacked, width: int, color: bool, height: int | None) -> list[str]:
    if not any(v for _, vals in c.segments for v in vals):
        return _empty(c.title, width)
    names = tuple(replace(b, mark=f" {SIG_MARK}" if m else "")
                  for b, m in zip(c.bars, c.marked, strict=True))
    lines = layout(c.groups)
    lw = label_width(names, lines, width)
    # nets in columns to the right of the bars, each as wide as its name or its values
    net_cells = [_net_column(name, vals) for name, vals in c.nets]
    net_w = [len(col[0]) for col in net_cells]
    beside = bool(c.nets) and width - lw - 1 - sum(w + 2 for w in net_w) >= 24
    room = width - lw - 1 - (sum(w + 2 for w in net_w) if beside else 0)
    scale = make_scale(0.0, 100.0, room, "%")
    bars_n = sum(ln.kind == "bar" for ln in lines)
    thick = 1 if height is None else max(1, min(3, (height - (len(lines) - bars_n) - 3)
                                                 // max(1, bars_n)))
    out = _wrap(c.title, width)
    if beside:
        out.append(" " * (lw + scale.width + 1) + "".join(
            "  " + _paint(col[0], HEAD, color) for col in net_cells))
    def bar(ln: _Line) -> list[str]:
        j = ln.index
        nets = "".join(f"  {col[1 + j]}" for col in net_cells) if beside else ""
        rows = []
        for t in range(thick):  # a taller bar: the same row again, without its numbers
            row = _stacked_row(c, j, scale, color, t == 0)
            if t == 0:
                rows += _beside(_label(names, ln, lw), row + nets)
            else:
                rows.append(" " * lw + row)
        return [r.rstrip() for r in rows]

    out += _grouped(lines, bar, width, color)
    out += axis_lines(scale, lw, width - lw)
    out += _legend([name for name, _ in c.segments], width, color)
    if not beside:
        for net, values in c.nets:
            out += textwrap.wrap(f"{net}: " + " · ".join(
                f"{b.name}{b.letter} {v}"
                for b, v in zip(c.bars, values, strict=True)), width, subsequent_indent="  ")
    return out + _notes(c.notes, width) + _key(c.key, width)


# ---- small multiples ----------------------------------------------------------------------

def _panels_across(n: int, lw: int, text_w: int, width: int) -> int:
    """How many panels fit side by side, each with a bar of MIN_BAR characters at least."""
    for k in range(n, 1, -1):
        if (width - lw - (k - 1) * len(GAP)) // k - 1 - text_w >= MIN_BAR:
            return k
    return 1


def _multiples(c: Multiples, width: int, color: bool) -> list[str]:
    if not any(v for p in c.panels for v in p.values):
        return _empty(c.title, width)
    lines = layout(c.groups)
    lw = label_width(c.bars, lines, width)
    text_w = max(len(t) for p in c.panels for t in p.texts) + 1
    across = _panels_across(len(c.panels), lw, text_w, width)
    narrow = min(lw, max(MIN_LABEL, width // 4) + 1)  # labels wrapped: room for panels
    if across < 2 and _panels_across(len(c.panels), narrow, text_w, width) > 1:
        lw = narrow
        across = _panels_across(len(c.panels), lw, text_w, width)
    panel_room = (width - lw - (across - 1) * len(GAP)) // across
    out = _wrap(c.title, width)
    # the answers' panels share one scale, so bars compare across panels as well as within
    # them; nets (sums of answers) start a row of panels on a scale of their own
    for part in ([p for p in c.panels if not p.net], [p for p in c.panels if p.net]):
        if not part:
            continue
        scale = make_scale(0.0, max(v for p in part for v in p.values),
                           max(4, panel_room - 1 - text_w), "%")
        panel_w = min(panel_room, scale.width + 1 + text_w)
        for first in range(0, len(part), across):
            out += _panel_row(c, part[first:first + across], lines, lw, scale, panel_w,
                              width, color)
    return out + [""] + _key(c.key, width)


def _panel_row(c: Multiples, chunk: list[Panel], lines: list[_Line], lw: int, scale: Scale,
               panel_w: int, width: int, color: bool) -> list[str]:
    """Panels side by side: their titles, the banner's bars grouped by span, their axes."""
    heads = [_panel_title(p.title, panel_w) for p in chunk]
    out = [""]
    for i in range(max(len(h) for h in heads)):
        texts = [h[i] if i < len(h) else "" for h in heads]
        out.append((" " * lw + GAP.join(_paint(t, HEAD, color) + " " * (panel_w - len(t))
                                        for t in texts)).rstrip())
    def bar(ln: _Line) -> list[str]:
        rows = _beside(_label(c.bars, ln, lw), GAP.join(
            _bar_text(scale, p.values[ln.index], p.texts[ln.index]).ljust(panel_w)
            for p in chunk))
        return [_colour_bars(row.rstrip(), color) for row in rows]

    out += _grouped(lines, bar, width, color)
    axes = [axis_lines(scale, 0, panel_w) for _ in chunk]
    for i in range(2):
        out.append((" " * lw + GAP.join(a[i].ljust(panel_w) for a in axes)).rstrip())
    return out


def _panel_title(title: str, width: int) -> list[str]:
    """A panel's title wrapped to ``width``."""
    return _wrap(title, width)


def render(chart_list: list[Chart], width: int = 100, color: bool = False,
           height: int | None = None) -> str:
    width = max(40, width)
    blocks = []
    for c in chart_list:
        if isinstance(c, Stacked):
            blocks.append(_stacked(c, width, color, height))
        elif isinstance(c, Multiples):
            blocks.append(_multiples(c, width, color))
        elif isinstance(c, Bars):
            blocks.append(_bars(c, width, color))
        else:
            blocks.append(_scores(c, width, color))
    return "\n\n\n".join("\n".join(b) for b in blocks) + "\n"  # two blank lines between charts
