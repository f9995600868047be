"""Charts: plotted values are the table's numbers, laid out by the banner's spans; what a
reader sees (one bar per label, lengths, round ticks, span titles) read back from the text;
the toggle in the app; `heetui chart`."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from chart_helpers import ANSI, block_of, rule_index, ticks
from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.output.chart_data import Bars, Multiples, Scores, Stacked, charts
from heetui.output.charts import make_scale, render
from heetui.output.numbers import fixed
from heetui.tui.app import HeetuiApp
from heetui.tui.chart_view import ChartView
from tui_helpers import running, settle, table

EIGHTHS = " ▏▎▍▌▋▊▉"
SPANS = ["Stakeholder type", "Seniority", "HEE teams"]  # the standard banner's spans


def number(label: str) -> Decimal:
    return Decimal(label.rstrip("%"))


def bar_at(line: str, zero: int) -> Decimal:
    """The length, in characters, of the bar drawn right of the zero line at ``zero``."""
    assert line[zero] == "│", line
    eighths = 0
    for ch in line[zero + 1:]:
        if ch == "█":
            eighths += 8
            continue
        if ch in EIGHTHS[1:]:
            eighths += EIGHTHS.index(ch)
        break
    return Decimal(eighths) / 8


def full_label(lines: list[str], i: int) -> str:
    """The label of the bar on line ``i`` as a reader reads it: a long label wraps over the
    lines above its bar (indented as the bar's line, without a bar of their own)."""
    parts = [lines[i].split("│")[0].strip()]
    indent = len(lines[i]) - len(lines[i].lstrip())
    k = i - 1
    while (k >= 0 and lines[k].strip() and "│" not in lines[k]
           and len(lines[k]) - len(lines[k].lstrip()) == indent
           and not set(lines[k].strip()) <= set("─┬┼└┘")):
        parts.insert(0, lines[k].strip())
        k -= 1
    return " ".join(parts)


def rows_of(lines: list[str], c) -> list[int]:
    """The bar lines labelled with column ``c`` (its heading, perhaps wrapped, its letter)."""
    if c.letter is None:
        return [i for i, line in enumerate(lines) if line.startswith("Total n=")]
    return [i for i, line in enumerate(lines) if "│" in line
            and f"({c.letter}) n=" in line.split("│")[0]
            and full_label(lines, i).startswith(c.heading)]


def is_round(step: Decimal) -> bool:
    """1, 2 or 5 × 10^k."""
    digits = step.normalize().as_tuple().digits
    return len(digits) == 1 and digits[0] in (1, 2, 5)


def assert_round_axis(lines: list[str]) -> None:
    t = ticks(lines)
    values = [number(w) for _, w in t]
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    cols = {b - a for (a, _), (b, _) in zip(t, t[1:], strict=False)}
    assert len(steps) == 1 and is_round(steps.pop()), t  # one round step
    assert len(cols) == 1, t  # evenly spaced, on whole characters
    assert 0 in values, t


# ---- chart data --------------------------------------------------------------------------

def test_stacked_values_are_the_table_percents(survey):
    ct = crosstab(survey, TabRequest("relationship", "stakeholder_type"))
    chart = charts(ct)[0]
    assert isinstance(chart, Stacked)
    cats = [r for r in ct.rows if r.kind == "category"]
    assert [name for name, _ in chart.segments] == [r.label for r in cats]
    for (_, values), r in zip(chart.segments, cats, strict=True):
        assert values == tuple(c.percent for c in r.cells)
    assert [b.text for b in chart.bars] == ["Total n=602", "HEI (A) n=76*",
                                            "NHS Trust (B) n=399", "Other (C) n=127"]
    assert [(g.title, g.bars) for g in chart.groups] == [("", (0,)),
                                                         ("Stakeholder type", (1, 2, 3))]
    assert dict(chart.nets)["Positive"][3] == "80%A"
    for i in range(len(chart.bars)):
        assert sum(v[i] for _, v in chart.segments) == pytest.approx(100)


def test_groups_follow_the_banner_spans(survey):
    ct = crosstab(survey, TabRequest("relationship", "standard"))
    chart = charts(ct)[0]
    assert [g.title for g in chart.groups] == ["", *SPANS]
    assert [i for g in chart.groups for i in g.bars] == list(range(len(ct.columns)))
    for g in chart.groups[1:]:
        assert {ct.columns[i].span for i in g.bars} == {ct.banner.spans[
            SPANS.index(g.title)].id}
    nested = charts(crosstab(survey, TabRequest("relationship", "seniority/stakeholder_type")))
    assert [g.title for g in nested[0].groups] == [
        "", "HEI · Seniority within Stakeholder type",
        "NHS Trust · Seniority within Stakeholder type",
        "Other · Seniority within Stakeholder type"]


def test_multi_response_panels_sorted_by_total(survey):
    ct = crosstab(survey, TabRequest("words", "region"))
    (chart,) = charts(ct)
    assert isinstance(chart, Multiples)
    cats = {r.label: r for r in ct.rows if r.kind == "category"}
    titles = [p.title for p in chart.panels]
    totals = [p.values[0] for p in chart.panels if not p.title.startswith("NET")]
    assert totals == sorted(totals, reverse=True)
    assert titles[-2:] == ["NET: Any positive", "NET: Any negative"]
    fragmented = chart.panels[titles.index("Fragmented")]
    assert fragmented.values == tuple(c.percent for c in cats["Fragmented"].cells)
    i = next(k for k, c in enumerate(ct.columns) if c.label == "London")
    cell = cats["Fragmented"].cells[i]
    assert fragmented.texts[i] == f"{fixed(cell.percent)}%{''.join(cell.sig)}"
    without_banner = charts(crosstab(survey, TabRequest("words")))[0]
    assert isinstance(without_banner, Bars)
    assert without_banner.values[0] == max(r.cells[0].percent for r in cats.values())


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
    block = block_of(text, "Net advocacy")
    # Total ranked among the benchmarks, then the banner's span
    ranked = block[block.index("Against benchmarks (illustrative)") + 1:block.index("")]
    assert len(ranked) == len(survey.codebook.benchmarks) + 1
    shown = [float(line.split("│")[1].split()[1]) for line in ranked]
    assert shown == sorted(shown, reverse=True)
    assert block[block.index("") + 1] == "Stakeholder type"


def test_mean_chart(survey):
    ct = crosstab(survey, TabRequest("effectiveness", "seniority", weighted=True))
    mean = [c for c in charts(ct) if isinstance(c, Scores)][0]
    row = next(r for r in ct.rows if r.kind == "mean")
    assert mean.values == tuple(c.value for c in row.cells)


# ---- what the reader sees ----------------------------------------------------------------

@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("question", ["relationship", "words", "advocacy"])
def test_spans_titled_in_order_after_total_with_a_gap(survey, question, width):
    ct = crosstab(survey, TabRequest(question, "standard"))
    lines = ANSI.sub("", render(charts(ct, survey.codebook.benchmarks), width)).split("\n")
    first = lines[:rule_index(lines)]  # the first chart (a multi: its first row of panels)
    bars = [i for i, line in enumerate(first) if "│" in line]
    assert first[bars[0]].startswith("Total n=")  # Total first
    at = [first.index(s) for s in SPANS]
    assert at == sorted(at)  # every span titled, in the banner's order
    for s, i in zip(SPANS, at, strict=True):
        assert first[i - 1] == ""  # a blank line before each span
        assert first[i + 1].startswith("  ")  # its bars under it, indented
        span = next(sp for sp in ct.banner.spans if sp.label == s)
        members = [c for c in ct.columns if c.span == span.id]
        nxt = min([a for a in at if a > i] + [len(first)])
        found = [rows_of(first, c) for c in members]
        assert all(len(f) == 1 for f in found), (s, first)
        rows = [f[0] for f in found]  # its columns' bars, in order, under its title
        assert rows == sorted(rows) and i < rows[0] and rows[-1] < nxt, (s, first)
        between = [k for k in range(i + 1, nxt) if "│" in first[k]]
        assert between == rows  # no other bar among them


@pytest.mark.parametrize("width", [80, 120])
def test_each_mean_bar_is_one_row_as_long_as_its_value(survey, width):
    ct = crosstab(survey, TabRequest("relationship", "standard"))
    mean = next(r for r in ct.rows if r.kind == "mean")
    block = block_of(render(charts(ct), width), "Mean score")
    t = ticks(block)
    zero = t[0][0]
    per_unit = Decimal(t[1][0] - t[0][0]) / (number(t[1][1]) - number(t[0][1]))
    bar_rows = [line for line in block if line[zero:zero + 1] == "│"]
    assert len(bar_rows) == len(ct.columns)  # one row per bar, none drawn twice
    for c, cell in zip(ct.columns, mean.cells, strict=True):
        (i,) = rows_of(block, c)
        drawn = bar_at(block[i], zero)
        assert abs(drawn - Decimal(cell.value) * per_unit) <= Decimal(1) / 16, block[i]
        assert f" {fixed(cell.value, 2)} ±{fixed(cell.se, 2)}" in block[i]


def test_stacked_bars_are_single_rows_of_full_length(survey):
    ct = crosstab(survey, TabRequest("relationship", "standard"))
    cats = [r for r in ct.rows if r.kind == "category"]
    fills = "█▓▒░▚·"
    for width in (80, 120):
        block = block_of(render(charts(ct), width), "relationship by")
        t = ticks(block)
        assert (t[0][1], t[-1][1]) == ("0%", "100%")
        zero, full = t[0][0], t[-1][0] - t[0][0]
        bar_rows = [line for line in block if line[zero:zero + 1] == "│"]
        assert len(bar_rows) == len(ct.columns)  # one row per bar, none drawn twice
        for j, line in enumerate(bar_rows):
            # a percent written inside a segment stands for that segment's fill
            plot = re.sub(r"(.)(\d+%)", lambda m: m.group(1) * (1 + len(m.group(2))),
                          line[zero + 1:zero + 1 + full])
            assert len(plot) == full and set(plot) <= set(fills), line
            for k, r in enumerate(cats):  # each option as long as its percent
                assert abs(plot.count(fills[k]) - r.cells[j].percent / 100 * full) <= 1, \
                    (line, r.label)


def test_multi_panels_at_80_and_120(survey):
    ct = crosstab(survey, TabRequest("words", "standard"))
    (chart,) = charts(ct)
    for width, across in ((80, 2), (120, 3)):
        text = render([chart], width)
        lines = text.split("\n")
        assert max(len(line) for line in lines) <= width
        # each row of panels: its titles over the Total line, then the spans under it
        totals = [i for i, line in enumerate(lines) if line.startswith("Total n=")]
        heads = [re.split(r"\s{2,}", lines[i - 1].strip()) for i in totals]
        assert [t for h in heads for t in h] == [p.title for p in chart.panels]
        nets = next(k for k, h in enumerate(heads) if h[0].startswith("NET: "))
        assert all(len(h) == across for h in heads[:nets - 1])  # answers' rows full
        assert all(t.startswith("NET: ") for h in heads[nets:] for t in h)
        # the answers (at most 61%) on a scale of their own, the nets (up to 95%) on theirs
        assert ticks(lines)[-1][1] == "80%"
        assert ticks(lines[totals[nets]:])[-1][1] == "100%"
        assert [line for line in lines if line in SPANS] == SPANS * len(totals)
        # the row of bars for a column carries each panel's percent and letters
        lwab = next(line for line in lines[:rule_index(lines)] if "LWABs (H)" in line)
        zeros = [m.start() for m in re.finditer("│", lwab)]
        assert len(zeros) == across
        t = ticks(lines, zeros[0], zeros[1])
        per_pct = Decimal(t[1][0] - t[0][0]) / (number(t[1][1]) - number(t[0][1]))
        h = [c.key for c in ct.columns].index(next(c.key for c in ct.columns
                                                   if c.heading == "LWABs"))
        for k, z in enumerate(zeros):
            p = chart.panels[k]
            assert abs(bar_at(lwab, z) - Decimal(p.values[h]) * per_pct) <= Decimal(1) / 16
            assert lwab[z:].split()[1] == p.texts[h]


def test_letters_beside_multi_bars(survey):
    ct = crosstab(survey, TabRequest("words", "standard"))
    lines = render(charts(ct), 120).split("\n")
    sig = [(r, c, cell) for r in ct.rows for c, cell in zip(ct.columns, r.cells, strict=True)
           if cell.sig]
    assert sig
    for r, c, cell in sig:
        # the panel of the answer row, then the row of the column in it
        h = next(i for i, line in enumerate(lines) if line.startswith(" ")
                 and re.search(rf"(^|\s){re.escape(r.display_label)}(\s|$)", line))
        at = lines[h].index(r.display_label)
        (i,) = [k for k in rows_of(lines[h:], c) if k < 20]
        assert lines[h + i][at:].split()[1] == f"{fixed(cell.percent)}%{''.join(cell.sig)}"


@pytest.mark.parametrize(("lo", "hi", "room", "expected"), [
    (0, 1.26, 20, ["0", "0.5", "1", "1.5"]),
    (0, 1.01, 60, ["0", "0.2", "0.4", "0.6", "0.8", "1", "1.2"]),
    (0, 2.11, 40, ["0", "0.5", "1", "1.5", "2", "2.5"]),
    (0, 100, 50, ["0%", "20%", "40%", "60%", "80%", "100%"]),
    (0, 100, 12, ["0%", "50%", "100%"]),
    (-32, 40, 60, ["-40", "-30", "-20", "-10", "0", "10", "20", "30", "40"]),
    (-32, 40, 30, ["-40", "-20", "0", "20", "40"]),
    (0, 57, 20, ["0%", "20%", "40%", "60%"]),
    (0, 57, 30, ["0%", "10%", "20%", "30%", "40%", "50%", "60%"]),
])
def test_axis_ticks_are_round_numbers(lo, hi, room, expected):
    unit = "%" if hi == 100 or hi == 57 else ""
    scale = make_scale(lo, hi, room, unit)
    assert [label for _, label in scale.ticks()] == expected
    assert scale.width <= room


@pytest.mark.parametrize("question", ["relationship", "effectiveness", "advocacy"])
def test_value_axes_drawn_with_round_ticks(survey, question):
    # the old mean axis read 0.00 0.31 0.63 0.94 1.26 (plotext's own ticks)
    for by, width in (("stakeholder_type", 100), ("standard", 80), ("region", 120)):
        ct = crosstab(survey, TabRequest(question, by, weighted=True))
        for c in charts(ct, survey.codebook.benchmarks):
            assert_round_axis(block_of(render([c], width), c.title[:20]))


@pytest.mark.parametrize("question", ["advocacy", "words"])
def test_without_colour_the_same_text(survey, question):
    ct = crosstab(survey, TabRequest(question, "standard"))
    plain = render(charts(ct, survey.codebook.benchmarks), 100, color=False)
    coloured = render(charts(ct, survey.codebook.benchmarks), 100, color=True)
    assert "\x1b" not in plain and "\x1b[" in coloured
    assert ANSI.sub("", coloured) == plain  # colour adds nothing a reader needs
    for s in SPANS:
        assert f"\n{s}\n" in plain
    assert "53%DG" in render(charts(crosstab(survey, TabRequest("advocacy", "region"))), 100)


@pytest.mark.parametrize("q", ["relationship", "words", "advocacy", "views_timing",
                               "point_of_contact", "effectiveness", "role_clarity"])
@pytest.mark.parametrize("by", ["stakeholder_type", "region", "seniority", "standard",
                                "region/stakeholder_type"])
@pytest.mark.parametrize("width", [40, 80, 120, 200])
def test_every_question_renders_within_width(survey, q, by, width):
    # 40 columns with seniority's long labels leave the mean chart little room for its
    # bars: it must still draw, never hand plotext a width it cannot use
    ct = crosstab(survey, TabRequest(q, by, weighted=True))
    text = render(charts(ct, survey.codebook.benchmarks), width)
    assert all(len(line) <= width for line in text.splitlines())
    assert "\x1b" not in text  # no colour codes unless asked
    assert "Total" in text
    coloured = render(charts(ct, survey.codebook.benchmarks), width, color=True)
    assert all(len(ANSI.sub("", line)) <= width for line in coloured.splitlines())


def test_cli_chart_bases_labels_and_width():
    r = run("chart", "relationship", "--by", "stakeholder_type", "--width", "90")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout  # stdout is not a terminal
    for label in ("Total n=602", "HEI (A) n=76*", "NHS Trust (B) n=399", "Other (C) n=127",
                  "Very positive", "Positive", "80%A"):
        assert label in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 90
    r = run("chart", "relationship", "--width", "20")
    assert r.returncode == 2 and "width of 40 to 500" in r.stderr


def test_cli_chart_compares_as_tab_does():
    """`chart --compare rest` marks what `tab --compare rest` marks (London's Critical net
    is lower than the rest), with the same key."""
    import json

    r = run("tab", "advocacy", "--by", "region", "--compare", "rest", "--format", "json")
    d = json.loads(r.stdout)
    london = next(i for i, c in enumerate(d["columns"]) if c["label"].startswith("London"))
    net = next(row for row in d["rows"] if row["label"] == "Critical")
    assert net["cells"][london]["vs"] == "lower"
    r = run("chart", "advocacy", "--by", "region", "--compare", "rest", "--width", "100")
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.lstrip().startswith("London (F)"))
    assert line.rstrip().endswith(f"{round(net['cells'][london]['percent'])}%▼")
    assert "▲/▼: significantly higher/lower than everyone not in the column" in r.stdout


