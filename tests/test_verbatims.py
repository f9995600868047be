"""Verbatims: drill-down, search, themes, filters, paging, disclosure control, hostile text."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import EngineError, parse_filter
from heetui.engine.session import open_survey
from heetui.engine.verbatims import CellRef, DisclosureError, Selection, verbatims
from heetui.output.comments import render_text
from heetui.survey.bundle import bundled_survey_path
from helpers import make_bundle, single
from test_cli_info import run

ALL = 10**9


@pytest.fixture(scope="module")
def comments() -> pl.DataFrame:
    return pl.read_parquet(bundled_survey_path() / "verbatims.parquet")


def ids_of(page) -> set[int]:
    return {v.respondent_id for v in page.items}


def cell_members(raw: pl.DataFrame, survey, q: str, codes, banner, code) -> set[int]:
    v = survey.codebook.get(q)
    df = raw
    if v.eligible:
        df = df.filter(pl.col(v.eligible.variable).is_in(list(v.eligible.codes)))
    if v.type == "multi":
        df = df.filter(pl.max_horizontal([pl.col(v.column(c)) for c in codes]) == 1)
    else:
        df = df.filter(pl.col(q).is_in(list(codes)))
    if banner is not None:
        b = survey.codebook.get(banner)
        df = df.filter(pl.col(b.column(code)) == 1) if b.type == "multi" else \
            df.filter(pl.col(banner) == code)
    return set(df["respondent_id"].to_list())


@pytest.mark.parametrize(("q", "row_key", "banner", "col_code"), [
    ("relationship", "4", "stakeholder_type", 2),      # single x single
    ("relationship", "net1", "region", 8),             # net x overlapping banner
    ("words", "10", "stakeholder_type", 1),            # multi-response option
    ("words", "net2", "hee_team", 3),                  # multi net x overlapping banner
    ("effectiveness", "2", None, None),                # Total column
])
def test_cell_drill_down_is_exactly_the_cell(survey, raw, comments, q, row_key, banner,
                                             col_code):
    ct = crosstab(survey, TabRequest(q, banner))
    row = next(r for r in ct.rows if r.key == row_key)
    col_index = next(i for i, c in enumerate(ct.columns) if c.code == col_code)
    cell = CellRef(q, row.codes, row.label, banner if col_code else None, col_code)
    page = verbatims(survey, Selection(cell=cell), 0, ALL)
    assert page.respondents == row.cells[col_index].count
    members = cell_members(raw, survey, q, row.codes, banner, col_code)
    expected = comments.filter(pl.col("respondent_id").is_in(list(members)))
    assert page.total == expected.height == len(page.items)
    assert ids_of(page) <= members
    assert [v.comment_id for v in page.items] == sorted(expected["comment_id"].to_list())


def test_base_row_opens_whole_column(survey, raw):
    cell = CellRef("words", (), "", "stakeholder_type", 2)
    page = verbatims(survey, Selection(cell=cell), 0, 1)
    assert page.respondents == 364  # NHS Trusts in contact with HEE


def test_whole_survey_includes_interviews(survey, comments):
    page = verbatims(survey, Selection(), 0, ALL)
    assert page.total == comments.height and page.respondents == 602
    filtered = verbatims(survey, Selection(filters=(parse_filter(survey.codebook,
                                                                 "seniority=1"),)), 0, ALL)
    assert all(v.source == "survey" for v in filtered.items)


@pytest.mark.parametrize(("search", "themes", "filters", "question"), [
    ("contact", (), (), None),
    ('"group mailbox"', (), (), None),
    ("FUNDING year", (1,), (), "relationship_why"),
    ("", (3, 9), ("stakeholder_type=NHS Trust", "region=London,National"), None),
    ("it's \"a\" test' OR 1=1 --", (), (), None),
    ("50%_", (), (), None),
])
def test_search_theme_filter_against_polars(survey, raw, comments, search, themes, filters,
                                            question):
    cb = survey.codebook
    sel = Selection(question=question, filters=tuple(parse_filter(cb, f) for f in filters),
                    themes=themes, search=search)
    page = verbatims(survey, sel, 0, ALL)
    df = comments
    if question:
        df = df.filter(pl.col("question") == question)
    if filters:
        people = raw.filter((pl.col("stakeholder_type") == 2)
                            & ((pl.col("region_6") == 1) | (pl.col("region_8") == 1)))
        df = df.filter(pl.col("respondent_id").is_in(people["respondent_id"].to_list()))
    for term in [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', search)]:
        df = df.filter(pl.col("text").str.to_lowercase().str.contains(term.lower(),
                                                                      literal=True))
    if themes:
        df = df.filter(pl.col("themes").list.eval(pl.element().is_in(list(themes))).list.any())
    assert [v.comment_id for v in page.items] == sorted(df["comment_id"].to_list())
    assert page.total == df.height


def test_theme_counts_match(survey, comments):
    page = verbatims(survey, Selection(question="improve"), 0, 1)
    exploded = comments.filter(pl.col("question") == "improve").explode("themes")
    counts = dict(exploded.group_by("themes").len().iter_rows())
    assert {t.code: t.count for t in page.themes} == {c: counts.get(c, 0) for c in range(1, 12)}


def test_paging(survey, comments):
    pages = [verbatims(survey, Selection(), off, 50) for off in range(0, comments.height, 50)]
    seen = [v.comment_id for p in pages for v in p.items]
    assert seen == sorted(comments["comment_id"].to_list())
    assert all(len(p.items) == 50 for p in pages[:-1]) and len(set(seen)) == len(seen)


# ---- disclosure control ------------------------------------------------------------------

def _small_bundle(tmp_path, texts: dict[int, str] | None = None):
    # group sizes: code 1 -> 4 respondents, 2 -> 5, 3 -> 6
    grp = [1] * 4 + [2] * 5 + [3] * 6
    texts = texts or {i + 1: f"comment {i + 1}" for i in range(len(grp))}
    verb = pl.DataFrame(
        {"respondent_id": list(texts), "question": ["why"] * len(texts),
         "text": list(texts.values()), "themes": [[1]] * len(texts),
         "source": ["survey"] * len(texts), "attribution": [None] * len(texts)},
        schema={"respondent_id": pl.UInt32, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    folder = make_bundle(tmp_path / "small", [single("grp", ["four", "five", "six"],
                                                     role="segment"),
                                              {"id": "why", "type": "open", "text": "Why?"}],
                         {"grp": grp}, verbatims=verb)
    cb = (folder / "codebook.toml").read_text()
    (folder / "codebook.toml").write_text(cb.replace("[[segments]]",
                                                     '[[themes]]\ncode = 1\nlabel = "T"\n\n'
                                                     "[[segments]]", 1))
    return folder


@pytest.mark.parametrize(("code", "allowed"), [(1, False), (2, True), (3, True)])
def test_disclosure_threshold(tmp_path, code, allowed):
    s = open_survey(_small_bundle(tmp_path))
    sel = Selection(filters=(parse_filter(s.codebook, f"grp={code}"),))
    if allowed:
        assert verbatims(s, sel).respondents == {2: 5, 3: 6}[code]
    else:
        with pytest.raises(DisclosureError, match="has 4 respondents, fewer than the minimum"):
            verbatims(s, sel)
    # the crosstab is never hidden
    assert crosstab(s, TabRequest("grp")).rows[0].cells[0].count == 4


def test_disclosure_on_the_cli(tmp_path):
    folder = _small_bundle(tmp_path)
    r = run("verbatims", "--data", str(folder), "--filter", "grp=four")
    assert r.returncode == 2 and r.stdout == ""
    assert "minimum group size of 5" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run("verbatims", "--data", str(folder), "--filter", "grp=four", "--min-group", "4")
    assert r.returncode == 0 and "comment 1" in r.stdout
    r = run("verbatims", "--data", str(folder), "--filter", "grp=six", "--min-group", "7")
    assert r.returncode == 2


# ---- hostile text --------------------------------------------------------------------------

HOSTILE = {
    1: "[bold red]shout[/] and [link=http://x]click[/link]",
    2: "clear \x1b[2J\x1b[H screen and bell \x07",
    3: "RTL: שלום עולם and override \u202eevil\u202c end",
    4: "x" * 100_000,
    5: "NUL \x00 byte and café – naïve",
}


def test_hostile_text_in_text_and_json(tmp_path):
    folder = _small_bundle(tmp_path, HOSTILE)
    r = run("verbatims", "--data", str(folder), "--min-group", "1")
    assert r.returncode == 0
    assert "[bold red]shout[/]" in r.stdout
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\x00" not in r.stdout
    assert "\\x1b[2J" in r.stdout and "\\u202e" in r.stdout and "\u202e" not in r.stdout
    assert "שלום עולם" in r.stdout and "café – naïve" in r.stdout
    r = run("verbatims", "--data", str(folder), "--min-group", "1", "--format", "json")
    texts = {d["respondent_id"]: d["text"] for d in json.loads(r.stdout)}
    assert texts == HOSTILE  # JSON keeps the text exactly


def test_render_text_is_literal(survey):
    page = verbatims(survey, Selection(), 0, 3)
    out = render_text(page)
    assert out.startswith("All respondents · 602 respondents")


def test_unknown_question_and_theme(survey):
    with pytest.raises(EngineError, match="not an open-ended question"):
        verbatims(survey, Selection(question="relationship"))
    r = run("verbatims", "--theme", "nonsense")
    assert r.returncode == 2 and "Unknown theme 'nonsense'" in r.stderr


def test_cli_json_contract():
    r = run("verbatims", "--question", "improve", "--theme", "Point of contact and staff "
            "turnover", "--format", "json", "--limit", "5")
    d = json.loads(r.stdout)
    assert len(d) == 5
    for item in d:
        assert {"respondent_id", "question", "text", "themes", "source"} <= set(item)
        assert item["question"] == "improve"
        assert "Point of contact and staff turnover" in item["themes"]


def test_open_question_tabulated_by_coded_themes(survey, raw, comments):
    ct = crosstab(survey, TabRequest("improve", "stakeholder_type", weighted=True))
    said = comments.filter((pl.col("question") == "improve") & pl.col("respondent_id")
                           .is_not_null() & (pl.col("text").str.strip_chars() != ""))
    per = said.group_by("respondent_id").agg(
        [pl.col("themes").list.contains(k).any().alias(f"t{k}") for k in range(1, 12)])
    joined = per.join(raw, on="respondent_id")
    assert ct.total.base == joined.height
    for col in ct.columns:
        sub = joined if col.code is None else joined.filter(pl.col("stakeholder_type")
                                                            == col.code)
        assert col.base == sub.height
        for row in ct.rows:
            hit = sub.filter(pl.col(f"t{row.codes[0]}"))
            cell = row.cells[ct.columns.index(col)]
            assert cell.count == hit.height
            assert cell.percent == pytest.approx(100 * hit["weight"].sum() / sub["weight"].sum())
    # drilling into a theme cell gives exactly its respondents' comments with that theme
    row = next(r for r in ct.rows if r.label == "Supportive individuals")
    page = verbatims(survey, Selection(cell=CellRef("improve", row.codes, row.label,
                                                    "stakeholder_type", 2)), 0, ALL)
    assert page.respondents == row.cells[2].count
    assert all(9 in v.theme_codes and v.question == "improve" for v in page.items)
