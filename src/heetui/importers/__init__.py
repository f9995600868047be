"""Importing the files of the registered input formats (``importers.formats``) as survey
bundles (no DuckDB, no Textual).

The list of formats is read without the readers (the command line's help needs only it);
the import itself, and polars with it, is loaded on first use of one of its names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heetui.importers.formats import (
    INPUT_FORMATS,
    InputFormat,
    format_list,
    input_format,
    suffixes,
)

if TYPE_CHECKING:
    from heetui.importers.importing import (
        NO_WEIGHT,
        SourceError,
        cached_bundle,
        import_source,
    )

_IMPORTING = ("NO_WEIGHT", "SourceError", "cached_bundle", "import_source")
__all__ = ["INPUT_FORMATS", "NO_WEIGHT", "InputFormat", "SourceError", "cached_bundle",
           "format_list", "import_source", "input_format", "suffixes"]


def __getattr__(name: str) -> Any:
    if name in _IMPORTING:
        from heetui.importers import importing

        return getattr(importing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
