"""The chart view: the current table drawn as a text chart, redrawn on every resize: heetui's
banner bars (output.charts), or, switched with `k`, a numeric question's histogram and box
plots, the means with error bars, or a trend over the banner (output.plotext_charts).

A histogram needs the engine's own pass over the answers (engine.histogram): it runs in a
worker thread the first time a table is drawn as one, the view saying so meanwhile, and is
kept for that table, so redraws (a resize, the kinds cycled back) draw it at once."""

from __future__ import annotations

import os
from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from heetui.engine import Crosstab, Histogram
from heetui.output.chart_data import charts
from heetui.output.charts import render
from heetui.output.plotext_charts import (
    KINDS,
    ChartKindError,
    default_kind,
    kinds_of,
    render_kind,
)
from heetui.survey.codebook import Benchmark
from heetui.tui.failures import attempt


class ChartView(VerticalScroll):
    DEFAULT_CSS = """
    ChartView { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("k", "cycle_kind", "Chart kind", id="chart.kind",
                tooltip="on the chart: bars → histogram → box plots → means ± SE → trend "
                "(the kinds this question has)"),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.crosstab: Crosstab | None = None
        self.benchmarks: tuple[Benchmark, ...] = ()
        self.histogram_of: Callable[[], Histogram] | None = None
        # the crosstab's histogram, or the sentence why it could not be computed, once known
        self._histogram: tuple[Histogram | None, str | None] | None = None
        self._computing: Crosstab | None = None  # the table whose histogram a worker computes
        self.kind = KINDS[0]
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="chart-body")

    def show(self, ct: Crosstab, benchmarks: tuple[Benchmark, ...],
             histogram_of: Callable[[], Histogram] | None = None) -> None:
        """Draw ``ct``; ``histogram_of`` computes its histogram (the engine's) in a worker
        when the chart is first drawn as one."""
        if ct is not self.crosstab:
            self._histogram = None
            new_banner = self.crosstab is None or ct.banner != self.crosstab.banner
            if new_banner and default_kind(ct) != KINDS[0]:
                self.kind = default_kind(ct)  # three or more waves: their trend first
        self.crosstab = ct
        self.benchmarks = benchmarks
        self.histogram_of = histogram_of
        if self.kind not in kinds_of(ct):
            self.kind = KINDS[0]
        self.redraw()

    def action_cycle_kind(self) -> None:
        """The next kind of chart this table can be drawn as."""
        if self.crosstab is None:
            return
        fit = kinds_of(self.crosstab)
        self.kind = fit[(fit.index(self.kind) + 1) % len(fit)] if self.kind in fit else fit[0]
        self.redraw()

    def _drawn(self, ct: Crosstab, width: int, color: bool) -> str:
        if self.kind == "bar":
            return render(charts(ct, self.benchmarks), width, color)
        if self.kind != "histogram":
            return render_kind(self.kind, ct, width, color)
        if self._histogram is None:
            if self._computing is not ct and self.histogram_of is not None:
                self._computing = ct
                self._compute_histogram(ct, self.histogram_of)
            return "Computing the histogram…"
        hist, error = self._histogram
        if hist is None:
            raise ChartKindError(error or "The histogram could not be computed.")
        return render_kind(self.kind, ct, width, color, None, hist)

    @work(thread=True, exclusive=True, group="histogram")
    def _compute_histogram(self, ct: Crosstab, histogram_of: Callable[[], Histogram]) -> None:
        found = attempt(histogram_of)
        self.app.call_from_thread(self._histogram_done, ct, found)

    def _histogram_done(self, ct: Crosstab, found: tuple[Histogram | None, str | None]) -> None:
        if self._computing is ct:
            self._computing = None
        if ct is self.crosstab and self.is_attached:
            self._histogram = found
            self.redraw()

    def redraw(self) -> None:
        if self.crosstab is None:
            return
        region = self.scrollable_content_region
        width = max(40, region.width - 1)
        color = not os.environ.get("NO_COLOR")
        ct = self.crosstab
        drawn, error = attempt(lambda: self._drawn(ct, width, color))
        if (drawn is not None and not self.show_vertical_scrollbar
                and drawn.count("\n") > region.height):
            # taller than the view: the scrollbar about to appear takes its columns, and
            # a chart drawn for the wider view would wrap its full-width lines
            narrower = max(40, width - self.styles.scrollbar_size_vertical)
            drawn, error = attempt(lambda: self._drawn(ct, narrower, color))
        self.text = drawn if drawn is not None else error or ""
        body = Text.from_ansi(self.text) if color and drawn is not None else Text(self.text)
        self.query_one("#chart-body", Static).update(body)

    def on_resize(self, event: Resize) -> None:
        self.redraw()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """A chart that fits after a taller one: the scrollbar goes, and the chart drawn
        beside it is drawn again for the whole width (and narrower when one comes)."""
        self.redraw()
