"""On reopening a survey the app returns to the last question, banner, filters and
weighting (and cells, letters and level): the view is kept in the survey's workspace
(``[view]``) as it changes, written in a worker, and once more on quitting."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from heetui.config import load_config
from heetui.engine import Filter, Survey
from heetui.engine.edits import save_view
from heetui.opening import open_path
from heetui.tui.app import HeetuiApp
from tui_helpers import add_filter, running, settle


@pytest.fixture(autouse=True)
def no_settings(tmp_path, monkeypatch):
    """No settings file (each test's workspaces are its own: tests/conftest.py)."""
    monkeypatch.setenv("HEETUI_CONFIG", str(tmp_path / "none.toml"))


def opened(resume: bool = True) -> HeetuiApp:
    """The bundled survey as `heetui` opens it: read again, with its workspace."""
    return HeetuiApp(open_path(), config=load_config(), resume=resume)


def said(app: HeetuiApp) -> list[str]:
    """Every notification the app gives from now on (kept, though they fade)."""
    out: list[str] = []
    real = app.notify

    def notify(message: str, *args, **kwargs):
        out.append(message)
        return real(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return out


def kept(survey: Survey) -> dict:
    ws = survey.workspace
    assert ws is not None
    return tomllib.loads(ws.path.read_text(encoding="utf-8")).get("view", {})


async def change_the_view(app, pilot) -> None:
    app.update_view(question="effectiveness", banner="standard")
    await add_filter(app, pilot, "stakeholder_type", ["NHS Trust"])
    for key in ("w", "l", "l", "l", "c", "s"):  # weighted, 0.05/0.1, both, no letters
        await pilot.press(key)
        await settle(app, pilot)


async def test_quit_and_reopen_returns_to_the_same_view():
    async with running(opened()) as (app, pilot):
        first = app.view
        await change_the_view(app, pilot)
        shown = app.view
        assert shown != first
        assert kept(app.survey)["question"] == "effectiveness"  # written as it changed
        await pilot.press("q")
    entry = kept(app.survey)
    assert entry == {"question": "effectiveness", "banner": "standard",
                     "filters": ["stakeholder_type=2"], "weighted": True, "weight": "weight",
                     "show": "both",
                     "letters": False, "sig_level": "0.05,0.1"}
    again = opened()
    async with running(again) as (app2, pilot2):
        assert app2.view == shown
        assert app2.crosstab is not None and app2.crosstab.question.id == "effectiveness"
        assert app2.crosstab.weighted and app2.crosstab.banner is not None


async def test_the_last_change_is_written_on_quitting(monkeypatch):
    """A change whose worker has not written it yet is written by q."""
    app = opened()
    async with running(app) as (app, pilot):
        monkeypatch.setattr(app, "_write_view", lambda: None)  # no worker writes
        app.update_view(question="advocacy")
        await settle(app, pilot)
        assert not app.survey.workspace.path.exists()
        await pilot.press("q")
    assert kept(app.survey)["question"] == "advocacy"


async def test_looking_creates_no_file_and_tests_keep_nothing():
    async with running(opened()) as (app, pilot):
        await pilot.press("q")
    assert not app.survey.workspace.path.exists()
    async with running(opened(resume=False)) as (app, pilot):  # HeetuiApp's default
        app.update_view(question="advocacy")
        await settle(app, pilot)
        await pilot.press("q")
    assert not app.survey.workspace.path.exists()


async def test_a_kept_view_that_no_longer_applies_is_left_out_in_one_sentence():
    survey = open_path()
    save_view(survey, {"question": "relationship", "banner": "", "filters": ["region=1"],
                       "weighted": True})
    for entry, why in (({"question": "gone_in_wave_2"}, "question 'gone_in_wave_2'"),
                       ({"question": "relationship", "filters": ["wave2_var=1"]},
                        "wave2_var"),
                       ({"question": "relationship", "weighted": "yes"}, "not true or false")):
        save_view(survey, entry)
        app = opened()
        told = said(app)
        async with running(app) as (app, pilot):
            assert app.view.question == app.codebook.opening and not app.view.filters
            problems = [m for m in told if "last view" in m]
            assert len(problems) == 1 and why in problems[0], told
            assert str(app.survey.workspace.path) in problems[0]


async def test_the_settings_defaults_apply_only_without_a_kept_view(tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text('[defaults]\nbanner = "standard"\nsig_level = 0.01\n')
    monkeypatch.setenv("HEETUI_CONFIG", str(settings))
    async with running(opened()) as (app, pilot):
        assert (app.view.banner, app.view.sig_level) == ("standard", 0.01)
        app.update_view(banner=None)  # the person takes the banner off
        await settle(app, pilot)
        await pilot.press("q")
    async with running(opened()) as (app, pilot):
        assert (app.view.banner, app.view.sig_level) == (None, 0.01)
        assert app.crosstab is not None and app.crosstab.banner is None


async def test_a_workspace_that_cannot_be_written_is_said_once(tmp_path):
    app = opened()
    ws = app.survey.workspace
    ws.path.parent.mkdir(parents=True)
    ws.path.write_text("[view\n")  # broken by hand: never overwritten
    told = said(app)
    async with running(app) as (app, pilot):
        for q in ("advocacy", "effectiveness", "relationship"):
            app.update_view(question=q)
            await settle(app, pilot)
        await pilot.press("q")
    assert sum("not kept" in m for m in told) == 1, told
    assert ws.path.read_text() == "[view\n"


def test_save_view_writes_as_given_without_reshaping():
    survey = open_path()
    codebook = survey.codebook
    entry = {"question": "advocacy", "banner": "", "filters": ["region=1,2"]}
    save_view(survey, entry, default=entry)  # the opening view, and no file: nothing
    assert not survey.workspace.path.exists()
    save_view(survey, entry)
    assert kept(survey) == entry and survey.view == entry
    assert survey.codebook is codebook  # not reshaped
    stamp = survey.workspace.path.stat().st_mtime_ns
    save_view(survey, dict(entry))  # the same view: not written again
    assert survey.workspace.path.stat().st_mtime_ns == stamp
    save_view(survey, entry | {"weighted": True}, default=entry)  # the file exists: written
    assert kept(survey)["weighted"] is True
    assert open_path().view == entry | {"weighted": True}  # read at open
    no_workspace = open_path(edits=False)
    save_view(no_workspace, entry)  # no workspace: nothing, no error
    assert no_workspace.view == {}


def test_a_filter_is_kept_by_code_so_relabelling_keeps_it():
    from heetui.tui.last_view import restored, view_entry
    from heetui.tui.state import ViewState

    survey = open_path()
    view = ViewState("relationship", filters=(Filter("region", (1, 3)),))
    entry = view_entry(survey.codebook, view)
    assert entry["filters"] == ["region=1,3"]
    assert restored(survey.codebook, entry, ViewState("x"), survey.weight_names()) == (view, None)


def test_the_command_line_app_resumes(monkeypatch):
    """`heetui` (cmd_open) opens the app with resume on."""
    from heetui.cli import main as cli

    made: list[HeetuiApp] = []
    monkeypatch.setattr(HeetuiApp, "run", lambda self: made.append(self))
    assert cli.main([]) == 0
    assert made and made[0]._keeping
    assert isinstance(made[0].survey.workspace.path, Path)


async def test_a_weight_computed_to_targets_is_kept_and_is_the_commands(capsys):
    """w onto a computed weight: reopening returns to it, and C's command names it
    (--weight NAME), its JSON the app's table."""
    import json

    from heetui.cli.main import main
    from heetui.engine import apply_edit, edits
    from heetui.output.formats import rendered

    survey = open_path()
    apply_edit(survey, edits.weigh(survey, "rim", {"stakeholder_type": {"1": 20, "2": 50,
                                                                         "3": 30}}))
    async with running(HeetuiApp(survey, config=load_config(), resume=True)) as (app, pilot):
        for _ in range(2):  # unweighted → the survey's own → rim
            await pilot.press("w")
            await settle(app, pilot)
        assert app.survey.codebook.settings.weight == "rim"
        words = app.view_argv()
        assert "--weight" in words and words[words.index("--weight") + 1] == "rim"
        assert app.crosstab is not None
        shown = json.loads(rendered(app.crosstab, "json"))
        await pilot.press("q")
    assert kept(survey)["weight"] == "rim"
    assert main([*words[1:], "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == shown
    async with running(opened()) as (app2, pilot2):
        assert app2.view.weighted and app2.survey.codebook.settings.weight == "rim"
