"""Writing bundles: always into a temporary sibling folder, renamed into place at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from heetui.survey.bundle import CODEBOOK, RESPONDENTS, VERBATIMS, load_bundle
from heetui.survey.packed import with_packed
from heetui.survey.parse import codebook_from_dict
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


def check_replaceable(out: Path, force: bool, keep: tuple[Path, ...] = ()) -> None:
    """Refuse to write ``out`` when that would destroy something: an existing path without
    --force, anything but a heetui bundle with it, or a folder holding a file in ``keep``
    (the import's source)."""
    resolved = out.resolve()
    for k in keep:
        k = Path(k).resolve()
        if k == resolved or resolved in k.parents:
            raise FileExistsError(f"{out} holds the source file {k.name}; choose another "
                                  "folder for the bundle")
    if not out.exists() and not out.is_symlink():
        return
    if not force:
        raise FileExistsError(f"{out} already exists; choose a new folder or pass --force")
    if out.is_symlink() or not out.is_dir() or not (out / CODEBOOK).is_file():
        raise FileExistsError(f"{out} is not a heetui bundle (a folder with {CODEBOOK}); "
                              "--force replaces only a bundle, so nothing was changed")


@contextmanager
def atomic_folder(out: Path, force: bool = False, keep: tuple[Path, ...] = ()
                  ) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``out`` only if the block succeeds. Without
    ``force`` a folder that appears meanwhile (another import) is never replaced."""
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
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            try:
                tmp.rename(out)  # fails when another process created a non-empty out
            except OSError:
                raise FileExistsError(f"{out} was created by another process meanwhile; "
                                      "nothing was replaced") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_bundle(out: Path, codebook: dict[str, Any], respondents: pl.DataFrame,
                 verbatims: pl.DataFrame | None = None, force: bool = False,
                 header: str = "", validate: bool = False, keep: tuple[Path, ...] = ()
                 ) -> Path:
    """Write codebook (as TOML), respondents and verbatims as a bundle folder.

    Multi-response variables also get their packed column (see ``Variable.bits_column``).
    With ``validate``, a bundle that does not load cleanly is never put in place.
    """
    cb, _ = codebook_from_dict(codebook)
    if cb is not None:  # an invalid codebook is reported when the bundle loads
        respondents = with_packed(respondents, cb)
    with atomic_folder(out, force, keep) as tmp:
        (tmp / CODEBOOK).write_text(dumps(codebook, header), encoding="utf-8")
        respondents.write_parquet(tmp / RESPONDENTS, compression=RESPONDENT_COMPRESSION,
                                  row_group_size=RESPONDENT_ROW_GROUP)
        if verbatims is not None and verbatims.height:
            verbatims.write_parquet(tmp / VERBATIMS, row_group_size=VERBATIM_ROW_GROUP)
        if validate:
            load_bundle(tmp)
    return Path(out)
