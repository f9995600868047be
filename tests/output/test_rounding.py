"""Printed numbers round half away from zero from the exact value, as Excel and SPSS show
them: 17/40 = 42.5 % prints 43 % in every output, and a mean of 0.125 prints 0.13."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filter
from heetui.engine.profiling import profile
from heetui.engine.session import open_survey
from heetui.output import profile as profile_out
from heetui.output.chart_data import charts
from heetui.output.charts import render as render_chart
from heetui.output.numbers import fixed
from heetui.output.tables import render_csv, render_md
from heetui.output.text_table import render_text
from heetui.output.xlsx import write_xlsx
from heetui.tui.app import HeetuiApp
from helpers import make_bundle, single
from tui_helpers import running, settle, table


@pytest.mark.parametrize(("x", "decimals", "shown"), [
    (42.5, 0, "43"), (100 * 17 / 40, 0, "43"), (0.5, 0, "1"), (1.5, 0, "2"), (2.5, 0, "3"),
    (-2.5, 0, "-3"), (0.125, 2, "0.13"), (0.375, 2, "0.38"), (100 * 29 / 200, 0, "15"),
    (100 * 1 / 3, 1, "33.3"), (-0.4, 0, "0"), (14.45, 1, "14.5"), (1e-12, 1, "0.0"),
])
def test_fixed_rounds_half_away_from_zero(x, decimals, shown):
    assert fixed(x, decimals) == shown


@pytest.fixture(scope="module")
def halves(tmp_path_factory):
    """Column "One" (40 respondents): 17 a (value 1), 11 b (0), 12 c (−1), so a = 42.5 %
    and the mean 5/40 = 0.125; column "Two" (60): 20 of each."""
    q = [1] * 17 + [2] * 11 + [3] * 12 + [1, 2, 3] * 20
    seg = [1] * 40 + [2] * 60
    question = single("q", ["a", "b", "c"])
    for o, v in zip(question["options"], (1, 0, -1), strict=True):
        o["value"] = v
    folder = make_bundle(tmp_path_factory.mktemp("halves") / "b",
                         [question, single("seg", ["One", "Two"], role="segment")],
                         {"q": q, "seg": seg})
    return open_survey(folder)


def test_every_output_prints_the_half_up(halves, tmp_path):
    ct = crosstab(halves, TabRequest("q", "seg"))
    one = ct.rows[0].cells[1]
    assert one.percent == pytest.approx(42.5)  # the exact value, kept exact in the engine
    text = render_text(ct)
    a_line = next(line for line in text.splitlines() if line.startswith("a "))
    assert a_line.split()[2] == "43%", a_line
    mean_line = next(line for line in text.splitlines() if line.startswith("Mean score"))
    assert mean_line.split()[3].startswith("0.13"), mean_line
    md = render_md(ct)
    assert "| a | " in md and "| 43% |" in md.split("| a | ")[1].split("\n")[0] + " |"
    assert "42%" not in text and "42%" not in md
    # csv and json carry the exact value for scripts; xlsx stores it for the spreadsheet
    assert ",42.5," in render_csv(ct)
    path = write_xlsx(ct, tmp_path / "t.xlsx")
    values = [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row]
    assert 0.425 in values
    chart = render_chart(charts(ct), width=100)
    assert "43%" in chart and "42%" not in chart


def test_profile_prints_the_half_up(halves):
    p = profile(halves, (parse_filter(halves.codebook, "seg=One"),), correction="none")
    row = next(r for r in p.rows if r.question == "q" and r.row == "a")
    assert row.group_value == pytest.approx(42.5)
    assert profile_out.fmt_value(row, row.group_value) == "43%"
    text = profile_out.render_text(p, show_all=True)
    assert "group    43%" in text and "42%" not in text


async def test_app_table_prints_the_half_up(halves):
    async with running(HeetuiApp(halves)) as (app, pilot):
        app.set_view(replace(app.view, question="q", banner="seg"))
        await settle(app, pilot)
        assert table(app).cell_text("row:1", "seg=1").startswith("43%")
        assert table(app).cell_text("row:mean", "seg=1").startswith("0.13")
