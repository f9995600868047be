"""Quotes for the report (engine.quotes): stars kept in the workspace's [quote.ID], read
back grouped by theme, each attributed only as far as the disclosure rule allows, checked
against a polars computation on the bundle's own files."""

from __future__ import annotations

import tomllib

import polars as pl
import pytest

from heetui import engine
from heetui.engine.comments import DisclosureError, Selection, verbatims
from heetui.engine.quotes import NOT_CODED
from heetui.engine.session import open_survey
from heetui.errors import EngineError
from heetui.survey.bundle import bundled_survey_path
from helpers import comment_bundle

BUNDLE = bundled_survey_path()
KEY_ATTRIBUTES = ("stakeholder_type", "region", "seniority")  # the bundled codebook's


@pytest.fixture(scope="module")
def raw():
    cb = tomllib.loads((BUNDLE / "codebook.toml").read_text())
    labels = {v["id"]: {o["code"]: o["label"] for o in v.get("options", [])}
              for v in cb.get("segments", []) + cb.get("questions", [])}
    themes = {t["code"]: t["label"] for t in cb["themes"]}
    return (pl.read_parquet(BUNDLE / "respondents.parquet"),
            pl.read_parquet(BUNDLE / "verbatims.parquet"), labels, themes)


def star_all(survey, question: str, ids: list[int]) -> None:
    for cid in ids:
        engine.apply_edit(survey, engine.quotes.star(survey, question, cid, on=True))


def reference_attribution(resp: pl.DataFrame, verb: pl.DataFrame, labels, rid: int,
                          min_group: int) -> tuple[str, bool]:
    """Who said it, computed here from the files: the longest run of the key attributes
    (in order) that at least ``min_group`` of the people who left any comment share."""
    commenters = resp.filter(pl.col("respondent_id").is_in(
        verb["respondent_id"].drop_nulls().unique().implode()))
    me = resp.filter(pl.col("respondent_id") == rid).row(0, named=True)
    columns = {"stakeholder_type": ["stakeholder_type"], "seniority": ["seniority"],
               "region": [f"region_{i}" for i in range(1, 9)]}
    kept, used = 0, []
    for k, var in enumerate(KEY_ATTRIBUTES, start=1):
        used += columns[var]
        same = commenters.filter(pl.all_horizontal(
            [pl.col(c).eq_missing(me[c]) for c in used]))
        if same.height >= min_group:
            kept = k
    values = []
    for var in KEY_ATTRIBUTES[:kept]:
        if var == "region":
            text = ", ".join(labels["region"][i] for i in range(1, 9) if me[f"region_{i}"] == 1)
        else:
            text = labels[var].get(me[var], "-")
        if text and text != "-":
            values.append(text)
    return f"{' · '.join(values) or 'Unattributed'} (survey)", kept < len(KEY_ATTRIBUTES)


@pytest.mark.parametrize("min_group", [5, 20])
def test_every_survey_comment_quoted_is_attributed_as_the_reference_says(raw, tmp_path,
                                                                        min_group):
    """All of improve's survey comments starred: each quote's text, themes and attribution
    are the files' (the attribution computed here in polars), each under every theme it
    carries in the frame's order, the uncoded under "Not coded"."""
    resp, verb, labels, themes = raw
    mine = verb.filter((pl.col("question") == "improve") & (pl.col("source") == "survey"))
    ids = mine["comment_id"].to_list()[::-1]  # starred in an order of their own
    ws = tmp_path / "ws.toml"  # written as a person would (star() is tested below)
    ws.write_text(f"[quote.improve]\nstarred = {ids}\n")
    survey = open_survey(workspace=ws)
    found = engine.quotes.quotes(survey, "improve", min_group)
    (qq,) = found.questions
    assert qq.quoted == len(ids) and found.min_group == min_group and not qq.missing
    by_id = {r["comment_id"]: r for r in mine.iter_rows(named=True)}
    seen: dict[int, tuple[int, list[str]]] = {}
    withheld = set()
    for group in qq.themes:
        for q in group.quotes:
            row = by_id[q.key]
            assert q.number == ids.index(q.key) + 1  # numbered in the order starred
            assert q.text == row["text"] and q.source == "survey"
            assert q.themes == tuple(themes[c] for c in row["themes"])
            assert group.theme in q.themes if row["themes"] else group.theme == NOT_CODED
            who, held = reference_attribution(resp, verb, labels, row["respondent_id"],
                                              min_group)
            assert (q.attribution, q.withheld) == (who, held), q.key
            if held:
                withheld.add(q.key)
            seen.setdefault(q.key, (q.number, []))[1].append(group.theme)
    assert set(seen) == set(ids)
    for key, (_, under) in seen.items():  # under each of its themes, once, in frame order
        codes = by_id[key]["themes"]
        assert under == ([themes[c] for c in sorted(codes, key=list(themes).index)]
                         if codes else [NOT_CODED])
    assert 0 < len(withheld) < len(ids)  # both kinds occur, so the rule is exercised both ways


