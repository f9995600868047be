"""A wide banner scrolled sideways: at every scroll position, every cell on screen is its
whole text or nothing (never part of a number, never a number run into Total's)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from heetui.tui.app import HeetuiApp
from heetui.tui.table_view import CrosstabTable
from heetui.tui.textual_internals import composited_lines
from tui_helpers import running, settle, table


def _pieces(t: CrosstabTable, line: int) -> list[str]:
    """What each column holds on one of the table's lines (heading lines first, then the
    rows from the top of the vertical scroll), as computed by the table: one string per
    column, padded to the column's width."""
    out = []
    if line < t.header_height:
        for c in t.ordered_columns:
            parts = c.label.plain.split("\n")
            parts = [""] * (t.header_height - len(parts)) + parts
            out.append(parts[line])
    else:
        row = t.ordered_rows[int(t.scroll_y) + line - t.header_height]
        out = [cell.plain for cell in t.get_row(row.key)]
    return out


def _allowed(pieces: list[str], fixed: int) -> list[list[str]]:
    """The token sequences a line may show: the fixed columns' text, then the whole text of
    a run of neighbouring scrolling columns (possibly none)."""
    head = "".join(pieces[1:fixed])
    rest = pieces[fixed:]
    ways = [head.split()]
    for k in range(len(rest)):
        for m in range(k + 1, len(rest) + 1):
            ways.append((head + "".join(rest[k:m])).split())
    return ways


def assert_whole_cells(app: HeetuiApp) -> None:
    t = table(app)
    screen = composited_lines(app.screen)
    region = t.scrollable_content_region
    label_width = t.ordered_columns[0].get_render_width(t)
    shown_rows = min(region.height, t.header_height + len(t.ordered_rows) - int(t.scroll_y))
    for y in range(shown_rows):
        text = screen[region.y + y][region.x:region.x + region.width]
        pieces = _pieces(t, y)
        tokens = text[label_width:].split()
        assert tokens in _allowed(pieces, t.fixed_columns), (
            f"scroll_x={t.scroll_x} line {y}: {text!r}")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_sideways_scroll_position_shows_whole_cells(survey, size):
    app = HeetuiApp(survey)
    async with running(app, size) as (app, pilot):
        app.set_view(replace(app.view, banner="standard"))
        await settle(app, pilot)
        if not app._narrow:
            await pilot.press("left_square_bracket")  # the question list hidden
            await pilot.pause()
        t = table(app)
        assert t.max_scroll_x > 10  # the banner is wider than the screen
        for x in range(int(t.max_scroll_x) + 1):
            t.scroll_to(x=x, animate=False, force=True)
            await pilot.pause()
            assert int(t.scroll_x) == x
            assert_whole_cells(app)
        # the issue's own path: Home, then → eight times
        await pilot.press("home", *["right"] * 8)
        await pilot.pause()
        assert_whole_cells(app)
        # and at the bottom of the table (the 80×24 screen scrolls vertically too)
        await pilot.press("end", "ctrl+end")
        await pilot.pause()
        assert_whole_cells(app)


def _whole_columns(app: HeetuiApp) -> list[str]:
    """The scrolling columns shown whole on screen, read from their headings' last line."""
    t = table(app)
    region = t.scrollable_content_region
    line = composited_lines(app.screen)[region.y + t.header_height - 1]
    return [c.key.value or "" for c in t.ordered_columns[t.fixed_columns:]
            if c.label.plain.split("\n")[-1].strip() in line]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_page_right_and_left_visit_every_column(survey, size):
    app = HeetuiApp(survey)
    async with running(app, size) as (app, pilot):
        app.set_view(replace(app.view, banner="standard"))
        await settle(app, pilot)
        t = table(app)
        keys = [c.key.value for c in t.ordered_columns[t.fixed_columns:]]
        pages = [_whole_columns(app)]
        for _ in range(len(keys)):
            await pilot.press("greater_than_sign")
            await pilot.pause()
            assert_whole_cells(app)
            if _whole_columns(app) == pages[-1]:
                break
            pages.append(_whole_columns(app))
        assert len(pages) > 1
        seen = [k for page in pages for k in page]
        assert set(seen) == set(keys)  # no column skipped by a page
        # each page starts after the last one's last column (or earlier, at the end)
        for before, after in zip(pages, pages[1:], strict=False):
            assert keys.index(after[0]) <= keys.index(before[-1]) + 1
        assert t.cursor_column >= t.fixed_columns
        for _ in range(len(keys)):
            await pilot.press("less_than_sign")
            await pilot.pause()
            assert_whole_cells(app)
        assert _whole_columns(app) == pages[0]
        await pilot.press("shift+right")
        await pilot.pause()
        assert _whole_columns(app) == pages[1]


async def test_help_names_the_keys_that_scroll_sideways(survey):
    from heetui.tui.modals import TextScreen

    app = HeetuiApp(survey)
    async with running(app, (100, 30)) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        body = app.screen.body
        assert "scroll sideways" in body and "shift+→" in body and "shift+←" in body
