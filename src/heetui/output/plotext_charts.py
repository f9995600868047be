"""Distributions and trends drawn with plotext: a numeric question's histogram and box plots
per banner column, means with error bars, and lines over an ordered banner.

plotext only draws. Every number is the engine's: quartiles, minimum, maximum, means and
their standard errors are the crosstab's rows (engine.numeric, engine.tabulation), and a
histogram's counts are engine.distribution's. Each chart has one value axis for all the
columns it shows, in round steps (engine.steps) chosen here, not by plotext. Colour
is plotext's "simple" theme (coloured marks, no background of its own, so the terminal's or
the app's shows); without colour the "colorless" theme, and any code left is removed. The
title, labels, letters, bases and key are heetui's, as the bar charts write them.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from heetui.engine.distribution import Histogram, no_distribution
from heetui.engine.results import Crosstab, Row
from heetui.engine.waves import WAVE
from heetui.errors import OutputError
from heetui.output.chart_data import Group, bar_label, groups
from heetui.output.charts import MAX_INTERVALS, nice_steps
from heetui.output.numbers import fixed, value_decimals
from heetui.output.tables import marks

KINDS = ("bar", "histogram", "box", "means", "trend")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
RESET = "\x1b[0m"
TRAILING = re.compile(r"(?:\s|\x1b\[0m)+$")
MIN_HEIGHT = 10
QUARTILES = ("min", "q1", "median", "q3", "max")  # a box plot's rows of the table
FRAME = 3  # rows of a plot that are not its canvas: the frame's top and bottom, x labels
EMPTY = "(nothing to draw: no respondent in this selection answered)"
# plotext's colour numbers (xterm 256) for heetui's series colours (output.charts.COLORS:
# blue, cyan, green, yellow, red, magenta, grey, white, then the bright ones)
PALETTE = (4, 6, 2, 3, 1, 5, 8, 7, 12, 14, 10, 9)
LINE_COLOR = 6  # cyan, as the bar charts' single bars
# a trend's point markers, one a line (its colour repeats after 12; its marker never)
POINTS = ("●", "■", "▲", "◆", "○", "□", "△", "◇", "+", "×", "*", "=",
          *"abcdefghijklmnopqrstuvwxyz")
SE_NOTE = "Error bars: ± one standard error of the mean (the table's, with its design effect " \
          "when the survey declares a design)."
WHISKER, BOX, MEDIAN = "─", "█", "┃"
BOX_NOTE = (f"{BOX} lower to upper quartile, {MEDIAN} median, {WHISKER} minimum to maximum "
            "(the table's quartiles: weighted when the table is).")


class ChartKindError(OutputError):
    """A chart kind that this table cannot be drawn as (one sentence for the user)."""


@dataclass(frozen=True)
class Axis:
    """A round value axis: ``lo``..``hi`` in ``ticks``, each labelled."""

    lo: float
    hi: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]


def round_axis(lo: float, hi: float, room: int | None = None,
               most: int = MAX_INTERVALS) -> Axis:
    """The finest round steps (1, 2 or 5 × 10^k) covering ``lo``..``hi`` in at most
    ``most`` steps (MAX_INTERVALS), from a multiple of the step, whose labels stand a space
    apart at least in ``room`` characters (a value axis across); the coarsest that covers
    if none does."""
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    found: Axis | None = None
    for step, dec in nice_steps(hi - lo):
        first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
        if last - first > max(1, most):
            continue
        values = tuple(round(k * step, dec) for k in range(first, last + 1))
        labels = tuple(_plain(fixed(v, dec)) for v in values)
        found = Axis(values[0], values[-1], values, labels)
        if room is None or room // (last - first) >= max(len(t) for t in labels) + 2:
            return found
    assert found is not None, "nice_steps ends with a step covering the span"
    return found


def _plain(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


# ---- the figure ---------------------------------------------------------------------------

def _figure(width: int, height: int, color: bool) -> Any:
    """plotext's one figure, cleared, sized and themed. plotext is imported here, when a
    chart is drawn (it takes most of a second), not when the app starts; it would fit the
    plot to the terminal it runs in, so that limit is lifted: the width asked is drawn (a
    file, the app's view)."""
    import plotext

    plotext.terminal.limit(False, False)
    f = plotext.figure
    f.clear()
    f.plot_size(width, max(FRAME + 2, height))
    f.theme("simple" if color else "colorless")
    return f


def _mark(symbol: str, color: bool, fg: int = LINE_COLOR) -> Any:
    """A marker drawn with ``symbol`` in colour ``fg`` (plotext's own colours never: they
    are its cycler's, not the series')."""
    if not color:
        return symbol
    import plotext

    return plotext.marker(symbol, plotext.pixel(foreground=fg))


def _built(f: Any, color: bool) -> list[str]:
    text = str(f.build())
    if not color:
        text = ANSI.sub("", text)
    return [_rstrip(line) for line in text.rstrip("\n").split("\n")]


def _rstrip(line: str) -> str:
    """The line without trailing blanks (and the resets among them), reset once at its end
    if it has colour."""
    bare = TRAILING.sub("", line)
    return bare + RESET if "\x1b[" in bare else bare


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _x_axis(f: Any, axis: Axis) -> None:
    f.ruler("x").ticks(list(axis.ticks), list(axis.labels))
    f.ruler("x").lim(axis.lo, axis.hi)


@dataclass(frozen=True)
class _Slot:
    """A row of a horizontal chart: a column's (``index``) or a span's title."""

    y: float
    label: str
    index: int = -1


def _slots(ct: Crosstab, width: int, suffixes: Sequence[str] = ()) -> tuple[list[_Slot],
                                                                             list[str]]:
    """Total at the top, then each span's title and its columns, a row each, labelled as
    the table is (and ``suffixes``, a value, after each); with labels too long for 2/5 of
    the width, by their letters instead, the full labels in a key under the chart (plotext
    cannot wrap an axis label, and drops labels it has no room for)."""
    ends = list(suffixes) or [""] * len(ct.columns)
    full = [bar_label(c).text + end for c, end in zip(ct.columns, ends, strict=True)]
    titles = [f"{g.title}:" for g in groups(ct) if g.title]
    short = max(len(t) for t in full + titles) > width * 2 // 5
    key: list[str] = []
    rows: list[tuple[str, int]] = []
    for g in groups(ct):
        if g.title:
            rows.append(("—" if short else f"{g.title}:", -1))  # plotext 6.1 fails on a blank label
            key += [f"{g.title}:"] if short else []
        for i in g.bars:
            c = ct.columns[i]
            tag = c.letter or "Total"
            rows.append((tag + ends[i] if short else full[i], i))
            key += [f"{tag} = {bar_label(c).text}"] if short else []
    n = len(rows)
    slots = [_Slot(float(n - k), label, i) for k, (label, i) in enumerate(rows)]
    return slots, [line for k in key for line in _wrap(k, width)]


def upright(lo: float, hi: float, height: int) -> tuple[Axis, int]:
    """An upright value axis and the plot's height (at most ``height``) that puts every
    tick on a whole row, each step the same number of rows: plotext sets the axis's ends at
    the middle of the first and last rows, so the rows less one are a multiple of the
    steps."""
    rows = max(2, height - FRAME)
    axis = round_axis(lo, hi, most=min(MAX_INTERVALS, rows - 1))
    steps = len(axis.ticks) - 1
    return axis, max(1, (rows - 1) // steps) * steps + 1 + FRAME


def _room(slots: list[_Slot], width: int) -> int:
    """The characters across a horizontal chart's plot, beside its row labels."""
    return width - max(len(s.label) for s in slots) - 3


@dataclass(frozen=True)
class _Rows:
    """A horizontal chart's plot height and the limits of its upright axis that put each of
    its slots (at 1..n) on a row of its own, ``every`` rows apart, ``margin`` blank rows
    above the first and below the last. plotext sets the limits at the middle of the first
    and last canvas rows and rounds each value to a row, so the canvas rows less one are a
    whole multiple of the limits' distance (in steps of 1 / ``every``)."""

    height: int
    every: int
    margin: int
    slots: int

    @property
    def limits(self) -> tuple[float, float]:
        pad = self.margin / self.every
        return 1 - pad, self.slots + pad


def _rows(slots: int, rows_each: int, height: int | None) -> _Rows:
    """The tallest layout of ``slots`` that fits ``height`` (``rows_each`` rows a slot if
    none is asked): slots evenly apart with half that gap blank at each end; a row a slot
    at least, taller than asked when the height asked has fewer rows than slots (plotext
    would draw two labels on one row)."""
    canvas = (max(MIN_HEIGHT, rows_each * slots + 1 + FRAME) if height is None
              else height) - FRAME
    best = _Rows(slots + FRAME, 1, 0, slots)
    for every in range(1, max(1, canvas) + 1):
        margin = every // 2
        rows = every * (slots - 1) + 1 + 2 * margin
        if rows > canvas:
            break
        best = _Rows(rows + FRAME, every, margin, slots)
    return best


def _y_axis(f: Any, slots: list[_Slot], rows: _Rows) -> None:
    f.ruler("y").ticks([s.y for s in slots], [s.label for s in slots])
    f.ruler("y").lim(*rows.limits)


def _row(ct: Crosstab, key: str) -> Row | None:
    return next((r for r in ct.rows if r.key == key), None)


# ---- box plots ----------------------------------------------------------------------------

def box(ct: Crosstab, width: int, height: int | None, color: bool) -> list[str]:
    stats = {k: _row(ct, k) for k in QUARTILES}
    value = {k: [c.value for c in r.cells] for k, r in stats.items() if r is not None}
    known = [v for vs in value.values() for v in vs if v is not None and math.isfinite(v)]
    if not known:
        return _nothing(ct, width)
    slots, key = _slots(ct, width)
    axis = round_axis(min(known), max(known), _room(slots, width))
    rows = _rows(len(slots), 2, height)
    f = _figure(width, rows.height, color)
    for s in slots:
        q = [value[k][s.index] if s.index >= 0 else None for k in value]
        if s.index < 0 or any(v is None or not math.isfinite(v) for v in q):
            continue
        lo, q1, med, q3, hi = (float(v) for v in q if v is not None)
        f.draw(f.segment((lo, hi), (s.y, s.y), marker=_mark(WHISKER, color)))
        f.draw(f.segment((q1, q3), (s.y, s.y), marker=_mark(BOX, color)))
        f.draw(f.segment((med, med), (s.y, s.y), marker=_mark(MEDIAN, color)))
    _x_axis(f, axis)
    _y_axis(f, slots, rows)
    return [*_wrap(_title(ct), width), *_built(f, color), *key, *_wrap(BOX_NOTE, width)]


# ---- means with error bars ----------------------------------------------------------------

def means(ct: Crosstab, width: int, height: int | None, color: bool) -> list[str]:
    row = next(r for r in ct.rows if r.kind in ("mean", "score") and r.has_se)
    dec = value_decimals(row.kind)
    values = ["  " + ("-" if cell.value is None else f"{fixed(cell.value, dec)}{marks(cell)}")
              for cell in row.cells]
    shown = [c.value is not None and math.isfinite(c.value) for c in row.cells]
    spans = [(c.value - (c.se or 0), c.value + (c.se or 0)) for c, ok in
             zip(row.cells, shown, strict=True) if ok and c.value is not None]
    if not spans:
        return _nothing(ct, width)
    slots, key = _slots(ct, width, values)
    axis = round_axis(min(a for a, _ in spans), max(b for _, b in spans), _room(slots, width))
    rows = _rows(len(slots), 2, height)
    f = _figure(width, rows.height, color)
    drawn = [s for s in slots if s.index >= 0 and shown[s.index]]
    xs = [float(row.cells[s.index].value or 0.0) for s in drawn]
    ys = [s.y for s in drawn]
    for s, x in zip(drawn, xs, strict=True):
        se = row.cells[s.index].se
        if se and math.isfinite(se):
            f.draw(f.segment((x - se, x + se), (s.y, s.y), marker=_mark(WHISKER, color)))
    f.draw(f.signal(xs, ys, marker=_mark(POINTS[0], color)))
    _x_axis(f, axis)
    _y_axis(f, slots, rows)
    return [*_wrap(f"{row.label} — {_title(ct)}", width), *_built(f, color), *key,
            *_wrap(SE_NOTE, width)]


# ---- histogram ----------------------------------------------------------------------------

def histogram(ct: Crosstab, hist: Histogram, width: int, height: int | None,
              color: bool) -> list[str]:
    """One panel per banner column, the same bins and the same percent axis in each."""
    if not any(v for counts in hist.counts for v in counts):
        return _nothing(ct, width)
    keys = [c.key for c in ct.columns]
    shares = []
    for key in keys:
        counts = hist.counts[hist.keys.index(key)]
        total = sum(counts)
        shares.append([100 * c / total if total else 0.0 for c in counts])
    top, panel_h = upright(0.0, max((v for s in shares for v in s), default=1.0) or 1.0,
                           height if height is not None else MIN_HEIGHT + 2)
    x = round_axis(hist.edges[0], hist.edges[-1], width - 8)
    unit = "weighted respondents" if hist.weighted else "respondents"
    out = [*_wrap(_title(ct), width), *_wrap(f"% of the column's {unit} in each bin of "
                              f"{_plain(fixed(hist.width, hist.decimals))} (from "
                              f"{_plain(fixed(hist.edges[0], hist.decimals))}; a bin holds its "
                              "start, not its end)", width)]
    for c, share in zip(ct.columns, shares, strict=True):
        f = _figure(width, panel_h, color)
        # each bin a rectangle over its own edges: plotext's bars are sized by the spacing
        # of their centres, and a lone bar by one x-axis unit, whatever the axis (a bin
        # of width 1e9 drew a sliver; one of width 0.0001, seconds of off-canvas points)
        for lo, hi, v in zip(hist.edges, hist.edges[1:], share, strict=False):
            if v:
                f.draw(f.rectangle([lo, hi], [0.0, v], marker=_mark("hd", color)))
        _x_axis(f, x)
        f.ruler("y").ticks(list(top.ticks), [t + "%" for t in top.labels])
        f.ruler("y").lim(top.lo, top.hi)
        out += ["", *_wrap(bar_label(c).text, width), *_built(f, color)]
    return out


# ---- trend --------------------------------------------------------------------------------

def trend(ct: Crosstab, width: int, height: int | None, color: bool) -> list[str]:
    """A line over each span's columns in their banner order: the mean (or score) where the
    question has one, else each answer's percent; one value axis for every span."""
    row, series = _series(ct)
    spans = [g for g in groups(ct) if g.title]
    values = [v for r in series for g in spans for v in _values(r, g) if v is not None]
    if not values:
        return _nothing(ct, width)
    unit = "" if row is not None else "%"
    axis, panel_h = upright(min(values + [0.0] if unit else values), max(values),
                            height if height is not None else MIN_HEIGHT + 4)
    out = _wrap(_title(ct), width)
    for g in spans:
        f = _figure(width, panel_h, color)
        xs = list(range(1, len(g.bars) + 1))
        for k, r in enumerate(series):
            fg = _series_color(series, k)
            for run in _runs(xs, _values(r, g, keep_none=True)):
                line = f.signal(*run, marker=_mark("hd", color, fg))
                line.lines()
                f.draw(line)
                f.draw(f.signal(*run, marker=_mark(POINTS[k], color, fg)))
        f.ruler("x").ticks(xs, [ct.columns[i].letter or "" for i in g.bars])
        f.ruler("x").lim(0.5, len(g.bars) + 0.5)
        f.ruler("y").ticks(list(axis.ticks), [t + unit for t in axis.labels])
        f.ruler("y").lim(axis.lo, axis.hi)
        key = "; ".join(f"{ct.columns[i].letter} = {bar_label(ct.columns[i]).name}"
                        f"{bar_label(ct.columns[i]).base}" for i in g.bars)
        out += ["", *_wrap(g.title, width), *_built(f, color), *_wrap(key, width)]
    if len(series) > 1:
        out += _legend([r.label for r in series], width, color)
    return out


def _series(ct: Crosstab) -> tuple[Row | None, list[Row]]:
    """A trend's mean (or score) row if the question has one, and its lines: that row, or
    else each answer's."""
    row = next((r for r in ct.rows if r.kind in ("mean", "score")), None)
    return row, [row] if row is not None else [r for r in ct.rows if r.kind == "category"]


def _series_color(series: Sequence[Row], k: int) -> int:
    return PALETTE[k % len(PALETTE)] if len(series) > 1 else LINE_COLOR


def _legend(names: list[str], width: int, color: bool) -> list[str]:
    """Each line's point marker, in its colour, and its name."""
    items = []
    for k, name in enumerate(names):
        mark = POINTS[k]
        items.append((f"\x1b[38;5;{PALETTE[k % len(PALETTE)]}m{mark}\x1b[0m" if color else mark,
                      f" {name}"))
    lines, line, used = [], "", 0
    for mark, name in items:
        size = 1 + len(name)
        if line and used + 3 + size > width:
            lines.append(line)
            line, used = "", 0
        line, used = (f"{line}   {mark}{name}", used + 3 + size) if line else (mark + name, size)
    return lines + [line]


def _values(r: Row, g: Group, keep_none: bool = False) -> list[float | None]:
    out: list[float | None] = []
    for i in g.bars:
        c = r.cells[i]
        v = c.value if r.kind in ("mean", "score") else c.percent
        if v is not None or keep_none:
            out.append(None if v is None else float(v))
    return out


def _runs(xs: list[int], ys: list[float | None]) -> list[tuple[list[int], list[float]]]:
    """The stretches of consecutive columns with a value: a line breaks at a column
    without one (no respondent) rather than passing plotext a NaN, which aborts the
    process in its compiled kernel."""
    out: list[tuple[list[int], list[float]]] = []
    for x, y in zip(xs, ys, strict=True):
        if y is None or not math.isfinite(y):
            out.append(([], []))
            continue
        if not out:
            out.append(([], []))
        out[-1][0].append(x)
        out[-1][1].append(y)
    return [run for run in out if run[0]]


def _nothing(ct: Crosstab, width: int) -> list[str]:
    return [*_wrap(_title(ct), width), *_wrap(EMPTY, width)]


def _title(ct: Crosstab) -> str:
    banner = f" by {ct.banner.short}" if ct.banner else ""
    weights = ", weighted" if ct.weighted else ""
    flt = f"; {'; '.join(ct.filter_text)}" if ct.filter_text else ""
    return f"{ct.question.id}{banner}{weights}{flt}"


def why_not(ct: Crosstab, kind: str) -> str | None:
    """Why ``ct`` cannot be drawn as a chart of ``kind``, in one sentence naming no
    command-line flag (the app shows it too); None when it can. The one rule kinds_of,
    render_kind, the command line and the app read."""
    q = ct.question
    if kind == "bar":
        return None
    if kind in ("histogram", "box"):
        refused = no_distribution(q, ct.group if kind == "histogram" else ())
        if refused or kind == "histogram" or all(_row(ct, k) for k in QUARTILES):
            return refused
        return f"{q.id!r} has no quartiles in this table to draw as box plots."
    if kind == "means":
        if any(r.kind in ("mean", "score") and r.has_se for r in ct.rows):
            return None
        return f"{q.id!r} has no mean or score to draw: draw its bars instead."
    if kind == "trend":
        if ct.banner is None:
            return ("A trend runs over a banner's columns: choose a banner (an ordered one, "
                    "such as waves or age bands).")
        lines = len(_series(ct)[1])
        if lines > len(POINTS):
            return (f"A trend draws at most {len(POINTS)} lines, one an answer, and "
                    f"{q.id!r} has {lines}: draw its bars instead.")
        return None
    return f"Unknown chart kind {kind!r}: choose one of {', '.join(KINDS)}."


TREND_WAVES = 3  # waves from which a chart of them is drawn as lines over the waves


def default_kind(ct: Crosstab) -> str:
    """The kind a table is first drawn as: a trend over three or more waves (a banner of
    the waves alone), else bars."""
    spans = ct.banner.spans if ct.banner else ()
    waves = len(spans) == 1 and spans[0].outer is None and spans[0].inner.id == WAVE and \
        len(spans[0].inner.options) >= TREND_WAVES
    return "trend" if waves and why_not(ct, "trend") is None else "bar"


def kinds_of(ct: Crosstab) -> tuple[str, ...]:
    """The kinds of chart ``ct`` can be drawn as (why_not), in KINDS order."""
    return tuple(k for k in KINDS if why_not(ct, k) is None)


def render_kind(kind: str, ct: Crosstab, width: int, color: bool, height: int | None = None,
                hist: Histogram | None = None) -> str:
    """The chart of ``kind`` (not "bar": output.charts draws those) as text; ``hist`` is
    the engine's histogram of ``ct`` when ``kind`` is "histogram". A kind ``ct`` cannot be
    drawn as is refused with why_not's sentence (ChartKindError)."""
    refused = why_not(ct, kind)
    if refused:
        raise ChartKindError(refused)
    if kind == "bar":
        raise ValueError("bar charts are output.charts.render's")
    if kind == "box":
        lines = box(ct, width, height, color)
    elif kind == "means":
        lines = means(ct, width, height, color)
    elif kind == "trend":
        lines = trend(ct, width, height, color)
    else:
        if hist is None:
            raise ValueError("a histogram is drawn from the engine's histogram of the table")
        lines = histogram(ct, hist, width, height, color)
    return "\n".join(lines) + "\n"
