"""A search of comments: its words and "quoted phrases", every one of which must appear in
a comment (any letter case). One rule for reading comments (engine.comments) and for
coding them by search (engine.frames)."""

from __future__ import annotations

import re

from heetui.errors import EngineError

MAX_SEARCH_CHARS = 500  # a search's length, checked before any work
MAX_SEARCH_TERMS = 20  # its words and "quoted phrases"


def search_terms(text: str) -> list[str]:
    """Words and "quoted phrases" of a search; every one must appear (case-insensitive).
    A search longer than the bounds is refused before it is parsed or run."""
    if len(text) > MAX_SEARCH_CHARS:
        raise EngineError(f"A search may be at most {MAX_SEARCH_CHARS} characters long "
                          f"(this one has {len(text):,}); search for fewer words.")
    terms = [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', text)]
    out = [t for t in (t.strip() for t in terms) if t]
    if len(out) > MAX_SEARCH_TERMS:
        raise EngineError(f"A search may hold at most {MAX_SEARCH_TERMS} words or phrases "
                          f"(this one has {len(out):,}); search for fewer.")
    return out


def like_pattern(term: str) -> str:
    """The ILIKE pattern (escape character ``\\``) of a comment holding ``term``."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


TERM_SQL = "text ILIKE ? ESCAPE '\\'"  # one term's condition; its value: like_pattern(term)
# a comment that says something (not blank): what is counted, coded and tabulated. ltrim is
# the same test as trim (both strip the same spaces) at a quarter of its cost over 1M
# comments (DuckDB 2.0.1: 0.43 against 2.0 s; benchmarks/bench_coding.py)
NOT_BLANK_SQL = "ltrim(text) <> ''"
