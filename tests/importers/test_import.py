"""`heetui import` and direct opening of .sav, .csv and .parquet files."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import polars as pl
import pyreadstat
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from heetui.importers import SourceError, import_source
from heetui.importers.infer import build
from heetui.importers.sources import MRSet, Table
from heetui.survey.bundle import load_bundle


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sav(tmp_path):
    rng = np.random.default_rng(5)
    n = 400
    region = rng.choice([1.0, 2.0, 3.0], n)
    sat = rng.choice([1.0, 2.0, 3.0, 4.0, 9.0], n)  # 9 = refused, user-missing
    weight = rng.uniform(0.4, 2.2, n)
    df = pl.DataFrame({
        "respid": np.arange(1001, 1001 + n, dtype=float),
        "region": region, "sat": sat, "age": rng.integers(18, 80, n).astype(float),
        "wt": weight,
        "comment": [("The service was " + ("slow and confusing" if i % 3 else "quick")
                     if i % 4 else "") for i in range(n)],
    })
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(
        df, str(path), column_labels={"region": "Region of residence",
                                      "sat": "How satisfied are you?", "age": "Age in years",
                                      "comment": "Why do you say that?"},
        variable_value_labels={"region": {1.0: "North", 2.0: "Midlands", 3.0: "South"},
                               "sat": {1.0: "Very satisfied", 2.0: "Satisfied",
                                       3.0: "Dissatisfied", 4.0: "Very dissatisfied",
                                       9.0: "Refused"}},
        missing_ranges={"sat": [9.0]})
    return path, df


def test_sav_round_trip_matches_independent_counts(sav, tmp_path):
    path, df = sav
    before = sha(path)
    out = import_source(path, tmp_path / "bundle", weight="wt")
    assert sha(path) == before  # the source is never modified
    cb = load_bundle(out).codebook
    sat = cb.get("sat")
    assert sat.type == "single" and sat.text == "How satisfied are you?"
    assert [o.label for o in sat.options][:4] == ["Very satisfied", "Satisfied",
                                                  "Dissatisfied", "Very dissatisfied"]
    assert cb.get("age").type == "numeric" and cb.get("comment").type == "open"
    assert cb.settings.weight == "wt"
    s = open_survey(out)
    ct = crosstab(s, TabRequest("sat", "region", weighted=True))
    valid = df.filter(pl.col("sat") != 9)  # user-missing is missing
    assert ct.total.base == valid.height
    for col in ct.columns[1:]:
        sub = valid.filter(pl.col("region") == col.code)
        assert col.base == sub.height
        row = next(r for r in ct.rows if r.codes == (2,))
        cell = row.cells[ct.columns.index(col)]
        expected = 100 * sub.filter(pl.col("sat") == 2)["wt"].sum() / sub["wt"].sum()
        assert cell.percent == pytest.approx(expected)
    age = crosstab(s, TabRequest("age", "region"))
    assert age.rows[0].cells[0].value == pytest.approx(df["age"].mean())
    comments = pl.read_parquet(out / "verbatims.parquet")
    assert comments.height == (df["comment"] != "").sum()
    assert set(comments["respondent_id"].to_list()) <= set(df["respid"].cast(int).to_list())


def test_spss_multiple_response_sets_become_multi():
    # pyreadstat cannot write MR sets, so the set metadata is given as pyreadstat reports it
    frame = pl.DataFrame({"m1": [1.0, 0.0, 1.0, None], "m2": [0.0, 0.0, 1.0, None],
                          "c1": [1.0, 2.0, None, 3.0], "c2": [2.0, None, None, 1.0],
                          "g": [1.0, 2.0, 1.0, 2.0]})
    table = Table(frame, "sav", "t", labels={"m1": "Email", "m2": "Phone"},
                  value_labels={"c1": {1.0: "Red", 2.0: "Green", 3.0: "Blue"},
                                "g": {1.0: "A", 2.0: "B"}},
                  mr_sets=[MRSet("$contact", "How were you contacted?", "D", ("m1", "m2"), 1.0,
                                 counted_base=True),
                           MRSet("$colours", "Colours liked", "C", ("c1", "c2"))])
    built = build(table)
    qs = {q.id: q for q in built.codebook.questions}
    assert qs["contact"].type == "multi"
    assert [o.label for o in qs["contact"].options] == ["Email", "Phone"]
    r = built.respondents
    # as in SPSS, a respondent holding the counted value in none of the set's variables is
    # out of its base (the second): the entry's base is "answered"; the columns keep them,
    # for base = "asked", but not one who left them blank (the fourth)
    assert qs["contact"].base == "answered"
    assert r["contact_1"].to_list() == [1, 0, 1, None]
    assert r["contact_2"].to_list() == [0, 0, 1, None]
    assert [o.label for o in qs["colours"].options] == ["Red", "Green", "Blue"]
    assert r["colours_1"].to_list() == [1, 0, None, 1]  # Red
    assert r["colours_2"].to_list() == [1, 1, None, 0]  # Green
    assert qs["g"].type == "single"
    # as SPSS keeps them, the set's items stay questions of their own, under the set
    assert {c: qs[c].group for c in ("m1", "m2", "c1", "c2")} == {
        "m1": "Items of contact", "m2": "Items of contact", "c1": "Items of colours",
        "c2": "Items of colours"}
    assert r["m1"].to_list()[:3] == [1.0, 0.0, 1.0] and r["c1"].to_list() == [1, 2, None, 3]
    assert [o.label for o in qs["c1"].options] == ["Red", "Green", "Blue"]


def test_a_category_set_of_text_variables_is_multi():
    """An SPSS multiple category set whose variables hold text (A1 codes such as 'a'):
    an option per text, labelled by its value label where it has one."""
    frame = pl.DataFrame({"t1": ["a", "b", "", None], "t2": ["c", "a", None, None],
                          "g": [1.0, 2.0, 1.0, 2.0]})
    table = Table(frame, "sav", "t", value_labels={"t1": {"a": "Apples", "b": "Bananas"}},
                  mr_sets=[MRSet("$fruit", "Fruit", "C", ("t1", "t2"))])
    built = build(table)
    fruit = built.codebook.get("fruit")
    assert [o.label for o in fruit.options] == ["Apples", "Bananas", "c"]
    r = built.respondents
    assert r["fruit_1"].to_list() == [1, 1, None, None]  # a blank is no answer
    assert r["fruit_3"].to_list() == [1, 0, None, None]


def _csv(tmp_path, text: str, name: str = "s.csv", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


CSV = ("id;gender;q5_1;q5_2;q5_3;score;rating;why\n"
       + "".join(f"{i};{'Female' if i % 2 else 'Male'};{i % 2};{(i // 2) % 2};{int(i % 5 == 0)};"
                 f"{i * 1.5};{i % 4 + 1};{'Because ' * (i % 3 + 4)}it is so\n"
                 for i in range(1, 61)))


def test_csv_inference_and_tab(tmp_path):
    src = _csv(tmp_path, "\ufeff" + CSV)  # with a BOM and a semicolon delimiter
    out = import_source(src, tmp_path / "b")
    cb = load_bundle(out).codebook
    types = {v.id: v.type for v in cb.variables}
    assert types == {"q5": "multi", "gender": "single", "score": "numeric", "rating": "single",
                     "why": "open"}
    assert [o.label for o in cb.get("gender").options] == ["Female", "Male"]
    ct = crosstab(open_survey(out), TabRequest("q5", "gender"))
    raw = pl.read_csv(src, separator=";")
    female = raw.filter(pl.col("gender") == "Female")
    assert ct.columns[1].base == female.height
    assert ct.rows[0].cells[1].count == female["q5_1"].sum()


def test_a_semicolon_csv_whose_comments_hold_commas_and_semicolons(tmp_path):
    """Excel's CSV where the list separator is ";", CRLF line ends, and quoted comments
    holding both separators (Python's sniffer gives up on it): read by the separator that
    gives every line the header's fields, every comment whole."""
    sentences = ["Late again; the box was crushed, and nobody called.",
                 "Great value, would recommend.", "Clean shop; long queues, though."]
    lines = ["Serial;Q1;why"] + [
        f'ZX7000Q{i:06d};{"Yes" if i % 3 else "No"};"{sentences[i % 3]}"' for i in range(40)]
    src = _csv(tmp_path, "\r\n".join(lines) + "\r\n")
    out = import_source(src, tmp_path / "b")
    comments = pl.read_parquet(out / "verbatims.parquet")
    raw = pl.read_csv(src, separator=";")
    assert comments["text"].to_list() == raw["why"].to_list()
    assert comments["respondent_id"].to_list() == raw["Serial"].to_list()
    assert {o.label for o in load_bundle(out).codebook.get("Q1").options} == {"No", "Yes"}


def test_csv_latin1_and_ragged_rows(tmp_path):
    text = "id,town,n\n1,Malmö,3\n2,Orléans,4\n3,Malmö,5,extra\n4,Orléans,2\n"
    out = import_source(_csv(tmp_path, text, encoding="latin-1"), tmp_path / "b")
    cb = load_bundle(out).codebook
    assert [o.label for o in cb.get("town").options] == ["Malmö", "Orléans"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty"),
    ("a,b,c\n", "has a header but no rows"),
])
def test_csv_without_data(tmp_path, text, message):
    with pytest.raises(SourceError, match=message):
        import_source(_csv(tmp_path, text), tmp_path / "b")
    assert not (tmp_path / "b").exists()


