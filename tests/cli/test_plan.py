"""Tab plans: `heetui plan add` keeps each output's command in the workspace, `heetui run`
produces them all, unchanged on the next wave, reporting by line what no longer applies;
a plan's outputs are the same files byte for byte on a second run and equal what the
commands print on their own."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import polars as pl

from heetui.cli.main import main
from heetui.survey.workspace import line_of


def _wave(path: Path, with_q2: bool) -> Path:
    data = {"id": list(range(1, 41)), "q1": ["Yes", "No"] * 20,
            "region": ["North", "South", "East", "West"] * 10}
    if with_q2:
        data["q2"] = ["Good", "Bad", "Fair", "Good"] * 10
    pl.DataFrame(data).write_csv(path)
    return path


def test_a_plan_runs_again_the_same_and_on_the_next_wave(tmp_path, capsys):
    first = _wave(tmp_path / "w1.csv", True)
    second = _wave(tmp_path / "w2.csv", False)
    ws = tmp_path / "plan.toml"
    out = tmp_path / "out"
    out.mkdir()
    for name, words in (("q1_json", ["tab", "q1", "--by", "region", "--format", "json", "-o",
                                     str(out / "q1.json")]),
                        ("q1_xlsx", ["tab", "q1", "--by", "region", "--format", "xlsx", "-o",
                                     str(out / "q1.xlsx")]),
                        ("q2", ["tab", "q2", "--format", "csv", "-o", str(out / "q2.csv")]),
                        ("book", ["book", "--by", "region", "-o", str(out / "book.xlsx")])):
        assert main(["plan", "add", "--workspace", str(ws), "--data", str(first), name,
                     *words]) == 0
    capsys.readouterr()
    assert main(["run", str(ws), "--data", str(first)]) == 0
    err = capsys.readouterr().err
    assert "4 of 4 outputs produced" in err
    made = {p.name: p.read_bytes() for p in out.iterdir()}
    with zipfile.ZipFile(out / "book.xlsx") as book:  # no date inside: same file any day
        texts = b"".join(book.read(n) for n in book.namelist())
    assert date.today().isoformat().encode() not in texts and b"by heetui" in texts
    assert main(["run", str(ws), "--data", str(first), "--force"]) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == made  # byte for byte
    capsys.readouterr()
    assert main(["tab", "q1", "--by", "region", "--format", "json", "--data", str(first),
                 "--workspace", str(ws)]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(made["q1.json"])
    # the next wave: q2 is gone; the rest is still produced, the problem named by its line
    assert main(["run", str(ws), "--data", str(second), "--force"]) == 1
    err = capsys.readouterr().err
    line = line_of(ws.read_text(), ("plan", "q2"))
    assert f"{ws}:{line}: q2: " in err and "q2" in err and "3 of 4 outputs produced" in err
    assert main(["run", str(ws), "--data", str(second), "--force", "--strict"]) == 2


def test_plan_mistakes_are_one_sentence(tmp_path, capsys):
    ws = tmp_path / "plan.toml"
    assert main(["run", str(ws)]) == 2
    assert "no workspace" in capsys.readouterr().err
    assert main(["plan", "add", "--workspace", str(ws), "x", "import", "a.csv", "-o",
                 "b"]) == 2
    assert "must start with one of" in capsys.readouterr().err
    assert not ws.exists()
