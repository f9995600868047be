"""What a chart shows, derived from a crosstab (no drawing here, so it can be tested).

Every plotted value is a number the engine computed for the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from heetui.engine.results import Column, Crosstab, Row
from heetui.output.numbers import fixed
from heetui.survey.codebook import Benchmark


def bar_label(c: Column) -> str:
    letter = f" ({c.letter})" if c.letter else ""
    return f"{c.label}{letter} n={c.base:,}"


@dataclass(frozen=True)
class Stacked:
    """100 % stacked bars: one bar per column, one segment per answer option."""

    title: str
    bars: tuple[str, ...]
    segments: tuple[tuple[str, tuple[float, ...]], ...]  # (option, percent per bar)
    nets: tuple[tuple[str, tuple[str, ...]], ...]  # (net, "75%A" per bar)
    marked: tuple[bool, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Bars:
    """Horizontal bars per option for one column (a banner gives one chart per column)."""

    title: str
    options: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]  # ((column, percent per option),)
    marked: tuple[bool, ...]  # whether the column differs from another
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Scores:
    """A mean or score per column, with its SE; optionally benchmarks beside Total."""

    title: str
    kind: str  # mean | score
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    ses: tuple[float | None, ...]
    sig: tuple[str, ...]
    benchmarks: tuple[tuple[str, float], ...] = ()


Chart = Stacked | Bars | Scores


def _pct(row: Row) -> tuple[float, ...]:
    return tuple(c.percent or 0.0 for c in row.cells)


def _differs(ct: Crosstab, rows: list[Row]) -> tuple[tuple[bool, ...], tuple[str, ...]]:
    """Columns that differ significantly from another column, and one note per row."""
    letters = {c.letter: c for c in ct.columns if c.letter}
    marked = [False] * len(ct.columns)
    notes = []
    for r in rows:
        pairs = []
        for i, cell in enumerate(r.cells):
            for lt in cell.sig:
                marked[i] = True
                loser = letters[lt]
                marked[ct.columns.index(loser)] = True
                pairs.append(f"{ct.columns[i].label} > {loser.label}")
        if pairs:
            notes.append(f"{r.label}: " + ", ".join(pairs))
    return tuple(marked), tuple(notes)


def _title(ct: Crosstab) -> str:
    banner = f" by {ct.banner.short}" if ct.banner else ""
    weights = ", weighted" if ct.weighted else ""
    flt = f"; {'; '.join(ct.filter_text)}" if ct.filter_text else ""
    return f"{ct.question.id}{banner}{weights}{flt}"


def charts(ct: Crosstab, benchmarks: tuple[Benchmark, ...] = ()) -> list[Chart]:
    """The charts of a crosstab: distribution first, then its means and scores."""
    cats = [r for r in ct.rows if r.kind == "category"]
    nets = [r for r in ct.rows if r.kind == "net"]
    out: list[Chart] = []
    title = _title(ct)
    if ct.question.type == "multi":
        out += _bars(ct, cats + nets, title)
    elif cats:
        marked, notes = _differs(ct, cats)
        out.append(Stacked(
            title=title, bars=tuple(bar_label(c) for c in ct.columns),
            segments=tuple((r.label, _pct(r)) for r in cats),
            nets=tuple((r.label, tuple(f"{fixed(c.percent or 0)}%{''.join(c.sig)}"
                                       for c in r.cells)) for r in nets),
            marked=marked, notes=notes))
    for r in ct.rows:
        if r.kind in ("mean", "score"):
            bench = tuple((b.label, b.value) for b in benchmarks) if r.kind == "score" else ()
            out.append(Scores(
                title=f"{r.label} — {title}", kind=r.kind,
                labels=tuple(bar_label(c) for c in ct.columns),
                values=tuple(c.value for c in r.cells), ses=tuple(c.se for c in r.cells),
                sig=tuple("".join(c.sig) for c in r.cells), benchmarks=bench))
    return out


def _bars(ct: Crosstab, rows: list[Row], title: str) -> list[Chart]:
    order = sorted(range(len(rows)), key=lambda i: (rows[i].kind == "net",
                                                    -(rows[i].cells[0].percent or 0.0)))
    ordered = [rows[i] for i in order]
    options = tuple(("NET: " if r.kind == "net" else "") + r.label for r in ordered)
    marked, notes = _differs(ct, ordered)
    series = [(bar_label(c), tuple(r.cells[i].percent or 0.0 for r in ordered))
              for i, c in enumerate(ct.columns)]
    # small multiples: one chart per column, options in the same (Total) order; grouped
    # horizontal bars overlap in plotext 5 and are hard to read in a terminal anyway
    return [Bars(f"{title} — {name}", options, ((name, vals),), (marked[i],),
                 notes if i == 0 else ()) for i, (name, vals) in enumerate(series)]
