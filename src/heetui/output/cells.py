"""Text bound for a spreadsheet cell (csv, xlsx): never a live formula.

Spreadsheets run a cell that starts with =, +, - or @ (and tab or carriage return, which
some strip first) as a formula: ``=HYPERLINK(...)`` in a label or a comment would become
a live link, or worse. Such text is written with a leading apostrophe, which Excel and
LibreOffice show as the text itself. JSON keeps text exact.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
