"""Writing bundles: always into a temporary sibling folder, renamed into place at the end.

The survey layer reads bundles without DuckDB; writing one is the exception, for the
dictionary encoding of DuckDB's Parquet writer (see ``BundleWriter``), imported only then."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from heetui.survey.bundle import CODEBOOK, RESPONDENTS, VERBATIMS, load_bundle
from heetui.survey.codebook import Codebook
from heetui.survey.packed import with_packed
from heetui.survey.parse import codebook_from_dict, codebook_to_dict
from heetui.survey.toml_write import dumps

# DuckDB reads a Parquet file one row group per thread. Respondent files are scanned in
# few, wide passes (500,000 rows per group measured as fast as smaller groups); comments
# are searched as text, where 100,000-row groups let every core share even a 200,000-comment
# file (a search of 2 million comments: 270 ms with 500,000-row groups, 140 ms with these).
RESPONDENT_ROW_GROUP = 500_000
VERBATIM_ROW_GROUP = 100_000
# Respondent files are small integer codes that decode faster from Snappy than from zstd:
# the 10M-respondent multi-response crosstab took 11% less time (21 alternating runs),
# for files 29% larger (117 → 150 MB). Comments keep polars' default (zstd).
RESPONDENT_COMPRESSION: Final = "snappy"

if TYPE_CHECKING:
    import polars as pl

# a codebook to write: the model (written by survey.parse.codebook_to_dict, as every codebook
# heetui makes is), or a TOML table as it is (tests write broken ones to see them refused)
CodebookData = Codebook | dict[str, Any]


def current_umask() -> int:
    """The process umask, read without changing it where the system tells it (Linux), so
    no other thread ever sees a zero umask."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


MANIFEST = "heetui-files.sha256"  # the files the bundle writer wrote, as sha256sum lists them
BUNDLE_FILES = (CODEBOOK, RESPONDENTS, VERBATIMS)
# the text of the errors a system gives when a write cannot complete, whatever library met it
WRITE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)
# a write that failed with less room than this left on its disk failed for want of room: a
# failing write fills the disk up to its last block before the system refuses it
FULL_BELOW = 1 << 20


def bundle_inputs(path: Path) -> tuple[Path, ...]:
    """The files a command reading the survey at ``path`` reads: the file itself, or a
    bundle folder's own files (an output may go beside them, never over them)."""
    if not path.is_dir():
        return (path,)
    return tuple(path / name for name in (*BUNDLE_FILES, MANIFEST) if (path / name).exists())


def write_error(exc: BaseException, target: Path) -> OSError | None:
    """The system's refusal of a write behind ``exc``, as an OSError naming ``target`` (not
    the temporary file): xlsxwriter, DuckDB and polars each wrap a full disk in their own
    exception, holding the OSError or only its text. None when ``exc`` is something else."""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in WRITE_ERRNOS:
            return OSError(e.errno, e.strerror or os.strerror(e.errno), str(target))
    text = str(exc)
    for code in WRITE_ERRNOS:
        if os.strerror(code).lower() in text.lower():
            return OSError(code, os.strerror(code), str(target))
    if _disk_full(target.parent):  # polars reports a full disk as "Invalid thrift"
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
    return None


def _disk_full(folder: Path) -> bool:
    """Whether the file system of ``folder`` has (next to) no room left for a write."""
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    return st.f_bavail * st.f_frsize < FULL_BELOW


