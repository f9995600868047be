"""heetui's own bar charts at 80 columns: no segment of a stacked bar dropped, each segment
within one character of its share, legend swatches in their series' colour, long labels
and notes wrapped rather than cut, two panels of small multiples across."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chart_helpers import ANSI, block_of, ticks
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.grid import table
from heetui.engine.session import open_survey
from heetui.output.chart_data import Stacked, charts
from heetui.output.charts import COLORS, MARKERS, render, segment_lengths
from helpers import grid_bundle

FILLS = "█▓▒░▚·"


def stacked_plots(text: str, title: str) -> tuple[list[str], list[str], int]:
    """The plotted part of each stacked bar (its percents read as their segment's fill),
    each bar's label, and the bar's full length."""
    block = block_of(ANSI.sub("", text), title)
    t = ticks(block)
    zero, full = t[0][0], t[-1][0] - t[0][0]
    plots, labels = [], []
    for line in block:
        if line[zero:zero + 1] == "│":
            plots.append(re.sub(r"(.)(\d+%)", lambda m: m.group(1) * (1 + len(m.group(2))),
                                line[zero + 1:zero + 1 + full]))
            labels.append(line[:zero].strip())
    return plots, labels, full


@pytest.mark.parametrize("banner", [None, "stakeholder_type", "standard"])
@pytest.mark.parametrize("width", [40, 80, 120])
def test_no_segment_of_a_stacked_bar_is_dropped(survey, banner, width):
    """Total's "Very negative" (2.8 %) vanished at 80 columns by the report banner while
    "Don't know" (3.2 %) kept its mark: every option with a share is drawn."""
    ct = crosstab(survey, TabRequest("relationship", banner))
    cats = [r for r in ct.rows if r.kind == "category"]
    plots, _, full = stacked_plots(render(charts(ct), width), "relationship")
    assert len(plots) == len(ct.columns)
    for j, plot in enumerate(plots):
        drawn = [plot.count(FILLS[k]) for k in range(len(cats))]
        assert sum(drawn) == full  # the whole bar, however the percents round
        for k, r in enumerate(cats):
            share = (r.cells[j].percent or 0) / 100 * full
            assert (drawn[k] > 0) == (share > 0), (ct.columns[j].label, r.label, plot)
            if k != max(range(len(cats)), key=lambda i: cats[i].cells[j].percent or 0):
                assert abs(drawn[k] - share) < 1 or drawn[k] == 1, (r.label, plot)


def test_total_very_negative_at_80_columns(survey):
    ct = crosstab(survey, TabRequest("relationship", "standard"))
    very_negative = next(r for r in ct.rows if r.label == "Very negative")
    assert round(very_negative.cells[0].percent, 1) == 2.8
    plots, labels, _ = stacked_plots(render(charts(ct), 80), "relationship")
    assert labels[0].startswith("Total")
    assert plots[0].count("▚") >= 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12), st.integers(10, 400))
def test_segment_lengths_property(weights, width):
    """Random shares of 100 %: the lengths add up to the bar exactly; a share is drawn iff
    it is not zero; each segment is within one character of its share, except the largest
    ones, which pay (between them, no more) for the slivers raised to one character."""
    total = sum(weights)
    if total == 0:
        weights, total = [1.0], 1.0
    values = tuple(w / total * 100 for w in weights)
    out = segment_lengths(values, width)
    shares = [v / 100 * width for v in values]
    assert sum(out) == width
    for a, b in itertools.combinations(range(len(values)), 2):  # a larger share: no shorter
        assert values[a] <= values[b] or out[a] >= out[b], (values, width, out)
        assert values[b] <= values[a] or out[b] >= out[a], (values, width, out)
    nonzero = sum(x > 0 for x in shares)
    if nonzero > width:
        return  # more answers than characters: the smallest are left out (not tested here)
    assert all((n > 0) == (x > 0) for n, x in zip(out, shares, strict=True))
    raised = sum(1 - x for x in shares if 0 < x < 1)
    over = [(x, x - n - 1) for n, x in zip(out, shares, strict=True)
            if abs(n - x) >= 1 and not (n == 1 and x < 1)]  # slivers: one character
    assert all(d >= 0 for _, d in over), (values, width, out)  # shorter, never longer
    assert sum(d for _, d in over) <= raised + 1e-9, (values, width, out)
    if over:  # the ones that paid are the largest
        assert min(x for x, _ in over) >= max(
            (x for n, x in zip(out, shares, strict=True) if abs(n - x) < 1 and x >= 1),
            default=0) - 1, (values, width, out)


def test_segment_lengths_round_to_the_nearest_without_slivers():
    assert segment_lengths((50.0, 50.0), 10) == [5, 5]
    assert segment_lengths((33.4, 33.3, 33.3), 10) == [4, 3, 3]
    assert segment_lengths((97.5, 2.5), 20) == [19, 1]  # 0.5 of a character: one
    assert segment_lengths((99.0, 1.0), 20) == [19, 1]  # 0.2 of a character: one, from 99
    assert segment_lengths((0.0, 100.0), 20) == [0, 20]
    # three near-equal shares pay for three slivers: the smallest of them is shortest
    assert segment_lengths((32.3, 31.6, 2.0, 32.2, 0.7, 1.2), 13) == [4, 3, 1, 3, 1, 1]


def test_legend_swatches_in_their_series_colour(survey):
    ct = crosstab(survey, TabRequest("relationship", "stakeholder_type"))
    text = render(charts(ct), 80, color=True)
    (chart,) = [c for c in charts(ct) if isinstance(c, Stacked)]
    for k, (name, _) in enumerate(chart.segments):
        swatch = f"\x1b[{COLORS[k]}m{MARKERS[k]}\x1b[0m {name}"
        assert swatch in text, name


@pytest.fixture(scope="module")
def grid_survey(tmp_path_factory):
    return open_survey(grid_bundle(tmp_path_factory.mktemp("g") / "b"))


@pytest.mark.parametrize("width", [40, 60, 80])
def test_nothing_is_cut_and_nothing_overflows(survey, grid_survey, width):
    """Every chart of the bundled survey (by no banner, a span, the report banner) and of a
    grid: labels, notes, legends and titles wrap; no line is cut with "…", none is wider
    than the chart, and every label, note and benchmark reads whole."""
    cases = [(survey, q.id, by) for q in survey.codebook.questions if q.type != "open"
             for by in (None, "stakeholder_type", "standard")]
    cases += [(grid_survey, "sat", None), (grid_survey, "sat_1", "region")]
    for s, q, by in cases:
        chart_list = charts(table(s, TabRequest(q, by)), s.codebook.benchmarks)
        lines = render(chart_list, width).split("\n")
        assert not [line for line in lines if "…" in line or len(line) > width], (q, by)
        words = " ".join(" ".join(lines).split())
        for c in chart_list:
            for bench, _ in getattr(c, "benchmarks", ()):
                assert " ".join(bench.split()) in words, bench
            for note in getattr(c, "notes", ()):
                assert " ".join(note.split()) in words, note


def test_small_multiples_two_across_at_80_three_at_120(survey):
    """The README: `words --by region` shows two panels across at 80 columns, three at
    120."""
    ct = crosstab(survey, TabRequest("words", "region"))
    for width, across in ((80, 2), (120, 3)):
        lines = render(charts(ct), width).split("\n")
        total = next(line for line in lines if line.startswith("Total n="))
        assert total.count("│") == across, total
        assert max(len(line) for line in lines) <= width
