"""Every output format, registered once: for each type of result (its ``kind``: a table, a
grid summary, a book, a profile, a page of comments) the formats it is written in, each
with its renderer, the file suffixes that choose it and whether it is a file of bytes.

The command line's ``--format`` choices and their help, the format an ``-o`` name picks,
the app's export and copy, and the README's lists (held to it by a test) are all read from
here. A new format is one ``register`` call at the end of this module.

Nothing here is loaded before it is used: each renderer imports its module when called, so
that the command line's parser reads the names without loading the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heetui.errors import OutputError

if TYPE_CHECKING:
    from heetui.engine.book import Book
    from heetui.engine.coding import CodingCounts
    from heetui.engine.comments import VerbatimPage
    from heetui.engine.diffing import BookDiff
    from heetui.engine.profiling import Profile
    from heetui.engine.quotes import Quotes
    from heetui.engine.results import Crosstab, GridSummary
    from heetui.engine.weighting import WeightReport
    from heetui.engine.words import Words
    from heetui.output.tables import Show, Shown
    from heetui.survey.codebook import Codebook


@dataclass(frozen=True)
class Format:
    name: str  # as --format takes it
    suffixes: tuple[str, ...]  # the -o suffixes that choose it; the first is proposed
    summary: str  # as --help lists it
    binary: bool = False  # a file of bytes (a workbook): written to a path, never printed


TEXT = Format("text", (".txt",), "aligned text")
CSV = Format("csv", (".csv",), "tidy CSV")
JSON = Format("json", (".json",), "JSON")
MD = Format("md", (".md", ".markdown"), "Markdown")
XLSX = Format("xlsx", (".xlsx",), "a formatted Excel sheet", binary=True)
HTML = Format("html", (".html", ".htm"), "an HTML page")
TSV = Format("tsv", (".tsv",), "tab-separated values")


@dataclass(frozen=True)
class Options:
    """What a command or the app asks of an output beyond its format (each renderer reads
    what applies to it)."""

    show: Show = "percent"  # percents, counts or both in a table's cells
    weighted_counts: bool = True  # counts beside weighted percents are weighted
    ids: bool = False  # questions named by id beside their text
    decimals: int = 0  # of a table's percents
    letters: bool = True  # significance marks, where a format shows them beside numbers
    width: int | None = None  # of text; None: the renderer's own default
    show_all: bool = False  # a profile's rows that do not differ, too
    codebook: Codebook | None = None  # the survey's facts (workbooks, books)

    @property
    def shown(self) -> Shown:
        from heetui.output.tables import Shown

        return Shown(self.show, self.weighted_counts, self.ids)

    @property
    def survey(self) -> Codebook:
        if self.codebook is None:
            raise ValueError("this output names its survey: Options needs the codebook")
        return self.codebook


TextRenderer = Callable[[Any, Options], str | Iterable[str]]
FileWriter = Callable[[Any, Path, Options, bool], object]


@dataclass(frozen=True)
class Renderer:
    format: Format
    text: TextRenderer | None = None  # a text format: the text, whole or in pieces
    file: FileWriter | None = None  # a binary format: writes the file atomically

    def render(self, result: Any, options: Options) -> str | Iterable[str]:
        if self.text is None:
            raise ValueError(f"{self.format.name} is written to a file, not printed")
        return self.text(result, options)

    def write(self, result: Any, path: Path, options: Options, replace: bool = False) -> None:
        if self.file is None:
            raise ValueError(f"{self.format.name} is text; print it or write it with "
                             "write_output")
        self.file(result, path, options, replace)


_REGISTRY: dict[str, dict[str, Renderer]] = {}


def register(kind: str, fmt: Format, text: TextRenderer | None = None,
             file: FileWriter | None = None) -> None:
    """``fmt`` for results of ``kind``: text formats give ``text``, binary ones ``file``.
    The first format registered for a kind is its default."""
    if (text is None) == (file is None) or fmt.binary != (file is not None):
        raise ValueError(f"{fmt.name}: a binary format writes a file, a text one renders text")
    formats = _REGISTRY.setdefault(kind, {})
    if fmt.name in formats:
        raise ValueError(f"{fmt.name} is registered twice for {kind}")
    formats[fmt.name] = Renderer(fmt, text, file)


class FormatMismatch(OutputError):
    """--format and the -o name disagree, or -o names a format the command does not write."""


def names(kind: str) -> tuple[str, ...]:
    """The formats results of ``kind`` are written in, the default first."""
    return tuple(_REGISTRY[kind])


def renderer(kind: str, name: str) -> Renderer:
    return _REGISTRY[kind][name]


def renderer_for(result: Any, name: str) -> Renderer:
    """The renderer of ``name`` for this result, by its type's ``kind``."""
    return renderer(result.kind, name)


