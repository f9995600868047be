"""Two costs Textual leaves to the app, paid once instead of on every repaint.

- The theme: Textual looks the current theme up for every line it renders, copying its
  table of themes each time (about a tenth of a full repaint). heetui registers no themes,
  so the theme found for a name stays that name's theme; choosing another theme (the
  command palette) changes the name, which is looked up afresh.
- Garbage collection: once the survey, DuckDB, polars and the first screen are loaded,
  Python's full collections walk every one of their objects again, about 50 ms at a time,
  at moments no one chooses (opening the banner picker, say). The objects alive when the
  first table is on screen are frozen (left out of later collections: they live as long
  as the app) and released for collection when the app closes.
"""

from __future__ import annotations

import gc

from textual.app import App
from textual.theme import Theme


class LeanApp(App[None]):
    _theme_found: tuple[str, Theme] | None = None
    _frozen = False

    @property
    def current_theme(self) -> Theme:
        name = self.theme
        if self._theme_found is None or self._theme_found[0] != name:
            self._theme_found = (name, super().current_theme)
        return self._theme_found[1]

    def on_mount(self) -> None:
        self.call_after_refresh(self._freeze)

    def _freeze(self) -> None:
        if not self._frozen:
            gc.freeze()
            self._frozen = True

    def on_unmount(self) -> None:
        if self._frozen:
            gc.unfreeze()
            self._frozen = False
