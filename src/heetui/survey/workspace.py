"""The analyst's workspace file: edits layered over a survey, kept apart from its data.

One TOML file per survey (``default_workspace``), or the one ``--workspace`` names. Its
tables are entries a person can read and edit by hand (docs/workspace.md):

- ``[question.ID]``: ``text``, ``label``, ``labels`` (code = label), ``order`` and ``hide``
  (codes), ``nets`` (label and codes), ``scores`` (code = value; unlisted answers are left
  out of the mean), ``bands`` (a numeric question's edges);
- ``[derived.ID]``: a new variable whose ``answers`` are conditions over any variables;
- ``[filter.ID]`` and ``[banner.ID]``: named filters and banners;
- ``[weight.ID]``: a weight computed to targets (engine.weighting);
- ``[plan.ID]``: an output of the tab plan, the command that makes it (cli.plan);
- ``[frame.ID]``: an open-ended question's code frame: its themes, how comments are coded
  to them, and nets of themes (engine.frames);
- ``[quote.ID]``: the comments of an open-ended question starred for the report;
- ``[view]``: what the app showed last.

This module reads and writes the file; what the entries mean is the engine's
(``engine.shaping``). Every write changes one entry: the file is locked, read again, the
entry set, and the whole written to a temporary file renamed over it, so two sessions
editing one workspace keep each other's edits and a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from platformdirs import user_data_path

from heetui.errors import HeetuiError
from heetui.survey.parse import MAX_NESTING, nesting
from heetui.survey.write import current_umask, write_error

SECTIONS = ("question", "derived", "filter", "banner", "weight", "plan", "frame", "quote",
            "view")
Key = tuple[str, ...]  # an entry's place: ("question", "relationship", "labels")
HEADER = ("# heetui workspace: edits layered over the survey at {source}\n"
          "# heetui never changes that survey; delete this file to undo every edit.\n"
          "# The format is described in docs/workspace.md.\n")


class WorkspaceError(HeetuiError):
    """The workspace file cannot be read or written."""


@dataclass(frozen=True)
class WorkspaceProblem:
    """An entry that does not apply to the survey, with the line it is written on."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Change:
    """One entry written: its value before, and the file's text before (None: there was no
    file) and after."""

    old: Any
    before: bytes | None
    after: bytes


def default_workspace(source: Path) -> Path:
    """The workspace of the survey at ``source`` when none is named: one file per survey
    (by its full path) in the user's data folder, which is writable when the survey is not
    (the bundled survey is installed read-only)."""
    resolved = Path(source).resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", resolved.stem or "survey").strip("-") or "survey"
    return user_data_path("heetui", appauthor=False) / "workspaces" / f"{stem}-{digest}.toml"


class Workspace:
    """One workspace file (which need not exist yet) of the survey at ``source``."""

    def __init__(self, path: Path, source: Path) -> None:
        self.path = Path(path)
        self.source = Path(source)

    def text(self) -> str:
        """The file's text ("" when it does not exist yet)."""
        try:
            return self.path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            return ""
        except IsADirectoryError:
            raise WorkspaceError(f"The workspace {self.path} is a folder, not a file.") from None
        except (OSError, UnicodeDecodeError) as e:
            raise WorkspaceError(f"The workspace {self.path} cannot be read ({e}).") from None

    def read(self) -> dict[str, Any]:
        """The entries as plain data."""
        return parse(self.text(), self.path)

    def get(self, key: Key) -> Any:
        """The value at ``key``, or None."""
        return entry_of(self.read(), key)

    def set(self, key: Key, value: Any) -> Any:
        """Set the entry at ``key`` to ``value`` (None removes it) and return what it was.
        The rest of the file, comments included, is written back as it was found."""
        return self.change(key, lambda _: value).old

    def change(self, key: Key, change: Callable[[Any], Any]) -> Change:
        """Set the entry at ``key`` to ``change(its value)``, its value read while the file
        is locked (an entry that adds to a list or table, such as a net, keeps what another
        session added meanwhile); what it was, and the file's bytes before and after
        (``restore`` puts them back)."""
        if not key or key[0] not in SECTIONS:
            raise WorkspaceError(f"{'.'.join(key)} is not a workspace entry.")
        with self._locked():
            before = self._bytes()
            text = self.text()
            now = parse(text, self.path)  # a file broken by hand is never overwritten
            doc = tomlkit.parse(text) if text.strip() else _new_document(self.source)
            old = _put(doc, key, change(entry_of(now, key)), self.path)
            self._write(tomlkit.dumps(doc))
            return Change(old, before, self._bytes() or b"")

    def restore(self, change: Change) -> bool:
        """Put the file back byte for byte as it was before ``change`` (removed, if the
        change made it) when it still is as the change left it; False, and the file
        untouched, when it was written since (another session's edit)."""
        with self._locked():
            if self._bytes() != change.after:
                return False
            if change.before is None:
                try:
                    self._target().unlink()
                except OSError as e:
                    raise WorkspaceError(f"The workspace {self.path} cannot be removed "
                                         f"({e.strerror}).") from None
            else:
                self._write_bytes(change.before)
        return True

    def _bytes(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise WorkspaceError(f"The workspace {self.path} cannot be read ({e}).") from None

    def line_of(self, key: Key) -> int | None:
        """The line (1-based) where the entry at ``key`` is written, if it can be found."""
        return line_of(self.text(), key)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the workspace's lock file while reading it again and writing it."""
        try:
            target = self._target()
            target.parent.mkdir(parents=True, exist_ok=True)
            lock = target.with_name(target.name + ".lock")
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666 & ~current_umask())
        except OSError as e:
            raise WorkspaceError(f"The workspace {self.path} cannot be written "
                                 f"({e.strerror}).") from None
        try:
            _lock(fd)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _target(self) -> Path:
        """The file a write replaces: a workspace linked from elsewhere is written where
        the link points, and the link kept."""
        return self.path.resolve() if self.path.is_symlink() else self.path

    def _write(self, text: str) -> None:
        self._write_bytes(text.encode("utf-8"))

    def _write_bytes(self, data: bytes) -> None:
        target = self._target()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o666 & ~current_umask())
            os.replace(tmp, target)
        except BaseException as e:
            Path(tmp).unlink(missing_ok=True)
            refused = write_error(e, self.path)
            if refused is not None:
                raise WorkspaceError(f"The workspace {self.path} cannot be written "
                                     f"({refused.strerror}).") from e
            if isinstance(e, OSError):
                raise WorkspaceError(f"The workspace {self.path} cannot be written "
                                     f"({e.strerror}).") from e
            raise


