"""SVG screenshots that draw the same in librsvg as in browsers.

Textual writes each run of a line as a <text> element with a textLength; a run that starts
with spaces (a right-aligned number, the word after a highlighted one) starts them as
no-break spaces. Browsers honour textLength and draw the run where it belongs; librsvg
(rsvg-convert, GNOME's image viewer, many document converters) ignores textLength and drops
the leading spaces, which left-aligned every right-aligned number and glued a highlighted
word to the next. ``for_rsvg`` moves each such run's start past its spaces instead.
"""

from __future__ import annotations

import re

NBSP = "&#160;"
LEADING_SPACES = re.compile(r'(<text\b[^>]*?\bx=")([\d.]+)("[^>]*?\btextLength=")([\d.]+)'
                            r'("[^>]*>)((?:&#160;)+)([^<]*)(</text>)')


def for_rsvg(svg: str) -> str:
    """The SVG with each text run's leading spaces turned into a later start: librsvg drops
    them (it ignores textLength), which left-aligned every right-aligned number and indented
    label in the PNGs. Each run keeps its own cell width (textLength ÷ characters)."""
    def shift(m: re.Match[str]) -> str:
        n, rest = len(m[6]) // len(NBSP), m[7]
        if not rest:
            return ""  # only spaces: the background rectangles draw the cells
        cell = float(m[4]) / (n + len(re.sub(r"&#?\w+;", "x", rest)))
        return (f"{m[1]}{float(m[2]) + n * cell:g}{m[3]}{float(m[4]) - n * cell:g}{m[5]}"
                f"{rest}{m[8]}")

    return LEADING_SPACES.sub(shift, svg)
