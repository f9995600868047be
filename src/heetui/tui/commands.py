"""Command palette entries: every action by name, every question and banner; and the
palette's provider, which shows every entry as plain text (tui/plain)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from heetui.survey.codebook import Codebook
from heetui.tui.plain import plain

HELP_STYLE = "dim"


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


def _prompt(title: str, help_text: str, matcher: Matcher | None = None) -> Content:
    """A palette line: the title (its letters matching the query marked), then the help
    under it, both plain text. The palette reads a string given as a title or help as
    markup, so a codebook's label (``[/]``, ``[@click=…]``) would be parsed or raise; the
    help goes into the prompt, as a Content, for that reason."""
    title_content = Content.from_rich_text(plain(title))
    if matcher is not None:
        _, offsets = matcher.fuzzy_search.match(matcher.query, title)
        for at in offsets:
            if not title[at].isspace():
                title_content = title_content.stylize(matcher.match_style, at, at + 1)
    if not help_text:
        return title_content
    return Content("\n").join([title_content,
                               Content.from_rich_text(plain(help_text, HELP_STYLE))])


class PlainCommands(Provider):
    """The app's commands (App.get_system_commands), found as Textual's own provider finds
    them, shown as plain text."""

    async def discover(self) -> Hits:
        for c in sorted(self.app.get_system_commands(self.screen), key=lambda c: c.title):
            if c.discover:
                yield DiscoveryHit(_prompt(c.title, c.help), c.callback, text=c.title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for c in self.app.get_system_commands(self.screen):
            score = matcher.match(c.title)
            if score > 0:
                yield Hit(score, _prompt(c.title, c.help, matcher), c.callback, text=c.title)