def entry_of(data: dict[str, Any], key: Key) -> Any:
    """The value at ``key`` in a workspace's entries, or None."""
    node: Any = data
    for part in key:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def parse(text: str, path: Path) -> dict[str, Any]:
    """The file's entries; a file that is not TOML is one sentence naming its line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise WorkspaceError(f"The workspace {path} is not valid TOML ({e}); fix that line "
                             "or delete the file.") from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        data = None
    if data is None or nesting(data) > MAX_NESTING:  # nor may anything after it recurse
        raise WorkspaceError(f"The workspace {path} nests tables or lists more than "
                             f"{MAX_NESTING} levels deep; fix it or delete the file.")
    return data


def _new_document(source: Path) -> tomlkit.TOMLDocument:
    doc = tomlkit.document()
    for line in HEADER.format(source=source).splitlines():
        doc.add(tomlkit.comment(line.removeprefix("# ")))
    return doc


def _put(doc: tomlkit.TOMLDocument, key: Key, value: Any, path: Path) -> Any:
    """Set ``key`` in ``doc`` (tables made as needed, emptied ones removed); the old value.
    Each entry is a table of its own (``[question.relationship]``) under a section that
    has no header of its own."""
    node: Any = doc
    made: list[tuple[Any, str]] = []
    for depth, part in enumerate(key[:-1]):
        if part not in node:
            if value is None:
                return None
            node[part] = tomlkit.table(is_super_table=depth == 0)
        made.append((node, part))
        node = node[part]
        if not isinstance(node, dict):
            raise not_a_table(key[:depth + 1], path)
    last = key[-1]
    old = node.get(last)
    old = old.unwrap() if hasattr(old, "unwrap") else old
    if value is None:
        if last in node:
            del node[last]
        for parent, part in reversed(made):  # drop tables the removal left empty
            if len(parent[part]) == 0:
                del parent[part]
    elif isinstance(value, dict) and len(key) <= 2:
        node[last] = _table(value)
    else:
        node[last] = _item(value)
    return old


def not_a_table(key: Key, path: Path | str) -> WorkspaceError:
    """The error of an entry written by hand as a value where edits need a table."""
    return WorkspaceError(f"{'.'.join(key)} in the workspace {path} is not a table; fix it "
                          "by hand or remove it.")


def _table(entry: dict[str, Any]) -> Any:
    table = tomlkit.table()
    for name, v in entry.items():
        table[name] = _item(v)
    return table


def _item(value: Any) -> Any:
    """A value as tomlkit writes it readably: lists of tables one inline table per line,
    a table of plain values inline."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        array = tomlkit.array()
        array.multiline(True)
        for v in value:
            array.append(_item(v))
        return array
    if isinstance(value, dict):
        inline = tomlkit.inline_table()
        for name, v in value.items():
            inline[name] = _item(v)
        return inline
    return value


def line_of(text: str, key: Key) -> int | None:
    """The line (1-based) where the entry at ``key`` is written: the first line whose key,
    under the table header above it, is ``key`` or within it (``[question.relationship]``,
    ``relationship.text = ...`` under ``[question]``, ``labels = ...`` under
    ``[question.relationship]``); else the header of the entry's table."""
    if not key:
        return None
    table: Key = ()
    nearest: tuple[int, int] | None = None  # (depth, line) of the closest enclosing table
    for i, line in enumerate(text.splitlines(), 1):
        if (header := _HEADER.match(line)) is not None:
            table = path = _parts(header.group(1))
        elif (field := _FIELD.match(line)) is not None:
            path = table + _parts(field.group(1))
        else:
            continue
        if path[:len(key)] == key:
            return i
        if key[:len(path)] == path and header is not None and len(path) > 1 and (
                nearest is None or len(path) > nearest[0]):
            nearest = (len(path), i)
    return nearest[1] if nearest else None


_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""  # a bare or quoted key
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]")
_FIELD = re.compile(rf"^\s*({_DOTTED})\s*=")


def _parts(dotted: str) -> Key:
    """A dotted key's parts as TOML reads them (quotes removed, escapes read)."""
    parts = []
    for p in re.findall(_PART, dotted):
        if p.startswith('"'):
            p = tomllib.loads(f"k = {p}")["k"]
        elif p.startswith("'"):
            p = p[1:-1]
        parts.append(p)
    return tuple(parts)
