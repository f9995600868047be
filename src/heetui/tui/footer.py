"""The key footer, without Textual 8's watcher build-up.

Textual's Footer rebuilds its keys whenever the active bindings change (every screen
switch and most focus changes). Each new key watches the footer's ``compact`` setting, and
Textual drops the watchers of removed keys only when ``compact`` itself changes, which it
never does here: the removed keys stay referenced, about 20 KB per rebuild (a 50,000-key
monkey run grew to 780 MB). This footer drops them after each rebuild.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
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
