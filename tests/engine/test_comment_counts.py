"""The comment counts a page shows, kept with the survey between pages: the disclosure
decision read from a group's first comments decides as the full count does, and a coding
edit (which reshapes the survey) is seen by the next page's counts. Checked against polars
on the raw files."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from heetui import engine
from heetui.engine import commenters, comments
from heetui.engine.comments import DisclosureError, Selection, verbatims
from heetui.engine.filters import parse_filter
from heetui.engine.session import open_survey
from heetui.survey.bundle import bundled_survey_path
from helpers import codebook, single, small_comment_bundle, write_bundle


@pytest.mark.parametrize("early", [1, 3, comments.EARLY])
def test_a_group_is_shown_when_its_people_reach_the_minimum_however_few_are_read_first(
        tmp_path, monkeypatch, early):
    monkeypatch.setattr(comments, "EARLY", early)
    folder = small_comment_bundle(tmp_path)
    s = open_survey(folder)
    grp = pl.read_parquet(folder / "respondents.parquet")["grp"].to_list()
    for code in (1, 2, 3):
        sel = Selection(filters=(parse_filter(s.codebook, f"grp={code}"),))
        people = grp.count(code)  # one comment each
        if people >= 5:
            assert verbatims(s, sel).people == people
        else:
            with pytest.raises(DisclosureError):
                verbatims(s, sel)


def test_pages_share_their_counts_until_a_coding_edit_changes_them(tmp_path):
    folder = tmp_path / "hee"
    shutil.copytree(bundled_survey_path(), folder)
    s = open_survey(folder, workspace=tmp_path / "work.toml")
    sel = Selection(question="improve")
    first = verbatims(s, sel)
    assert verbatims(s, sel, offset=50).themes == first.themes
    raw = pl.read_parquet(folder / "verbatims.parquet").filter(pl.col("question") == "improve")

    def carrying(search: str | None) -> int:
        holds = pl.col("themes").list.contains(1)
        if search is not None:
            holds = holds | pl.col("text").str.to_lowercase().str.contains(search)
        return raw.filter(holds).height

    assert first.themes[0].count == carrying(None)
    engine.apply_edit(s, engine.coding.apply_search(s, "improve", "1", "staff"))
    after = verbatims(s, sel, offset=50)
    assert after.themes[0].count == carrying("staff") > carrying(None)
    assert after.total == first.total == raw.height
    # the coder's counts (engine.coding): every comment said something, coded by a stored
    # theme or the search
    said = raw.filter(pl.col("text").str.strip_chars() != "")
    coded = said.filter((pl.col("themes").list.len() > 0)
                        | pl.col("text").str.to_lowercase().str.contains("staff"))
    counts = engine.coding.coding_counts(s, "improve")
    assert (counts.comments, counts.coded) == (said.height, coded.height)
    assert counts.themes[0][1] == carrying("staff")


@pytest.mark.parametrize("footers", [True, False], ids=["statistics", "no-statistics"])
@pytest.mark.parametrize("early", [1, comments.EARLY])
@pytest.mark.parametrize("step", [1, 97, 50_000_000], ids=["close", "apart", "spread"])
def test_the_people_behind_comments_are_each_counted_once_whatever_their_ids(
        tmp_path, monkeypatch, step, early, footers):
    """Respondents who wrote two comments count once and interview excerpts once per
    attribution, with ids side by side, apart, or spread wider than a bitmap over them
    (engine.commenters) would hold; the page's people and its writers' attributes against
    polars on the raw rows, whether the first comments' writers decide the attributes or
    the whole group is counted, and whether the ids' range is read from the file's
    statistics or by a scan. Two respondents who wrote nothing have ids outside the
    writers' range, and the bundle lies in a folder named "respondents"."""
    monkeypatch.setattr(comments, "EARLY", early)
    n = 30
    ids = [10 + k * step for k in range(n)]
    grp = [1 + k % 3 for k in range(n)]
    writers = ids + ids[::3] + [None, None, None]  # every third writes twice; 3 excerpts
    texts = [f"first from {i}" for i in ids] + [f"second from {i}" for i in ids[::3]] + \
        ["interview one", "interview two", "interview three"]
    verb = pl.DataFrame(
        {"respondent_id": writers, "question": ["why"] * len(writers), "text": texts,
         "themes": [[1]] * len(writers), "source": ["survey"] * (len(writers) - 3) +
         ["interview"] * 3, "attribution": [None] * (len(writers) - 3) +
         ["Trust A", "Trust A", "Trust B"]},
        schema={"respondent_id": pl.UInt32, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    silent = [1, ids[-1] + 7]  # no comment: below and above the writers' ids
    resp = pl.DataFrame({"respondent_id": pl.Series(silent[:1] + ids + silent[1:],
                                                    dtype=pl.UInt32),
                         "grp": pl.Series([1, *grp, 2], dtype=pl.UInt8)})
    book = codebook([single("grp", ["a", "b", "c"], role="segment"),
                     {"id": "why", "type": "open", "text": "Why?"}])
    book["themes"] = [{"code": 1, "label": "T"}]
    folder = write_bundle(tmp_path / "respondents" / "b", book, resp, verb, force=True)
    if not footers:
        verb.write_parquet(folder / "verbatims.parquet", statistics=False)
    s = open_survey(folder)
    # the range read as the case asks: from the statistics, else by the scan
    assert (commenters._footers(s) is not None) == footers
    assert commenters.ids(s) == ((ids[0], ids[-1]) if step < 1000 else None, True)
    raw = verb.with_row_index("comment_id", 1).join(resp, on="respondent_id", how="left")

    def people(rows: pl.DataFrame) -> int:
        return rows["respondent_id"].drop_nulls().n_unique() + \
            rows.filter(pl.col("respondent_id").is_null())["attribution"].n_unique()

    whole = verbatims(s, Selection(question="why"), limit=100)
    assert (whole.people, whole.total) == (people(raw), raw.height) == (n + 2, n + 13)
    for code in (1, 2, 3):
        page = verbatims(s, Selection(filters=(parse_filter(s.codebook, f"grp={code}"),)))
        assert page.people == people(raw.filter(pl.col("grp") == code)) == 10
        assert all(dict(v.attributes)["grp"] == "abc"[code - 1] for v in page.items)
    searched = verbatims(s, Selection(question="why", search="second"))
    assert searched.people == people(raw.filter(pl.col("text").str.contains("second"))) == 10


@pytest.mark.parametrize("dtype", [pl.Decimal(12, 0), pl.Float64], ids=["decimal", "float"])
def test_ids_that_are_not_integers_are_counted_the_ordinary_way(tmp_path, dtype):
    """Respondent ids stored as whole decimals (their file statistics read as integers) or
    as floats: no bitmap over them; the page's people still each counted once."""
    ids = list(range(1, 11))
    verb = pl.DataFrame(
        {"respondent_id": ids + ids[:3], "question": ["why"] * 13, "text": ["said"] * 13,
         "themes": [[1]] * 13, "source": ["survey"] * 13, "attribution": [None] * 13},
        schema={"respondent_id": dtype, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    resp = pl.DataFrame({"respondent_id": pl.Series(ids, dtype=dtype),
                         "grp": pl.Series([1, 2] * 5, dtype=pl.UInt8)})
    book = codebook([single("grp", ["a", "b"], role="segment"),
                     {"id": "why", "type": "open", "text": "Why?"}])
    book["themes"] = [{"code": 1, "label": "T"}]
    s = open_survey(write_bundle(tmp_path / "b", book, resp, verb, force=True))
    assert commenters.ids(s).bounds is None
    page = verbatims(s, Selection(question="why"))
    assert (page.total, page.people) == (13, 10)
