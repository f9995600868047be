"""Distributions and trends drawn with plotext: the engine's numbers (histogram counts,
quartiles, means and SEs) against numpy on the raw data; what is drawn read back from the
text (a box's quartiles and a histogram's bars at the right columns and heights); one
round axis per chart; no colour unless asked; `heetui chart --kind` and `k` in the app."""

from __future__ import annotations

import math
import re

import numpy as np
import polars as pl
import pytest

from chart_helpers import ANSI, age_bundle
from heetui.cli.main import main
from heetui.engine.crosstab import TabRequest
from heetui.engine.distribution import bin_width, histogram
from heetui.engine.grid import table
from heetui.engine.session import open_survey
from heetui.errors import EngineError
from heetui.output.chart_data import bar_label, groups
from heetui.output.numbers import fixed
from heetui.output.plotext_charts import (
    KINDS,
    ChartKindError,
    kinds_of,
    render_kind,
    round_axis,
    why_not,
)
from heetui.output.tables import marks
from heetui.tui.app import HeetuiApp
from heetui.tui.chart_view import ChartView
from helpers import codebook, make_bundle, single, write_bundle
from tui_helpers import settle


@pytest.fixture(scope="module")
def ages(tmp_path_factory):
    path = age_bundle(tmp_path_factory.mktemp("age") / "b")
    raw = pl.read_parquet(path / "respondents.parquet")
    return open_survey(path), raw


def raw_columns(raw: pl.DataFrame, weighted: bool):
    """(x, w) of AGE for Total and each stakeholder type, straight from the Parquet."""
    keep = raw.filter(pl.col("AGE").is_not_null())
    x = keep["AGE"].to_numpy().astype(float)
    w = keep["wt"].to_numpy() if weighted else np.ones(len(x))
    st = keep["stakeholder_type"].to_numpy()
    return [(x, w)] + [(x[st == k], w[st == k]) for k in (1, 2, 3)]


# ---- the engine's numbers against numpy ------------------------------------------------

@pytest.mark.parametrize("weighted", [False, True])
def test_histogram_counts_are_numpys(ages, weighted):
    survey, raw = ages
    h = histogram(survey, TabRequest("AGE", "stakeholder_type", weighted=weighted))
    assert h.keys[0] == "total" and len(h.keys) == 4
    width = h.edges[1] - h.edges[0]
    mantissa = width / 10 ** math.floor(math.log10(width))
    assert round(mantissa, 9) in (1, 2, 5)  # a round width
    assert np.allclose(np.diff(h.edges), width)
    assert len(h.edges) - 1 <= 20
    x = raw_columns(raw, weighted)[0][0]  # Total: the bins span its values, no wider
    assert h.edges[0] <= x.min() < h.edges[1] and h.edges[-2] <= x.max() < h.edges[-1]
    for (x, w), counts in zip(raw_columns(raw, weighted), h.counts, strict=True):
        expected, _ = np.histogram(x, bins=np.array(h.edges), weights=w)
        assert np.allclose(counts, expected, rtol=1e-12), (counts, expected)


@pytest.mark.parametrize(("lo", "hi", "whole", "width"), [
    (18, 75, True, 5), (0, 1, False, 0.1), (16, 89, True, 5), (1, 7, True, 1),
    (1, 7, False, 0.5), (0, 1000, True, 100), (0, 0.37, False, 0.02), (3, 3, True, 1),
    (2.5, 2.5, False, 1), (-3e-4, -3e-4, False, 1e-4), (0, 0, False, 1), (4e-7, 4e-7, True, 1)])
def test_bin_width_is_round_and_fits(lo, hi, whole, width):
    got = bin_width(lo, hi, whole=whole)
    assert math.isclose(got, width, rel_tol=1e-9)
    assert math.floor(hi / got + 1e-9) - math.floor(lo / got + 1e-9) + 1 <= 20


