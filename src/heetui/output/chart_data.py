"""What a chart shows, derived from a crosstab (no drawing here, so it can be tested).

Every plotted value is a number the engine computed for the table. Charts follow the
table's banner as a printed survey report does: Total first, then each span's columns
together under the span's title (a nested span: one group per outer option).
"""

from __future__ import annotations

from dataclasses import dataclass

from heetui.engine.results import Column, Crosstab, Row
from heetui.output.numbers import fixed
from heetui.output.tables import (
    base_count,
    base_mark,
    base_marks_text,
    marks,
    span_titles,
    tests_text,
)
from heetui.survey.codebook import Benchmark


@dataclass(frozen=True)
class Label:
    """A bar's label in parts, so that a narrow chart can shorten the name and leave out
    the base before it loses the letter: "HEI" " (A)" " n=76*" (and a mark, " †")."""

    name: str
    letter: str = ""
    base: str = ""
    mark: str = ""

    @property
    def text(self) -> str:
        return self.name + self.letter + self.base + self.mark


def bar_label(c: Column) -> Label:
    return Label(c.heading or c.label, f" ({c.letter})" if c.letter else "",
                 f" n={base_count(c)}{base_mark(c)}")


@dataclass(frozen=True)
class Group:
    """Bars drawn together under a title: Total (no title), or the columns of one span."""

    title: str
    bars: tuple[int, ...]  # indices into the chart's labels


def groups(ct: Crosstab) -> tuple[Group, ...]:
    """The crosstab's columns grouped as its banner is: consecutive columns with the same
    span title (span_titles) form one group; Total's title is empty."""
    out: list[tuple[str, list[int]]] = []
    for i, title in enumerate(span_titles(ct)):
        if out and out[-1][0] == title:
            out[-1][1].append(i)
        else:
            out.append((title, [i]))
    return tuple(Group(t, tuple(ix)) for t, ix in out)


@dataclass(frozen=True)
class Stacked:
    """100 % stacked bars: one bar per column, one segment per answer option."""

    title: str
    bars: tuple[Label, ...]
    groups: tuple[Group, ...]
    segments: tuple[tuple[str, tuple[float, ...]], ...]  # (option, percent per bar)
    nets: tuple[tuple[str, tuple[str, ...]], ...]  # (net, "75%A" per bar)
    marked: tuple[bool, ...]  # whether the column differs from another in some option
    notes: tuple[str, ...]
    key: tuple[str, ...] = ()


@dataclass(frozen=True)
class Panel:
    """One answer row of a multi-response question across the banner's columns."""

    title: str
    values: tuple[float, ...]  # percent per column
    texts: tuple[str, ...]  # what is written beside each bar: "57%C"
    net: bool = False


@dataclass(frozen=True)
class Multiples:
    """Small multiples: one panel per answer row (most mentioned first, nets last), each
    with a bar per banner column; the answers' panels share one scale, the nets' another."""

    title: str
    bars: tuple[Label, ...]
    groups: tuple[Group, ...]
    panels: tuple[Panel, ...]
    key: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bars:
    """One bar per answer option for a single column (a multi-response question without a
    banner): options most mentioned first, nets last, in a group of their own."""

    title: str
    bars: tuple[Label, ...]
    groups: tuple[Group, ...]
    values: tuple[float, ...]
    texts: tuple[str, ...]
    key: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scores:
    """A mean or score per column, with its SE; optionally benchmarks beside Total."""

    title: str
    kind: str  # mean | score
    bars: tuple[Label, ...]
    groups: tuple[Group, ...]
    values: tuple[float | None, ...]
    ses: tuple[float | None, ...]
    sig: tuple[str, ...]
    benchmarks: tuple[tuple[str, float], ...] = ()
    key: tuple[str, ...] = ()


Chart = Stacked | Multiples | Bars | Scores


def _pct(row: Row) -> tuple[float, ...]:
    return tuple(c.percent or 0.0 for c in row.cells)


