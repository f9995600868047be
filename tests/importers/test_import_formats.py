"""Input formats registered once (importers.formats): every registered reader exists, and a
format added by one registration is imported, opened, offered in the help and named in the
error for another file, with nothing else changed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from heetui.cli.parser import build_parser
from heetui.importers import SourceError, formats, import_source
from heetui.importers.formats import INPUT_FORMATS, InputFormat, format_list, input_format
from heetui.importers.table import Progress, Table
from heetui.opening import open_path


def read_tsv(path: Path, progress: Progress | None = None) -> Table:
    """A reader for the test's format: tab-separated values, no labels."""
    return Table(pl.read_csv(path, separator="\t"), "tsv", path.stem)


TSV = InputFormat("tsv", (".tsv",), labelled=False, text=True,
                  reader="test_import_formats:read_tsv")


def test_every_registered_reader_exists():
    for f in INPUT_FORMATS:
        module, _, name = f.reader.partition(":")
        assert callable(getattr(__import__(module, fromlist=[name]), name)), f.reader
    suffixes = [s for f in INPUT_FORMATS for s in f.suffixes]
    assert len(suffixes) == len(set(suffixes)) and all(s == s.lower() for s in suffixes)


def test_the_help_and_the_error_list_the_registered_formats(tmp_path):
    assert format_list() == ".sav, .dta, .csv, .xlsx or .parquet"
    help_text = build_parser().format_help()
    assert ".sav, .dta, .csv, .xlsx or .parquet" in " ".join(help_text.split())
    odd = tmp_path / "s.odt"
    odd.write_text("x")
    with pytest.raises(SourceError, match=r"heetui imports \.sav, \.dta, \.csv, \.xlsx and "
                                          r"\.parquet files, not \.odt\."):
        import_source(odd, tmp_path / "b")


def test_a_new_format_is_one_registration(tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "INPUT_FORMATS", (*INPUT_FORMATS, TSV))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "s.TSV"
    source.write_text("g\tscore\n" + "".join(f"{i % 2 + 1}\t{i * 1.5}\n" for i in range(40)))
    assert input_format(source) == TSV
    assert ".parquet or .tsv" in " ".join(build_parser().format_help().split())
    import_source(source, tmp_path / "b")
    survey = open_path(tmp_path / "b")
    assert [v.id for v in survey.codebook.variables] == ["g", "score"]
    assert survey.codebook.get("g").type == "single"  # an unlabelled format: coded from
    # its few whole numbers, as a CSV's are
    assert open_path(source).codebook.get("score").type == "numeric"  # opened directly
    odd = tmp_path / "s.odt"
    odd.write_text("x")
    with pytest.raises(SourceError, match=r"\.parquet and \.tsv files, not \.odt"):
        import_source(odd, tmp_path / "c")


def test_a_platform_is_one_detect_build_pair_walked_in_order(monkeypatch):
    """recognise() builds with the first pair whose detect holds, and only that one."""
    from heetui.importers import platforms

    built: list[str] = []

    def build(name: str):
        def run(table: Table) -> None:
            built.append(name)
            table.platform = name
        return run

    frame = pl.DataFrame({"Timestamp": ["2024/05/01 10:22:33"] * 3, "Colour": ["a", "b", "a"]})
    monkeypatch.setattr(platforms, "PLATFORMS", (
        (lambda t: False, build("never")),
        (lambda t: "Colour" in t.frame.columns, build("Colours Inc")),
        *platforms.PLATFORMS))  # Google Forms' pair would hold too, but comes later
    table = Table(frame, "csv", "t")
    platforms.recognise(table)
    assert built == ["Colours Inc"] and table.platform == "Colours Inc"
    monkeypatch.setattr(platforms, "PLATFORMS", platforms.PLATFORMS[2:])
    table = Table(frame, "csv", "t")
    platforms.recognise(table)
    assert table.platform == "Google Forms" and table.recognised.startswith("a Google Forms")
