"""Verbatims: drill-down, search, themes, filters, paging, disclosure control, hostile text."""

from __future__ import annotations

import json

import polars as pl
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.comments import CellRef, DisclosureError, Selection, verbatims
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import Filter, parse_filter
from heetui.engine.session import open_survey
from heetui.engine.sql import Clause, joined, where
from heetui.errors import EngineError
from heetui.output.comments import render_text
from heetui.survey.bundle import bundled_survey_path
from helpers import HOSTILE_COMMENTS as HOSTILE
from helpers import small_comment_bundle as _small_bundle

ALL = 10**9


@pytest.fixture(scope="module")
def comments() -> pl.DataFrame:
    return pl.read_parquet(bundled_survey_path() / "verbatims.parquet")


def test_clauses_keep_their_values_beside_their_placeholders():
    a, b = Clause("x IN (?, ?)", [1, 2]), Clause("t ILIKE ?", ["%a%"])
    assert where([a, b]) == Clause("x IN (?, ?) AND t ILIKE ?", [1, 2, "%a%"])
    assert where([]) == Clause("TRUE", [])
    q = joined("SELECT ", b, " FROM v WHERE ", a, Clause(" LIMIT ?", [5]))
    assert q == Clause("SELECT t ILIKE ? FROM v WHERE x IN (?, ?) LIMIT ?", ["%a%", 1, 2, 5])


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
    cell = CellRef(q, row.codes, row.label, (Filter(banner, (col_code,)),) if col_code else ())
    page = verbatims(survey, Selection(cell=cell), 0, ALL, show_ids=True)
    assert page.respondents == row.cells[col_index].count
    members = cell_members(raw, survey, q, row.codes, banner, col_code)
    expected = comments.filter(pl.col("respondent_id").is_in(list(members)))
    assert page.total == expected.height == len(page.items)
    assert ids_of(page) <= members
    assert [v.comment_id for v in page.items] == sorted(expected["comment_id"].to_list())


def test_base_row_opens_whole_column(survey, raw):
    cell = CellRef("words", (), "", (Filter("stakeholder_type", (2,)),))
    page = verbatims(survey, Selection(cell=cell), 0, 1)
    assert page.respondents == 364  # NHS Trusts in contact with HEE


def test_whole_survey_includes_interviews(survey, comments):
    page = verbatims(survey, Selection(), 0, ALL)
    assert page.total == comments.height and page.respondents == 602
    filtered = verbatims(survey, Selection(filters=(parse_filter(survey.codebook,
                                                                 "seniority=1"),)), 0, ALL)
    assert all(v.source == "survey" for v in filtered.items)


def _reference_people(raw: pl.DataFrame, filters: tuple[str, ...]) -> pl.DataFrame:
    """Respondents matching every ``VAR=VALUE[,VALUE]`` filter, by the option codes the
    codebook file lists (read with tomllib, not the engine's parser)."""
    import tomllib

    cb = tomllib.loads((bundled_survey_path() / "codebook.toml").read_text(encoding="utf-8"))
    variables = {v["id"]: v for v in cb.get("segments", []) + cb.get("questions", [])}
    people = raw
    for text in filters:
        vid, _, values = text.partition("=")
        v = variables[vid.strip()]
        codes = []
        for value in values.split(","):
            value = value.strip()
            codes += [o["code"] for o in v["options"]
                      if o["label"].casefold() == value.casefold() or value == str(o["code"])]
        assert codes, text
        if v["type"] == "multi":
            people = people.filter(pl.any_horizontal([pl.col(f"{vid}_{c}") == 1
                                                      for c in codes]))
        else:
            people = people.filter(pl.col(vid).is_in(codes))
    return people


def _reference_terms(search: str) -> list[str]:
    """Words and "quoted phrases", read character by character; an unpaired quote is part
    of its word."""
    terms, i = [], 0
    while i < len(search):
        if search[i].isspace():
            i += 1
        elif search[i] == '"' and '"' in search[i + 1:]:
            end = search.index('"', i + 1)
            terms.append(search[i + 1:end])
            i = end + 1
        else:
            end = i
            while end < len(search) and not search[end].isspace():
                end += 1
            terms.append(search[i:end])
            i = end
    return [t.strip() for t in terms if t.strip()]