def _differs(ct: Crosstab, rows: list[Row]) -> tuple[tuple[bool, ...], tuple[str, ...]]:
    """Columns that differ significantly from another column (or from Total or the rest),
    and one note per row."""
    letters = {c.letter: c for c in ct.columns if c.letter}
    against = {"total": "Total", "rest": "the rest"}.get(ct.compare, "")
    marked = [False] * len(ct.columns)
    notes = []
    for r in rows:
        pairs = []
        for i, cell in enumerate(r.cells):
            for lt in cell.sig:
                marked[i] = True
                loose = lt not in letters  # a lower-case letter: the looser level only
                loser = letters[lt.upper() if loose else lt]
                marked[ct.columns.index(loser)] = True
                pairs.append(f"{ct.columns[i].label} > {loser.label}{_loose(ct, loose)}")
            if cell.vs:
                marked[i] = True
                sign = ">" if cell.vs.startswith("higher") else "<"
                pairs.append(f"{ct.columns[i].label} {sign} {against or cell.vs}"
                             f"{_loose(ct, cell.vs.endswith('_loose'))}")
        if pairs:
            notes.append(f"{r.label}: " + ", ".join(pairs))
    return tuple(marked), tuple(notes)


def _loose(ct: Crosstab, loose: bool) -> str:
    """A difference at the looser of two levels only says so."""
    return f" (p < {ct.loose_level:g})" if loose and ct.loose_level is not None else ""


def _title(ct: Crosstab) -> str:
    banner = f" by {ct.banner.short}" if ct.banner else ""
    weights = ", weighted" if ct.weighted else ""
    flt = f"; {'; '.join(ct.filter_text)}" if ct.filter_text else ""
    return f"{ct.question.id}{banner}{weights}{flt}"


def _key(ct: Crosstab, marks_shown: bool) -> tuple[str, ...]:
    """What the marks beside the bars and in the labels mean: the table legend's own
    sentences for the tests and the base marks."""
    tests = tests_text(ct) if marks_shown and len(ct.columns) > 1 else ""
    return tuple(x for x in (tests, base_marks_text(ct)) if x)


def charts(ct: Crosstab, benchmarks: tuple[Benchmark, ...] = ()) -> list[Chart]:
    """The charts of a crosstab: distribution first, then its means and scores."""
    cats = [r for r in ct.rows if r.kind == "category"]
    nets = [r for r in ct.rows if r.kind == "net"]
    out: list[Chart] = []
    title = _title(ct)
    labels = tuple(bar_label(c) for c in ct.columns)
    grouped = groups(ct)
    if ct.question.type == "multi":
        if cats or nets:
            out.append(_multi(ct, cats + nets, title, labels, grouped))
    elif cats:
        marked, notes = _differs(ct, cats)
        out.append(Stacked(
            title=title, bars=labels, groups=grouped,
            segments=tuple((r.label, _pct(r)) for r in cats),
            nets=tuple((r.label, tuple(f"{fixed(c.percent or 0)}%{marks(c)}"
                                       for c in r.cells)) for r in nets),
            marked=marked, notes=notes, key=_key(ct, bool(nets))))
    for r in ct.rows:
        if r.has_se:
            bench = tuple((b.label, b.value) for b in benchmarks) if r.kind == "score" else ()
            out.append(Scores(
                title=f"{r.label} — {title}", kind=r.kind, bars=labels, groups=grouped,
                values=tuple(c.value for c in r.cells), ses=tuple(c.se for c in r.cells),
                sig=tuple(marks(c) for c in r.cells), benchmarks=bench,
                key=_key(ct, True)))
    return out


def _multi(ct: Crosstab, rows: list[Row], title: str, labels: tuple[Label, ...],
           grouped: tuple[Group, ...]) -> Chart:
    ordered = sorted(rows, key=lambda r: (r.kind == "net", -(r.cells[0].percent or 0.0)))
    if len(ct.columns) == 1:  # no banner: the options are the bars
        cats = tuple(i for i, r in enumerate(ordered) if r.kind == "category")
        nets = tuple(i for i, r in enumerate(ordered) if r.kind == "net")
        return Bars(
            title=f"{title} — {labels[0].text}",
            bars=tuple(Label(r.display_label) for r in ordered),
            groups=tuple(g for g in (Group("", cats), Group("Nets", nets)) if g.bars),
            values=tuple(r.cells[0].percent or 0.0 for r in ordered),
            texts=tuple(f"{fixed(r.cells[0].percent or 0)}%" for r in ordered),
            key=_key(ct, False))
    panels = tuple(Panel(r.display_label, _pct(r),
                         tuple(f"{fixed(c.percent or 0)}%{marks(c)}" for c in r.cells),
                         r.kind == "net") for r in ordered)
    return Multiples(title, labels, grouped, panels, _key(ct, True))
