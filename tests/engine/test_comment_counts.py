"""The comment counts a page shows, kept with the survey between pages: the disclosure
decision read from a group's first comments decides as the full count does, and a coding
edit (which reshapes the survey) is seen by the next page's counts. Checked against polars
on the raw files."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from heetui import engine
from heetui.engine import comments
from heetui.engine.comments import DisclosureError, Selection, verbatims
from heetui.engine.filters import parse_filter
from heetui.engine.session import open_survey
from heetui.survey.bundle import bundled_survey_path
from helpers import small_comment_bundle


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
