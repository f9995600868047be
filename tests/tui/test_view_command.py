"""Every view is a command: the `heetui tab …` that C shows and copies prints the table on
screen. Twenty seeded random views of a survey with a grid, multi-response questions, a
numeric question banded in the workspace, a derived segment, a saved banner and filter, a
weight and labels holding commas and "&": each view's copied command, run through the real
command line, prints the JSON the app's own table renders to."""

from __future__ import annotations

import json
import math
import random
import shlex
from pathlib import Path

import numpy as np
import pytest

from heetui.cli.main import main
from heetui.config import UserConfig, load_config
from heetui.engine import Filter, Survey, edits, is_grid
from heetui.engine.lookup import categories
from heetui.opening import open_path
from heetui.output.formats import Options, renderer_for
from heetui.survey.bundle import bundled_survey_path
from heetui.tui.app import HeetuiApp
from heetui.tui.modals import TextScreen
from heetui.tui.state import SHOW_CYCLE, SIG_LEVELS, ViewState
from heetui.tui.textual_internals import notifications
from heetui.tui.view_command import NotACommand, Source, filter_text, number, tab_argv
from helpers import GRID, make_bundle, multi, single
from tui_helpers import running, settle

REGIONS = ["North, East", "South & West", "Midlands"]  # a comma and an "&" in labels


def views_bundle(folder: Path, n: int = 360) -> Path:
    rng = np.random.default_rng(11)
    age = rng.integers(18, 76, n).tolist()
    for i in range(0, n, 29):
        age[i] = None
    data = {"region": rng.integers(1, 4, n).tolist(),
            "sector": rng.choice([1, 2, 3], n, p=[.5, .3, .2]).tolist(),
            "AGE": age,
            "rating": rng.choice([1, 2, 3, 4, None], n, p=[.2, .3, .3, .15, .05]).tolist(),
            "sat_1": rng.choice([1, 2, 3, 4, 9], n).tolist(),
            "sat_2": rng.choice([1, 2, 3, 4, 9], n, p=[.1, .1, .3, .4, .1]).tolist(),
            "sat_3": rng.choice([1, 2, 3, 4, 9], n).tolist(),
            "wt": rng.uniform(.4, 2.5, n).round(3).tolist()}
    for var in ("channels", "topics"):
        for i in (1, 2, 3):
            data[f"{var}_{i}"] = rng.choice([0, 1], n, p=[.55, .45]).tolist()
    variables = [single("region", REGIONS, "segment"),
                 single("sector", ["Public", "Private", "Third sector"], "segment"),
                 multi("channels", ["Email", "Phone", "Face to face"], "segment"),
                 {"id": "AGE", "type": "numeric", "text": "How old are you?",
                  "role": "question"},
                 single("rating", ["Poor", "Fair", "Good", "Very good"]),
                 multi("topics", ["Pay", "Hours", "Training"]), GRID]
    return make_bundle(folder, variables, data, weight="wt")


def shaped(folder: Path) -> Survey:
    """The survey with its workspace's edits: AGE banded, a derived segment, a named
    banner and a named filter."""
    survey = open_path(folder)
    for edit in (edits.set_bands(survey, "AGE", [18, 35, 50]),
                 edits.derive(survey, "public_north", [
                     ("Public in the North, East", "sector=Public & region=1"),
                     ("Everyone else", "else")], text="Public sector, North"),
                 edits.save_banner(survey, "main", ["sector", "region"]),
                 edits.save_filter(survey, "engaged", "channels=1,2")):
        edits.apply_edit(survey, edit)
    return survey


BANNERS = [None, "region", "sector", "channels", "AGE", "public_north", "main",
           "sector,channels", "region/sector", "channels/public_north"]


QUESTIONS = ["rating", "topics", "AGE", "sat", "sat_2", "public_north", "channels"]
FILTER_KINDS = ["region", "sector", "channels", "topics", "public_north", "AGE", "AGE-range"]


