"""Code frames (engine.frames, engine.coding) against a reference written here: each
comment's themes worked out in Python from the workspace entry's meaning (stored codes,
searches as lower-case substrings, ids added and removed by hand), the theme table as a
polars join of those assignments to the respondents, letters by statsmodels."""

from __future__ import annotations

import textwrap
from itertools import combinations
from pathlib import Path

import polars as pl
import pytest
from statsmodels.stats.proportion import proportions_ztest

from heetui.engine import apply_edit, coding, undo_edit
from heetui.engine.comments import CellRef, DisclosureError, Selection, verbatims
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filters
from heetui.engine.session import open_survey
from heetui.errors import EngineError
from heetui.survey.bundle import bundled_survey_path

DATA = bundled_survey_path()


@pytest.fixture(scope="module")
def comments() -> pl.DataFrame:
    return pl.read_parquet(DATA / "verbatims.parquet")


@pytest.fixture(scope="module")
def people() -> pl.DataFrame:
    return pl.read_parquet(DATA / "respondents.parquet")


def frame_file(tmp_path: Path, comments: pl.DataFrame) -> tuple[Path, dict]:
    """A workspace with a hand-written frame of ``improve``, and what it means: per theme,
    (stored codes, searches, added ids, removed ids)."""
    imp = comments.filter(pl.col("question") == "improve")
    ids = imp["comment_id"].to_list()
    added, removed = ids[:7], ids[3:12]  # overlapping on purpose
    meaning = {
        3: ((3,), (), (), ()),
        1: ((1, 2), (), (), tuple(removed)),
        20: ((20,), ("training", '"more support"'), tuple(added), ()),
        21: ((21,), ("funding deadline",), (), ()),
    }
    ws = tmp_path / "ws.toml"
    ws.write_text(textwrap.dedent(f"""\
        [frame.improve]
        themes = [
          {{code = 3, label = "Contacts"}},
          {{code = 1, label = "Money", stored = [2], remove = {list(removed)}}},
          {{code = 20, label = "Training", search = ["training", '"more support"'], add = {added}}},
          {{code = 21, label = "Deadline money", search = ["funding deadline"]}},
        ]
        nets = [{{label = "Money or contacts", themes = [1, 3]}}]
        """))
    return ws, meaning


def _matches(text: str, search: str) -> bool:
    """Every word, or "quoted phrase", of the search appears in the text (any case)."""
    import shlex

    low = text.lower()
    return all(term.lower() in low for term in shlex.split(search))


def expected_themes(comments: pl.DataFrame, meaning: dict) -> dict[int, list[int]]:
    out = {}
    for cid, stored, text in comments.filter(pl.col("question") == "improve").select(
            "comment_id", "themes", "text").iter_rows():
        has = []
        for code, (codes, searches, added, removed) in meaning.items():
            holds = bool(set(stored) & set(codes)) or any(_matches(text, s) for s in searches) \
                or cid in added
            if holds and cid not in removed:
                has.append(code)
        out[cid] = has
    return out


def test_every_comment_is_coded_as_the_entry_says(tmp_path, comments):
    ws, meaning = frame_file(tmp_path, comments)
    survey = open_survey(workspace=ws)
    assert survey.workspace_problems == ()
    want = expected_themes(comments, meaning)
    page = verbatims(survey, Selection(question="improve"), 0, 10_000)
    got = {v.key: list(v.theme_codes) for v in page.items}
    assert got == want
    # and the counts a coder works by
    counts = coding.coding_counts(survey, "improve")
    listed = comments.filter((pl.col("question") == "improve")
                             & (pl.col("text").str.strip_chars() != ""))
    kept = set(listed["comment_id"].to_list())
    assert counts.comments == len(kept)
    assert counts.coded == sum(1 for c in kept if want[c])
    assert {t.code: n for t, n in counts.themes} == {
        code: sum(1 for c in kept if code in want[c]) for code in meaning}
    assert counts.nets[0][1] == sum(1 for c in kept if {1, 3} & set(want[c]))
    # some of each way of coding is exercised
    assert counts.themes[2][1] > 0 and 0 < counts.themes[3][1] < counts.themes[2][1]


