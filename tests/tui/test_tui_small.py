"""Tiny terminals: every screen and picker, opened and paged through at sizes down to
20×6, never raises (a picker plus PageDown raised KeyError at 60×12, ? "invalid width" at
about 20 columns)."""

from __future__ import annotations

import pytest

from heetui.engine.filters import Filter
from heetui.tui.app import HeetuiApp
from heetui.tui.state import ViewState
from tui_helpers import settle

# the two ends of the range the errors were found in (each size is half a minute: every
# screen, every key, three resizes down to 12x4); the wider runs only with `pytest -m long`
SIZES = [pytest.param(20, 6, id="20x6", marks=pytest.mark.slow),
         pytest.param(60, 12, id="60x12", marks=pytest.mark.long)]
# each screen's key, then what is typed there; Escape closes it
SCREENS = ["b", "f", "o", "question_mark", "v", "p", "g", "ctrl+p", "left_square_bracket",
           "slash"]
KEYS = ["pagedown", "pagedown", "down", "end", "pageup", "home", "up", "enter", "space",
        "tab", "question_mark", "pagedown", "escape", "greater_than_sign", "less_than_sign",
        "right", "pagedown"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.mark.parametrize(("width", "height"), SIZES)
async def test_every_screen_at_small_sizes(survey, width, height, tmp_path):
    size = (width, height)
    app = HeetuiApp(survey)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        app.set_view(ViewState(question="relationship", banner="standard",
                               filters=(Filter("stakeholder_type", (2,)),)))
        await settle(app, pilot)
        for key in SCREENS:
            await pilot.press(key)
            await settle(app, pilot)
            for k in KEYS:
                await pilot.press(k)
                await pilot.pause()
            await settle(app, pilot)
            for _ in range(4):  # back to the table
                if len(app.screen_stack) == 1:
                    break
                await pilot.press("escape")
                await settle(app, pilot)
            assert app.is_running, (size, key)
        for w, h in [(size[0] + 7, size[1] + 3), size, (12, 4)]:  # resized while shown
            await pilot.resize_terminal(w, h)
            await settle(app, pilot)
    assert app.return_code in (None, 0)
    assert not (tmp_path / "state").exists()  # nothing logged as unexpected
