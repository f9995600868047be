"""The key footer, without Textual 8's watcher build-up or needless rebuilds.

Textual's Footer rebuilds its keys whenever the active bindings might have changed (every
screen switch and most focus changes). Two costs follow:

- Each new key watches the footer's ``compact`` setting, and Textual drops the watchers of
  removed keys only when ``compact`` itself changes, which it never does here: the removed
  keys stay referenced, about 20 KB per rebuild (a 50,000-key monkey run grew to 780 MB).
  This footer drops them after each rebuild.
- A rebuild re-lays out and repaints the whole screen. Opening a picker rebuilt the footer
  of the screen behind it (its keys turn unavailable there) and closing it rebuilt it back:
  two or three extra full repaints, each ~20 ms at 120×40, that typed-ahead keys waited
  behind. This footer rebuilds only when the keys it would show differ from the ones it
  shows, and leaves a footer hidden behind another screen as it is (it is checked again
  when its screen comes back to the top).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

KeyRow = tuple[str, str, bool, str]


class KeyFooter(Footer):
    _wanted: tuple[KeyRow, ...] | None = None  # the keys of the last rebuild asked for

    def keys(self) -> tuple[KeyRow, ...]:
        """What the footer shows for the screen's active bindings: key, label, enabled."""
        return tuple((b.key, b.description, enabled, tooltip)
                     for _node, b, enabled, tooltip in self.screen.active_bindings.values()
                     if b.show)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen or screen is not self.app.screen:
            return
        keys = self.keys()
        if keys == self._wanted:
            return
        if self.app.app_focus:  # Textual's footer waits for the app to have focus
            self._wanted = keys
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        await super().recompose()
        self.prune_watchers()

    def prune_watchers(self) -> None:
        """Forget watchers registered by widgets no longer on screen."""
        watchers = getattr(self, "__watchers", None)  # Textual's per-object watcher table
        if not isinstance(watchers, dict):
            return
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries
                          if getattr(node, "is_attached", True)]
