"""The app's writes (e, B, S) go through one save dialog: a proposed name carrying the
view, what will be written, no existing file replaced without a second Enter, and never a
file the survey is read from."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import openpyxl
from textual.widgets import Input, Label

from heetui.engine.filters import parse_filter
from heetui.engine.session import open_survey
from heetui.tui.app import HeetuiApp
from heetui.tui.book_screen import BookScreen
from heetui.tui.save_dialog import SaveDialog
from helpers import make_bundle, single
from tui_helpers import running, screen_text, settle


def _state(app) -> str:
    """The dialog's line under the name (what Enter will do, or why it did not)."""
    return str(app.screen.query_one("#save-state", Label).content)


def _base(path) -> int:
    ws = openpyxl.load_workbook(path).active
    return next(r for r in ws.iter_rows(values_only=True) if r[0] == "Base (unweighted)")[1]


async def _dialog(app, pilot, key: str) -> SaveDialog:
    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, SaveDialog), key
    return app.screen


async def _refused(app, pilot, key: str, name: str) -> None:
    """The dialog of ``key`` given ``name``, a file the survey is read from: refused, even
    with Enter pressed twice, and left with Esc."""
    dialog = await _dialog(app, pilot, key)
    dialog.query_one(Input).value = name
    for _ in range(2):  # not even confirmed
        await pilot.press("enter")
        await settle(app, pilot)
    assert isinstance(app.screen, SaveDialog)
    assert "which this command reads" in _state(app)
    await pilot.press("escape")
    await settle(app, pilot)


async def test_e_proposes_a_name_and_never_replaces_unasked(survey, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with running(HeetuiApp(survey)) as (app, pilot):
        app.set_view(replace(app.view, banner="standard", weighted=True).with_filter(
            parse_filter(survey.codebook, "stakeholder_type=NHS Trust"), "stakeholder_type"))
        await settle(app, pilot)
        dialog = await _dialog(app, pilot, "e")
        shown = screen_text(app)
        assert "The table relationship (by standard; Stakeholder type = NHS Trust; weighted;" \
            in " ".join(shown.split())
        name = "heetui-relationship-by-standard-nhs-trust-weighted.xlsx"
        assert dialog.query_one(Input).value == name
        await pilot.press("enter")
        await settle(app, pilot)
        first = tmp_path / name
        assert _base(first) == 399
        # the same again: a new name, the first file untouched
        before = first.read_bytes()
        dialog = await _dialog(app, pilot, "e")
        assert dialog.query_one(Input).value == name.replace(".xlsx", "-2.xlsx")
        # an existing name typed in: the first Enter warns, Esc leaves it as it was
        dialog.query_one(Input).value = name
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SaveDialog)
        assert "already exists: Enter again replaces it" in _state(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert first.read_bytes() == before
        # a different view, the same name confirmed: replaced
        app.set_view(app.view.with_filter(None, "stakeholder_type"))
        await settle(app, pilot)
        dialog = await _dialog(app, pilot, "e")
        dialog.query_one(Input).value = name.removesuffix(".xlsx")  # the suffix is added
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert _base(first) == 602
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


async def test_the_survey_s_own_files_are_never_written(tmp_path, monkeypatch):
    folder = make_bundle(tmp_path / "b", [single("q", ["a", "b"])], {"q": [1, 2, 2]})
    before = (folder / "codebook.toml").read_bytes()
    monkeypatch.chdir(folder)
    async with running(HeetuiApp(open_survey(folder))) as (app, pilot):
        for key in ("e", "S"):
            await _refused(app, pilot, key, "codebook.toml")
    assert (folder / "codebook.toml").read_bytes() == before


async def test_a_file_the_survey_was_imported_from_is_never_written(tmp_path, monkeypatch):
    """Opened on a CSV (imported into a cached bundle), the app refuses that CSV's name."""
    from heetui.opening import open_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "survey.csv"
    source.write_text("q\n" + "\n".join(["yes", "no", "yes"] * 10) + "\n")
    before = source.read_bytes()
    monkeypatch.chdir(tmp_path)
    async with running(HeetuiApp(open_path(source), (source,))) as (app, pilot):
        await _refused(app, pilot, "e", "survey.csv")
    assert source.read_bytes() == before


async def test_b_names_the_book_in_the_dialog(survey, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "heetui-book-by-standard-weighted.xlsx").write_text("an earlier book")
    async with running(HeetuiApp(survey)) as (app, pilot):
        app.set_view(replace(app.view, banner="standard", weighted=True))
        await settle(app, pilot)
        dialog = await _dialog(app, pilot, "B")
        assert dialog.query_one(Input).value == "heetui-book-by-standard-weighted-2.xlsx"
        await pilot.press("escape")  # cancelled: no book computed, nothing written
        await settle(app, pilot)
        assert not isinstance(app.screen, BookScreen | SaveDialog)
        await _dialog(app, pilot, "B")
        await pilot.press("enter")
        for _ in range(400):
            await asyncio.sleep(0.05)
            if not isinstance(app.screen, BookScreen):
                break
    assert (tmp_path / "heetui-book-by-standard-weighted.xlsx").read_text() == "an earlier book"
    assert openpyxl.load_workbook(tmp_path / "heetui-book-by-standard-weighted-2.xlsx")