def test_histogram_refuses_a_question_that_is_not_numeric(ages):
    survey, _ = ages
    with pytest.raises(Exception, match="not a numeric question"):
        histogram(survey, TabRequest("rating", "stakeholder_type"))


def test_box_and_mean_numbers_are_the_raw_datas(ages):
    """The box plots draw the table's quartiles (type 2, as numpy's averaged inverted CDF)
    and the means chart its mean ± SE (numpy: sample SD / √n)."""
    survey, raw = ages
    ct = table(survey, TabRequest("AGE", "stakeholder_type"))
    rows = {r.key: r for r in ct.rows}
    for i, (x, _) in enumerate(raw_columns(raw, False)):
        for key, p in (("q1", .25), ("median", .5), ("q3", .75)):
            assert rows[key].cells[i].value == np.quantile(x, p,
                                                           method="averaged_inverted_cdf")
        assert rows["min"].cells[i].value == x.min()
        assert rows["max"].cells[i].value == x.max()
        assert rows["mean"].cells[i].value == pytest.approx(x.mean())
        assert rows["mean"].cells[i].se == pytest.approx(x.std(ddof=1) / np.sqrt(len(x)))


# ---- reading a plot back -------------------------------------------------------------------

def x_axis(lines: list[str]):
    """value → column, from the x axis's tick marks and their labels."""
    i = next(k for k, line in enumerate(lines) if "└" in line and "┬" in line)
    cols = [c for c, ch in enumerate(lines[i]) if ch == "┬"]
    labels = [float(m.group().rstrip("%")) for m in re.finditer(r"-?[\d.]+%?", lines[i + 1])]
    assert len(cols) == len(labels), (lines[i], lines[i + 1])
    (c0, v0), (c1, v1) = (cols[0], labels[0]), (cols[-1], labels[-1])
    return lambda v: c0 + (v - v0) / (v1 - v0) * (c1 - c0), labels


def plot_row(lines: list[str], label: str) -> str:
    """The plot line of the row whose y label ends the label text given."""
    (line,) = [ln for ln in lines if "┤" in ln and ln.split("┤")[0].strip() == label]
    return line


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("weighted", [False, True])
def test_box_quartiles_drawn_at_their_columns(ages, width, weighted):
    survey, _ = ages
    ct = table(survey, TabRequest("AGE", "stakeholder_type,age_band", weighted=weighted))
    lines = render_kind("box", ct, width, False).split("\n")
    col, labels = x_axis(lines)
    steps = {round(b - a, 9) for a, b in zip(labels, labels[1:], strict=False)}
    assert len(steps) == 1  # one round step on the one axis every column shares
    rows = {r.key: r for r in ct.rows}
    for i, c in enumerate(ct.columns):
        line = plot_row(lines, bar_label(c).text)
        v = {k: rows[k].cells[i].value for k in ("min", "q1", "median", "q3", "max")}
        first = min(line.index("█") if "█" in line else 10 ** 6, line.index("┃"))
        last = max(line.rindex("█") if "█" in line else -1, line.index("┃"))
        assert abs(first - col(v["q1"])) <= 1 and abs(last - col(v["q3"])) <= 1, (c.label, line)
        assert abs(line.index("┃") - col(v["median"])) <= 1, (c.label, line)
        drawn = [k for k, ch in enumerate(line) if ch in "─█┃"]
        assert abs(drawn[0] - col(v["min"])) <= 1 and abs(drawn[-1] - col(v["max"])) <= 1


def test_box_quartiles_of_a_known_distribution(tmp_path):
    """1..100 once each: quartiles 25.5, 50.5, 75.5 (type 2) on an axis of 0..100."""
    variables = [{"id": "x", "type": "numeric", "text": "X", "role": "question"}]
    s = open_survey(make_bundle(tmp_path / "b", variables, {"x": list(range(1, 101))}))
    ct = table(s, TabRequest("x"))
    lines = render_kind("box", ct, 100, False).split("\n")
    col, labels = x_axis(lines)
    assert (labels[0], labels[-1]) == (0, 100)
    line = plot_row(lines, "Total n=100")
    assert abs(line.index("█") - col(25.5)) <= 1 and abs(line.rindex("█") - col(75.5)) <= 1
    assert abs(line.index("┃") - col(50.5)) <= 1
    assert abs(line.index("─") - col(1)) <= 1 and abs(line.rindex("─") - col(100)) <= 1