def test_an_interview_is_attributed_by_its_own_attribution(raw, tmp_path):
    _, verb, _, _ = raw
    row = verb.filter((pl.col("question") == "improve") & (pl.col("source") == "interview")
                      ).row(0, named=True)
    survey = open_survey(workspace=tmp_path / "ws.toml")
    star_all(survey, "improve", [row["comment_id"]])
    (q,) = {q for g in engine.quotes.quotes(survey).questions[0].themes for q in g.quotes}
    assert q.attribution == f"{row['attribution']} (interview)" and q.text == row["text"]


def test_stars_are_written_to_the_workspace_toggled_and_kept_across_sessions(tmp_path):
    ws = tmp_path / "ws.toml"
    one, two = open_survey(workspace=ws), open_survey(workspace=ws)  # two sessions at once
    applied = engine.apply_edit(one, engine.quotes.star(one, "improve", 400))
    assert "Comment 400 of improve starred" in applied.message and str(ws) in applied.message
    engine.apply_edit(two, engine.quotes.star(two, "improve", 356))  # made before it saw 400
    engine.apply_edit(one, engine.quotes.star(one, "relationship_why", 3))
    assert tomllib.loads(ws.read_text())["quote"] == {
        "improve": {"starred": [400, 356]}, "relationship_why": {"starred": [3]}}
    again = open_survey(workspace=ws)  # a new session reads them
    assert again.codebook.stars("improve") == (400, 356)
    engine.apply_edit(again, engine.quotes.star(again, "improve", 400))  # toggled off
    assert tomllib.loads(ws.read_text())["quote"]["improve"]["starred"] == [356]
    undone = engine.undo_edit(again, engine.apply_edit(
        again, engine.quotes.star(again, "improve", 356)))  # the last off, then undone
    assert "Undid" in undone.message and again.codebook.stars("improve") == (356,)
    engine.apply_edit(again, engine.quotes.star(again, "improve", 356, on=False))
    engine.apply_edit(again, engine.quotes.star(again, "relationship_why", 3, on=False))
    assert "quote" not in tomllib.loads(ws.read_text())  # nothing starred: no entry left


def test_a_star_that_does_not_apply_is_one_sentence_and_leaves_the_file(tmp_path):
    ws = tmp_path / "ws.toml"
    survey = open_survey(workspace=ws)
    engine.apply_edit(survey, engine.quotes.star(survey, "improve", 400))
    before = ws.read_bytes()
    for question, cid, words in (("improve", 3, "is not a comment on improve"),  # another's
                                 ("improve", 10**9, "is not a comment on improve"),
                                 ("relationship", 1, "not an open-ended question")):
        with pytest.raises(EngineError, match=words):
            engine.quotes.star(survey, question, cid)
    assert ws.read_bytes() == before
    no_edits = open_survey(edits=False)
    with pytest.raises(EngineError, match="without a workspace"):
        engine.apply_edit(no_edits, engine.quotes.star(no_edits, "improve", 400))


def test_entries_that_do_not_apply_are_reported_by_line_and_left_out(tmp_path):
    ws = tmp_path / "ws.toml"
    ws.write_text('[quote.improve]\nstarred = [400, 400, 356]\n\n'
                  '[quote.relationship]\nstarred = [1]\n\n'
                  '[quote.relationship_why]\nstarred = [1, "two"]\nnote = "x"\n')
    survey = open_survey(workspace=ws)
    problems = {p.line: p.message for p in survey.workspace_problems}
    assert problems[4].startswith("relationship is not an open-ended question")
    assert "note is not part of quote.relationship_why" in problems[9]
    assert "must be a list of comment ids" in problems[8]
    assert survey.codebook.stars("improve") == (400, 356)  # the rest applies
    assert survey.codebook.stars("relationship_why") == ()
    with pytest.raises(EngineError, match="not a list of comment ids"):  # never overwritten
        engine.apply_edit(survey, engine.quotes.star(survey, "relationship_why", 3))


