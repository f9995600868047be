"""The settings file (heetui.config): keys rebound by id, defaults for the app and the
command line, one sentence for a mistake; and y's copy as TSV, through the terminal and the
system clipboard."""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
from pathlib import Path

import pytest

from heetui.cli.main import main
from heetui.config import ConfigError, load_config
from heetui.engine.crosstab import TabRequest
from heetui.engine.grid import table as tabulate
from heetui.output.tsv import render_tsv
from heetui.tui.app import HeetuiApp
from heetui.tui.banner_picker import BannerScreen
from heetui.tui.copy_choice import CopyChoice
from heetui.tui.keymap import every_binding
from heetui.tui.modals import TextScreen
from heetui.tui.save_dialog import SaveDialog
from heetui.tui.textual_internals import notifications
from tui_helpers import running, settle, status


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_binding_has_a_unique_id():
    ids = [b.id for b in every_binding()]
    assert all(ids), [b.action for b in every_binding() if not b.id]
    assert len(ids) == len(set(ids))


async def test_a_rebound_key_works_and_is_shown(survey, tmp_path):
    cfg = load_config(config(tmp_path, '[keys]\n"table.banner" = "ctrl+b"\n'
                                       '"app.help" = "h,f1"\n'))
    async with running(HeetuiApp(survey, config=cfg)) as (app, pilot):
        main_screen = app.screen
        await pilot.press("b")  # the old key does nothing now
        await pilot.pause()
        assert app.screen is main_screen
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, BannerScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen) and app.screen.name == "help"
        body = str(app.screen.query_one("Static").render())
        assert "ctrl+b" in body and "h, F1" in body
        assert not notifications(app)


@pytest.mark.parametrize(("text", "said"), [
    ('[keys]\n"table.nothing" = "z"\n', "line 2 ([keys] table.nothing): no key of heetui"),
    ('[keys]\n\n"table.banner" = "ctrl+nope"\n', "line 3 ([keys] table.banner): 'ctrl+nope' "
                                                 "is not a key name"),
    ('[keys]\n"table.banner" = "f"\n', "line 2 ([keys] table.banner): that key is taken"),
])
async def test_a_bad_key_entry_is_one_sentence_and_the_app_keeps_its_keys(survey, tmp_path,
                                                                         text, said):
    path = config(tmp_path, text)
    async with running(HeetuiApp(survey, config=load_config(path))) as (app, pilot):
        shown = [n.message for n in notifications(app)]
        assert len(shown) == 1 and said in shown[0] and str(path) in shown[0], shown
        assert shown[0].count(". ") <= 1 and shown[0].endswith(".")
        await pilot.press("b")  # its own key still works
        await pilot.pause()
        assert isinstance(app.screen, BannerScreen)


@pytest.mark.parametrize(("entry", "other"), [('"table.page_right" = "b"', "table.banner"),
                                              ('"chart.kind" = "g"', "table.chart"),
                                              ('"table.banner" = ">"', "table.page_right")])