BLOCKS = {"█": 1.0, "▄": 0.5, "▀": 0.5, "▙": 1.0, "▟": 1.0, "▌": 1.0, "▐": 1.0,
          "▗": 0.5, "▖": 0.5, "▛": 1.0, "▜": 1.0, "▘": 0.5, "▝": 0.5}


@pytest.mark.parametrize("width", [80, 120])
def test_histogram_bars_as_tall_as_their_share(ages, width):
    survey, raw = ages
    req = TabRequest("AGE", "stakeholder_type")
    ct, h = table(survey, req), histogram(survey, req)
    text = render_kind("histogram", ct, width, False, hist=h)
    panels = text.split("\n\n")[1:]
    assert len(panels) == len(ct.columns)
    tops = set()
    for (x, _), panel in zip(raw_columns(raw, False), panels, strict=True):
        lines = panel.split("\n")
        col, _ = x_axis(lines)
        top = next(k for k, line in enumerate(lines) if "┌" in line)
        bottom = next(k for k, line in enumerate(lines) if "└" in line)
        ylabels = [ln.split("┤")[0].strip() for ln in lines[top + 1:bottom] if "┤" in ln]
        tops.add(ylabels[0])
        hi = float(ylabels[0].rstrip("%"))
        canvas = bottom - top - 1  # 0 and the top tick at the middle of the end rows
        expected, _ = np.histogram(x, bins=np.array(h.edges))  # numpy's counts
        share = 100 * expected / expected.sum()
        for k in range(len(expected)):
            c = round(col((h.edges[k] + h.edges[k + 1]) / 2))
            drawn = sum(BLOCKS.get(lines[r][c], 0.0) for r in range(top + 1, bottom))
            want = share[k] / hi * (canvas - 1)
            assert abs(drawn - want) <= 0.75, (k, share[k], drawn, want)
    assert len(tops) == 1  # every column's panel on the same percent axis
    rows = [k for k, line in enumerate(lines) if re.match(r" *\d+%┤", line)]
    assert len({b - a for a, b in zip(rows, rows[1:], strict=False)}) == 1  # evenly, on rows


def test_means_drawn_with_their_error_bars(ages):
    survey, _ = ages
    ct = table(survey, TabRequest("AGE", "stakeholder_type"))
    lines = render_kind("means", ct, 100, False).split("\n")
    col, _ = x_axis(lines)
    mean = next(r for r in ct.rows if r.kind == "mean")
    for c, cell in zip(ct.columns, mean.cells, strict=True):
        line = plot_row(lines, f"{bar_label(c).text}  {fixed(cell.value, 2)}{marks(cell)}")
        assert abs(line.index("●") - col(cell.value)) <= 1
        bar = [k for k, ch in enumerate(line) if ch in "─●"]
        assert abs(bar[0] - col(cell.value - cell.se)) <= 1
        assert abs(bar[-1] - col(cell.value + cell.se)) <= 1
    assert any("± one standard error" in line for line in lines)


