"""A bundle whose respondents are a folder of Parquet files (hive-partitioned or plain chunks)
gives exactly the numbers of the single-file bundle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from heetui.engine.comments import CellRef, Selection, verbatims
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import Filter, parse_filter
from heetui.engine.session import open_survey
from heetui.survey.bundle import BundleError, bundled_survey_path, load_bundle

SRC = bundled_survey_path()


def _partitioned(folder: Path, by: list[str]) -> Path:
    """Copy the bundled survey with respondents written as hive partitions by ``by``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SRC / "codebook.toml", folder)
    shutil.copy(SRC / "verbatims.parquet", folder)
    src = str(SRC / "respondents.parquet").replace("'", "''")
    dest = str(folder / "respondents.parquet").replace("'", "''")
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{src}')) TO '{dest}' "
               f"(FORMAT parquet, PARTITION_BY ({', '.join(by)}))")
    return folder


@pytest.fixture(scope="module")
def hive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _partitioned(tmp_path_factory.mktemp("hive") / "b", ["stakeholder_type"])


def _same(a, b) -> None:
    assert [c.base for c in a.columns] == [c.base for c in b.columns]
    for ra, rb in zip(a.rows, b.rows, strict=True):
        for ca, cb in zip(ra.cells, rb.cells, strict=True):
            assert ca.count == cb.count and ca.sig == cb.sig
            assert ca.weighted_count == pytest.approx(cb.weighted_count, rel=1e-12)
            for x, y in ((ca.percent, cb.percent), (ca.value, cb.value)):
                assert (x is None) == (y is None)
                if x is not None:
                    assert x == pytest.approx(y, rel=1e-12)


def test_every_table_equals_the_single_file_bundle(hive, survey):
    part = open_survey(hive)
    assert (hive / "respondents.parquet").is_dir()
    cb = survey.codebook
    filt = (parse_filter(cb, "stakeholder_type=NHS Trust"),)  # the partition key itself
    for q in [v.id for v in cb.questions if v.type != "open"]:
        for banner in [None, *(s.id for s in cb.segments)]:
            for weighted, filters in ((False, ()), (True, ()), (True, filt)):
                req = TabRequest(q, banner, filters, weighted=weighted)
                _same(crosstab(part, req), crosstab(survey, req))


def test_comments_of_a_cell_are_the_same(hive, survey):
    part = open_survey(hive)
    cell = CellRef("relationship", (1, 2), "NET: Positive", (Filter("stakeholder_type", (2,)),))
    sel = Selection(cell=cell, search="funding")
    a, b = verbatims(part, sel, 0, 500), verbatims(survey, sel, 0, 500)
    assert a.respondents == b.respondents and a.total == b.total
    assert [v.comment_id for v in a.items] == [v.comment_id for v in b.items]
    assert [v.attributes for v in a.items] == [v.attributes for v in b.items]


def test_nested_and_unpartitioned_folders(tmp_path, survey):
    nested = _partitioned(tmp_path / "nested", ["stakeholder_type", "seniority"])
    assert len(list((nested / "respondents.parquet").rglob("*.parquet"))) > 3
    chunks = tmp_path / "chunks"
    chunks.mkdir()
    for f in ("codebook.toml", "verbatims.parquet"):
        shutil.copy(SRC / f, chunks)
    (chunks / "respondents.parquet").mkdir()
    src = str(SRC / "respondents.parquet")
    for i, (lo, hi) in enumerate(((1, 200), (201, 450), (451, 10_000))):
        duckdb.sql(f"COPY (SELECT * FROM read_parquet('{src}') WHERE respondent_id BETWEEN "
                   f"{lo} AND {hi}) TO '{chunks}/respondents.parquet/part-{i}.parquet' "
                   "(FORMAT parquet)")
    req = TabRequest("words", "region", weighted=True)
    for folder in (nested, chunks):
        _same(crosstab(open_survey(folder), req), crosstab(survey, req))


def test_a_bad_code_in_one_partition_is_reported(tmp_path):
    bad = _partitioned(tmp_path / "bad", ["stakeholder_type"])
    (bad / "respondents.parquet" / "stakeholder_type=3").rename(
        bad / "respondents.parquet" / "stakeholder_type=9")
    with pytest.raises(BundleError, match="stakeholder_type"):
        load_bundle(bad)


def test_a_folder_without_parquet_files_is_one_clear_error(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    shutil.copy(SRC / "codebook.toml", folder)
    (folder / "respondents.parquet").mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-m", "heetui", "info", "--data", str(folder)],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2
    assert "folder without .parquet files" in r.stderr and "Traceback" not in r.stderr


def test_changing_one_partition_revalidates(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    b = _partitioned(tmp_path / "b", ["stakeholder_type"])
    load_bundle(b)  # validated and remembered
    part = next((b / "respondents.parquet" / "stakeholder_type=1").glob("*.parquet"))
    src = str(part).replace("'", "''")
    duckdb.sql(f"COPY (SELECT * REPLACE (7 AS relationship) FROM read_parquet('{src}')) "
               f"TO '{tmp_path}/x.parquet' (FORMAT parquet)")
    os.replace(tmp_path / "x.parquet", part)
    with pytest.raises(BundleError, match="relationship"):
        load_bundle(b)