def close_left_open(exc: BaseException) -> None:
    """Close the files a failed writer left open in the frames ``exc`` passed through:
    xlsxwriter leaves its zip open after a full disk, and closing it at exit would report
    the same failure again as a traceback ("Exception ignored in ZipFile.__del__")."""
    import io
    import zipfile

    for e in _chain(exc):
        tb = e.__traceback__
        while tb is not None:
            for value in list(tb.tb_frame.f_locals.values()):
                if isinstance(value, zipfile.ZipFile | io.IOBase):
                    with contextlib.suppress(OSError, ValueError):
                        value.close()
            tb = tb.tb_next


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the exceptions it was raised from or during, and those it holds."""
    found: list[BaseException] = []
    todo = [exc]
    while todo:
        e = todo.pop()
        if any(e is f for f in found):
            continue
        found.append(e)
        todo += [a for a in e.args if isinstance(a, BaseException)]
        todo += [c for c in (e.__cause__, e.__context__) if c is not None]
    return found


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_manifest(folder: Path) -> None:
    """Record the files of a finished bundle (each a file the writer made) with their
    digests, so ``--force`` later replaces them only while nobody has changed them."""
    lines = [f"{_digest(f)}  {f.name}\n" for f in sorted(folder.iterdir())
             if f.is_file() and f.name != MANIFEST]
    (folder / MANIFEST).write_text("".join(lines), encoding="utf-8")


def _not_ours(out: Path) -> list[str]:
    """The entries of bundle folder ``out`` that heetui did not write or that were changed
    since (all of them when it has no manifest)."""
    try:
        listed = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        listed = []
    digests = {name: digest for digest, _, name in (line.partition("  ") for line in listed)
               if name}
    others = []
    for entry in sorted(out.iterdir(), key=lambda e: e.name):
        if entry.name == MANIFEST and digests:
            continue
        if entry.name not in digests:
            others.append(entry.name + ("/" if entry.is_dir() else ""))
        elif entry.is_symlink() or not entry.is_file() or _digest(entry) != digests[entry.name]:
            others.append(f"{entry.name} (changed since heetui wrote it)")
    return others


def check_replaceable(out: Path, force: bool, keep: tuple[Path, ...] = ()) -> None:
    """Refuse to write ``out`` when that would destroy something: an existing path without
    --force; with it, anything but a heetui bundle holding only the files heetui wrote there
    (its manifest), unchanged; or a folder holding a file in ``keep`` (the command's inputs:
    the import's source and codebook)."""
    resolved = out.resolve()
    for k in keep:
        k = Path(k).resolve()
        if k == resolved or resolved in k.parents:
            raise FileExistsError(f"{out} holds {k.name}, which the import reads (its source "
                                  "or --codebook); choose another folder for the bundle")
    if not out.exists() and not out.is_symlink():
        return
    if not force:
        raise FileExistsError(f"{out} already exists; choose a new folder or pass --force")
    if out.is_symlink() or not out.is_dir() or not (out / CODEBOOK).is_file():
        raise FileExistsError(f"{out} is not a heetui bundle (a folder with {CODEBOOK}); "
                              "--force replaces only a bundle, so nothing was changed")
    others = _not_ours(out)
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5
                                          else "")
        why = (f"it has no {MANIFEST}, the list of files heetui wrote there"
               if not (out / MANIFEST).is_file() else f"it also holds {shown}")
        raise FileExistsError(f"{out} was not left as heetui wrote it ({why}); --force "
                              "replaces only heetui's own files, so nothing was changed: "
                              "move the others out or choose another folder")


@contextmanager
def atomic_folder(out: Path, force: bool = False, keep: tuple[Path, ...] = ()
                  ) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``out`` only if the block succeeds. Without
    ``force`` a folder that appears meanwhile (another import) is never replaced. A write
    the system refuses (a full disk) is raised as an OSError naming ``out``."""
    out = Path(out)
    check_replaceable(out, force, keep)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp made it private
        if out.exists() and force:
            check_replaceable(out, force, keep)
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            out.rename(old / "x")
            try:
                tmp.rename(out)
            except BaseException:
                (old / "x").rename(out)  # the old bundle back where it was
                raise
            shutil.rmtree(old)
        else:
            try:
                tmp.rename(out)  # fails when another process created a non-empty out
            except OSError:
                raise FileExistsError(f"{out} was created by another process meanwhile; "
                                      "nothing was replaced") from None
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        refused = None if isinstance(e, FileExistsError) else write_error(e, out)
        if refused is not None:
            raise refused from e
        raise


class BundleWriter:
    """The one way a bundle's files are written (``heetui import``, ``heetui demo`` and the
    tests' bundles all come here): the codebook as TOML (a ``Codebook`` in the one layout
    of ``survey.parse.codebook_to_dict``); respondents in parts, each given its packed
    multi-response columns (``Variable.bits_column``), then joined into one file of
    RESPONDENT_ROW_GROUP-row groups in RESPONDENT_COMPRESSION by DuckDB's Parquet writer,
    which dictionary-encodes every column that repeats (polars writes float columns plain:
    a weight column then costs a twentieth of the bytes to decode, and a crosstab at ten
    million respondents about a sixth less time, benchmarks/NOTES.md); comments in parts,
    numbered in file order when they carry no ``comment_id``, joined into one file of
    VERBATIM_ROW_GROUP-row groups. Parts let a caller stream a survey larger than memory;
    they are hidden files of the folder, gone once ``finish`` has joined them."""

    def __init__(self, folder: Path, codebook: CodebookData, header: str = "") -> None:
        self.folder = folder
        data = codebook_to_dict(codebook) if isinstance(codebook, Codebook) else codebook
        (folder / CODEBOOK).write_text(dumps(data, header), encoding="utf-8")
        # an invalid codebook is reported when the bundle loads; nothing is packed for it
        self.codebook, _ = codebook_from_dict(data)
        self.respondent_parts: list[Path] = []
        self.verbatim_parts: list[Path] = []

    def add_respondents(self, frame: pl.DataFrame) -> None:
        """The next respondents, in file order."""
        if self.codebook is not None:
            frame = with_packed(frame, self.codebook)
        part = self.folder / f".part-{len(self.respondent_parts):05d}.parquet"
        frame.write_parquet(part, row_group_size=RESPONDENT_ROW_GROUP, statistics=True)
        self.respondent_parts.append(part)

    def add_verbatims(self, frame: pl.DataFrame) -> None:
        """The next comments, in file order (a bundle without any has no verbatims file)."""
        if frame.height:
            part = self.folder / f".vpart-{len(self.verbatim_parts):05d}.parquet"
            frame.write_parquet(part)
            self.verbatim_parts.append(part)

    def finish(self) -> None:
        """Join the parts into the bundle's respondents and verbatims files."""
        if not self.respondent_parts:
            raise ValueError("a bundle needs respondents: add_respondents was never called")
        _join_respondents(self.respondent_parts, self.folder / RESPONDENTS)
        if self.verbatim_parts:
            _join_verbatims(self.verbatim_parts, self.folder / VERBATIMS)
        for part in (*self.respondent_parts, *self.verbatim_parts):
            part.unlink()
        write_manifest(self.folder)


