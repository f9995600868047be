"""P adds the table on show to the workspace's tab plan; `heetui run` then writes it, the
same table as the app's."""

from __future__ import annotations

import json
import shlex
import tomllib

import openpyxl

from heetui.cli.main import main
from heetui.config import load_config
from heetui.opening import open_path
from heetui.output.formats import rendered
from heetui.tui.app import HeetuiApp
from tui_helpers import running, settle


async def test_p_adds_the_view_and_run_makes_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEETUI_CONFIG", str(tmp_path / "none.toml"))
    ws = tmp_path / "w.toml"
    survey = open_path(workspace=ws)
    async with running(HeetuiApp(survey, config=load_config())) as (app, pilot):
        app.update_view(question="relationship", banner="stakeholder_type", weighted=True)
        await settle(app, pilot)
        await pilot.press("P")
        await settle(app, pilot)
        await pilot.press("enter", "enter")  # the proposed name and workbook
        await settle(app, pilot)
        assert app.crosstab is not None
        shown = json.loads(rendered(app.crosstab, "json"))
    (name, entry), = tomllib.loads(ws.read_text())["plan"].items()
    command = entry["command"]
    assert command.startswith("tab relationship") and "--by stakeholder_type" in command
    assert "--weighted" in command and "-o heetui-relationship-by-stakeholder-type" in command
    assert "--workspace" not in command and "--data" not in command  # the run's to give
    capsys.readouterr()
    assert main(["run", str(ws)]) == 0
    book = next(tmp_path.glob("heetui-relationship-by-stakeholder-type*.xlsx"))
    sheet = openpyxl.load_workbook(book).active
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("Very positive" in str(t) for t in texts)
    capsys.readouterr()
    words = shlex.split(command)
    for option in ("-o", "--format"):  # the same table, printed as JSON
        at = words.index(option)
        del words[at:at + 2]
    assert main([*words, "--workspace", str(ws), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == shown
    assert name