@pytest.mark.parametrize(("search", "themes", "filters", "question"), [
    ("contact", (), (), None),
    ('"named contact"', (), (), None),
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
    people = _reference_people(raw, filters)
    if filters:
        assert 0 < people.height < raw.height
    ids = set(people["respondent_id"].to_list())
    terms = [t.casefold() for t in _reference_terms(search)]
    expected = [
        (c["question"], c["text"]) for c in comments.sort("comment_id").iter_rows(named=True)
        if (question is None or c["question"] == question)
        and (not filters or c["respondent_id"] in ids)  # interviews belong to no respondent
        and all(t in c["text"].casefold() for t in terms)
        and (not themes or any(t in themes for t in c["themes"] or []))]
    if not expected:  # nothing matches: answered as a refused group is (engine.disclosure)
        with pytest.raises(DisclosureError, match="^No comments can be shown"):
            verbatims(survey, sel, 0, ALL)
        return
    page = verbatims(survey, sel, 0, ALL)
    if filters:  # the filters narrow the group: only these respondents' comments count
        assert page.respondents == people.height
    assert [(v.question, v.text) for v in page.items] == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(("question", "search", "themes", "uncoded"), [
    (None, "staff", (3, 6), False),  # a search narrowed by themes: the one-read page
    ("improve", "placement", (), False),
    ("improve", "", (), True),  # the uncoded: the one-read page
    ("relationship_why", "", (2,), False),  # a theme alone: counts and page apart
])
@pytest.mark.parametrize(("offset", "limit"), [(0, 4), (7, 5)])
def test_a_cold_page_and_its_counts_against_polars(comments, question, search, themes,
                                                   uncoded, offset, limit):
    survey = open_survey()  # nothing kept from an earlier page: the first page's path
    sel = Selection(question=question, search=search, themes=themes, uncoded=uncoded)
    base = comments.filter(
        (pl.col("question") == question) if question else pl.lit(True),
        pl.col("text").str.to_lowercase().str.contains(search, literal=True),
        (pl.col("themes").list.len() == 0) & (pl.col("text").str.strip_chars() != "")
        if uncoded else pl.lit(True)).sort("comment_id")
    shown = base.filter(pl.col("themes").list.eval(pl.element().is_in(list(themes))).list.any()
                        if themes else pl.lit(True))
    assert shown.height > offset + limit and shown.height < base.height or not themes
    page = verbatims(survey, sel, offset, limit, show_ids=True)
    assert [v.comment_id for v in page.items] == \
        shown["comment_id"].to_list()[offset:offset + limit]
    assert [v.text for v in page.items] == shown["text"].to_list()[offset:offset + limit]
    ids = shown.filter(pl.col("respondent_id").is_not_null())
    people = ids["respondent_id"].n_unique() + shown.filter(
        pl.col("respondent_id").is_null())["attribution"].n_unique()
    assert (page.total, page.people) == (shown.height, people)
    per = dict(base.explode("themes").drop_nulls("themes").group_by("themes").len().rows())
    assert {t.code: t.count for t in page.themes} == {t.code: per.get(t.code, 0)
                                                        for t in page.themes}


def test_theme_counts_match(survey, comments):
    page = verbatims(survey, Selection(question="improve"), 0, 1)
    exploded = comments.filter(pl.col("question") == "improve").explode("themes")
    counts = dict(exploded.group_by("themes").len().iter_rows())
    assert {t.code: t.count for t in page.themes} == {c: counts.get(c, 0) for c in range(1, 12)}


def test_paging(survey, comments):
    pages = [verbatims(survey, Selection(), off, 50, show_ids=True)
             for off in range(0, comments.height, 50)]
    seen = [v.comment_id for p in pages for v in p.items]
    assert seen == sorted(comments["comment_id"].to_list())
    assert all(len(p.items) == 50 for p in pages[:-1]) and len(set(seen)) == len(seen)


# ---- disclosure control ------------------------------------------------------------------


@pytest.mark.parametrize(("code", "allowed"), [(1, False), (2, True), (3, True)])
def test_disclosure_threshold(tmp_path, code, allowed):
    s = open_survey(_small_bundle(tmp_path))
    sel = Selection(filters=(parse_filter(s.codebook, f"grp={code}"),))
    if allowed:
        assert verbatims(s, sel).respondents == {2: 5, 3: 6}[code]
    else:
        with pytest.raises(DisclosureError,
                           match="^No comments can be shown .* minimum group of 5 "):
            verbatims(s, sel)
    # the crosstab is never hidden
    assert crosstab(s, TabRequest("grp")).rows[0].cells[0].count == 4


def test_disclosure_on_the_cli(tmp_path):
    folder = _small_bundle(tmp_path)
    r = run("verbatims", "--data", str(folder), "--filter", "grp=four")
    assert r.returncode == 2 and r.stdout == ""
    assert "minimum group of 5" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run("verbatims", "--data", str(folder), "--filter", "grp=four", "--min-group", "4")
    assert r.returncode == 0 and "comment 1" in r.stdout
    r = run("verbatims", "--data", str(folder), "--filter", "grp=six", "--min-group", "7")
    assert r.returncode == 2


# ---- hostile text --------------------------------------------------------------------------


def test_hostile_text_in_text_and_json(tmp_path):
    folder = _small_bundle(tmp_path, HOSTILE)
    r = run("verbatims", "--data", str(folder))  # the whole survey: 15 respondents
    assert r.returncode == 0
    assert "[bold red]shout[/]" in r.stdout
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\x00" not in r.stdout
    assert "\\x1b[2J" in r.stdout and "\\u202e" in r.stdout and "\u202e" not in r.stdout
    assert "שלום עולם" in r.stdout and "café – naïve" in r.stdout
    r = run("verbatims", "--data", str(folder), "--format", "json", "--show-source-ids")
    texts = {d["respondent_id"]: d["text"] for d in json.loads(r.stdout)["comments"]}
    assert texts == HOSTILE  # JSON keeps the text exactly


LITERAL = {
    1: "[bold]not bold[/bold] and [red]not red[/] nor [link=http://x]a link[/link]",
    2: "back\\slash C:\\temp\\new \\n is no newline, \\[bold] no escape, \\\\ two",
    3: "markup-ish :smile: $HOME {braces} %s 100% <b>html</b> &amp; *stars* `code` ~~x~~",
    4: "a long comment that wraps over several lines, [italic]still[/italic] printed as "
       "typed, word for word, with every bracket [ and ] and backslash \\ kept " * 3
       + "to the end",
    5: "two paragraphs [b]one[/b]\nand [/] two",
}


def _bodies(out: str) -> list[str]:
    """Each comment's text as rendered: its runs of indented lines, joined by spaces."""
    bodies: list[list[str]] = []
    previous = ""
    for line in out.splitlines():
        if line.startswith("    "):
            if not previous.startswith("    "):
                bodies.append([])
            bodies[-1].append(line[4:])
        previous = line
    return [" ".join(b) for b in bodies]


def test_render_text_is_literal(survey, tmp_path):
    page = verbatims(survey, Selection(), 0, 3)
    out = render_text(page)
    assert out.startswith("All respondents · 602 respondents")
    assert _bodies(out) == [" ".join(v.text.split()) or "(blank)" for v in page.items]
    # markup, backslashes and escapes in comments are printed exactly as typed
    s = open_survey(_small_bundle(tmp_path, LITERAL))
    page = verbatims(s, Selection(), 0, ALL)
    assert [v.text for v in page.items] == list(LITERAL.values())
    width = 60
    out = render_text(page, width=width)
    assert _bodies(out) == [t.replace("\n", " ") for t in LITERAL.values()]
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines if line.startswith("    "))
    for text in LITERAL.values():  # a paragraph that fits the width is one line, as typed
        for para in text.split("\n"):
            assert len(para) + 4 > width or "    " + para in lines


def test_unknown_question_and_theme(survey):
    with pytest.raises(EngineError, match="not an open-ended question"):
        verbatims(survey, Selection(question="relationship"))
    r = run("verbatims", "--theme", "nonsense")
    assert r.returncode == 2 and "Unknown theme 'nonsense'" in r.stderr


def test_cli_json_contract():
    r = run("verbatims", "--question", "improve", "--theme", "Point of contact and staff "
            "turnover", "--format", "json", "--limit", "5")
    d = json.loads(r.stdout)
    assert d["min_group"] == 5 and len(d["comments"]) == 5
    for item in d["comments"]:
        assert {"number", "question", "text", "themes", "source"} <= set(item)
        assert "respondent_id" not in item  # source ids only for the data owner
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
    page = verbatims(survey, Selection(cell=CellRef(
        "improve", row.codes, row.label, (Filter("stakeholder_type", (2,)),))), 0, ALL)
    assert page.respondents == row.cells[2].count
    assert all(9 in v.theme_codes and v.question == "improve" for v in page.items)


def test_counts_read_in_the_singular_for_one():
    from heetui.output.book_text import differences
    from heetui.survey.text import counted

    assert counted(1, "respondent") == "1 respondent"
    assert counted(0, "comment") == "0 comments" and counted(2000, "comment") == "2,000 comments"
    assert differences(1) == "1 significant difference"