async def test_a_key_of_another_class_on_the_same_screen_is_refused(survey, tmp_path, entry,
                                                                    other):
    """The app's keys and those of the table and chart it shows are one screen's: a remap
    that would shadow another's key is left out, naming both, and both keys still work."""
    from heetui.tui.chart_view import ChartView
    from heetui.tui.table_view import CrosstabTable

    path = config(tmp_path, f'[defaults]\nbanner = "standard"\n[keys]\n{entry}\n')
    async with running(HeetuiApp(survey, config=load_config(path)), (60, 30)) as (app, pilot):
        shown = [n.message for n in notifications(app)]
        binding = entry.split('"')[1]
        assert len(shown) == 1 and f"([keys] {binding})" in shown[0] and other in shown[0]
        table = app.query_one(CrosstabTable)
        await pilot.press("greater_than_sign")  # the table's page right
        await settle(app, pilot)
        assert table.scroll_x > 0
        await pilot.press("b")  # the app's banner picker
        await pilot.pause()
        assert isinstance(app.screen, BannerScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        chart = app.query_one(ChartView)
        await pilot.press("g")  # the chart, then its next kind, then the table again
        await settle(app, pilot)
        assert chart.display and app.focused is chart
        before = chart.kind
        await pilot.press("k")
        await settle(app, pilot)
        assert chart.kind != before
        await pilot.press("g")
        await settle(app, pilot)
        assert not chart.display and table.display


async def test_the_app_opens_with_the_settings_defaults(survey, tmp_path):
    cfg = load_config(config(tmp_path, '[defaults]\nbanner = "region"\nsig_level = [0.01, '
                                       '0.05]\ndecimals = 1\ntheme = "textual-light"\n'))
    async with running(HeetuiApp(survey, config=cfg)) as (app, pilot):
        assert "Banner: Region" in status(app) and "α=0.01/0.05" in status(app)
        assert app.theme == "textual-light"
        assert app.query_one("#table").cell_text("row:1", "total").startswith("31.1%")
        assert not notifications(app)


@pytest.mark.parametrize(("text", "said"), [
    ("[defaults]\ndecimals = 7\n", "line 2 ([defaults] decimals): expected a whole number"),
    ("[defaults]\nsig_level = 2\n", "line 2 ([defaults] sig_level): '2' is not a "
                                    "significance level"),
    ('[defaults]\nlow_base = "50"\n', "line 2 ([defaults] low_base): expected a whole"),
    ("[defaults]\ncolour = 1\n", "line 2 ([defaults] colour): unknown setting"),
    ("[defaults]\nbanner = \n", "is not valid TOML: Invalid value (at line 2, column 10)"),
    ('[keys]\n"table.banner" = 3\n', "line 2 ([keys] table.banner): a key is a string"),
    ("[colours]\n", "unknown section [colours]"),
])
def test_a_mistake_in_the_file_is_one_sentence_on_the_command_line(tmp_path, monkeypatch,
                                                                    capsys, text, said):
    path = config(tmp_path, text)
    with pytest.raises(ConfigError, match=None) as e:
        load_config(path)
    assert said in str(e.value)
    monkeypatch.setenv("HEETUI_CONFIG", str(path))
    assert main(["tab", "relationship"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("heetui: error: settings file") or err.startswith(
        "heetui: error: The settings file")
    assert said in err and str(path) in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_settings_file_with_a_byte_order_mark_is_read(tmp_path):
    """Windows Notepad saves UTF-8 with a byte order mark: the file is read all the same."""
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf[defaults]\ndecimals = 2\n")
    assert load_config(path).decimals == 2
    path.write_bytes(b"\xef\xbb\xbf[defaults]\ncolour = 1\n")
    with pytest.raises(ConfigError, match=r"line 2 \(\[defaults\] colour\): unknown"):
        load_config(path)


def test_the_command_line_uses_the_settings_and_its_options_win(tmp_path, monkeypatch, capsys):
    def tab(*args: str) -> str:
        assert main(["tab", "relationship", *args]) == 0
        return capsys.readouterr().out

    explicit = tab("--by", "region", "--sig-level", "0.01,0.05", "--decimals", "1",
                   "--low-base", "80", "--min-test-base", "40")
    monkeypatch.setenv("HEETUI_CONFIG", str(config(
        tmp_path, '[defaults]\nbanner = "region"\nsig_level = [0.05, 0.01]\ndecimals = 1\n'
                  "low_base = 80\nmin_test_base = 40\n")))
    assert tab() == explicit
    assert tab("--by", "seniority", "--sig-level", "0.1", "--decimals", "0") != explicit
    monkeypatch.delenv("HEETUI_CONFIG")
    assert tab("--by", "seniority", "--sig-level", "0.1", "--decimals", "0") == \
        tab("--by", "seniority", "--sig-level", "0.1")


def test_tab_writes_its_named_file_in_the_settings_output_folder(tmp_path, monkeypatch, capsys):
    reports, work = tmp_path / "reports", tmp_path / "work"
    reports.mkdir()
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HEETUI_CONFIG", str(config(
        tmp_path, f'[defaults]\noutput_folder = "{reports.as_posix()}"\n')))
    for _ in range(2):  # the second is numbered beside the first, in the same folder
        assert main(["tab", "relationship", "--format", "xlsx"]) == 0
    assert sorted(p.name for p in reports.iterdir()) == ["heetui-relationship-2.xlsx",
                                                         "heetui-relationship.xlsx"]
    assert not list(work.iterdir())
    assert capsys.readouterr().err.splitlines()[-1] == \
        f"wrote {reports / 'heetui-relationship-2.xlsx'}"


