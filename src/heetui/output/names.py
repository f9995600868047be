"""The one rule for the names of files heetui proposes (the app's e, B and S, and the
command line's xlsx without -o): heetui-QUESTION[-by-BANNER][-FILTER…][-weighted].SUFFIX,
numbered -2, -3, … when the name is taken, so no proposal ever names an existing file."""

from __future__ import annotations

import re
from pathlib import Path

from heetui.config import UserConfig
from heetui.engine.filters import Filter
from heetui.engine.lookup import categories
from heetui.survey.codebook import Codebook

MAX_STEM = 120  # characters: far within every file system's 255-byte name limit


def slug(text: str) -> str:
    """Lower-case letters, digits and single hyphens (any script's letters are kept)."""
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")


def _filter_words(cb: Codebook, f: Filter) -> str:
    v = categories(cb.get(f.variable))
    if f.ranges:
        return slug(f.describe(cb))
    return "-or-".join(slug(v.option(c).label) for c in f.codes)


def export_stem(cb: Codebook, question: str, banner: str | None = None,
                filters: tuple[Filter, ...] = (), weighted: bool = False) -> str:
    """heetui-relationship-by-standard-nhs-trust-weighted: what the file holds, readably."""
    parts = ["heetui", slug(question) or "table"]
    if banner:
        parts += ["by", slug(banner.replace("/", " within "))]
    parts += [_filter_words(cb, f) for f in filters]
    if weighted:
        parts.append("weighted")
    stem = "-".join(p for p in parts if p)
    return stem if len(stem) <= MAX_STEM else stem[:MAX_STEM].rstrip("-")


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or the first of ``stem-2.suffix``, ``stem-3.suffix``, … that
    does not exist."""
    path, k = folder / f"{stem}.{suffix}", 2
    while path.exists() or path.is_symlink():
        path, k = folder / f"{stem}-{k}.{suffix}", k + 1
    return path


def proposed_path(config: UserConfig, stem: str, suffix: str, replace: bool = False,
                  here: Path | None = None) -> Path:
    """Where a file heetui names goes (the CLI's default, the app's proposal): the settings
    file's output folder, else ``here`` (the working folder); numbered when taken unless
    replacing. An output folder that does not exist is an ``output.atomic.FolderMissing``
    naming the setting."""
    from heetui.output.atomic import FolderMissing

    folder = config.output_folder
    if folder is not None and not folder.is_dir():
        raise FolderMissing(f"{config.where('defaults', 'output_folder')}: the folder "
                            f"{folder} does not exist; create it or name another.")
    folder = folder if folder is not None else here if here is not None else Path()
    return folder / f"{stem}.{suffix}" if replace else free_path(folder, stem, suffix)