@pytest.mark.parametrize("height", [None, 5, 9, 17, 30])
def test_trend_one_axis_for_every_span_and_the_points_in_order(ages, height):
    survey, _ = ages
    ct = table(survey, TabRequest("AGE", "age_band,stakeholder_type"))
    text = render_kind("trend", ct, 80, False, height)
    for panel in text.split("\n\n")[1:]:
        ticks = [k for k, line in enumerate(panel.split("\n")) if re.match(r" *[\d.]+┤", line)]
        gaps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
        assert len(ticks) > 1 and len(gaps) == 1, panel  # every tick on a row, evenly
    axes = re.findall(r"\n *([\d.]+)┤", text)
    assert len(set(axes)) == len(set(axes[: len(axes) // 2]))  # both panels, same ticks
    mean = next(r for r in ct.rows if r.kind == "mean")
    assert "A = Under 35 n=" in text and "D = HEI n=" in text
    bands = [mean.cells[i].value for i, c in enumerate(ct.columns)
             if c.letter and c.letter in "ABC"]
    assert bands == sorted(bands)  # the data: older in later bands; the line must rise
    panel = text.split("\n\nAge band\n")[1].split("\n\n")[0].split("\n")
    points = [(r, c) for r, line in enumerate(panel) for c, ch in enumerate(line) if ch == "●"]
    by_col = sorted(points, key=lambda p: p[1])
    assert [p[0] for p in by_col] == sorted((p[0] for p in by_col), reverse=True)


def test_round_axis():
    a = round_axis(16, 89)
    assert a.ticks == (10, 20, 30, 40, 50, 60, 70, 80, 90)
    assert round_axis(0.81, 1.13).labels == ("0.8", "0.85", "0.9", "0.95", "1", "1.05",
                                             "1.1", "1.15")


# ---- colour, kinds, the command line and the app ----------------------------------------

@pytest.mark.parametrize("kind", ["box", "means", "histogram", "trend"])
def test_no_colour_unless_asked_and_no_background(ages, kind):
    survey, _ = ages
    req = TabRequest("AGE", "stakeholder_type,age_band")
    ct, h = table(survey, req), histogram(survey, req)
    plain = render_kind(kind, ct, 80, False, hist=h)
    coloured = render_kind(kind, ct, 80, True, hist=h)
    assert "\x1b" not in plain and "\x1b[38;5;" in coloured
    assert "\x1b[48" not in coloured and ";48;" not in coloured  # the theme's background
    assert ANSI.sub("", coloured) == plain
    assert max(len(line) for line in plain.split("\n")) <= 80


def test_kinds_of(ages, survey):
    s, _ = ages
    assert kinds_of(table(s, TabRequest("AGE", "age_band"))) == (
        "bar", "histogram", "box", "means", "trend")
    assert kinds_of(table(s, TabRequest("AGE"))) == ("bar", "histogram", "box", "means")
    assert kinds_of(table(survey, TabRequest("words", "region"))) == ("bar", "trend")


def test_cli_chart_kinds(ages, capsys):
    survey, _ = ages
    path = str(survey.bundle.path)
    for kind in ("box", "histogram", "means", "trend"):
        assert main(["chart", "AGE", "--by", "stakeholder_type", "--kind", kind,
                     "--width", "80", "--data", path]) == 0
        out = capsys.readouterr().out
        assert "AGE by Stakeholder type" in out.split("\n")[0] and "\x1b" not in out
        assert max(len(line) for line in out.split("\n")) <= 80
    assert main(["chart", "rating", "--kind", "box", "--data", path]) == 2
    err = capsys.readouterr().err
    assert "not a numeric question" in err and err.count("\n") == 1
    assert main(["chart", "AGE", "--kind", "trend", "--data", path]) == 2
    assert "choose a banner" in capsys.readouterr().err


async def test_app_k_cycles_the_chart_kinds(ages, monkeypatch):
    from dataclasses import replace

    survey, _ = ages
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = HeetuiApp(survey)
    async with app.run_test(size=(100, 40)) as pilot:
        app.set_view(replace(app.view, question="AGE", banner="stakeholder_type"))
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        chart = app.query_one(ChartView)
        seen = [chart.kind]
        for _ in range(5):
            await pilot.press("k")
            await settle(app, pilot)
            seen.append(chart.kind)
            if chart.kind == "box":
                assert "┃ median" in chart.text and "\x1b[38;5;" in chart.text
            if chart.kind == "histogram":
                assert "in each bin of" in chart.text
        assert seen == ["bar", "histogram", "box", "means", "trend", "bar"]


async def test_app_chart_kinds_without_colour(ages, monkeypatch):
    from dataclasses import replace

    survey, _ = ages
    monkeypatch.setenv("NO_COLOR", "1")
    app = HeetuiApp(survey)
    async with app.run_test(size=(80, 24)) as pilot:
        app.set_view(replace(app.view, question="AGE", banner="stakeholder_type"))
        await settle(app, pilot)
        await pilot.press("g", "k", "k")
        await settle(app, pilot)
        chart = app.query_one(ChartView)
        assert chart.kind == "box" and "\x1b" not in chart.text


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    """A banner label far too long for an axis, a column nobody is in, a constant."""
    rng = np.random.default_rng(1)
    n = 200
    variables = [single("seg", ["A very long stakeholder type label that goes on and on",
                                "Short", "Empty"], "segment"),
                 {"id": "x", "type": "numeric", "text": "X", "role": "question"},
                 {"id": "c", "type": "numeric", "text": "Constant", "role": "question"}]
    data = {"seg": rng.integers(1, 3, n).tolist(), "x": rng.integers(0, 50, n).tolist(),
            "c": [7] * n}
    return open_survey(make_bundle(tmp_path_factory.mktemp("aw") / "b", variables, data))


@pytest.mark.parametrize("question", ["x", "c"])
@pytest.mark.parametrize("width", [40, 80])
def test_awkward_tables_draw_within_the_width(awkward, question, width):
    """A column without respondents breaks a trend's line (plotext's kernel aborts the
    process on a NaN), a constant gets an axis around it, and labels too long for an axis
    become letters with the full labels in a key."""
    req = TabRequest(question, "seg")
    ct, h = table(awkward, req), histogram(awkward, req)
    for kind in kinds_of(ct)[1:]:
        text = render_kind(kind, ct, width, False, hist=h)
        assert max(len(line) for line in text.split("\n")) <= width, (kind, text)
    box = render_kind("box", ct, 40, False)
    assert "\n    A┤" in box and "A = A very long stakeholder type label" in box
    assert "that goes on and on (A) n=" in box  # the key wraps, nothing is cut


@pytest.mark.parametrize("kind", ["box", "means", "histogram", "trend"])
def test_drawn_at_the_width_asked_whatever_the_terminal(ages, monkeypatch, kind):
    """plotext fits a plot to the terminal it runs in: a chart saved with --width 200 from
    an 80×24 terminal (or none) is still 200 wide, and as tall as it needs."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    survey, _ = ages
    req = TabRequest("AGE", "stakeholder_type,age_band")
    ct = table(survey, req)
    text = render_kind(kind, ct, 200, False, hist=histogram(survey, req))
    assert max(len(line) for line in text.split("\n")) == 200
    if kind in ("histogram", "trend"):
        assert text.count("\n") > 24  # panels of their own height, one after another
    else:  # a row of its own for each column, labelled
        assert all(f"{bar_label(c).text}" in text for c in ct.columns)
        assert text.count("\n") >= 2 * len(ct.columns) + 3


# ---- every column on its own row, at any height ---------------------------------------------

def slot_rows(lines: list[str]) -> list[tuple[int, str]]:
    """(line, label) of each labelled row of a horizontal chart's plot."""
    return [(k, ln.split("┤")[0].strip()) for k, ln in enumerate(lines) if "┤" in ln]


@pytest.mark.parametrize("kind", ["box", "means"])
@pytest.mark.parametrize("banner", ["stakeholder_type", "stakeholder_type,age_band"])
def test_each_column_on_its_own_row_at_any_height(ages, kind, banner):
    """Every slot (a column or a span's title) gets a row of its own, labelled once, and a
    column's marks are on its label's row, whatever height and width are asked."""
    survey, _ = ages
    ct = table(survey, TabRequest("AGE", banner))
    mark = "┃" if kind == "box" else "●"
    for width in (40, 57, 70, 80, 99, 120):
        for height in range(5, 16):
            lines = render_kind(kind, ct, width, False, height).split("\n")
            rows = slot_rows(lines)
            titles = sum(1 for g in groups(ct) if g.title)
            assert len(rows) == len(ct.columns) + titles, (width, height, "\n".join(lines))
            top = next(k for k, ln in enumerate(lines) if "┌" in ln)
            bottom = next(k for k, ln in enumerate(lines) if "└" in ln)
            drawn = {k for k in range(top + 1, bottom) if mark in lines[k].split("┤", 1)[-1]}
            column_rows = {k for k, label in rows if label not in ("—",) and
                           not label.endswith(":")}
            assert drawn == column_rows, (width, height, "\n".join(lines))
            gaps = {b - a for (a, _), (b, _) in zip(rows, rows[1:], strict=False)}
            assert len(gaps) == 1, (width, height, "\n".join(lines))  # evenly spaced


# ---- histograms of one value, of tiny and of huge values ------------------------------------

@pytest.fixture(scope="module")
def odd_scales(tmp_path_factory):
    rng = np.random.default_rng(5)
    n = 120
    data = {"same": [2.5] * n, "tiny": rng.uniform(1e-7, 9e-7, n).tolist(),
            "huge": rng.uniform(2e9, 7e9, n).tolist(), "zero": [0.0] * n,
            "minus": [-0.0003] * n, "lone_huge": [7e9] * n}
    variables = [{"id": k, "type": "numeric", "text": k, "role": "question"} for k in data]
    frame = pl.DataFrame({"respondent_id": pl.Series(range(1, n + 1), dtype=pl.UInt32),
                          **{k: pl.Series(k, v, dtype=pl.Float64) for k, v in data.items()}})
    path = write_bundle(tmp_path_factory.mktemp("odd") / "b", codebook(variables, None),
                        frame, None, force=True)
    return open_survey(path), data


@pytest.mark.parametrize(("question", "width", "start"), [
    ("same", "1", "2"), ("zero", "1", "0"), ("minus", "0.0001", "-0.0003"),
    ("tiny", "0.00000005", "0.0000001"), ("huge", "500000000", "2000000000"),
    ("lone_huge", "1000000000", "7000000000")])
def test_histogram_of_odd_scales(odd_scales, question, width, start):
    """One value: one bin of a round width holding it, its bar from one edge of the plot
    to the other, whatever the scale; tiny or huge values: a round width written with the
    digits it needs (not "bin of 0"); the counts numpy's."""
    survey, data = odd_scales
    h = histogram(survey, TabRequest(question))
    x = np.array(data[question])
    assert h.edges[0] <= x.min() and x.max() < h.edges[-1]
    assert len(h.edges) - 1 <= 20 and np.allclose(np.diff(h.edges), h.width, rtol=1e-9)
    expected, _ = np.histogram(x, bins=np.array(h.edges))
    assert np.array_equal(np.array(h.counts[0]), expected)
    text = render_kind("histogram", table(survey, TabRequest(question)), 80, False, hist=h)
    assert f"in each bin of {width} (from {start};" in " ".join(text.split("\n")[:3])
    if len(h.edges) == 2:  # the lone bar's top: its corners at the plot's two sides
        top = next(ln for ln in text.split("\n") if ln.startswith("100%"))
        assert re.fullmatch(r"100%┤▗▄+▖│", top), text


# ---- a trend's lines told apart without colour ------------------------------------------------

def test_trend_every_line_has_a_marker_of_its_own(survey):
    """17 answers: 17 different point markers, each in the legend once and drawn in the
    plot (no colour to tell two lines with the same marker apart)."""
    ct = table(survey, TabRequest("words", "seniority"))
    series = [r for r in ct.rows if r.kind == "category"]
    assert len(series) > 12
    text = render_kind("trend", ct, 60, False)
    legend = text.split("n=456\n")[-1]  # under the columns' key
    marks_ = [re.search(rf"(?:^|   )(\S) {re.escape(r.label)}(?:   |$)", legend, re.M)
              for r in series]
    assert all(marks_), legend
    marks_ = [m.group(1) for m in marks_ if m]
    assert len(set(marks_)) == len(series), legend
    plot = text.split("\n\n")[1]
    assert all(m in plot for m in marks_)


def test_trend_of_more_answers_than_markers_refused(tmp_path):
    options = [f"Answer {k}" for k in range(1, 61)]
    variables = [single("many", options, "question"), single("band", ["Young", "Old"], "segment")]
    rng = np.random.default_rng(2)
    s = open_survey(make_bundle(tmp_path / "b", variables, {
        "many": rng.integers(1, 61, 400).tolist(), "band": rng.integers(1, 3, 400).tolist()}))
    ct = table(s, TabRequest("many", "band"))
    assert "trend" not in kinds_of(ct)
    with pytest.raises(ChartKindError, match=r"^A trend draws at most \d+ lines") as e:
        render_kind("trend", ct, 80, False)
    assert "--" not in str(e.value) and str(e.value).count(".") == 1


# ---- one rule for which kinds a table has ----------------------------------------------------

def test_each_refusal_is_the_rule_kinds_of_reads(ages, survey):
    """Every kind a table cannot be drawn as is refused with the sentence why_not gives,
    naming no command-line flag (the app shows the same words); the engine's histogram
    refuses with the same sentence."""
    s, _ = ages
    for ct in (table(s, TabRequest("rating", "stakeholder_type")), table(s, TabRequest("AGE")),
               table(survey, TabRequest("words", "region"))):
        for kind in KINDS:
            reason = why_not(ct, kind)
            assert (reason is None) == (kind in kinds_of(ct))
            if reason is None:
                continue
            assert "--" not in reason and reason.endswith(".")
            with pytest.raises(ChartKindError) as e:
                render_kind(kind, ct, 80, False)
            assert str(e.value) == reason
    with pytest.raises(EngineError) as e:
        histogram(s, TabRequest("rating", "stakeholder_type"))
    assert str(e.value) == why_not(table(s, TabRequest("rating", "stakeholder_type")),
                                   "histogram")


async def test_app_histogram_off_the_ui_thread_once_per_table(ages, monkeypatch):
    """The app's histogram is the engine's, computed in a worker (a DuckDB pass on a large
    or design survey would freeze the screen), once for a table however often the chart
    is redrawn."""
    import threading
    from dataclasses import replace

    import heetui.tui.app as app_module

    survey, _ = ages
    calls: list[threading.Thread] = []
    engine_histogram = app_module.histogram

    def counted(*args, **kwargs):
        calls.append(threading.current_thread())
        return engine_histogram(*args, **kwargs)

    monkeypatch.setattr(app_module, "histogram", counted)
    app = HeetuiApp(survey)
    async with app.run_test(size=(100, 40)) as pilot:
        app.set_view(replace(app.view, question="AGE", banner="stakeholder_type"))
        await settle(app, pilot)
        await pilot.press("g", "k")
        await settle(app, pilot)
        chart = app.query_one(ChartView)
        assert chart.kind == "histogram" and "in each bin of" in chart.text
        for size in ((90, 30), (120, 40), (100, 40)):
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
        await pilot.press("k", "k", "k", "k")  # box, means, trend, bars, back to histogram
        await pilot.press("k")
        await settle(app, pilot)
        assert chart.kind == "histogram" and "in each bin of" in chart.text
        assert len(calls) == 1 and calls[0] is not threading.main_thread()
        app.set_view(replace(app.view, banner="age_band"))  # another table: computed anew
        await settle(app, pilot)
        assert len(calls) == 2 and "Age band" in chart.text