def test_a_missing_output_folder_is_one_sentence(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "nowhere"
    path = config(tmp_path, f'[defaults]\noutput_folder = "{missing.as_posix()}"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEETUI_CONFIG", str(path))
    before = sorted(tmp_path.iterdir())
    assert main(["tab", "relationship", "--format", "xlsx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("heetui: error: ") and err.count("\n") == 1, err
    assert str(missing) in err and str(path) in err and "output_folder" in err
    assert sorted(tmp_path.iterdir()) == before


async def test_the_app_proposes_exports_in_the_output_folder(survey, tmp_path):
    reports = tmp_path / "reports"
    path = config(tmp_path, f'[defaults]\noutput_folder = "{reports.as_posix()}"\n')
    async with running(HeetuiApp(survey, config=load_config(path))) as (app, pilot):
        main_screen = app.screen
        await pilot.press("e")  # the folder does not exist yet: said, no dialog
        await pilot.pause()
        assert app.screen is main_screen
        shown = [n.message for n in notifications(app)]
        assert len(shown) == 1 and str(reports) in shown[0] and str(path) in shown[0], shown
        reports.mkdir()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SaveDialog)
        assert app.screen.proposed == reports / "heetui-relationship.xlsx"


def test_a_settings_banner_the_survey_lacks_is_left_out_with_a_note(tmp_path, monkeypatch,
                                                                    capsys):
    plain = main(["tab", "relationship"]), capsys.readouterr().out
    path = config(tmp_path, '[defaults]\nbanner = "nosuch"\n')
    monkeypatch.setenv("HEETUI_CONFIG", str(path))
    assert main(["tab", "relationship"]) == 0
    out, err = capsys.readouterr()
    assert out == plain[1] and plain[0] == 0
    assert err.count("\n") == 1 and err.startswith("heetui: note: ") and str(path) in err
    assert "line 2 ([defaults] banner)" in err and "'nosuch'" in err
    assert main(["tab", "relationship", "--by", "region"]) == 0  # --by wins: no note
    assert capsys.readouterr().err == ""


async def test_the_app_leaves_out_a_settings_banner_the_survey_lacks(survey, tmp_path):
    path = config(tmp_path, '[defaults]\nbanner = "nosuch"\n')
    async with running(HeetuiApp(survey, config=load_config(path))) as (app, pilot):
        assert app.view.banner is None
        shown = [n.message for n in notifications(app)]
        assert len(shown) == 1 and "line 2 ([defaults] banner)" in shown[0], shown


def test_help_names_the_settings_file(tmp_path, monkeypatch, capsys):
    path = config(tmp_path, "[defaults]\ndecimals = 1\n")
    monkeypatch.setenv("HEETUI_CONFIG", str(path))
    with pytest.raises(SystemExit):
        main(["--help"])
    out = "".join(capsys.readouterr().out.split())  # argparse wraps the path
    assert "".join(f"settings file: {path} (read;".split()) in out


# ---- y: TSV and the clipboards -----------------------------------------------------------


def assert_tsv_holds_the_csv(ct, show: str) -> None:
    """Every number of ``heetui tab --format csv``'s output for ``ct`` is in the TSV at its
    row and column (bases, percent, count, value, se, a mean's own base), read from the
    csv's own text, row by row in order."""
    from heetui.output.tables import render_csv

    lines = [line.split("\t") for line in render_tsv(ct, show).splitlines()]
    first = next(i for i, row in enumerate(lines) if row[0] == "Base (unweighted)")
    records = list(csv.DictReader(io.StringIO(render_csv(ct))))
    n = len(ct.columns)
    bases = {row[0]: row[1:] for row in lines[first:first + (3 if ct.weighted else 1)]}
    for field, label in (("base", "unweighted"), ("weighted_base", "weighted"),
                         ("effective_base", "effective")):
        if ct.weighted or field == "base":
            assert bases[f"Base ({label})"] == [r[field] for r in records[:n]]
    body = lines[first + (3 if ct.weighted else 1):lines.index([""])]
    heads = [i for i, row in enumerate(body) if not row[0].startswith("  (")]
    assert len(records) == len(heads) * n
    count = "weighted_count" if ct.weighted and show != "percent" else "count"
    for k, at in enumerate(heads):
        group = records[k * n:(k + 1) * n]
        subs = {row[0].strip(" ()"): row[1:] for row in body[at + 1:]
                [:next((j for j, r in enumerate(body[at + 1:])
                        if not r[0].startswith("  (")), None)]}
        for i, rec in enumerate(group):
            if rec["kind"] in ("mean", "score"):
                assert body[at][i + 1] == rec["value"]
                if rec["kind"] == "mean" and rec["count"] != rec["base"]:
                    assert subs["base of the mean"][i] == rec["count"], subs
            elif show == "count":
                assert body[at][i + 1] == rec[count]
            else:
                assert body[at][i + 1] == rec["percent"]
                if show == "both":
                    assert subs[count.replace("_", " ")][i] == rec[count]
            if rec["se"]:
                assert subs["standard error"][i] == rec["se"], subs


def test_tsv_numbers_are_the_csv_cells(survey):
    for req, show in ((TabRequest("relationship", "region", weighted=True), "both"),
                      (TabRequest("effectiveness", "seniority"), "count"),
                      (TabRequest("relationship", "standard"), "percent"),
                      (TabRequest("relationship"), "percent")):
        assert_tsv_holds_the_csv(tabulate(survey, req), show)


def test_a_grid_summarys_tsv_holds_its_csv(tmp_path):
    """A grid summary (an item a column) keeps its bases of the mean: Staff has blanks."""
    from heetui.engine import open_survey
    from helpers import grid_bundle

    survey = open_survey(grid_bundle(tmp_path / "b"))
    try:
        gt = tabulate(survey, TabRequest("sat"))
        assert "  (base of the mean)" in render_tsv(gt)
        assert_tsv_holds_the_csv(gt, "percent")
    finally:
        survey.close()


def fake_tool(folder: Path, name: str, status: int = 0) -> Path:
    """A clipboard tool that writes what it is given to a file beside it."""
    out = folder / f"{name}.out"
    tool = folder / name
    cat = shutil.which("cat")  # the test's PATH holds only the fake tools
    tool.write_text(f"#!/bin/sh\n{cat} > '{out}'\nexit {status}\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return out


async def copy(app, pilot, key: str) -> None:
    await pilot.press("y")
    await pilot.pause()
    assert isinstance(app.screen, CopyChoice)
    await pilot.press(key)
    await settle(app, pilot)


async def test_y_copies_tsv_or_markdown_through_osc52_and_the_system_clipboard(
        survey, tmp_path, monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    got = fake_tool(tools, "xclip")
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    async with running(HeetuiApp(survey)) as (app, pilot):
        await copy(app, pilot, "t")
        expected = render_tsv(app.crosstab, "percent")
        assert app.clipboard == expected and got.read_text() == expected
        said = notifications(app)[-1].message
        assert "as TSV" in said and "OSC 52" in said and "(xclip)" in said
        await copy(app, pilot, "m")
        assert app.clipboard.startswith("**relationship") or "| Base (unweighted) |" in \
            app.clipboard
        assert got.read_text() == app.clipboard
        assert "as Markdown" in notifications(app)[-1].message
        await pilot.press("y", "escape")  # cancelled: nothing copied
        await settle(app, pilot)
        assert got.read_text() == app.clipboard


async def test_a_missing_or_failing_clipboard_tool_is_said_not_raised(survey, tmp_path,
                                                                      monkeypatch):
    tools = tmp_path / "bin"
    tools.mkdir()
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    async with running(HeetuiApp(survey)) as (app, pilot):
        await copy(app, pilot, "enter")  # none installed: the terminal's clipboard only
        said = notifications(app)[-1].message
        assert said.endswith("to your terminal's clipboard (OSC 52).") and "TSV" in said
        fake_tool(tools, "xsel", status=1)
        await copy(app, pilot, "t")
        said = notifications(app)[-1]
        assert "the system clipboard was not set: xsel failed (exit status 1)" in said.message
        assert said.severity == "warning" and app.is_running
    assert os.environ["DISPLAY"] == ":0"
