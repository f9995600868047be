"""The key footer, without Textual 8's watcher build-up or needless rebuilds.

Textual's Footer rebuilds its keys whenever the active bindings might have changed (every
screen switch and most focus changes). Two costs follow:

- Each new key watches the footer's ``compact`` setting, and Textual drops the watchers of
  removed keys only when ``compact`` itself changes, which it never does here: the removed
  keys stay referenced, about 20 KB per rebuild and without bound (780 MB after 50,000 keys).
  This footer drops them after each rebuild.
- A rebuild re-lays out and repaints the whole screen. Opening a picker rebuilt the footer
  of the screen behind it (its keys turn unavailable there) and closing it rebuilt it back:
  two or three extra full repaints, each ~20 ms at 120×40, that typed-ahead keys waited
  behind. This footer rebuilds only when the keys it would show differ from the ones it
  shows, and leaves a footer hidden behind another screen as it is (it is checked again
  when its screen comes back to the top).

It also shows a screen's keys in the order the screen ranks them (tui/keys.py), as many
as fit the width, whole: Textual's footer lists every key in binding order and lets the
line run off the right edge, cutting a key in half.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer

from heetui.tui.keys import fit, footer_actions, footer_width
from heetui.tui.textual_internals import FooterKey, bindings_ready, prune_watchers

KeyRow = tuple[str, str, bool, str]
PALETTE_EXTRA = 0  # the palette key: its left border stands in for the key's left padding


class KeyFooter(Footer):
    _wanted: tuple[KeyRow, ...] | None = None  # the keys of the last rebuild asked for

    def _shown(self) -> list[tuple[Binding, bool, str]]:
        """The screen's shown bindings, one per action, ranked and fitted to the width."""
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for _node, b, enabled, tooltip in self.screen.active_bindings.values():
            if b.show and b.action not in by_action:
                by_action[b.action] = (b, enabled, tooltip)
        order = footer_actions(self.screen)
        rows = list(by_action.values()) if order is None else \
            [by_action[a] for a in order if a in by_action]
        width = self.size.width or self.app.size.width
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                width -= footer_width(self.app.get_key_display(palette.binding),
                                      palette.binding.description) + PALETTE_EXTRA
        keys = [(b.action, self.app.get_key_display(b), b.description) for b, _, _ in rows]
        return [rows[i] for i in fit(keys, width)]

    def keys(self) -> tuple[KeyRow, ...]:
        """What the footer shows for the screen's active bindings: key, label, enabled."""
        return tuple((b.key, b.description, enabled, tooltip)
                     for b, enabled, tooltip in self._shown())

    def compose(self) -> ComposeResult:
        if not bindings_ready(self):
            return
        for b, enabled, tooltip in self._shown():
            yield FooterKey(b.key, self.app.get_key_display(b), b.description, b.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(
                                compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                b = palette.binding
                yield FooterKey(b.key, self.app.get_key_display(b), b.description, b.action,
                                classes="-command-palette", disabled=not palette.enabled,
                                tooltip=b.tooltip or b.description)

    def on_resize(self, event: Resize) -> None:
        self.bindings_changed(self.screen)  # rebuilt only if the keys that fit change

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not self.is_attached or screen is not self.screen or \
                self.app.screen_stack[-1:] != [screen]:
            return  # hidden behind another screen, or the app is closing
        keys = self.keys()
        if keys == self._wanted:
            return
        if self.app.app_focus:  # Textual's footer waits for the app to have focus
            self._wanted = keys
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        prune_watchers(self)  # the removed keys' watchers of compact