def test_a_starred_id_no_longer_among_the_comments_is_named(tmp_path):
    ws = tmp_path / "ws.toml"
    ws.write_text("[quote.improve]\nstarred = [999999, 400]\n")
    (qq,) = engine.quotes.quotes(open_survey(workspace=ws)).questions
    assert qq.missing == (999999,) and qq.quoted == 1
    assert [q.number for g in qq.themes for q in g.quotes] == [1] * len(qq.themes)


def test_attributions_are_withheld_below_the_minimum_group(tmp_path):
    """Three people of group "few", forty of "many": a few's comment is quoted without its
    group (it would single them out), a many's with it; at a minimum group of 3 the few's
    shows. The comments screen shows the same (one rule)."""
    survey = open_survey(comment_bundle(tmp_path), workspace=tmp_path / "ws.toml")
    page = verbatims(survey, Selection("why"), 0, 100, show_ids=True)
    by_person = {v.respondent_id: v for v in page.items}
    few, many = by_person[1].key, by_person[10].key
    star_all(survey, "why", [few, many])
    quoted = {q.key: q for g in engine.quotes.quotes(survey).questions[0].themes
              for q in g.quotes}
    assert (quoted[few].attribution, quoted[few].withheld) == ("Unattributed (survey)", True)
    assert (quoted[many].attribution, quoted[many].withheld) == ("many (survey)", False)
    assert by_person[1].attributes == () and by_person[10].attributes == (("grp", "many"),)
    loose = {q.key: q for g in engine.quotes.quotes(survey, None, 3).questions[0].themes
             for q in g.quotes}
    assert loose[few].attribution == "few (survey)" and not loose[few].withheld


def test_a_comment_with_several_themes_or_none_is_grouped_by_the_frame(tmp_path):
    """Respondent 4's comment carries themes 1 and 2 (quoted under both, one number); one
    taken out of its only theme by hand (the workspace's frame) is "Not coded"."""
    survey = open_survey(comment_bundle(tmp_path), workspace=tmp_path / "ws.toml")
    page = verbatims(survey, Selection("why"), 0, 100, show_ids=True)
    two, one = (next(v.key for v in page.items if v.respondent_id == r) for r in (4, 20))
    star_all(survey, "why", [two, one])
    engine.apply_edit(survey, engine.coding.code_comment(survey, "why", one, "T", on=False))
    groups = engine.quotes.quotes(survey, "why").questions[0].themes
    assert [(g.theme, [q.number for q in g.quotes]) for g in groups] == [
        ("T", [1]), ("Rare", [1]), (NOT_CODED, [2])]


def test_quotes_of_a_survey_too_small_to_show_are_refused(tmp_path):
    """Four people commented in all: fewer than the minimum group, so the comments screen
    shows none of them, and neither do the quotes (the same refusal)."""
    survey = open_survey(comment_bundle(tmp_path, few=1, many=3), workspace=tmp_path / "w")
    page = verbatims(survey, Selection("why"), 0, 100, 3, show_ids=True)
    star_all(survey, "why", [page.items[0].key])
    with pytest.raises(DisclosureError):
        engine.quotes.quotes(survey)
    assert engine.quotes.quotes(survey, None, 3).quoted == 1  # at a minimum group of 3


def test_no_stars_give_no_questions_and_a_question_must_be_open_ended(tmp_path):
    survey = open_survey(workspace=tmp_path / "ws.toml")
    assert engine.quotes.quotes(survey).questions == ()
    assert engine.quotes.quotes(survey, "improve").quoted == 0
    with pytest.raises(EngineError, match="not an open-ended question"):
        engine.quotes.quotes(survey, "relationship")


def test_a_survey_comments_own_attribution_text_is_never_shown(tmp_path):
    """A respondent's comment carrying a free-text attribution (a name, in imported data)
    is attributed by the rule alone: only an interview, tied to no respondent, is
    attributed by its own text (as the comments screen shows it)."""
    folder = comment_bundle(tmp_path)
    path = folder / "verbatims.parquet"
    pl.read_parquet(path).with_columns(attribution=pl.lit("Dr Named Person")).write_parquet(path)
    survey = open_survey(folder, workspace=tmp_path / "ws.toml")
    page = verbatims(survey, Selection("why"), 0, 100, show_ids=True)
    few = next(v.key for v in page.items if v.respondent_id == 1)
    star_all(survey, "why", [few])
    (q,) = engine.quotes.quotes(survey).questions[0].themes[0].quotes
    assert q.attribution == "Unattributed (survey)" and "Named" not in q.attribution
