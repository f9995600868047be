"""heetui's folder in the user's cache (platformdirs: $XDG_CACHE_HOME/heetui on Linux,
~/Library/Caches/heetui on macOS) and the keys of what is kept there.

Every key includes heetui's version, so a newer validator or importer never trusts what an
older one left behind.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from platformdirs import user_cache_path

from heetui import __version__


def cache_folder(part: str) -> Path:
    """A sub-folder of heetui's cache (not created here)."""
    return user_cache_path("heetui", appauthor=False) / part


def cache_key(*parts: str, length: int = 24) -> str:
    """A short hash of ``parts`` and heetui's version."""
    text = "\0".join((__version__, *parts))
    # file names need not be UTF-8: their undecodable bytes come back as they were
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:length]