def test_random_bytes_are_refused(tmp_path):
    for suffix in (".parquet", ".sav", ".csv"):
        p = tmp_path / f"junk{suffix}"
        p.write_bytes(bytes(range(256)) * 40)
        r = run("import", str(p), "-o", str(tmp_path / f"out{suffix}"))
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
        assert not (tmp_path / f"out{suffix}").exists()


@pytest.mark.parametrize(("values", "message"), [
    ([1.0, -1.0, 1.0, 1.0], "negative"),
    ([1.0, None, 1.0, 1.0], "1 respondent has no weight"),
])
def test_bad_weights_are_refused(tmp_path, values, message):
    p = tmp_path / "w.parquet"
    pl.DataFrame({"g": [1, 2, 1, 2], "w": values}).write_parquet(p)
    r = run("import", str(p), "-o", str(tmp_path / "b"), "--weight", "w")
    assert r.returncode == 2 and message in r.stderr
    assert not (tmp_path / "b").exists()


def test_parquet_round_trip_and_direct_open(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    p = tmp_path / "d.parquet"
    df = pl.DataFrame({"grp": ["x", "y", "x", "y", "x"] * 20, "ans": [1, 2, 2, 1, 1] * 20})
    df.write_parquet(p)
    before = sha(p)
    r = run("tab", "ans", "--by", "grp", "--data", str(p), "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert [c["base"] for c in d["columns"]] == [100, 60, 40]
    assert d["rows"][0]["cells"][1]["count"] == df.filter((pl.col("grp") == "x")
                                                          & (pl.col("ans") == 1)).height
    assert sha(p) == before
    assert len(list((tmp_path / "cache" / "heetui" / "imports").iterdir())) == 1


def test_codebook_override(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("respondent_id,q\n1,1\n2,2\n3,1\n")
    cb = tmp_path / "cb.toml"
    cb.write_text('[survey]\ntitle = "Mine"\n\n[[questions]]\nid = "q"\ntype = "single"\n'
                  'text = "Do you agree?"\noptions = [ { code = 1, label = "Yes" }, '
                  '{ code = 2, label = "No" } ]\n')
    out = import_source(p, tmp_path / "b", codebook=cb)
    s = open_survey(out)
    assert s.codebook.title == "Mine"
    ct = crosstab(s, TabRequest("q"))
    assert [(r.label, r.cells[0].count) for r in ct.rows] == [("Yes", 2), ("No", 1)]
    bad = tmp_path / "bad.toml"
    bad.write_text(cb.read_text().replace('id = "q"', 'id = "nope"'))
    with pytest.raises(SourceError, match="columns the source does not have: nope"):
        import_source(p, tmp_path / "b2", codebook=bad)
    assert not (tmp_path / "b2").exists()


def test_anes96_and_fair_from_sav(tmp_path):
    from statsmodels.datasets import anes96, fair

    for name, data, q, by in (("anes", anes96.load_pandas().data, "vote", "educ"),
                              ("fair", fair.load_pandas().data, "children", "religious")):
        df = pl.from_pandas(data)
        path = tmp_path / f"{name}.sav"
        labels = {float(v): f"level {v}" for v in df[by].unique().to_list()}
        qlabels = {float(v): f"answer {v}" for v in df[q].unique().to_list()}
        pyreadstat.write_sav(df, str(path), variable_value_labels={by: labels, q: qlabels})
        out = import_source(path, tmp_path / f"{name}_b")
        ct = crosstab(open_survey(out), TabRequest(q, by))
        assert ct.total.base == df.height
        value_of = {text: v for v, text in qlabels.items()}  # codes may be renumbered
        group_of = {text: v for v, text in labels.items()}
        for col in ct.columns[1:]:
            sub = df.filter(pl.col(by) == group_of[col.label])
            for row in ct.rows:
                expected = sub.filter(pl.col(q) == value_of[row.label]).height
                assert row.cells[ct.columns.index(col)].count == expected


def test_import_cli_messages(sav, tmp_path):
    path, _ = sav
    r = run("import", str(path), "-o", str(tmp_path / "b"), "--weight", "wt")
    assert r.returncode == 0 and "single-choice" in r.stderr
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 2 and "already exists" in r.stderr
    r = run("import", str(tmp_path / "none.sav"), "-o", str(tmp_path / "c"))
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = run("import", str(path), "-o", str(tmp_path / "d"), "--weight", "nope")
    assert r.returncode == 2 and "not a column" in r.stderr


def test_the_weight_is_found_by_name_before_any_label():
    from heetui.errors import SourceError
    from heetui.importers.infer import weight_column

    frame = pl.DataFrame({"wt": [1.0, 2.0], "weight": [0.5, 1.5], "Body mass": [70.0, 80.0]})
    spss = Table(frame, "sav", "t", labels={"wt": "Weight", "Body mass": "Body weight"})
    assert weight_column(spss, "weight") == "weight"  # the name, not wt's label
    assert weight_column(spss, "Body_mass") == "Body mass"  # the id an import gives it
    with pytest.raises(SourceError, match="not a column"):
        weight_column(spss, "Body weight")  # a variable label is no name
    export = Table(frame.drop("weight"), "csv", "t", labels={"wt": "Weight"},
                   platform="SurveyMonkey")
    assert weight_column(export, "weight") == "wt"  # a platform's header, renamed
