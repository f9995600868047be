"""SQL text for the few places DuckDB takes no parameter (file paths): quoting only, no
DuckDB import, so that every layer that writes such SQL (the engine, the bundle writer)
uses this one definition."""

from __future__ import annotations

import re

_GLOB = re.compile(r"([*?\[])")


def literal(text: object) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def path_literal(path: object) -> str:
    """A file path as a SQL literal that DuckDB's readers take literally: their glob
    characters (* ? [) are each put in a bracket class of their own."""
    return literal(_GLOB.sub(r"[\1]", str(path)))