def rendered(result: Any, name: str, options: Options | None = None) -> str:
    """The whole text of ``result`` in the text format ``name``."""
    out = renderer_for(result, name).render(result, options or Options())
    return out if isinstance(out, str) else "".join(out)


def help_text(kind: str) -> str:
    """The formats as --help lists them: "aligned text (default), tidy CSV or JSON"."""
    return _either([r.format.summary + (" (default)" if i == 0 else "")
                    for i, r in enumerate(_REGISTRY[kind].values())])


def _either(parts: list[str] | tuple[str, ...]) -> str:
    """"a, b or c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _every_format() -> dict[str, Format]:
    """Every registered format by name, whatever result types it is registered for."""
    return {r.format.name: r.format for formats in _REGISTRY.values() for r in formats.values()}


def format_of(output: str) -> Format | None:
    """The format a file name's suffix names (any case), if any."""
    suffix = Path(output).suffix.lower()
    return next((f for f in _every_format().values() if suffix in f.suffixes), None)


def choose(kind: str, given: str | None, output: str | None) -> str:
    """The format a command writes results of ``kind`` in (see choose_among)."""
    return choose_among(names(kind), given, output)


def choose_among(offered: tuple[str, ...], given: str | None, output: str | None) -> str:
    """The format a command writes: ``given`` (--format), else the one the suffix of
    ``output`` (-o) names, else the first ``offered``. A suffix naming another format than
    ``given``, or one not ``offered``, raises FormatMismatch. A .txt file holds any text
    format asked for by name (Markdown, CSV, JSON), never a workbook."""
    named = format_of(output) if output else None
    if named is TEXT and given is not None and given in offered \
            and not _every_format()[given].binary:
        return given
    if named is not None and named.name not in offered:
        raise FormatMismatch(f"This command does not write {named.name} (-o {output}); it "
                             f"writes {_either(offered)}.")
    if given is not None and named is not None and named.name != given:
        raise FormatMismatch(f"--format {given} contradicts -o {output}, whose suffix means "
                             f"{named.name}; drop --format or make the two agree.")
    return given or (named.name if named else offered[0])


# ---- the registrations -----------------------------------------------------------------

def _table_text(ct: Crosstab, o: Options) -> str:
    from heetui.output.text_table import render_text

    return render_text(ct, o.show, o.decimals, o.width or 120, o.weighted_counts)


def _grid_text(gt: GridSummary, o: Options) -> str:
    from heetui.output.grid_output import render_grid_text

    return render_grid_text(gt, o.show, o.decimals, o.width or 120)


def _table_csv(ct: Crosstab, o: Options) -> str:
    from heetui.output.tables import render_csv

    return render_csv(ct)


def _table_json(ct: Crosstab, o: Options) -> str:
    from heetui.output.tables import render_json

    return render_json(ct)  # a grid summary's too (tables.to_json dispatches on its type)


def _table_md(ct: Crosstab, o: Options) -> str:
    from heetui.output.tables import render_md

    return render_md(ct, o.show, o.decimals, o.weighted_counts, o.ids)


def _table_tsv(ct: Crosstab, o: Options) -> str:
    from heetui.output.tsv import render_tsv

    return render_tsv(ct, o.show, o.letters, o.weighted_counts)


def _grid_md(gt: GridSummary, o: Options) -> str:
    from heetui.output.grid_output import render_grid_md

    return render_grid_md(gt, o.show, o.decimals, o.ids)


def _table_xlsx(ct: Crosstab, path: Path, o: Options, replace: bool) -> None:
    from heetui.output.xlsx import write_xlsx

    write_xlsx(ct, path, o.codebook, o.shown, replace=replace)


def _grid_xlsx(gt: GridSummary, path: Path, o: Options, replace: bool) -> None:
    from heetui.output.grid_xlsx import write_grid_xlsx

    write_grid_xlsx(gt, path, o.codebook, o.shown, replace=replace)


def _profile_text(p: Profile, o: Options) -> str:
    from heetui.output.profile import render_text

    return render_text(p, o.show_all)


def _profile_csv(p: Profile, o: Options) -> str:
    from heetui.output.profile import render_csv

    return render_csv(p, o.show_all)


def _profile_json(p: Profile, o: Options) -> str:
    from heetui.output.profile import render_json

    return render_json(p, o.show_all)


def _profile_md(p: Profile, o: Options) -> str:
    from heetui.output.profile import render_md

    return render_md(p, o.show_all)


def _comments_text(page: VerbatimPage, o: Options) -> str:
    from heetui.output.comments import render_text

    return render_text(page, o.width or 100)


def _comments_csv(page: VerbatimPage, o: Options) -> str:
    from heetui.output.comments import render_csv

    return render_csv(page)


def _comments_json(page: VerbatimPage, o: Options) -> str:
    from heetui.output.comments import render_json

    return render_json(page)


def _book_xlsx(book: Book, path: Path, o: Options, replace: bool) -> None:
    from heetui.output.book_xlsx import write_book_xlsx

    write_book_xlsx(book, o.survey, path, o.shown, replace=replace)