def test_theme_table_and_letters_against_polars(tmp_path, comments, people):
    ws, meaning = frame_file(tmp_path, comments)
    survey = open_survey(workspace=ws)
    want = expected_themes(comments, meaning)
    ct = crosstab(survey, TabRequest("improve", "stakeholder_type"))
    said = comments.filter((pl.col("question") == "improve")
                           & pl.col("respondent_id").is_not_null()
                           & (pl.col("text").str.strip_chars() != ""))
    coded: dict[int, set[int]] = {}
    for cid, rid in said.select("comment_id", "respondent_id").iter_rows():
        coded.setdefault(rid, set()).update(want[cid])
    per_person = pl.DataFrame({"respondent_id": list(coded),
                               "coded": [sorted(x) for x in coded.values()]},
                              schema={"respondent_id": people["respondent_id"].dtype,
                                      "coded": pl.List(pl.Int64)})
    base = people.join(per_person, left_on="respondent_id", right_on="respondent_id")
    codes = sorted(base["stakeholder_type"].unique().to_list())
    cols = [base] + [base.filter(pl.col("stakeholder_type") == c) for c in codes]
    assert [c.base for c in ct.columns] == [c.height for c in cols]
    rows = {r.label: r for r in ct.rows if r.kind in ("category", "net")}
    for label, theme_codes in (("Contacts", [3]), ("Money", [1]), ("Training", [20]),
                               ("Deadline money", [21]), ("Money or contacts", [1, 3])):
        holds = pl.col("coded").list.eval(pl.element().is_in(theme_codes)).list.any()
        for col, cell in zip(cols, rows[label].cells, strict=True):
            assert cell.count == col.filter(holds).height, label
            assert cell.percent == pytest.approx(100 * col.filter(holds).height / col.height)
        letters = [c.letter for c in ct.columns[1:]]
        expected: dict[str, set[str]] = {x: set() for x in letters if x}
        for (i, a), (j, b) in combinations(enumerate(cols[1:]), 2):
            xa, xb = a.filter(holds).height, b.filter(holds).height
            if min(a.height, b.height) < 30 or xa + xb in (0, a.height + b.height):
                continue
            _, p = proportions_ztest([xa, xb], [a.height, b.height])
            if p < 0.05:
                hi, lo = (i, j) if xa / a.height > xb / b.height else (j, i)
                expected[letters[hi]].add(letters[lo])
        got = {c.letter: set(cell.sig) for c, cell in zip(ct.columns, rows[label].cells,
                                                          strict=True) if c.letter}
        assert got == expected, label


def test_filter_by_theme_selects_whose_comments_carry_it(tmp_path, comments, people):
    ws, meaning = frame_file(tmp_path, comments)
    survey = open_survey(workspace=ws)
    want = expected_themes(comments, meaning)
    who = {r for c, r in comments.filter(pl.col("question") == "improve").select(
        "comment_id", "respondent_id").iter_rows() if 20 in want[c] and r is not None}
    ct = crosstab(survey, TabRequest("relationship", filters=tuple(
        parse_filters(survey.codebook, ["improve=Training"]))))
    answered = people.filter(pl.col("respondent_id").is_in(sorted(who))
                             & pl.col("relationship").is_not_null())
    assert ct.columns[0].base == answered.height
    assert ct.filter_text == ("How HEE could improve = Training",)


def test_edits_keep_the_meaning_of_merge_split_and_hand_coding(tmp_path):
    survey = open_survey(workspace=tmp_path / "ws.toml")

    def carrying(code: int) -> set[int]:
        page = verbatims(survey, Selection(question="improve"), 0, 10_000)
        return {v.key for v in page.items if code in v.theme_codes}

    # taken off theme 1 by hand: one comment that also carries 2, one that does not
    both, alone = min(carrying(1) & carrying(2)), min(carrying(1) - carrying(2))
    for cid in (both, alone):
        apply_edit(survey, coding.code_comment(survey, "improve", cid, "1", on=False))
    one, two = carrying(1), carrying(2)
    assert both not in one and alone not in one | two
    apply_edit(survey, coding.merge_themes(survey, "improve", ["2"], "1"))
    assert carrying(1) == one | two and carrying(2) == set()
    assert both in carrying(1) and alone not in carrying(1)
    hits = set(coding.hits(survey, "improve", "deadline", 1))
    assert hits
    apply_edit(survey, coding.split_theme(survey, "improve", "1", "Deadlines", "deadline"))
    new = next(t.code for t, _ in coding.coding_counts(survey, "improve").themes
               if t.label == "Deadlines")
    assert carrying(new) == hits and carrying(1) == (one | two) - hits
    # a comment coded by a search, taken off by hand, given back by hand
    target = sorted(carrying(new))[0]
    off = apply_edit(survey, coding.code_comment(survey, "improve", target, "Deadlines"))
    assert target not in carrying(new)
    apply_edit(survey, coding.code_comment(survey, "improve", target, "Deadlines", on=True))
    assert target in carrying(new)
    entry = survey.workspace.get(("frame", "improve"))
    assert target not in next(t for t in entry["themes"] if t["code"] == new).get("remove", [])
    before = survey.workspace.path.read_bytes()
    undone = apply_edit(survey, coding.delete_theme(survey, "improve", "Deadlines"))
    assert carrying(new) == set()
    undo_edit(survey, undone)
    assert survey.workspace.path.read_bytes() == before and target in carrying(new)
    assert off.message.startswith(f"Comment {target} of improve uncoded")


