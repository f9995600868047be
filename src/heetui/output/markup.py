"""Text from data or a codebook, escaped for the format it is written in: one helper per
format, and every writer of that format goes through it.

- Markdown (``md_text``): one line (a line break would end the table row and let the text
  forge rows of its own), and every character Markdown or GFM tables give a meaning to
  backslash-escaped, ``<``, ``>`` and ``&`` among them, so that no raw HTML, link, emphasis
  or cell border comes from the data.
- HTML (``html_text``): one line, then ``html.escape`` with quotes, so the text is never a
  tag, an attribute or an entity.
- CSV and xlsx: output.cells.cell_text (never a live formula); JSON keeps text exact.

Control characters are made visible first (survey.text.safe_text, via facts.one_line).
"""

from __future__ import annotations

import html
import re

from heetui.output.facts import one_line

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#])")


def md_text(text: object) -> str:
    """Text for Markdown: one line, no markup, no raw HTML, no cell border."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def html_text(text: object) -> str:
    """Text for HTML: one line, no tag, attribute or entity."""
    return html.escape(one_line(text), quote=True)
