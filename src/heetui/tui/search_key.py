"""The / key of the screens with a search box, safe for keys typed ahead.

Textual hands each key to the focused widget as it arrives and runs an ordinary binding
only once the key has bubbled back up, by when the keys typed after it were handed to
the old focus too: the letters of "/words" ran the table's keys (w weights, o overview).
As a priority binding, / runs the moment it arrives, and its action focuses the box with
Screen.set_focus (Widget.focus would wait its turn), so the next keys go to the box.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

SEARCH_BINDING = Binding("slash", "search", "Search", key_display="/", priority=True)


def in_text_box(screen: Screen[Any]) -> bool:
    """Whether a text box has focus: a / typed there is a character, not the search key."""
    return isinstance(screen.focused, Input)
