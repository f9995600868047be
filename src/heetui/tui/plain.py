"""Text from a survey's data or codebook (titles, question texts, labels, group and banner
names, file names, messages quoting them), as the app shows it: plain text, never markup.

Textual reads a ``str`` given to most widgets (an option's prompt, a label, a border title, a
notification, a command palette entry) as content markup: ``[@click=app.quit]Wave two[/]``
became a link to the quit action, and ``Results [b]x[/b] [/]`` raised a markup error.
Escaping does not cover every case (Textual's markup also reads ``[X]``, ``[$name]`` and
backslashes), so such text is handed over as a Rich ``Text`` (or, for the command palette,
Textual ``Content``), which is never parsed: ``plain`` makes it. Static widgets created with
``markup=False`` take strings as they are.
"""

from __future__ import annotations

from rich.text import Text


def plain(text: str, style: str = "") -> Text:
    """``text`` as shown, character for character, in ``style``."""
    return Text(text, style=style, end="")
