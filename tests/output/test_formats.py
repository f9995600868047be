"""Every output format is registered once (output.formats): the command line's choices and
help, the format an -o name picks, the app's export and the README's lists come from it;
a grid summary is a type of its own, written by its own renderers."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from heetui.cli.main import FORMAT_KINDS, main
from heetui.cli.parser import build_parser
from heetui.engine.crosstab import TabRequest
from heetui.engine.grid import table
from heetui.engine.results import Crosstab, GridSummary
from heetui.engine.session import open_survey
from heetui.output import formats
from heetui.output.grid_output import render_grid_md
from heetui.output.tsv import render_tsv
from helpers import grid_bundle

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return grid_bundle(tmp_path_factory.mktemp("formats") / "b")


def _format_action(command: str) -> argparse.Action:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return next(a for a in sub.choices[command]._actions if "--format" in a.option_strings)


@pytest.mark.parametrize("command", sorted(FORMAT_KINDS))
def test_choices_and_readme_lists_are_the_registry(command):
    names = formats.names(FORMAT_KINDS[command])
    action = _format_action(command)
    assert tuple(action.choices) == names and action.default is None  # -o's suffix chooses
    if command != "book":  # the book's help says how the suffix chooses
        assert action.help == formats.help_text(FORMAT_KINDS[command])
    text = README.read_text()
    start = text.index(f"### `heetui {command} ")
    section = text[start:text.index("\n### ", start + 1)]
    lists = re.findall(r"--format ([a-z]+(?:\\?\|[a-z]+)+)", section)
    assert lists and all(x.replace("\\", "").split("|") == list(names) for x in lists)


def test_a_grid_summary_is_written_in_the_table_formats_by_its_own_renderers():
    assert GridSummary.kind != Crosstab.kind
    assert formats.names(GridSummary.kind) == formats.names(Crosstab.kind)
    for name in ("text", "md", "xlsx"):  # a row per item: not the crosstab's renderers
        grid = formats.renderer(GridSummary.kind, name)
        assert (grid.text or grid.file) is not (formats.renderer(Crosstab.kind, name).text
                                                or formats.renderer(Crosstab.kind, name).file)
    assert formats.help_text("table") == ("aligned text (default), tidy CSV, JSON, Markdown, "
                                          "a formatted Excel sheet or tab-separated values")


def test_a_new_format_is_one_registration(monkeypatch):
    monkeypatch.setattr(formats, "_REGISTRY", {k: dict(v) for k, v in
                                               formats._REGISTRY.items()})
    tsv = formats.Format("tsv", (".tsv",), "tab-separated values")
    formats.register("verbatims", tsv, lambda page, o: "\t".join(["n", str(page.total)]))
    assert formats.names("verbatims")[-1] == "tsv"
    assert formats.choose("verbatims", None, "out.TSV") == "tsv"
    assert "tab-separated values" in formats.help_text("verbatims")
    with pytest.raises(ValueError):  # once: a second registration of a name is refused
        formats.register("verbatims", tsv, lambda page, o: "")


def _kind_of_file(path: Path) -> str:
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        return "xlsx"
    text = data.decode("utf-8")
    if text.lstrip().startswith(("{", "[")):
        json.loads(text)
        return "json"
    if text.startswith("<!DOCTYPE html") or text.startswith("<html"):
        return "html"
    if "\n|---" in text:  # a Markdown table's rule
        return "md"
    head = next(csv.reader(io.StringIO(text)))
    if len(head) > 3 and all(re.fullmatch(r"[a-z_]+", h) for h in head):
        return "csv"
    return "text"


CASES = {  # each command writing files: its arguments, and the names it writes
    "tab": (["tab", "sat"], ["t.xlsx", "t.csv", "t.json", "t.md", "t.txt", "t.out"]),
    "profile": (["profile", "--filter", "region=North"], ["p.json", "p.md", "p.csv"]),
    "book": (["book", "--by", "region"], ["b.xlsx", "b.htm", "b.markdown", "b.json",
                                            "b.csv", "b.out"]),
}
DEFAULT = {"tab": "text", "profile": "text", "book": "xlsx"}


@pytest.mark.parametrize("command", sorted(CASES))
def test_the_output_suffix_picks_the_format(command, bundle, tmp_path, capsys):
    args, names = CASES[command]
    for name in names:
        target = tmp_path / name
        assert main([*args, "--data", str(bundle), "-o", str(target)]) == 0, name
        named = formats.format_of(name)
        assert _kind_of_file(target) == (named.name if named else DEFAULT[command]), name
    capsys.readouterr()


def test_verbatims_output_suffix_picks_the_format(tmp_path, capsys):
    for name, kind in (("v.json", "json"), ("v.csv", "csv"), ("v.txt", "text")):
        assert main(["verbatims", "--limit", "2", "-o", str(tmp_path / name)]) == 0
        assert _kind_of_file(tmp_path / name) == kind
    capsys.readouterr()


@pytest.mark.parametrize("args", [
    ["tab", "sat", "--format", "text", "-o", "t.xlsx"],
    ["tab", "sat", "--format", "xlsx", "-o", "t.csv"],
    ["profile", "--filter", "region=North", "--format", "md", "-o", "p.json"],
    ["profile", "--filter", "region=North", "-o", "p.xlsx"],  # a format it never writes
    ["book", "--by", "region", "--format", "xlsx", "-o", "b.html"],
    ["book", "--by", "region", "-o", "b.txt"],
    ["book", "--by", "region", "--format", "xlsx", "-o", "b.txt"],  # never a workbook
    ["verbatims", "--format", "json", "-o", "v.csv"],
    ["verbatims", "-o", "v.md"],
    ["chart", "sat", "-o", "c.xlsx"],  # text only
])
def test_a_format_contradicting_the_output_suffix_is_refused(args, bundle, tmp_path,
                                                             monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    data = [] if args[0] == "verbatims" else ["--data", str(bundle)]
    assert main([*args, *data]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.rstrip().endswith(".") and "Traceback" not in err
    assert err.startswith("heetui: error: ") and err.count(". ") == 0
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize(("args", "starts"), [
    (["book", "--by", "region", "--format", "md"], "# "),
    (["tab", "sat", "--format", "csv"], "question,"),
    (["tab", "sat", "--format", "json"], "{"),
])
def test_a_txt_file_holds_any_text_format_asked_for_by_name(args, starts, bundle, tmp_path):
    out = tmp_path / "out.txt"
    assert main([*args, "--data", str(bundle), "-o", str(out)]) == 0
    assert out.read_text().startswith(starts)


def test_grid_summary_tab_writes_what_its_renderer_gives(bundle, tmp_path):
    gt = table(open_survey(bundle), TabRequest("sat"))
    assert isinstance(gt, GridSummary)
    assert main(["tab", "sat", "--data", str(bundle), "-o", str(tmp_path / "g.md")]) == 0
    assert (tmp_path / "g.md").read_text() == render_grid_md(gt)
    assert formats.rendered(gt, "md") == render_grid_md(gt)


async def test_app_exports_and_copies_a_grid_summary_by_its_type(bundle, tmp_path,
                                                                 monkeypatch):
    import openpyxl

    from heetui.tui.app import HeetuiApp
    from tui_helpers import running, settle

    monkeypatch.chdir(tmp_path)
    async with running(HeetuiApp(open_survey(bundle))) as (app, pilot):
        await settle(app, pilot)
        gt = app.crosstab
        assert isinstance(gt, GridSummary)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # the proposed name
        await pilot.pause()
        (saved,) = tmp_path.glob("*.xlsx")
        cells = [row for row in openpyxl.load_workbook(saved).active.iter_rows(
            values_only=True)]
        assert any(r[:2] == ("Item", "Base") for r in cells)  # a row per item
        await pilot.press("y", "m")  # Markdown
        await pilot.pause()
        assert app.clipboard == render_grid_md(gt, app.view.show)
        await pilot.press("y", "t")  # TSV: laid out as its csv (an item a column)
        await pilot.pause()
        assert app.clipboard == render_tsv(gt, app.view.show)


def test_chart_writes_text_under_any_other_name(bundle, tmp_path, capsys):
    for name in ("c.txt", "c.out"):
        assert main(["chart", "sat", "--data", str(bundle), "-o", str(tmp_path / name)]) == 0
        assert "Speed (A) n=" in (tmp_path / name).read_text()
    capsys.readouterr()