def test_cli_chart_standard_banner():
    r = run("chart", "relationship", "--by", "standard", "--width", "80")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    assert [lines.index(s) for s in SPANS] == sorted(lines.index(s) for s in SPANS)
    assert max(len(line) for line in lines) <= 80


def test_cli_chart_saved_as_text(tmp_path):
    out = tmp_path / "c.txt"
    r = run("chart", "words", "--filter", "stakeholder_type=HEI", "-o", str(out))
    assert r.returncode == 0
    text = out.read_text()
    assert "words; Stakeholder type = HEI — Total n=75" in text


async def test_toggle_table_and_chart(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
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


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_chart_view_banner_spans_no_color(survey, monkeypatch, size):
    from dataclasses import replace

    monkeypatch.setenv("NO_COLOR", "1")
    async with running(HeetuiApp(survey), size) as (app, pilot):
        app.set_view(replace(app.view, question="words", banner="standard"))
        await settle(app, pilot)
        await pilot.press("g")
        await pilot.pause()
        chart = app.query_one(ChartView)
        text = chart.text
        assert "\x1b" not in text
        lines = text.split("\n")
        assert [lines.index(s) for s in SPANS] == sorted(lines.index(s) for s in SPANS)
        assert all(lines[lines.index(s) - 1] == "" for s in SPANS)
        assert "49%F" in text  # LWABs' letter beside its bar
        assert max(len(line) for line in lines) <= size[0]


def test_empty_selection_draws_a_note(survey):
    from heetui.engine.filters import parse_filter

    cb = survey.codebook
    # nobody is both an HEI and an NHS Trust: every base is empty
    empty = (parse_filter(cb, "stakeholder_type=HEI"), parse_filter(cb, "org_type=NHS Trust"))
    for q in ("relationship", "words", "advocacy"):
        ct = crosstab(survey, TabRequest(q, "region", empty))
        text = render(charts(ct, cb.benchmarks), 80)
        assert "nothing to draw" in text