def _join_respondents(parts: list[Path], target: Path) -> None:
    """One respondents file from the parts, dictionary-encoded by DuckDB's writer, or as
    polars wrote them when DuckDB would change a column: it renames names that differ only
    in case (which validation then refuses by name) and retypes a few polars types."""
    import duckdb
    import polars as pl

    from heetui.sqltext import literal, path_literal

    files = ", ".join(path_literal(f) for f in parts)
    with duckdb.connect() as con:
        con.execute("SET preserve_insertion_order = true")
        con.execute("SET enable_progress_bar = false")
        # one row group in flight: joining ten million respondents peaked at 800 MB with
        # two threads and 300 MB with one, for 6.6 s instead of 4.7-7.1 s
        con.execute("SET threads = 1")
        con.execute(f"COPY (SELECT * FROM read_parquet([{files}])) TO {literal(target)} "
                    f"(FORMAT parquet, COMPRESSION {RESPONDENT_COMPRESSION}, "
                    f"ROW_GROUP_SIZE {RESPONDENT_ROW_GROUP})")
    if _columns(target) != _columns(parts[0]):
        pl.scan_parquet(parts, glob=False).sink_parquet(
            target, compression=RESPONDENT_COMPRESSION, row_group_size=RESPONDENT_ROW_GROUP)


def _columns(path: Path) -> list[tuple[str, pl.DataType]]:
    """A Parquet file's column names and types (read from an open file: polars would take
    glob characters in the path as a pattern)."""
    import polars as pl

    with path.open("rb") as f:
        return list(pl.read_parquet_schema(f).items())


def _join_verbatims(parts: list[Path], target: Path) -> None:
    import polars as pl

    comments = pl.scan_parquet(parts, glob=False)
    if "comment_id" not in comments.collect_schema():
        comments = (comments.with_row_index("comment_id", offset=1)
                    .with_columns(pl.col("comment_id").cast(pl.UInt32)))
    comments.sink_parquet(target, row_group_size=VERBATIM_ROW_GROUP)


@contextmanager
def writing_bundle(out: Path, codebook: CodebookData, header: str = "", force: bool = False,
                   keep: tuple[Path, ...] = (), validate: bool = False
                   ) -> Iterator[BundleWriter]:
    """A BundleWriter on a temporary folder that replaces ``out`` (see ``atomic_folder``)
    once the block has added its data and the parts are joined. With ``validate``, a
    bundle that does not load cleanly is never put in place."""
    with atomic_folder(out, force, keep) as tmp:
        writer = BundleWriter(tmp, codebook, header)
        yield writer
        writer.finish()
        if validate:
            load_bundle(tmp)


def write_bundle(out: Path, codebook: CodebookData, respondents: pl.DataFrame,
                 verbatims: pl.DataFrame | None = None, force: bool = False,
                 header: str = "", validate: bool = False, keep: tuple[Path, ...] = ()
                 ) -> Path:
    """Write codebook, respondents and verbatims held in memory as a bundle folder."""
    with writing_bundle(out, codebook, header, force, keep, validate) as writer:
        writer.add_respondents(respondents)
        if verbatims is not None:
            writer.add_verbatims(verbatims)
    return Path(out)
