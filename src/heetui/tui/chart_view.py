"""The chart view: the current table drawn as a text chart (output.charts), redrawn on every
resize."""

from __future__ import annotations

import os

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from heetui.engine import Crosstab
from heetui.output.chart_data import charts
from heetui.output.charts import render
from heetui.survey.codebook import Benchmark
from heetui.tui.failures import attempt


class ChartView(VerticalScroll):
    DEFAULT_CSS = """
    ChartView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.crosstab: Crosstab | None = None
        self.benchmarks: tuple[Benchmark, ...] = ()
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="chart-body")

    def show(self, ct: Crosstab, benchmarks: tuple[Benchmark, ...]) -> None:
        self.crosstab = ct
        self.benchmarks = benchmarks
        self.redraw()

    def redraw(self) -> None:
        if self.crosstab is None:
            return
        width = max(40, self.scrollable_content_region.width - 1)
        color = not os.environ.get("NO_COLOR")
        ct = self.crosstab
        drawn, error = attempt(lambda: render(charts(ct, self.benchmarks), width, color))
        self.text = drawn if drawn is not None else error or ""
        body = Text.from_ansi(self.text) if color and drawn is not None else Text(self.text)
        self.query_one("#chart-body", Static).update(body)

    def on_resize(self, event: Resize) -> None:
        self.redraw()
