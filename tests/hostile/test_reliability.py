"""Bad input, hostile labels, tiny terminals and read-only sources: clear messages, no crash."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys

import polars as pl
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from heetui.importers import import_source
from heetui.survey.bundle import bundled_survey_path
from heetui.tui.app import HeetuiApp
from helpers import make_bundle, single, table_headings
from tui_helpers import running, screen_text, settle, table

HOSTILE_LABEL = "[bold red]Loud[/] \x1b[2J\x00 עברית \u202eevil"


def hostile_bundle(tmp_path):
    variables = [single("grp", [HOSTILE_LABEL, "Plain"], role="segment"),
                 single("q", ["Yes [link=x]", "No\x1b[31m"],
                        text="Question \x1b]0;pwned\x07 [b]text[/b]")]
    return make_bundle(tmp_path / "hostile", variables,
                       {"grp": [1, 2] * 40, "q": [1, 1, 2, 2] * 20})


def test_hostile_labels_in_text_output(tmp_path):
    folder = hostile_bundle(tmp_path)
    for args in (["tab", "q", "--by", "grp"], ["info"], ["chart", "q", "--by", "grp"],
                 ["tab", "q", "--by", "grp", "--format", "md"]):
        r = run(*args, "--data", str(folder))
        assert r.returncode == 0, r.stderr
        assert "\x1b" not in r.stdout and "\x00" not in r.stdout and "\x07" not in r.stdout
        assert "\u202e" not in r.stdout
    r = run("tab", "q", "--by", "grp", "--data", str(folder), "--format", "json")
    import json

    label = json.loads(r.stdout)["columns"][1]["label"]
    assert label == "[bold red]Loud[/] \\x1b[2J\\x00 עברית \\u202eevil"


async def test_hostile_labels_in_the_app(tmp_path):
    async with running(HeetuiApp(open_survey(hostile_bundle(tmp_path)))) as (app, pilot):
        app.set_view(app.view.__class__(question="q", banner="grp"))
        await settle(app, pilot)
        heads = table_headings(table(app))
        # shown literally (a long heading is shortened before its letter's line)
        assert any(h.startswith("[bold red]Loud[/") and h.endswith("(A)") for h in heads)
        assert all("\x1b" not in h for h in heads)
        labels = [str(table(app).get_cell("row:1", "label")), str(table(app).get_cell(
            "row:2", "label"))]
        assert labels == ["Yes [link=x]", "No\\x1b[31m"]
        await pilot.press("f")  # the filter picker lists the labels literally
        await pilot.pause()
        values = app.screen.query_one("#filter-vars")
        values.highlighted = values.get_option_index("grp")
        await pilot.press("enter")
        await pilot.pause()
        sl = app.screen.query_one("#filter-values")
        prompt = sl.get_option_at_index(0).prompt
        assert str(prompt) == "[bold red]Loud[/] \\x1b[2J\\x00 עברית \\u202eevil"
        await pilot.press("escape")


def test_question_with_zero_eligible_respondents(tmp_path):
    variables = [single("grp", ["a", "b"], role="segment"),
                 single("q", ["x", "y"], eligible={"variable": "grp", "codes": [2]})]
    folder = make_bundle(tmp_path / "b", variables, {"grp": [1, 1, 1], "q": [None] * 3})
    ct = crosstab(open_survey(folder), TabRequest("q", "grp"))
    assert ct.total.base == 0 and all(c.percent is None for r in ct.rows for c in r.cells)
    r = run("tab", "q", "--by", "grp", "--data", str(folder))
    assert r.returncode == 0 and "Base (unweighted)" in r.stdout


@pytest.mark.parametrize("suffix", [".parquet", ".sav", ".csv"])
def test_random_bytes_given_as_data(tmp_path, suffix, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    p = tmp_path / f"junk{suffix}"
    p.write_bytes(bytes(range(256)) * 16)
    r = run("tab", "q", "--data", str(p))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["tab", "q", "--data", "/no/such/place"], "no such file or folder"),
    (["info", "--data", "."], "no codebook found"),
    (["tab", "relationship", "--format", "pdf"], "invalid choice"),
    (["tab", "relationship", "--by", "region", "--filter", "region='; DROP TABLE x;--"],
     "is not an answer of region"),
    # a search matching nothing answers as a withheld group does (engine.disclosure)
    (["verbatims", "--search", "'); DROP TABLE verbatims; --"], "No comments can be shown"),
    (["tab", "relationship", "--by", "\"; SELECT 1; --"], "Unknown banner"),
    (["tab", "relationship", "--filter", "region=1", "--filter", "nowhere=2"],
     "Unknown variable"),
])
def test_cli_bad_input_catalogue(args, message, tmp_path):
    r = subprocess.run([sys.executable, "-m", "heetui", *args], capture_output=True,
                       text=True, cwd=tmp_path)
    assert r.returncode == 2, r.stdout
    assert message in r.stderr and "Traceback" not in r.stderr


def _digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_sources_are_never_modified(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bundle = tmp_path / "copy"
    shutil.copytree(bundled_survey_path(), bundle)
    csv = tmp_path / "src.csv"
    pl.DataFrame({"g": ["a", "b"] * 20, "n": [1, 2, 3, 4] * 10}).write_csv(csv)
    before, before_csv = _digest(bundle), hashlib.sha256(csv.read_bytes()).hexdigest()
    for args in (["info"], ["tab", "words", "--by", "region", "--weighted"],
                 ["chart", "advocacy"], ["verbatims", "--search", "contact"],
                 ["profile", "--filter", "seniority=1"],
                 ["tab", "relationship", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx")]):
        assert run(*args, "--data", str(bundle)).returncode == 0
    assert run("tab", "n", "--by", "g", "--data", str(csv)).returncode == 0
    assert run("import", str(csv), "-o", str(tmp_path / "imp")).returncode == 0
    assert _digest(bundle) == before
    assert hashlib.sha256(csv.read_bytes()).hexdigest() == before_csv


def test_interrupted_import_leaves_no_half_bundle(tmp_path, monkeypatch):
    csv = tmp_path / "src.csv"
    pl.DataFrame({"g": ["a", "b"] * 20, "n": [1, 2, 3, 4] * 10}).write_csv(csv)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    from heetui.survey import write

    monkeypatch.setattr(write, "_join_respondents", interrupted)  # Ctrl-C while writing
    with pytest.raises(KeyboardInterrupt):
        import_source(csv, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src.csv"]


@pytest.mark.parametrize("size", [(40, 12), (300, 100), (80, 24)])
async def test_renders_at_any_size(survey, size):
    from heetui.tui.chart_view import ChartView

    width, height = size
    app = HeetuiApp(survey)

    def shows_the_table() -> None:
        text = screen_text(app)
        assert len(text.splitlines()) == height
        assert app.screen is app.screen_stack[0]
        assert table(app).display and not app.query_one(ChartView).display
        assert "relationship: How would you describe" in text, text
        assert re.search(r"Base \(unweighted\) +602\b", text), text
        if height >= 24:  # room for the answers too
            assert re.search(r"Very positive +31%", text), text
            assert re.search(r"NET: Positive +75%", text), text
        assert "Banner: none" in text, text
        # the question list shows beside the table only where there is room for both
        assert ("/ search questions" in text) == (width >= 100), text

    async with running(app, size) as (app, pilot):
        shows_the_table()
        await pilot.press("g")
        await settle(app, pilot)
        assert app.query_one(ChartView).display and not table(app).display
        assert "Base (unweighted)" not in screen_text(app)
        await pilot.press("o")
        await settle(app, pilot)
        assert "Survey overview" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0]
        assert "Survey overview" not in screen_text(app)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert "Help" in screen_text(app) and "Keys" in screen_text(app)
        await pilot.press("escape", "g")
        await settle(app, pilot)
        shows_the_table()
        await pilot.press("w")  # still answering keys: the weighted table
        await settle(app, pilot)
        assert app.view.weighted and "│ Weighted │" in screen_text(app)
        assert re.search(r"Base \(unweighted\) +602\b", screen_text(app))


async def test_survives_rapid_resizes(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("g")
        for i in range(40):
            await pilot.resize_terminal(40 + (i * 37) % 200, 12 + (i * 13) % 60)
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert table(app).cell_text("base:Base (unweighted)", "total") == "602"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("env", ["TERM=dumb", "TERM=screen", "TERM=xterm-256color",
                                 "NO_COLOR=1 TERM=xterm-256color"])
def test_terminal_types(env):
    import time
    import uuid

    from tmux_helpers import capture, kill, start_tmux

    session = f"heetui-{uuid.uuid4().hex[:8]}"
    start_tmux(session, 100, 30, f"env {env} {sys.executable} -m heetui")
    try:
        screen = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "602" not in screen:
            time.sleep(0.25)
            screen = capture(session)
        assert "602" in screen and "Very positive" in screen, screen
    finally:
        kill(session)
