"""Showing untrusted text (verbatims, labels) literally: no escapes, no reordering."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding, override
# and isolate controls that can reorder what the terminal shows.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def counted(n: int, noun: str) -> str:
    """``n`` and its noun, singular for one: "1 respondent", "2,000 respondents"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str, limit: int | None = None) -> str:
    """Control characters become visible escapes; long text is cut with a note."""
    cut = ""
    if limit is not None and len(text) > limit:
        cut = f" … [{len(text) - limit:,} more characters]"
        text = text[:limit]
    return _UNSAFE.sub(_visible, text.replace("\r\n", "\n").replace("\r", "\n")) + cut
