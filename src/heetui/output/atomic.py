"""Atomic file writes: a temporary file beside the target, renamed over it when complete."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from heetui.survey.write import current_umask


class FolderMissing(Exception):
    """The file cannot be written there: its folder does not exist, or a folder stands in
    its place."""


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path to write; it replaces ``path`` only if the block succeeds."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FolderMissing(f"The folder {folder} does not exist.")
    if path.is_dir():
        raise FolderMissing(f"{path} is a folder; give the name of a file to write.")
    if path.exists() and not path.is_file():  # a device or a pipe: written to, never replaced
        yield path
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=folder)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_chunks(path: Path, chunks: Iterable[str]) -> None:
    """Text written as UTF-8 a piece at a time (never held whole), atomically."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        for chunk in chunks:
            f.write(chunk)


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
