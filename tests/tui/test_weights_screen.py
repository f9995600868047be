"""The app with a weight computed to targets: `w` cycles unweighted → the survey's own
weight → the computed one → unweighted, the table's weighted and effective bases following
(checked against the weights themselves, read with polars), the status line naming the
weight; `W` opens the weights page with each weight's efficiency and the report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from platformdirs import user_data_path

from heetui.engine import Survey, apply_edit, edits, open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.weights_screen import WeightsScreen
from tui_helpers import running, screen_text, settle, status

NAME = "tui_rim"  # no other test's weight is named so: its file is this one's
TARGETS = {"stakeholder_type": {"HEI": 20.0, "NHS Trust": 50.0, "Other": 30.0},
           "seniority": {"1": 40.0, "2": 60.0}}


@pytest.fixture
def weighted_survey(tmp_path: Path) -> Survey:
    survey = open_survey(workspace=tmp_path / "workspace.toml")
    apply_edit(survey, edits.weigh(survey, NAME, TARGETS))
    return survey


def weights(survey: Survey, raw: pl.DataFrame) -> dict[str, np.ndarray]:
    """Each weight read from its own file: the survey's column, the computed one's Parquet."""
    (path,) = (user_data_path("heetui", appauthor=False) / "weights").glob(f"{NAME}-*.parquet")
    return {"weight": raw["weight"].to_numpy(), NAME: pl.read_parquet(path)[NAME].to_numpy()}


def kish(w: np.ndarray) -> float:
    return float(w.sum() ** 2 / (w ** 2).sum())


async def test_w_cycles_through_every_weight(weighted_survey: Survey, raw: pl.DataFrame):
    ws = weights(weighted_survey, raw)
    async with running(HeetuiApp(weighted_survey)) as (app, pilot):
        app.set_view(replace(app.view, question="stakeholder_type"))
        await settle(app, pilot)
        assert not app.crosstab.weighted and "Unweighted" in status(app)
        seen = []
        for name in ("weight", NAME):
            await pilot.press("w")
            await settle(app, pilot)
            total = app.crosstab.total
            assert app.crosstab.weighted and f"Weighted: {name}" in status(app)
            assert total.weighted_base == pytest.approx(ws[name].sum())
            assert total.effective_base == pytest.approx(kish(ws[name]))
            seen.append(total.effective_base)
        assert seen[0] != pytest.approx(seen[1])  # two different weights, two tables
        shares = {r.label: r.cells[0].percent for r in app.crosstab.rows
                  if r.kind == "category"}
        assert shares == pytest.approx({"HEI": 20, "NHS Trust": 50, "Other": 30}, abs=1e-6)
        await pilot.press("w")
        await settle(app, pilot)
        assert not app.crosstab.weighted and "Unweighted" in status(app)
        await pilot.press("w")  # and round again
        await settle(app, pilot)
        assert "Weighted: weight" in status(app)


async def test_weights_page_shows_each_weights_efficiency(weighted_survey: Survey,
                                                         raw: pl.DataFrame):
    ws = weights(weighted_survey, raw)
    async with running(HeetuiApp(weighted_survey), size=(160, 50)) as (app, pilot):
        await pilot.press("w", "w")
        await settle(app, pilot)
        await pilot.press("W")
        await settle(app, pilot)
        assert isinstance(app.screen, WeightsScreen)
        shown = screen_text(app)
        assert f"In use on the table: {NAME}." in shown
        for name, w in ws.items():
            efficiency = w.sum() ** 2 / (len(w) * (w ** 2).sum())
            line = next(x for x in shown.splitlines() if f" {name} " in x and "%" in x)
            assert f"{100 * efficiency:.1f}%" in line, (name, line)
        assert "Weighting efficiency" in shown and "Converged in" in shown
        await pilot.press("f1")  # its help names its keys and what w does
        await settle(app, pilot)
        page = screen_text(app)
        assert "Keys of the weights page" in page and "Esc" in page and "cycles" in page
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, WeightsScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, WeightsScreen)


async def test_a_survey_with_one_weight_keeps_its_status_words(survey: Survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("w")
        await settle(app, pilot)
        assert app.crosstab.weighted and " Weighted " in f" {status(app)} "
        assert "Weighted:" not in status(app)


async def test_a_survey_without_a_weight_of_its_own_cycles_to_its_computed_one(tmp_path: Path):
    """An imported file with no weight: w used to say it had none; now it weights by the
    one computed to targets, and back."""
    from heetui.opening import open_path

    source = Path(__file__).parents[1] / "weighting" / "apistrat.csv"
    survey = open_path(source, workspace=tmp_path / "w.toml")
    assert survey.weight_names() == []
    apply_edit(survey, edits.weigh(survey, "by_type", {"stype": {"1": 60, "2": 20, "3": 20}}))
    async with running(HeetuiApp(survey)) as (app, pilot):
        app.set_view(replace(app.view, question="stype"))
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        assert app.crosstab.weighted and " Weighted " in f" {status(app)} "
        shares = [r.cells[0].percent for r in app.crosstab.rows if r.kind == "category"]
        assert shares == pytest.approx([60, 20, 20], abs=1e-6)  # unweighted: 50, 25, 25
        await pilot.press("w")
        await settle(app, pilot)
        assert not app.crosstab.weighted and "Unweighted" in status(app)
