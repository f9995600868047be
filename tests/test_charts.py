"""Charts: plotted values are the table's numbers; the toggle; `heetui chart`."""

from __future__ import annotations

import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.output.chart_data import Bars, Scores, Stacked, charts
from heetui.output.charts import render
from heetui.tui.app import HeetuiApp
from heetui.tui.chart_view import ChartView
from test_cli_info import run
from test_tui import settle, table


def test_stacked_values_are_the_table_percents(survey):
    ct = crosstab(survey, TabRequest("relationship", "stakeholder_type"))
    chart = charts(ct)[0]
    assert isinstance(chart, Stacked)
    cats = [r for r in ct.rows if r.kind == "category"]
    assert [name for name, _ in chart.segments] == [r.label for r in cats]
    for (_, values), r in zip(chart.segments, cats, strict=True):
        assert values == tuple(c.percent for c in r.cells)
    assert chart.bars == ("Total n=602", "HEI (A) n=76", "NHS Trust (B) n=399",
                          "Other (C) n=127")
    assert dict(chart.nets)["Positive"][3] == "80%A"
    for i in range(len(chart.bars)):
        assert sum(v[i] for _, v in chart.segments) == pytest.approx(100)


def test_multi_response_bars_sorted_by_total(survey):
    ct = crosstab(survey, TabRequest("words", "region"))
    bars = charts(ct)
    assert len(bars) == len(ct.columns) and all(isinstance(b, Bars) for b in bars)
    total = bars[0]
    cats = {r.label: r.cells for r in ct.rows if r.kind == "category"}
    values = dict(zip(total.options, total.series[0][1], strict=True))
    assert values["Supportive"] == cats["Supportive"][0].percent
    cat_values = [values[o] for o in total.options if not o.startswith("NET")]
    assert cat_values == sorted(cat_values, reverse=True)
    london = next(b for b in bars if "London" in b.series[0][0])
    i = next(k for k, c in enumerate(ct.columns) if c.label == "London")
    assert dict(zip(london.options, london.series[0][1], strict=True))["Fragmented"] == \
        cats["Fragmented"][i].percent


def test_scores_with_benchmarks(survey):
    ct = crosstab(survey, TabRequest("advocacy", "stakeholder_type"))
    scores = [c for c in charts(ct, survey.codebook.benchmarks) if isinstance(c, Scores)]
    assert len(scores) == 1 and scores[0].kind == "score"
    row = next(r for r in ct.rows if r.kind == "score")
    assert scores[0].values == tuple(c.value for c in row.cells)
    assert scores[0].ses == tuple(c.se for c in row.cells)
    assert [b[0] for b in scores[0].benchmarks] == [b.label for b in survey.codebook.benchmarks]
    text = render(charts(ct, survey.codebook.benchmarks), 100)
    assert "◆ Total n=602 (this survey)" in text and "illustrative" in text


def test_mean_chart(survey):
    ct = crosstab(survey, TabRequest("effectiveness", "seniority", weighted=True))
    mean = [c for c in charts(ct) if isinstance(c, Scores)][0]
    row = next(r for r in ct.rows if r.kind == "mean")
    assert mean.values == tuple(c.value for c in row.cells)


@pytest.mark.parametrize("q", ["relationship", "words", "advocacy", "views_timing",
                               "point_of_contact", "effectiveness", "role_clarity"])
@pytest.mark.parametrize("by", ["stakeholder_type", "region", "seniority"])
@pytest.mark.parametrize("width", [40, 80, 200])
def test_every_question_renders_within_width(survey, q, by, width):
    # 40 columns with seniority's long labels once left the mean chart no room for its
    # bars and plotext raised (found by the 50,000-event monkey run)
    ct = crosstab(survey, TabRequest(q, by, weighted=True))
    text = render(charts(ct, survey.codebook.benchmarks), width)
    assert all(len(line) <= width for line in text.splitlines())
    assert "\x1b" not in text  # no colour codes unless asked
    assert "Total n=" in " ".join(text.split())  # titles wrap at 40 columns


def test_cli_chart_bases_labels_and_width():
    r = run("chart", "relationship", "--by", "stakeholder_type", "--width", "90")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout  # stdout is not a terminal
    for label in ("Total n=602", "HEI (A) n=76", "NHS Trust (B) n=399", "Other (C) n=127",
                  "Very positive", "Positive:"):
        assert label in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 90
    r = run("chart", "relationship", "--width", "20")
    assert r.returncode == 2 and "width of 40 to 500" in r.stderr


def test_cli_chart_saved_as_text(tmp_path):
    out = tmp_path / "c.txt"
    r = run("chart", "words", "--filter", "stakeholder_type=HEI", "-o", str(out))
    assert r.returncode == 0
    text = out.read_text()
    assert "words; Stakeholder type = HEI — Total n=75" in text


async def test_toggle_table_and_chart(survey):
    app = HeetuiApp(survey)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        chart = app.query_one(ChartView)
        assert chart.display and not table(app).display
        assert "Total n=602" in chart.text and "Very positive" in chart.text
        await pilot.press("w")  # the chart follows the view
        await settle(app, pilot)
        assert "relationship, weighted" in chart.text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        from rich.text import Text

        assert max(Text.from_ansi(line).cell_len for line in chart.text.splitlines()) <= 80
        await pilot.press("g")
        await pilot.pause()
        assert table(app).display and not chart.display


def test_empty_selection_draws_a_note(survey):
    from heetui.engine.filters import parse_filter

    cb = survey.codebook
    # nobody is both an HEI and an NHS Trust: every base is empty
    empty = (parse_filter(cb, "stakeholder_type=HEI"), parse_filter(cb, "org_type=NHS Trust"))
    for q in ("relationship", "words", "advocacy"):
        ct = crosstab(survey, TabRequest(q, "region", empty))
        text = render(charts(ct, cb.benchmarks), 80)
        assert "nothing to draw" in text
