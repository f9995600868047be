"""The loader reports every problem with file, field and what was expected."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heetui.survey.bundle import BundleError, load_bundle
from helpers import make_bundle, multi, single

SEG = single("grp", ["A", "B"], role="segment")
Q = single("q", ["Yes", "No"])


def problems(path: Path) -> list[str]:
    with pytest.raises(BundleError) as info:
        load_bundle(path)
    return [str(p) for p in info.value.problems]


def good(tmp_path: Path, **kw) -> Path:
    return make_bundle(tmp_path / "b", [SEG, Q], {"grp": [1, 2, 1], "q": [1, 2, None]}, **kw)


def edit_codebook(folder: Path, old: str, new: str) -> None:
    cb = folder / "codebook.toml"
    text = cb.read_text()
    assert old in text, text
    cb.write_text(text.replace(old, new, 1))


def test_a_valid_bundle_loads(tmp_path):
    b = load_bundle(good(tmp_path))
    assert [v.id for v in b.codebook.variables] == ["grp", "q"]


def test_missing_folder(tmp_path):
    assert "no such file or folder" in problems(tmp_path / "nowhere")[0]


def test_missing_codebook(tmp_path):
    folder = good(tmp_path)
    (folder / "codebook.toml").unlink()
    assert problems(folder) == [f"codebook.toml: no codebook found at {folder}/codebook.toml"]


def test_malformed_toml(tmp_path):
    folder = good(tmp_path)
    (folder / "codebook.toml").write_text("[survey\ntitle = 'x'\n")
    assert "is not valid TOML" in problems(folder)[0]


@pytest.mark.parametrize(("option", "problem"), [
    ("{ code = 2 }", "label: option 2 has no label; expected a non-empty text"),
    ('{code = 2, label = "No", source = 2}',
     "source: expected the answer's text in the source file, found 2"),
], ids=["no label", "source not text"])
def test_option_problems(tmp_path, option, problem):
    folder = good(tmp_path)
    edit_codebook(folder, '{code = 2, label = "No"}', option)
    assert problems(folder) == [f"codebook.toml: questions[0](q).options[1].{problem}"]


def test_option_source_is_kept(tmp_path):
    folder = good(tmp_path)
    edit_codebook(folder, '{code = 2, label = "No"}', '{code = 2, label = "No", source = "n"}')
    assert load_bundle(folder).codebook.get("q").options[1].source == "n"


def test_unknown_question_type(tmp_path):
    folder = good(tmp_path)
    edit_codebook(folder, 'type = "single"\ntext = "q text"', 'type = "matrix"\ntext = "q text"')
    assert "expected one of single, multi, numeric, open, grid, found 'matrix'" in \
        problems(folder)[0]


def test_net_with_unknown_code(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, single("q", ["Yes", "No"], nets=[
        {"label": "Both", "codes": [1, 7]}])], {"grp": [1], "q": [1]})
    assert problems(folder) == ["codebook.toml: questions[0](q).nets[0].codes: code 7 is not "
                                "an option of q"]


def test_duplicate_variable_ids(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, single("grp", ["x"])], {"grp": [1]})
    assert any("used by more than one" in p for p in problems(folder))


def test_eligibility_names_unknown_variable(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, single("q", ["Yes"], eligible={
        "variable": "nope", "codes": [1]})], {"grp": [1], "q": [1]})
    assert problems(folder) == ["codebook.toml: q.eligible.variable: 'nope' is not a question "
                                "or segment"]


def test_missing_respondents_file(tmp_path):
    folder = good(tmp_path)
    (folder / "respondents.parquet").unlink()
    assert problems(folder)[0].startswith("respondents.parquet: is missing")


def test_respondents_not_parquet(tmp_path):
    folder = good(tmp_path)
    (folder / "respondents.parquet").write_bytes(b"\x00garbage" * 50)
    assert "is not a readable Parquet file" in problems(folder)[0]


def test_column_absent(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, Q], {"grp": [1, 2]})
    assert problems(folder) == ["respondents.parquet: q: column for question 'q' is absent"]


def test_unknown_code_in_data(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, Q], {"grp": [1, 2, 2], "q": [1, 5, 5]})
    assert problems(folder) == ["respondents.parquet: q: 2 values are not one of the "
                                "codebook's codes 1, 2 (for example 5)"]


def test_multi_response_value_not_0_or_1(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, multi("m", ["a", "b"])],
                         {"grp": [1, 2], "m_1": [1, 0], "m_2": [2, 1]})
    assert problems(folder) == ["respondents.parquet: m_2: 1 values are not 0 or 1 "
                                "(for example 2)"]


def test_answer_column_not_integer(tmp_path):
    folder = good(tmp_path)
    df = pl.read_parquet(folder / "respondents.parquet").with_columns(pl.col("q").cast(pl.String))
    df.write_parquet(folder / "respondents.parquet")
    assert problems(folder) == ["respondents.parquet: q: expected integer answer codes, "
                                "found String"]


def test_duplicate_respondent_ids(tmp_path):
    folder = good(tmp_path)
    df = pl.read_parquet(folder / "respondents.parquet").with_columns(
        pl.lit(7, pl.UInt32).alias("respondent_id"))
    df.write_parquet(folder / "respondents.parquet")
    assert problems(folder) == ["respondents.parquet: respondent_id: respondent ids must be "
                                "unique; 2 are duplicated"]


def test_weight_column_absent(tmp_path):
    folder = good(tmp_path)
    edit_codebook(folder, 'title = "Test survey"', 'title = "Test survey"\nweight = "wt"')
    assert problems(folder) == ["respondents.parquet: wt: the weight column named in the "
                                "codebook (survey.weight) is absent"]


@pytest.mark.parametrize(("weights", "message"), [
    ([1.0, -0.5, 1.0], "weights must not be negative; 1 weight is"),
    ([0.0, 0.0, 0.0], "weights sum to zero; expected a positive total"),
    ([1.0, None, 1.0], "1 respondent has no weight"),
])
def test_bad_weights(tmp_path, weights, message):
    folder = make_bundle(tmp_path / "b", [SEG, Q], {"grp": [1, 2, 1], "q": [1, 2, 1],
                                                    "w": weights}, weight="w")
    assert problems(folder) == [f"respondents.parquet: w: {message}"]


def _verbatims(**over) -> pl.DataFrame:
    row = {"respondent_id": 1, "question": "why", "text": "fine", "themes": [1],
           "source": "survey", "attribution": None}
    row.update(over)
    return pl.DataFrame([row], schema={"respondent_id": pl.UInt32, "question": pl.String,
                                       "text": pl.String, "themes": pl.List(pl.UInt8),
                                       "source": pl.String, "attribution": pl.String})


OPEN = {"id": "why", "type": "open", "text": "Why?"}


@pytest.mark.parametrize(("over", "expected"), [
    ({"question": "q"}, "verbatims.parquet: question: 1 comments name a question that is not "
                        "an open-ended question of the codebook (e.g. 'q')"),
    ({"respondent_id": 99}, "verbatims.parquet: respondent_id: 1 comments belong to respondent "
                            "ids absent from respondents.parquet"),
    ({"themes": [4]}, "verbatims.parquet: themes: 1 comments carry a theme code not listed "
                      "under [[themes]]"),
    ({"source": "email"}, "verbatims.parquet: source: 1 comments have a source other than "
                          "'survey' or 'interview'"),
])
def test_bad_verbatims(tmp_path, over, expected):
    folder = make_bundle(tmp_path / "b", [SEG, Q, OPEN], {"grp": [1], "q": [1]},
                         verbatims=_verbatims(**over))
    edit_codebook(folder, "[[segments]]", '[[themes]]\ncode = 1\nlabel = "T"\n\n[[segments]]')
    assert problems(folder) == [expected]


def test_every_problem_is_reported_at_once(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, Q], {"grp": [1, 9], "q": [7, 1]})
    found = problems(folder)
    assert len(found) == 2
    assert found[0].startswith("respondents.parquet: grp:")
    assert found[1].startswith("respondents.parquet: q:")


def test_a_changed_file_is_validated_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = good(tmp_path)
    load_bundle(folder)  # valid: remembered in the cache, not in the bundle
    assert list((tmp_path / "cache" / "heetui" / "validated").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == ["codebook.toml", "heetui-files.sha256",
                                                        "respondents.parquet"]  # as written
    df = pl.read_parquet(folder / "respondents.parquet").with_columns(pl.lit(9, pl.UInt8)
                                                                      .alias("q"))
    df.write_parquet(folder / "respondents.parquet")
    assert "values are not one of the codebook's codes" in problems(folder)[0]


def test_the_bundled_survey_is_validated_in_a_fresh_cache(monkeypatch, tmp_path):
    """Tests start from an empty cache: opening the bundled survey scans its data."""
    import heetui.survey.bundle as bundle_module
    from heetui.survey.bundle import bundled_survey_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def refuse(bundle):
        raise AssertionError("validate_data ran")

    monkeypatch.setattr(bundle_module, "validate_data", refuse)
    with pytest.raises(AssertionError, match="validate_data ran"):
        load_bundle(bundled_survey_path())


def test_a_new_heetui_version_validates_again(tmp_path, monkeypatch):
    import heetui.survey.bundle as bundle_module
    import heetui.survey.cache as cache_module

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = good(tmp_path)
    load_bundle(folder)
    calls: list[int] = []
    real = bundle_module.validate_data
    monkeypatch.setattr(bundle_module, "validate_data",
                        lambda b: (calls.append(1), real(b))[1])
    load_bundle(folder)
    assert calls == []  # remembered
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    load_bundle(folder)
    assert calls == [1]  # a newer validator checks the old bundle again


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_any_label_survives_the_codebook_writer(label):
    """Every string, control characters and DEL included, is written as valid TOML and read
    back unchanged (the hand-written writer left DEL unescaped)."""
    import tomllib

    from heetui.survey.toml_write import dumps

    data = {"survey": {"title": label},
            "segments": [{"id": "s", "type": "single", "text": label,
                          "options": [{"code": 1, "label": label}]}]}
    assert tomllib.loads(dumps(data, "header")) == data


def test_del_in_a_label_round_trips():
    import tomllib

    from heetui.survey.toml_write import dumps

    data = {"survey": {"title": "a\x7fb"}}
    assert tomllib.loads(dumps(data))["survey"]["title"] == "a\x7fb"


def _comments_frame(**columns: pl.Series) -> pl.DataFrame:
    frame = _verbatims()
    return frame.with_columns(**columns) if columns else frame


@pytest.mark.parametrize(("columns", "expected"), [
    ({"question": pl.Series([7])}, "verbatims.parquet: question: expected text, found integer"),
    ({"respondent_id": pl.Series(["1"])},
     "verbatims.parquet: respondent_id: expected integer (the type of the respondents' ids), "
     "found text"),
    ({"themes": pl.Series(["1"])},
     "verbatims.parquet: themes: expected list of integers, found text"),
    ({"themes": pl.Series([[1, None]], dtype=pl.List(pl.UInt8))},
     "verbatims.parquet: themes: 1 comment has a null theme code; expected theme codes from "
     "[[themes]]"),
    ({"themes": pl.Series([None], dtype=pl.List(pl.UInt8))},
     "verbatims.parquet: themes: 1 comment has no value; expected one for every comment"),
    ({"comment_id": pl.Series([None], dtype=pl.UInt32)},
     "verbatims.parquet: comment_id: 1 comment has no value; expected one for every comment"),
    ({"comment_id": pl.Series(["a"])},
     "verbatims.parquet: comment_id: expected integer, found text"),
    ({"source": pl.Series([None], dtype=pl.String)},
     "verbatims.parquet: source: 1 comment has no value; expected one for every comment"),
    ({"text": pl.Series([None], dtype=pl.String)},
     "verbatims.parquet: text: 1 comment has no value; expected one for every comment"),
])
def test_comments_of_other_types_or_nulls_are_named(tmp_path, columns, expected):
    folder = make_bundle(tmp_path / "b", [SEG, Q, OPEN], {"grp": [1], "q": [1]})
    _comments_frame(**columns).write_parquet(folder / "verbatims.parquet")
    edit_codebook(folder, "[[segments]]", '[[themes]]\ncode = 1\nlabel = "T"\n\n[[segments]]')
    assert problems(folder) == [expected]


def test_duplicated_comment_ids_are_named(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, Q, OPEN], {"grp": [1, 2], "q": [1, 2]})
    pl.concat([_verbatims(), _verbatims()]).with_columns(
        comment_id=pl.Series([3, 3], dtype=pl.UInt32)).write_parquet(
        folder / "verbatims.parquet")
    edit_codebook(folder, "[[segments]]", '[[themes]]\ncode = 1\nlabel = "T"\n\n[[segments]]')
    assert problems(folder) == ["verbatims.parquet: comment_id: 1 comment ids are duplicated; "
                                "expected each comment to have its own"]


def test_interview_comments_may_have_null_ids_and_attributions(tmp_path):
    folder = make_bundle(tmp_path / "b", [SEG, Q, OPEN], {"grp": [1], "q": [1]})
    _verbatims(respondent_id=None, source="interview").with_columns(
        respondent_id=pl.lit(None), attribution=pl.lit(None)).write_parquet(
        folder / "verbatims.parquet")
    edit_codebook(folder, "[[segments]]", '[[themes]]\ncode = 1\nlabel = "T"\n\n[[segments]]')
    load_bundle(folder)


DEEP = 50_000


@pytest.mark.parametrize("nested", [
    "facts = " + "[" * DEEP + "]" * DEEP,  # arrays: tomllib itself recurses
    "facts = " + "{a = " * DEEP + "1" + "}" * DEEP,  # inline tables (JSON-like)
    "[survey." + ".".join(["a"] * DEEP) + "]\nb = 1",  # dotted keys parse flat, nest deep
], ids=["arrays", "inline-tables", "dotted-keys"])
def test_a_codebook_nested_deeply_is_one_problem(tmp_path, nested):
    folder = good(tmp_path)
    edit_codebook(folder, "[[segments]]", nested + "\n\n[[segments]]")
    found = problems(folder)
    assert len(found) == 1 and found[0].startswith("codebook.toml: nests ")
    assert "levels" in found[0]
