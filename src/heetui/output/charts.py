"""Draw the charts of ``chart_data`` with plotext 5 (its module-level API, pinned 5.3.2).

plotext renders to a string (``build``); the app shows that string, the CLI prints it.
Series are told apart by their fill character as well as colour, so charts stay readable
with NO_COLOR or on a monochrome terminal.
"""

from __future__ import annotations

import textwrap
import threading

import plotext as plt

from heetui.output.chart_data import Bars, Chart, Scores, Stacked
from heetui.output.numbers import fixed

MARKERS = ("█", "▓", "▒", "░", "▚", "·", "◆", "▞", "+", "o", "x", "=")
COLORS = ("blue", "cyan", "green", "orange", "red", "magenta", "gray", "white",
          "blue+", "cyan+", "green+", "red+")
SIG_MARK = "†"
EMPTY = "(nothing to draw: no respondent in this selection gave an answer here)"
_lock = threading.Lock()  # plotext keeps one global figure


def _fit(label: str, width: int) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _empty(title: str, width: int) -> list[str]:
    return [*_wrap(title, width), *_wrap(EMPTY, width)]


def _drawn(title: str, width: int, color: bool) -> list[str]:
    """The title above the figure plotext drew."""
    return [*_wrap(title, width), *_build(color).splitlines()]


def _legend(names: list[str], width: int) -> list[str]:
    lines, line = [], ""
    for i, name in enumerate(names):
        item = _fit(f"{MARKERS[i % len(MARKERS)]} {name}", width)
        if line and len(line) + 3 + len(item) > width:
            lines.append(line)
            line = ""
        line = f"{line}   {item}" if line else item
    return lines + ([line] if line else [])


def _start(width: int, height: int, color: bool) -> None:
    plt.clear_figure()
    plt.limitsize(False, False)  # draw at the size asked, not the size of stdout's terminal
    plt.plotsize(width, height)
    plt.theme("clear")


def _build(color: bool) -> str:
    text = plt.build()
    if not color:
        text = plt.uncolorize(text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def _stacked(c: Stacked, width: int, color: bool, height: int | None) -> list[str]:
    if not any(v for _, vals in c.segments for v in vals):
        return _empty(c.title, width)
    label_w = min(32, max(len(b) for b in c.bars) + 2, width // 2)
    names = [f"{b}{' ' + SIG_MARK if m else ''}" for b, m in zip(c.bars, c.marked,
                                                              strict=True)]
    rows = len(names)
    plot_h = max(rows * 2 + 3, 6) if height is None else max(rows + 3, height)
    _start(width, plot_h, color)
    ylabels = [_fit(n, label_w) for n in reversed(names)]
    data = [list(reversed(vals)) for _, vals in c.segments]
    plt.stacked_bar(ylabels, data, orientation="horizontal", width=0.5,
                    marker=[MARKERS[i % len(MARKERS)] for i in range(len(data))],
                    color=[COLORS[i % len(COLORS)] for i in range(len(data))])
    plt.xlim(0, 100)
    plt.xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    cell = (width - label_w - 4) / 100
    for j in range(rows):
        left = 0.0
        for _, vals in c.segments:
            v = list(reversed(vals))[j]
            if v * cell >= 4:
                plt.text(f"{fixed(v)}%", left + v / 2, j + 1, alignment="center",
                         color="black" if color else None, background="white" if color
                         else None)
            left += v
    lines = _drawn(c.title, width, color)
    lines += _legend([name for name, _ in c.segments], width)
    for net, values in c.nets:
        lines += textwrap.wrap(f"{net}: " + " · ".join(
            f"{_fit(b.split(' n=')[0], 20)} {v}" for b, v in zip(c.bars, values, strict=True)),
            width, subsequent_indent="  ")
    return lines + _notes(c.notes, width)


def _notes(notes: tuple[str, ...], width: int) -> list[str]:
    if not notes:
        return []
    head = f"{SIG_MARK} differs significantly from another column (letters as in the table):"
    return [*_wrap(head, width), *(f"  {_fit(n, width - 2)}" for n in notes)]


def _bars(c: Bars, width: int, color: bool, height: int | None) -> list[str]:
    if not any(c.series[0][1]):
        return _empty(c.title, width)
    label_w = min(30, max(len(o) for o in c.options) + 1, width // 2)
    n = len(c.options)
    _start(width, 2 * n + 3 if height is None else max(height, n + 3), color)
    name, raw = c.series[0]
    values = list(reversed(raw))
    plt.bar([_fit(o, label_w) for o in reversed(c.options)], values, orientation="horizontal",
            width=0.5, marker=MARKERS[0], color=COLORS[0])
    plt.xlim(0, max(10.0, min(100.0, max(raw) * 1.15)))
    for j, v in enumerate(values):
        plt.text(f" {fixed(v)}%", v, j + 1, alignment="left")
    lines = _drawn(c.title, width, color)
    if c.marked[0]:
        lines += _wrap(f"{SIG_MARK} {name} differs significantly from another column", width)
    return lines + _notes(c.notes, width)


def _scores(c: Scores, width: int, color: bool) -> list[str]:
    items = [(lab, v, se, s) for lab, v, se, s in zip(c.labels, c.values, c.ses, c.sig,
                                                       strict=True) if v is not None]
    if not items:
        return _empty(c.title, width)
    if c.benchmarks:
        total = items[0]
        ranked = [(f"◆ {total[0]} (this survey)", total[1], total[2], total[3])] + \
            [(lab, v, None, "") for lab, v in c.benchmarks]
        items = sorted(ranked, key=lambda i: -i[1]) + items[1:]
    label_w = min(40, max(len(i[0]) for i in items) + 2, width // 2)  # room for the bars
    _start(width, len(items) * 2 + 3, color)
    labels = [_fit(i[0], label_w) for i in reversed(items)]
    values = [i[1] for i in reversed(items)]
    plt.bar(labels, values, orientation="horizontal", width=0.5, marker=MARKERS[0],
            color=COLORS[0])
    lo, hi = min(0.0, *values), max(0.0, *values)
    pad = (hi - lo) * 0.25 or 1.0
    plt.xlim(lo - (pad if lo < 0 else 0), hi + pad)
    if lo < 0 < hi:
        plt.vline(0)
    dec = 2 if c.kind == "mean" else 0
    for j, (_, v, se, s) in enumerate(reversed(items)):
        se_txt = f" ±{se:.{dec}f}" if se is not None else ""
        plt.text(f" {v:.{dec}f}{se_txt} {s}", max(v, 0.0), j + 1, alignment="left")
    lines = _drawn(c.title, width, color)
    note = "± one standard error; letters: significantly higher than that column" + (
        "; ◆ marks this survey among the benchmarks, which are illustrative"
        if c.benchmarks else "")
    return lines + textwrap.wrap(note, width)


def render(chart_list: list[Chart], width: int = 100, color: bool = False,
           height: int | None = None) -> str:
    width = max(40, width)
    with _lock:
        blocks = []
        for c in chart_list:
            if isinstance(c, Stacked):
                blocks.append(_stacked(c, width, color, height))
            elif isinstance(c, Bars):
                blocks.append(_bars(c, width, color, height))
            else:
                blocks.append(_scores(c, width, color))
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"
