"""The input formats heetui imports, each registered once: its suffixes, its reader, and
whether it carries labels. The error for an unsupported file, the command line's help, the
opening check and the import's rules all read this list (kept free of heavy imports, so the
command line's help does not load polars).

A new format is one ``InputFormat`` in ``INPUT_FORMATS`` naming a function that reads such a
file into a ``Table`` (``importers.table``); the rest of the import is the same for every
format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heetui.importers.table import Progress, Table

    Reader = Callable[[Path, Progress | None], Table]


@dataclass(frozen=True)
class InputFormat:
    """One kind of file heetui imports.

    ``kind`` names it in ``Table.kind`` and in the import's report; ``labelled``: the file
    carries variable and value labels (its codes are kept as the file has them, its labels
    decide single-choice or numeric); ``text``: a table of cells read as text, whose header
    rows may be a survey platform's (importers.platforms); ``reader``: ``module:function``
    of the function that reads it, imported only when a file of this kind is read."""

    kind: str
    suffixes: tuple[str, ...]
    labelled: bool
    text: bool
    reader: str

    def read(self, path: Path, progress: Progress | None = None) -> Table:
        module, _, name = self.reader.partition(":")
        reader: Reader = getattr(importlib.import_module(module), name)
        return reader(path, progress)


_SOURCES = "heetui.importers.sources"
INPUT_FORMATS: tuple[InputFormat, ...] = (
    InputFormat("sav", (".sav", ".zsav"), labelled=True, text=False,
                reader=f"{_SOURCES}:read_sav"),
    InputFormat("dta", (".dta",), labelled=True, text=False, reader=f"{_SOURCES}:read_dta"),
    InputFormat("csv", (".csv",), labelled=False, text=True, reader=f"{_SOURCES}:read_csv"),
    InputFormat("xlsx", (".xlsx",), labelled=False, text=True, reader=f"{_SOURCES}:read_xlsx"),
    InputFormat("parquet", (".parquet",), labelled=False, text=False,
                reader=f"{_SOURCES}:read_parquet"),
)


def suffixes() -> tuple[str, ...]:
    """Every suffix heetui imports, in the order of the formats."""
    return tuple(s for f in INPUT_FORMATS for s in f.suffixes)


def input_format(path: Path) -> InputFormat | None:
    """The format of a file by its suffix (in any letter case); None when heetui does not
    import it."""
    suffix = path.suffix.lower()
    return next((f for f in INPUT_FORMATS if suffix in f.suffixes), None)


def of_kind(kind: str) -> InputFormat:
    """The registered format of a ``Table.kind``."""
    return next(f for f in INPUT_FORMATS if f.kind == kind)


def format_list(last: str = "or") -> str:
    """The formats as a sentence lists them, by their first suffix: ".sav, .dta, .csv,
    .xlsx or .parquet"."""
    first = [f.suffixes[0] for f in INPUT_FORMATS]
    return f"{', '.join(first[:-1])} {last} {first[-1]}" if len(first) > 1 else first[0]
