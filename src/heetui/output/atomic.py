"""Atomic file writes: a temporary file beside the target, renamed over it when complete,
and never over an existing file unless replacing it was asked for; the checks every output
passes before any work is done (not an input of the command, not an existing file)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from heetui.errors import OutputError
from heetui.survey.write import close_left_open, current_umask, write_error


class FolderMissing(OutputError):
    """The file cannot be written there: its folder does not exist, or a folder stands in
    its place."""


class WouldReplace(OutputError, FileExistsError):
    """The file exists and replacing it was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; choose another name or pass --force to "
                         "replace it.")
        self.path = path


class IsInput(OutputError):
    """The output names a file the same command reads."""


def check_output(path: Path, inputs: Iterable[Path] = (), replace: bool = False) -> None:
    """Refuse, before any work, an output that is one of ``inputs`` (the same file by any
    name: a symlink, a relative path, a hard link) or lies inside an input folder, and an
    existing file unless ``replace``. A pipe or a device is written into, never replaced."""
    path = Path(path)
    target = path.resolve()
    for given in inputs:
        source = Path(given).resolve()
        try:
            same = source == target or os.path.samefile(source, target)
        except OSError:  # one of them does not exist
            same = False
        if same or source in target.parents:
            raise IsInput(f"{path} is {'inside ' if not same else ''}{given}, which this "
                          "command reads; choose another file name for the output.")
    if not replace and (path.is_symlink() or path.is_file()):
        raise WouldReplace(path)


@contextmanager
def atomic_path(path: Path, replace: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; it becomes ``path`` only if the block succeeds,
    replacing an existing file only when ``replace`` (without it a file that appears
    meanwhile is kept: the temporary file is hard-linked into place, which never replaces).
    A write the system refuses (a full disk) is raised as an OSError naming ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FolderMissing(f"The folder {folder} does not exist.")
    if path.is_dir():
        raise FolderMissing(f"{path} is a folder; give the name of a file to write.")
    if path.exists() and not path.is_file():  # a device or a pipe: written to, never replaced
        try:
            yield path
        except OSError as e:
            raise OSError(e.errno, e.strerror, str(path)) from e
        return
    check_output(path, replace=replace)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=folder)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())
        _commit(Path(tmp), path, replace)
    except BaseException as e:
        close_left_open(e)
        Path(tmp).unlink(missing_ok=True)
        refused = None if isinstance(e, FileExistsError) else write_error(e, path)
        if refused is not None:
            raise refused from e
        raise


def _commit(tmp: Path, path: Path, replace: bool) -> None:
    if replace:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if path exists, whatever appeared there meanwhile
    except FileExistsError:
        raise WouldReplace(path) from None
    except OSError:  # a file system without hard links: the check, then the rename
        if path.exists() or path.is_symlink():
            raise WouldReplace(path) from None
        os.rename(tmp, path)
        return
    tmp.unlink()


def write_chunks(path: Path, chunks: Iterable[str], replace: bool = False) -> None:
    """Text written as UTF-8 a piece at a time (never held whole), atomically."""
    with atomic_path(path, replace) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        for chunk in chunks:
            f.write(chunk)


def write_bytes(path: Path, data: bytes, replace: bool = False) -> None:
    with atomic_path(path, replace) as tmp:
      tmp.write_bytes(data)