def test_next_uncoded_and_the_uncoded_selection(tmp_path, comments):
    survey = open_survey(workspace=tmp_path / "ws.toml")
    listed = comments.filter(pl.col("question") == "improve").sort("comment_id")
    empty = [i for i, (t, text) in enumerate(listed.select("themes", "text").iter_rows())
             if not t and text.strip()]
    assert len(empty) > 1, "the bundled survey leaves some comments uncoded"
    assert coding.next_uncoded(survey, "improve") == empty[0]
    ids = listed["comment_id"].to_list()
    assert coding.next_uncoded(survey, "improve", ids[empty[0]]) == empty[1]
    assert coding.next_uncoded(survey, "improve", ids[empty[-1]]) == empty[0]  # round
    page = verbatims(survey, Selection(question="improve", uncoded=True), 0, 1000)
    assert [v.key for v in page.items] == [ids[i] for i in empty]
    rows = [listed.row(i, named=True) for i in empty]
    people = len({r["respondent_id"] for r in rows if r["respondent_id"] is not None}) + \
        len({r["attribution"] for r in rows if r["respondent_id"] is None})
    assert (page.total, page.people) == (len(empty), people)
    assert all(t.count == 0 for t in page.themes)  # none of them carries a theme yet
    # the position is where the comments screen lists it
    whole = verbatims(survey, Selection(question="improve"), 0, 1000)
    assert whole.items[empty[1]].key == ids[empty[1]]


def test_a_frame_that_does_not_apply_is_reported_by_line(tmp_path):
    ws = tmp_path / "ws.toml"
    ws.write_text(textwrap.dedent("""\
        [frame.relationship]
        themes = [{code = 1, label = "x"}]

        [frame.improve]
        themes = [
          {code = 1, label = "A"},
          {code = 1, label = "B"},
          {code = 0, label = "C"},
          {code = 4, label = "D", search = [""]},
          {code = 5, label = "a"},
        ]
        nets = [{label = "N", themes = [99]}]
        """))
    survey = open_survey(workspace=ws)
    problems = [str(p) for p in survey.workspace_problems]
    assert any(":1:" in p and "relationship is not an open-ended question" in p
               for p in problems)
    assert any("code 1 is taken" in p for p in problems)
    assert any("whole number from 1" in p for p in problems)
    assert any("empty search" in p for p in problems)
    assert any("label 'a' is taken" in p for p in problems)
    assert any("'99' is not a theme" in p or "Unknown theme '99'" in p for p in problems)
    # what applies still applies: theme A alone
    assert [t.label for t in survey.codebook.frame("improve").themes] == ["A"]


def test_an_edit_that_would_break_the_frame_is_refused(tmp_path):
    survey = open_survey(workspace=tmp_path / "ws.toml")
    with pytest.raises(EngineError, match="Unknown theme"):
        coding.rename_theme(survey, "improve", "no such theme", "x")
    apply_edit(survey, coding.add_theme(survey, "improve", "Placements"))
    with pytest.raises(EngineError, match="taken"):
        apply_edit(survey, coding.add_theme(survey, "improve", "placements"))
    with pytest.raises(EngineError, match="not an open-ended question"):
        coding.add_theme(survey, "relationship", "x")


def test_a_theme_of_few_people_does_not_open_its_comments(tmp_path, comments):
    """Disclosure: a theme coded for fewer than the minimum group is counted in its table,
    but its cell never opens its comments."""
    survey = open_survey(workspace=tmp_path / "ws.toml")
    ids = comments.filter((pl.col("question") == "improve")
                          & pl.col("respondent_id").is_not_null())["comment_id"].to_list()
    apply_edit(survey, coding.add_theme(survey, "improve", "Rare"))
    for cid in ids[:2]:
        apply_edit(survey, coding.code_comment(survey, "improve", cid, "Rare", on=True))
    code = survey.codebook.frame("improve").themes[-1].code
    ct = crosstab(survey, TabRequest("improve"))
    assert next(r for r in ct.rows if r.label == "Rare").cells[0].count == 2
    with pytest.raises(DisclosureError):
        verbatims(survey, Selection(cell=CellRef("improve", (code,))))


def test_comments_coded_by_hand_that_are_not_the_questions_are_reported(tmp_path, comments):
    ids = comments.filter(pl.col("question") == "improve")["comment_id"].to_list()
    other = comments.filter(pl.col("question") != "improve")["comment_id"].to_list()
    ws = tmp_path / "ws.toml"
    ws.write_text(f"""[frame.improve]
themes = [{{code = 50, label = "A", add = [{ids[0]}, {other[0]}, 99999999]}}]
""")
    survey = open_survey(workspace=ws)
    (problem,) = survey.workspace_problems
    assert problem.line == 1
    assert "2 comments coded by hand" in problem.message and "improve" in problem.message
    page = verbatims(survey, Selection(question="improve", themes=(50,)))
    assert [v.key for v in page.items] == [ids[0]]
