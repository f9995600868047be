"""Command palette entries: every action by name, every question and banner."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

from heetui.survey.codebook import Codebook


def palette_commands(bindings: Iterable[BindingType], codebook: Codebook,
                     run_action: Callable[[str], object],
                     update_view: Callable[..., None]) -> Iterable[SystemCommand]:
    """``update_view(**changes)`` applies changes to the view current when a command runs."""
    for b in bindings:
        assert isinstance(b, Binding)
        if b.action not in ("quit", "focus_table"):
            yield SystemCommand(b.description, f"key {b.key_display or b.key}",
                                lambda a=b.action: run_action(a))
    for g in codebook.grids:
        yield SystemCommand(f"Open: {g.id} (grid)", g.text,
                            lambda i=g.id: update_view(question=i))
    for v in codebook.closed:
        yield SystemCommand(f"Open: {v.id}", v.text,
                            lambda i=v.id: update_view(question=i))
    for banner in codebook.banners:
        yield SystemCommand(f"Banner: {banner.label}", f"{banner.id}: {', '.join(banner.spans)}",
                            lambda i=banner.id: update_view(banner=i))
    for v in codebook.categorical:
        yield SystemCommand(f"Banner: {v.short}", f"pivot by {v.id}",
                            lambda i=v.id: update_view(banner=i))
    yield SystemCommand("Banner: none", "Total only",
                        lambda: update_view(banner=None))
