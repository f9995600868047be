"""Random key presses and clicks for the app (used by the monkey test and scripts/monkey.py)."""

from __future__ import annotations

import random
import unicodedata

from textual import events
from textual.keys import REPLACED_KEYS, key_to_character
from textual.pilot import Pilot

from heetui.tui.keymap import all_keys, every_binding
from heetui.tui.textual_internals import driver

QUITS = {k for b in every_binding() if b.action == "quit" for k in b.key.split(",")}
# every key the app binds (read from its bindings), quit keys left out on purpose, then
# navigation and typing
KEYS = [k for k in all_keys(every_binding()) if k not in QUITS] + [
    "enter", "tab", "shift+tab", "space", "up", "down", "left", "right", "pageup", "pagedown",
    "home", "end", "backspace", "1", "z", "r", "é", "quotation_mark"]
KEYS = list(dict.fromkeys(KEYS))
# ctrl+p is left out too: random typing in the palette can pick its "Quit" command
CHARS = {"space": " ", "escape": "\x1b", "enter": "\r", "tab": "\t", "backspace": "\x7f"}


def send_key(pilot: Pilot, key: str) -> None:
    """Post a key as the terminal driver would, without waiting for the app to settle
    (keys arrive as fast as a held-down key; the app must keep up)."""
    char = CHARS.get(key) or key_to_character(REPLACED_KEYS.get(key, key))
    if char is None and len(key) == 1:
        char = unicodedata.normalize("NFC", key)
    event = events.Key(key, char)
    event.set_sender(pilot.app)
    to = driver(pilot.app)  # the same entry point Pilot.press uses
    assert to is not None
    to.send_message(event)


async def monkey(pilot: Pilot, seed: int, n_events: int, mouse: bool = False
                 ) -> dict[str, int]:
    """Send ``n_events`` random inputs; returns how many of each kind were sent."""
    rng = random.Random(seed)
    app = pilot.app
    sent = {"keys": 0, "clicks": 0}
    for i in range(n_events):
        if not app.is_running:
            break  # say so in the test's own assertion, not as a click on a closed app
        if mouse and rng.random() < 0.1:
            w, h = app.size
            # rows left out: the header's icon opens the command palette (whose Quit
            # command random typing can pick) and the footer holds the clickable Quit key;
            # quitting is not a crash
            await pilot.click(offset=(rng.randrange(w), 1 + rng.randrange(h - 2)))
            sent["clicks"] += 1
        else:
            send_key(pilot, rng.choice(KEYS))
            sent["keys"] += 1
        if i % 25 == 0:
            await pilot.pause()
    await pilot.pause()
    return sent


async def back_to_main(pilot: Pilot) -> None:
    """Close every screen and picker the monkey opened."""
    app = pilot.app
    for _ in range(20):
        if len(app.screen_stack) == 1:
            break
        app.pop_screen()
        await pilot.pause()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
