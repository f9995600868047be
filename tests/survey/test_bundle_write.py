"""The one bundle writer (survey.write.BundleWriter): what every bundle's files are, whether
the respondents come in one frame (heetui import) or in streamed parts (heetui demo)."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from heetui.survey.bundle import BundleError, load_bundle
from heetui.survey.write import (
    RESPONDENT_COMPRESSION,
    write_bundle,
    writing_bundle,
)
from helpers import codebook, multi, single


def _frame(first: int, n: int) -> pl.DataFrame:
    ids = range(first, first + n)
    return pl.DataFrame({
        "respondent_id": pl.Series(ids, dtype=pl.UInt32),
        "q": pl.Series([1 + i % 2 for i in ids], dtype=pl.UInt8),
        "m_1": pl.Series([i % 2 for i in ids], dtype=pl.UInt8),
        "m_2": pl.Series([1 - i % 3 // 2 for i in ids], dtype=pl.UInt8),
        "wt": pl.Series([(0.5, 1.25, 2.0)[i % 3] for i in ids], dtype=pl.Float64)})


CODEBOOK = codebook([single("q", ["a", "b"]), multi("m", ["x", "y"])], weight="wt")


def _chunks(path) -> list[tuple[str, str, str, int]]:
    """(column, encodings, compression, rows) of every column chunk of a Parquet file."""
    return [tuple(r) for r in duckdb.sql(
        "SELECT path_in_schema, encodings, compression, row_group_num_rows "
        f"FROM parquet_metadata('{path}')").fetchall()]


def test_respondents_from_one_frame_are_dictionary_encoded_and_packed(tmp_path):
    out = write_bundle(tmp_path / "b", CODEBOOK, _frame(1, 1000))
    chunks = _chunks(out / "respondents.parquet")
    weight = [c for c in chunks if c[0] == "wt"]
    assert weight and all("DICTIONARY" in enc for _, enc, _, _ in weight)  # polars: PLAIN
    assert {comp for _, _, comp, _ in chunks} == {RESPONDENT_COMPRESSION.upper()}
    df = pl.read_parquet(out / "respondents.parquet")
    assert df.drop("m__bits").equals(_frame(1, 1000))
    assert df["m__bits"].to_list()[:3] == [3, 0, 3]  # bit 0: m_1, bit 1: m_2
    assert sorted(p.name for p in out.iterdir()) == ["codebook.toml", "heetui-files.sha256",
                                                     "respondents.parquet"]
    load_bundle(out)


def test_streamed_parts_make_the_same_respondents_as_one_frame(tmp_path):
    whole = write_bundle(tmp_path / "whole", CODEBOOK, _frame(1, 1500))
    with writing_bundle(tmp_path / "parts", CODEBOOK) as writer:
        for first in (1, 601, 1201):
            writer.add_respondents(_frame(first, 600 if first < 1201 else 300))
        comments = pl.DataFrame({"respondent_id": [1, 2], "question": ["q", "q"],
                                 "text": ["a", "b"]})
        writer.add_verbatims(comments)
        writer.add_verbatims(comments.clear())
        writer.add_verbatims(comments)
    a, b = whole / "respondents.parquet", tmp_path / "parts" / "respondents.parquet"
    assert pl.read_parquet(a).equals(pl.read_parquet(b))
    assert {c[:3] for c in _chunks(a)} == {c[:3] for c in _chunks(b)}  # the same encodings
    v = pl.read_parquet(tmp_path / "parts" / "verbatims.parquet")
    assert v["comment_id"].to_list() == [1, 2, 3, 4] and v["comment_id"].dtype == pl.UInt32
    assert v["text"].to_list() == ["a", "b", "a", "b"]
    assert not [p for p in (tmp_path / "parts").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("column", [
    pl.Series(["a", "b", "a"], dtype=pl.Categorical), pl.Series(["x", "y", "x"],
                                                                dtype=pl.Enum(["x", "y"])),
    pl.Series([dt.datetime(2020, 1, 1, tzinfo=dt.UTC)] * 3),
    pl.Series([dt.datetime(2020, 1, 1)] * 3).cast(pl.Datetime("ns")),
    pl.Series([dt.date(2020, 1, 2)] * 3), pl.Series([dt.timedelta(seconds=5)] * 3),
    pl.Series([dt.time(10, 5)] * 3), pl.Series(["1.25", "2.5", "3"]).cast(pl.Decimal(10, 2)),
    pl.Series(["é", None, "z"]), pl.Series([True, None, False]), pl.Series([None] * 3),
    pl.Series([1, -2, 3], dtype=pl.Int8), pl.Series([1.5, None, 2.0], dtype=pl.Float32),
    pl.Series([[1], [2, 3], []])], ids=lambda c: str(c.dtype))
def test_every_column_type_is_written_as_given(tmp_path, column):
    """Whatever a source's column holds, the bundle gives it back with its type (the
    respondents as polars wrote them where DuckDB's writer would change a column)."""
    frame = _frame(1, 3).with_columns(column.alias("extra"))
    out = write_bundle(tmp_path / "b", CODEBOOK, frame)
    back = pl.read_parquet(out / "respondents.parquet").drop("m__bits")
    assert back.schema == frame.schema and back.equals(frame)


def test_comments_keep_their_own_ids(tmp_path):
    comments = pl.DataFrame({"comment_id": pl.Series([7, 9], dtype=pl.UInt32),
                             "respondent_id": [1, 2], "question": ["q", "q"], "text": ["a", "b"]})
    out = write_bundle(tmp_path / "b", CODEBOOK, _frame(1, 10), comments)
    assert pl.read_parquet(out / "verbatims.parquet").equals(comments)


def test_columns_duckdb_would_rename_are_written_as_given(tmp_path):
    # DuckDB's names ignore case: its writer would rename x_1 to x_1_1, and the bundle
    # would no longer say what is wrong with it
    frame = _frame(1, 10).with_columns(pl.col("q").alias("Q"))
    out = write_bundle(tmp_path / "b", CODEBOOK, frame)
    assert pl.read_parquet(out / "respondents.parquet").drop("m__bits").equals(frame)
    with pytest.raises(BundleError, match="only in letter case"):
        load_bundle(out)


def test_a_failed_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), writing_bundle(tmp_path / "b", CODEBOOK) as writer:
        writer.add_respondents(_frame(1, 10))
        raise RuntimeError("the generator failed")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="needs respondents"), \
            writing_bundle(tmp_path / "b", CODEBOOK):
        pass
    assert list(tmp_path.iterdir()) == []


def test_validate_keeps_an_invalid_bundle_out_of_place(tmp_path):
    with pytest.raises(BundleError):
        write_bundle(tmp_path / "b", CODEBOOK, _frame(1, 10).drop("q"), validate=True)
    assert list(tmp_path.iterdir()) == []
