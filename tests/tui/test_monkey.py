"""Seeded monkey tests: thousands of random inputs never crash the app or leave it stuck,
and afterwards the app still shows the right table for whatever state they left it in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from heetui.demo.build import build
from heetui.engine.crosstab import crosstab
from heetui.engine.session import open_survey
from heetui.output.tables import base_rows, counts_weighted, format_cell
from heetui.tui.app import HeetuiApp
from heetui.tui.chart_view import ChartView
from heetui.tui.state import SHOW_CYCLE, ViewState
from monkey_driver import back_to_main, monkey
from tui_helpers import running, settle, status, table, watch_errors


def assert_shows_a_fresh_table(app: HeetuiApp) -> None:
    """The table on screen is the one a separately opened survey (its own connection and
    cache) computes for the app's view now, cell for cell as the user reads it."""
    view = app.view
    ws = app.survey.workspace  # with the edits the monkey's keys made (tui/edit_actions)
    fresh = open_survey(app.survey.bundle.path, workspace=ws.path if ws else None,
                        edits=ws is not None)
    try:
        expected = crosstab(fresh, view.request())
    finally:
        fresh.close()
    ct = app.crosstab
    assert app._pending is None and ct is not None and table(app).crosstab is ct
    assert ct.question == expected.question and ct.banner == expected.banner
    assert (ct.weighted, ct.filters, ct.group) == (expected.weighted, expected.filters,
                                                  expected.group)
    shown = table(app)
    assert list(shown.columns) == ["label", *[c.key for c in expected.columns]]
    for label, values in base_rows(expected):
        for col, text in zip(expected.columns, values, strict=True):
            assert shown.cell_text(f"base:{label}", col.key) == text, (view, label, col.key)
    for row in expected.rows:
        for col, cell in zip(expected.columns, row.cells, strict=True):
            assert shown.cell_text(f"row:{row.key}", col.key) == format_cell(
                cell, row, view.show, 0, view.letters, counts_weighted(expected, view.show)
            ), (view, row.key, col.key)
    assert ("Weighted" if view.weighted else "Unweighted") in status(app)
    qtext = str(app.query_one("#qtext").render())
    assert qtext.startswith(f"{expected.question.id}: ") and expected.base_text in qtext


async def _still_works(app, pilot, base: str) -> None:
    """After the run: the app is on its main screen with the table of its current view,
    answers a key, and tabulates a known table."""
    await back_to_main(pilot)
    assert app.is_running and len(app.screen_stack) == 1
    assert_shows_a_fresh_table(app)
    if app.query_one(ChartView).display:
        app.action_toggle_chart()
    table(app).focus()
    await pilot.pause()
    before = app.view.show
    await pilot.press("c")  # the next way of showing cells, at once
    await settle(app, pilot)
    assert app.view.show == SHOW_CYCLE[(SHOW_CYCLE.index(before) + 1) % len(SHOW_CYCLE)]
    assert_shows_a_fresh_table(app)
    app.set_view(replace(ViewState(question="relationship"), banner="stakeholder_type"))
    await settle(app, pilot)
    assert table(app).cell_text("base:Base (unweighted)", "total") == base
    assert_shows_a_fresh_table(app)


@pytest.fixture(scope="module")
def big_survey(tmp_path_factory):
    return open_survey(build(tmp_path_factory.mktemp("big") / "b100k", 100_000,
                             verbatim_share=0.1),
                       workspace=tmp_path_factory.mktemp("big-workspace") / "w.toml")


@pytest.fixture()
def error_log(tmp_path, monkeypatch):
    """The app's error log (tui/failures: the state folder), moved under tmp_path."""
    from heetui.tui.failures import log_path

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = log_path()
    assert tmp_path in path.parents
    return path


async def test_monkey_keys_bundled(tmp_path, monkeypatch, error_log):
    monkeypatch.chdir(tmp_path)  # exports and screenshots land here
    # a workspace of its own: the keys' edits never reach the other tests' survey
    app = HeetuiApp(open_survey(workspace=tmp_path / "w.toml"))
    errors = watch_errors(app)
    async with running(app, (100, 30)) as (app, pilot):
        await monkey(pilot, seed=1, n_events=1000)
        assert app.is_running
        await _still_works(app, pilot, "602")
    assert errors == [] and not error_log.exists()


@pytest.mark.long
async def test_monkey_keys_and_mouse_100k(big_survey, tmp_path, monkeypatch, error_log):
    """The larger survey takes the path of large surveys: tables computed in worker
    threads (with the loading state, stale results discarded) and banners prefetched."""
    import threading

    import heetui.tui.app as app_module

    monkeypatch.setattr(app_module, "INLINE_RESPONDENTS", 10_000)  # 100,000 is above it
    monkeypatch.chdir(tmp_path)
    app = HeetuiApp(big_survey)
    threads: list[bool] = []
    compute = app._compute

    def recorded(req):  # which thread computes each table
        threads.append(threading.current_thread() is threading.main_thread())
        return compute(req)

    monkeypatch.setattr(app, "_compute", recorded)
    errors = watch_errors(app)
    async with running(app, (100, 30)) as (app, pilot):
        await monkey(pilot, seed=2, n_events=1000, mouse=True)
        assert app.is_running
        await _still_works(app, pilot, "100000")
    assert errors == [] and not error_log.exists()
    assert threads.count(False) >= 2  # new tables computed off the event loop
