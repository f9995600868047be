"""Seeded monkey tests: thousands of random inputs never crash the app or leave it stuck."""

from __future__ import annotations

from dataclasses import replace

import pytest

from heetui.demo.build import build
from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.state import ViewState
from monkey_driver import back_to_main, monkey
from test_tui import settle, table


async def _still_works(app, pilot, base: str) -> None:
    await back_to_main(pilot)
    app.set_view(replace(ViewState(question="relationship"), banner="stakeholder_type"))
    await settle(app, pilot)
    if not table(app).display:
        await pilot.press("g")
        await settle(app, pilot)
    assert table(app).cell_text("base:Base (unweighted)", "total") == base


@pytest.fixture(scope="module")
def big_survey(tmp_path_factory):
    return open_survey(build(tmp_path_factory.mktemp("big") / "b100k", 100_000,
                             verbatim_share=0.1))


async def test_monkey_keys_bundled(survey, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # exports and screenshots land here
    app = HeetuiApp(survey)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        sent = await monkey(pilot, seed=1, n_events=5000)
        assert sent["keys"] == 5000 and app.is_running
        await _still_works(app, pilot, "602")


async def test_monkey_keys_and_mouse_100k(big_survey, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = HeetuiApp(big_survey)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        sent = await monkey(pilot, seed=2, n_events=5000, mouse=True)
        assert sent["clicks"] > 300 and app.is_running
        await _still_works(app, pilot, "100000")