def random_filter(rng: random.Random, survey: Survey, kind: str) -> Filter:
    if kind == "AGE-range":
        lo = rng.choice([18.0, 25.0, 30.5])
        return Filter("AGE", (), rng.choice([((lo, 45.0, True, True),),
                                             ((lo, math.inf, True, False),),
                                             ((-math.inf, 40.0, False, False),),
                                             ((18.0, 30.0, True, True),
                                              (60.0, 75.0, True, True))]))
    v = categories(survey.codebook.get(kind))
    codes = [o.code for o in v.options]
    return Filter(kind, tuple(sorted(rng.sample(codes, rng.randint(1, len(codes) - 1)))))


def random_views(rng: random.Random, survey: Survey, n: int) -> list[ViewState]:
    """``n`` views drawn at random, each question and each kind of filter in turn (so
    that twenty cover them all), with 0 to 2 filters, any banner, weighting, level, cells,
    decimals and low and test bases."""
    kinds = FILTER_KINDS * n
    rng.shuffle(kinds)
    views = []
    for i in range(n):
        filters = {f.variable: f for f in (random_filter(rng, survey, kinds.pop())
                                           for _ in range(rng.choice([0, 1, 1, 2])))}
        strict, loose = rng.choice(SIG_LEVELS)
        views.append(ViewState(QUESTIONS[i % len(QUESTIONS)], rng.choice(BANNERS),
                               tuple(filters.values()), weighted=rng.random() < .5,
                               show=rng.choice(SHOW_CYCLE), sig_level=strict,
                               loose_level=loose, decimals=rng.choice([0, 0, 1]),
                               low_base=rng.choice([None, None, 60]),
                               min_test_base=rng.choice([None, None, 40])))
    return views


def app_json(app: HeetuiApp) -> dict:
    ct = app.crosstab
    assert ct is not None
    return json.loads(renderer_for(ct, "json").render(ct, Options()))


