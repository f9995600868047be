"""Read .sav, .csv and .parquet files into one shape: a polars frame plus metadata.

One reader per format behind ``read_source``; the source file is only ever read.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

Progress = Callable[[str, int, int], None]
SAV_CHUNK = 200_000


class SourceError(Exception):
    """The source cannot be imported; the message is one sentence for the user."""


@dataclass(frozen=True)
class MRSet:
    """An SPSS multiple-response set."""

    name: str
    label: str
    kind: str  # "D" dichotomy (counted value) or "C" category
    variables: tuple[str, ...]
    counted_value: float | None = None


@dataclass
class Table:
    frame: pl.DataFrame
    kind: str  # sav | csv | parquet
    title: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # variable labels
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    mr_sets: list[MRSet] = field(default_factory=list)


def read_source(path: Path, progress: Progress | None = None) -> Table:
    if not path.exists():
        raise SourceError(f"{path} does not exist.")
    if not path.is_file():
        raise SourceError(f"{path} is not a file.")
    suffix = path.suffix.lower()
    readers = {".sav": read_sav, ".zsav": read_sav, ".csv": read_csv, ".parquet": read_parquet}
    if suffix not in readers:
        raise SourceError(f"{path.name}: heetui imports .sav, .csv and .parquet files, "
                           f"not {suffix or 'files without an extension'}.")
    try:
        table = readers[suffix](path, progress)
    except SourceError:
        raise
    except PermissionError:
        raise SourceError(f"{path} cannot be read (permission denied).") from None
    except Exception as e:  # the readers raise many types for corrupt files
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:160]
        raise SourceError(f"{path.name} could not be read as {suffix[1:]}: {first}") from None
    if table.frame.width == 0:
        raise SourceError(f"{path.name} has no columns.")
    if table.frame.height == 0:
        raise SourceError(f"{path.name} has a header but no rows of data.")
    # a title from a file name that is not UTF-8: its odd bytes shown as U+FFFD
    table.title = table.title.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return table


def read_sav(path: Path, progress: Progress | None = None) -> Table:
    import pyreadstat

    _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    total = int(meta.number_rows or 0)
    parts = []
    offset = 0
    while True:
        frame, meta = pyreadstat.read_sav(str(path), output_format="polars",
                                          row_limit=SAV_CHUNK, row_offset=offset)
        parts.append(frame)
        offset += frame.height
        if progress:
            progress("reading", offset, max(total, offset))
        if frame.height < SAV_CHUNK:
            break
    frame = pl.concat(parts) if len(parts) > 1 else parts[0]
    sets = []
    for name, spec in (getattr(meta, "mr_sets", None) or {}).items():
        counted = spec.get("counted_value")
        sets.append(MRSet(name=name, label=spec.get("label") or name,
                          kind="D" if spec.get("is_dichotomy") else "C",
                          variables=tuple(spec.get("variable_list") or ()),
                          counted_value=None if counted is None else float(counted)))
    labels = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    return Table(frame, "sav", meta.file_label or path.stem, labels,
                 dict(meta.variable_value_labels or {}), sets)


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, errors="replace", newline="") as f:
        sample = f.read(65536)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _encoding(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(1 << 20)
    try:
        head.decode("utf-8")
        return "utf8"
    except UnicodeDecodeError as e:
        if e.start > len(head) - 4:  # a character cut at the end of the sample
            return "utf8"
        return "latin-1"


def read_csv(path: Path, progress: Progress | None = None) -> Table:
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name} is empty.")
    enc = _encoding(path)
    sep = _sniff_delimiter(path, "latin-1" if enc == "latin-1" else "utf-8")
    if progress:
        progress("reading", 0, 1)
    text_enc = "utf8" if enc == "utf8" else "utf8-lossy"
    if enc == "latin-1":
        data = path.read_bytes().decode("latin-1").encode("utf-8")
        frame = pl.read_csv(data, separator=sep, infer_schema_length=10_000,
                            truncate_ragged_lines=True, encoding="utf8")
    else:
        frame = pl.read_csv(_readable(path), separator=sep, infer_schema_length=10_000,
                            glob=False, truncate_ragged_lines=True, encoding=text_enc)
    frame = frame.rename({c: c.lstrip("\ufeff").strip() for c in frame.columns})
    if progress:
        progress("reading", 1, 1)
    return Table(frame, "csv", path.stem)


def _readable(path: Path) -> Path | bytes:
    """What polars can open: the path, or the file's bytes when its name is not UTF-8
    (polars takes only UTF-8 paths)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return path.read_bytes()
    return path


def read_parquet(path: Path, progress: Progress | None = None) -> Table:
    frame = pl.read_parquet(_readable(path), glob=False)
    if progress:
        progress("reading", 1, 1)
    return Table(frame, "parquet", path.stem)
