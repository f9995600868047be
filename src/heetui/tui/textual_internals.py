"""Every use of Textual's private API, in one module. Textual has no public way to do
any of these; tests/tui/test_textual_internals.py checks each against the Textual version named
in ``CHECKED_AGAINST``, so an upgrade that changes one fails there, where the fix goes.

- ``FooterKey``: the footer's key widget (``textual.widgets._footer``, not exported).
- ``laid_out_size`` and ``background_screens``: the size a screen was last laid out at and
  the screens visible behind a modal one (``Modal`` skips a re-layout at the same size).
- ``prune_watchers``: Textual's per-object watcher table, which keeps removed widgets.
- ``bindings_ready``: whether a footer has been told the screen's keys (KeyFooter composes,
  as Footer does, only once it has).
- ``keymap``: the keymap an app was given (App.set_keymap), which Textual keeps private.
- ``composited_lines``, ``driver`` and ``notifications``: what the terminal shows, the
  driver keys are posted to, and the notifications shown (tests and the monkey runs).

One use cannot live here: ``modals.ValueList`` overrides OptionList's private
``_get_left_gutter_width`` (the width of its [x] marks); the test checks Textual still has it.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.driver import Driver
from textual.geometry import Size
from textual.notifications import Notification
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["CHECKED_AGAINST", "FooterKey", "background_screens", "bindings_ready",
           "composited_lines", "driver", "keymap", "laid_out_size", "notifications",
           "prune_watchers"]

CHECKED_AGAINST = "8.2.8"  # the Textual version these were read from and tested with


def keymap(app: App[Any]) -> dict[str, str]:
    """The keymap given to ``app.set_keymap`` (binding id -> keys); empty before one is."""
    given: dict[str, str] = getattr(app, "_keymap", {})
    return given


def laid_out_size(screen: Screen[Any]) -> Size:
    """The size the screen's compositor last laid the screen out at."""
    return screen._compositor.size


def background_screens(app: App[Any]) -> list[Screen[Any]]:
    """The screens under the top one that show through it (a modal's), bottom first."""
    return app._background_screens


def prune_watchers(obj: object) -> None:
    """Forget the watchers that widgets no longer on screen registered on ``obj``."""
    watchers = getattr(obj, "__watchers", None)  # set by textual.reactive on first watch
    if not isinstance(watchers, dict):
        return
    for entries in watchers.values():
        entries[:] = [(node, callback) for node, callback in entries
                      if getattr(node, "is_attached", True)]


def bindings_ready(footer: Footer) -> bool:
    """Whether the footer has been told the screen's bindings (Footer waits for this)."""
    return footer._bindings_ready


def composited_lines(screen: Screen[Any]) -> list[str]:
    """What the terminal shows of the screen now, as plain lines: the lines Textual composes
    (its screenshots are drawn from them), modal screens over what they cover."""
    return [strip.text for strip in screen._compositor.render_strips()]


def driver(app: App[Any]) -> Driver | None:
    """The app's terminal driver (the test driver under ``run_test``): Pilot.press posts
    keys to it."""
    return app._driver


def notifications(app: App[Any]) -> list[Notification]:
    """The notifications the app shows now, oldest first."""
    return list(app._notifications)