def cli_json(line: str, folder: Path) -> dict:
    """What the command prints as JSON (written with -o: the app holds stdout while it
    runs)."""
    argv = shlex.split(line)
    assert argv[:2] == ["heetui", "tab"]
    out = folder / "table.json"
    assert main([*argv[1:], "--format", "json", "-o", str(out), "--force"]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


async def copied(app, pilot) -> str:
    """Press C: the command shown on its page, and copied."""
    await pilot.press("C")
    await settle(app, pilot)
    assert isinstance(app.screen, TextScreen) and app.screen.name == "command"
    shown = app.screen.body.splitlines()[0]
    await pilot.press("escape")
    await pilot.pause()
    assert app.clipboard == shown
    return shown


async def test_twenty_random_views_print_the_same_json_by_their_command(tmp_path):
    survey = shaped(views_bundle(tmp_path / "b"))
    rng = random.Random(20261207)
    seen: set[str] = set()
    async with running(HeetuiApp(survey, config=load_config())) as (app, pilot):
        for view in random_views(rng, survey, 20):
            app.set_view(view)
            await settle(app, pilot)
            line = await copied(app, pilot)
            assert f"--data {tmp_path / 'b'}" in line
            assert cli_json(line, tmp_path) == app_json(app), line
            seen.add("grid" if is_grid(survey, view.request()) else view.question)
            seen.update(f"filter:{f.variable}{'~' if f.ranges else ''}" for f in view.filters)
    # the draw covered what it is meant to: a grid, a grid item, multi-response, banded
    # numeric, derived; filters on a multi-response, a band, a range, a derived segment
    assert {"grid", "sat_2", "topics", "AGE", "public_north"} <= seen, seen
    assert {"filter:channels", "filter:AGE", "filter:AGE~", "filter:public_north",
            "filter:region"} <= seen, seen


async def test_a_view_without_a_banner_says_so_where_the_settings_name_one(
        tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text('[defaults]\nbanner = "sector"\nsig_level = 0.01\n')
    monkeypatch.setenv("HEETUI_CONFIG", str(settings))
    survey = shaped(views_bundle(tmp_path / "b"))
    async with running(HeetuiApp(survey, config=load_config())) as (app, pilot):
        assert app.view.banner == "sector"
        for view in (ViewState("rating", sig_level=0.05), ViewState("sat")):
            app.set_view(view)
            await settle(app, pilot)
            line = await copied(app, pilot)
            assert " --by '' " in f"{line} " and "--sig-level 0.05" in line, line
            assert cli_json(line, tmp_path) == app_json(app)


def test_filters_read_back_as_themselves_with_labels_quoted_for_the_shell(tmp_path):
    survey = shaped(views_bundle(tmp_path / "b"))
    cb = survey.codebook
    assert filter_text(cb, Filter("region", (1,))) == "region=North, East"
    assert filter_text(cb, Filter("region", (1, 2))) == "region=1,2"  # labels would not
    assert filter_text(cb, Filter("region", (1,)), labels=False) == "region=1"
    assert filter_text(cb, Filter("AGE", (3,))) == "AGE=35–49"
    assert filter_text(cb, Filter("AGE", (), ((-math.inf, 40.5, False, False),))) == "AGE<40.5"
    with pytest.raises(NotACommand, match="no --filter form"):
        filter_text(cb, Filter("AGE", (), ((18.0, 40.0, False, False),)))
    argv = tab_argv(cb, ViewState("rating", filters=(Filter("region", (2,)),)), Source(),
                    UserConfig(Path("none")))
    assert shlex.split(shlex.join(argv)) == argv
    assert "'region=South & West'" in shlex.join(argv)
    assert [number(x) for x in (1e6, 0.05, 2.5, 40.0, 1e-7)] == \
        ["1000000", "0.05", "2.5", "40", "0.0000001"]


def test_where_the_survey_came_from_and_what_cannot_be_a_command(tmp_path):
    survey = shaped(views_bundle(tmp_path / "b"))
    cb, none = survey.codebook, UserConfig(Path("none"))
    view = ViewState("rating", low_base=50, min_test_base=30)
    assert tab_argv(cb, view, Source(bundled_survey_path()), none) == \
        ["heetui", "tab", "rating", "--low-base", "50"]
    ws = tmp_path / "my work.toml"
    argv = tab_argv(cb, view, Source(tmp_path / "b", ws), none)
    assert argv[3:7] == ["--data", str(tmp_path / "b"), "--workspace", str(ws)]
    assert tab_argv(cb, ViewState("-odd"), Source(), none)[-2:] == ["--", "-odd"]
    with pytest.raises(NotACommand, match="group with the rest"):
        tab_argv(cb, ViewState("rating", group=(Filter("sector", (1,)),)), Source(), none)


async def test_c_copies_through_the_terminal_and_the_system_clipboard(tmp_path, monkeypatch):
    """C's command goes where y's table goes: OSC 52 and the desktop's clipboard tool."""
    from test_keys_config import fake_tool

    tools = tmp_path / "bin"
    tools.mkdir()
    got = fake_tool(tools, "xclip")
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    async with running(HeetuiApp(open_path(), config=load_config())) as (app, pilot):
        app.update_view(banner="standard", filters=(Filter("region", (1, 3)),))
        await settle(app, pilot)
        line = await copied(app, pilot)
        assert line == ("heetui tab relationship --by standard --filter "
                        "'region=East of England,North West'")
        assert got.read_text() == line
        told = [n.message for n in notifications(app)]
        assert any("command of this view" in m and "(xclip)" in m for m in told), told
        app.update_view(group=(Filter("region", (1,)),))  # the profile's group vs the rest
        await settle(app, pilot)
        await pilot.press("C")
        await settle(app, pilot)
        assert not isinstance(app.screen, TextScreen) and app.clipboard == line
        assert "has no command" in [n.message for n in notifications(app)][-1]