def _book_html(book: Book, o: Options) -> str:
    from heetui.output.book_html import render_book_html

    return render_book_html(book, o.survey, o.shown)


def _book_md(book: Book, o: Options) -> Iterable[str]:
    from heetui.output.book_text import md_chunks

    return md_chunks(book, o.survey, o.shown)


def _book_json(book: Book, o: Options) -> Iterable[str]:
    from heetui.output.book_text import book_json_chunks

    return book_json_chunks(book, o.survey)


def _book_csv(book: Book, o: Options) -> Iterable[str]:
    from heetui.output.book_text import csv_chunks

    return csv_chunks(book)


def _weights_text(r: WeightReport, o: Options) -> str:
    from heetui.output.weight_report import render_text

    return render_text(r)


def _weights_json(r: WeightReport, o: Options) -> str:
    from heetui.output.weight_report import render_json

    return render_json(r)


def _weights_md(r: WeightReport, o: Options) -> str:
    from heetui.output.weight_report import render_md

    return render_md(r)


def _weights_xlsx(r: WeightReport, path: Path, o: Options, replace: bool) -> None:
    from heetui.output.weight_report import write_xlsx

    write_xlsx(r, path, replace)


def _diff_text(d: BookDiff, o: Options) -> str:
    from heetui.output.diff_report import render_text

    return render_text(d)


def _diff_md(d: BookDiff, o: Options) -> str:
    from heetui.output.diff_report import render_md

    return render_md(d)


def _diff_json(d: BookDiff, o: Options) -> str:
    from heetui.output.diff_report import render_json

    return render_json(d)


def _words_text(w: Words, o: Options) -> str:
    from heetui.output.words_report import render_text

    return render_text(w)


def _words_md(w: Words, o: Options) -> str:
    from heetui.output.words_report import render_md

    return render_md(w)


def _words_json(w: Words, o: Options) -> str:
    from heetui.output.words_report import render_json

    return render_json(w)


def _frame_text(c: CodingCounts, o: Options) -> str:
    from heetui.output.frame_report import render_text

    return render_text(c)


def _frame_md(c: CodingCounts, o: Options) -> str:
    from heetui.output.frame_report import render_md

    return render_md(c)


def _frame_json(c: CodingCounts, o: Options) -> str:
    from heetui.output.frame_report import render_json

    return render_json(c)


def _quotes_md(q: Quotes, o: Options) -> str:
    from heetui.output.quotes_report import render_md

    return render_md(q)


def _quotes_text(q: Quotes, o: Options) -> str:
    from heetui.output.quotes_report import render_text

    return render_text(q, o.width or 88)


def _quotes_csv(q: Quotes, o: Options) -> str:
    from heetui.output.quotes_report import render_csv

    return render_csv(q)


def _quotes_xlsx(q: Quotes, path: Path, o: Options, replace: bool) -> None:
    from heetui.output.quotes_report import write_xlsx

    write_xlsx(q, path, o.codebook, replace)


# Crosstab.kind and GridSummary.kind: the same formats (test_formats holds them equal)
register("table", TEXT, _table_text)
register("table", CSV, _table_csv)
register("table", JSON, _table_json)
register("table", MD, _table_md)
register("table", XLSX, file=_table_xlsx)
register("table", TSV, _table_tsv)
register("grid", TEXT, _grid_text)
register("grid", CSV, _table_csv)  # a grid summary's csv and json are a crosstab's
register("grid", JSON, _table_json)
register("grid", MD, _grid_md)
register("grid", XLSX, file=_grid_xlsx)
register("grid", TSV, _table_tsv)  # as its csv
register("profile", TEXT, _profile_text)
register("profile", CSV, _profile_csv)
register("profile", JSON, _profile_json)
register("profile", MD, _profile_md)
register("verbatims", TEXT, _comments_text)
register("verbatims", CSV, _comments_csv)
register("verbatims", JSON, _comments_json)
register("book", XLSX, file=_book_xlsx)
register("book", HTML, _book_html)
register("book", MD, _book_md)
register("book", JSON, _book_json)
register("book", CSV, _book_csv)
register("weights", TEXT, _weights_text)
register("weights", JSON, _weights_json)
register("weights", MD, _weights_md)
register("weights", XLSX, file=_weights_xlsx)
register("diff", TEXT, _diff_text)
register("diff", MD, _diff_md)
register("diff", JSON, _diff_json)
register("words", TEXT, _words_text)
register("words", MD, _words_md)
register("words", JSON, _words_json)
register("frame", TEXT, _frame_text)
register("frame", MD, _frame_md)
register("frame", JSON, _frame_json)
register("quotes", MD, _quotes_md)
register("quotes", TEXT, _quotes_text)
register("quotes", CSV, _quotes_csv)
register("quotes", XLSX, file=_quotes_xlsx)
