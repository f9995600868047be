"""SPSS and Stata files as analysts receive them (issue 22, item 1): value labels on text,
labels that cover a number or only mark its special codes, user-missing values, codebook
imports of doubles, .dta and .xlsx. Every fixture is written here with pyreadstat/openpyxl;
each test was seen failing on the importer before this change."""

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
from heetui.survey.bundle import load_bundle

N = 300


def _employee(tmp_path):
    """Shaped like SPSS's Employee data: GENDER a string with labels, SALARY a number whose
    only label is on its user-missing 0, JOBCAT a labelled category."""
    rng = np.random.default_rng(22)
    gender = rng.choice(["f", "m"], N).tolist()
    salary = np.round(rng.uniform(15750, 135000, N), -2)
    salary[:12] = 0.0  # missing
    jobcat = rng.choice([1.0, 2.0, 3.0], N)
    df = pl.DataFrame({"id": np.arange(1, N + 1, dtype=float), "gender": gender,
                       "salary": salary, "jobcat": jobcat})
    path = tmp_path / "employee.sav"
    pyreadstat.write_sav(df, str(path),
                         column_labels={"gender": "Gender", "salary": "Current Salary",
                                        "jobcat": "Employment Category"},
                         variable_value_labels={"gender": {"f": "Female", "m": "Male"},
                                                "salary": {0.0: "missing"},
                                                "jobcat": {1.0: "Clerical", 2.0: "Custodial",
                                                           3.0: "Manager"}},
                         missing_ranges={"salary": [0.0]})
    return path, df


def test_value_labels_on_text_variables_are_used(tmp_path):
    path, df = _employee(tmp_path)
    out = import_source(path, tmp_path / "b")
    gender = load_bundle(out).codebook.get("gender")
    assert gender.type == "single"
    assert [o.label for o in gender.options] == ["Female", "Male"]
    ct = crosstab(open_survey(out), TabRequest("gender", "jobcat"))
    counts = {r.label: r.cells[0].count for r in ct.rows}
    assert counts == {"Female": df["gender"].eq("f").sum(), "Male": df["gender"].eq("m").sum()}


def test_a_number_labelled_only_on_its_missing_code_stays_numeric(tmp_path):
    path, df = _employee(tmp_path)
    out = import_source(path, tmp_path / "b")
    salary = load_bundle(out).codebook.get("salary")
    assert salary.type == "numeric"  # was single-choice with hundreds of renumbered options
    assert [(m.code, m.label, m.count) for m in salary.missing] == [(0, "missing", 12)]
    data = pl.read_parquet(out / "respondents.parquet")
    assert data["salary"].null_count() == 12
    ct = crosstab(open_survey(out), TabRequest("salary"))
    assert ct.rows[0].cells[0].value == pytest.approx(df.filter(pl.col("salary") > 0)
                                                       ["salary"].mean())
    assert ct.total.base == N - 12


def _ages(tmp_path, declare: bool = False):
    rng = np.random.default_rng(3)
    age = rng.integers(18, 80, N).astype(float)
    age[:10], age[10:15], age[15:18] = 97.0, 98.0, 99.0
    scale = rng.integers(0, 11, N).astype(float)  # 0-10 with named end points
    df = pl.DataFrame({"age": age, "likely": scale,
                       "g": rng.choice([1.0, 2.0], N)})
    path = tmp_path / "ages.sav"
    pyreadstat.write_sav(df, str(path), column_labels={"age": "Age", "likely": "How likely"},
                         variable_value_labels={
                             "age": {97.0: "Don't know", 98.0: "Refused", 99.0: "No answer"},
                             "likely": {0.0: "Not at all likely", 10.0: "Extremely likely"},
                             "g": {1.0: "A", 2.0: "B"}},
                         missing_ranges={"age": [99.0]} if declare else None)
    return path, df


def test_a_partly_labelled_number_is_numeric_and_its_special_codes_missing(tmp_path):
    path, df = _ages(tmp_path)
    out = import_source(path, tmp_path / "b")
    cb = load_bundle(out).codebook
    age = cb.get("age")
    assert age.type == "numeric"  # was 65 categories
    assert [(m.code, m.label, m.count) for m in age.missing] == [
        (97, "Don't know", 10), (98, "Refused", 5), (99, "No answer", 3)]
    s = open_survey(out)
    mean = crosstab(s, TabRequest("age", "g")).rows[0].cells[0].value
    assert mean == pytest.approx(df.filter(pl.col("age") < 97)["age"].mean())
    # a scale's labelled end points are answers, not missing values
    likely = cb.get("likely")
    assert likely.type == "numeric" and likely.missing == ()
    assert crosstab(s, TabRequest("likely")).rows[0].cells[0].value == pytest.approx(
        df["likely"].mean())


def _satisfaction(tmp_path):
    rng = np.random.default_rng(9)
    sat = rng.choice([1.0, 2.0, 3.0, 4.0, 8.0, 9.0], N, p=[.3, .3, .15, .1, .1, .05])
    net = rng.choice([1.0, 2.0, 9.0], N, p=[.5, .3, .2])
    why = rng.choice(["a", "b", "x"], N).tolist()
    df = pl.DataFrame({"sat": sat, "net": net, "why": why})
    path = tmp_path / "sat.sav"
    pyreadstat.write_sav(
        df, str(path), column_labels={"sat": "Satisfaction", "net": "Internet use"},
        variable_value_labels={"sat": {1.0: "Very", 2.0: "Fairly", 3.0: "Not very",
                                       4.0: "Not at all", 8.0: "DK/ref", 9.0: "Refused"},
                               "net": {1.0: "Daily", 2.0: "Weekly",
                                       9.0: "Not a net user"},
                               "why": {"a": "Price", "b": "Quality", "x": "9 (Missing)"}},
        missing_ranges={"sat": [{"lo": 8.0, "hi": 9.0}], "net": [9.0], "why": ["x"]})
    return path, df


def test_user_missing_categories_are_left_out_and_recorded(tmp_path):
    path, df = _satisfaction(tmp_path)
    out = import_source(path, tmp_path / "b")
    cb = load_bundle(out).codebook
    assert [o.label for o in cb.get("sat").options] == ["Very", "Fairly", "Not very",
                                                        "Not at all"]
    assert [(m.code, m.label, m.count) for m in cb.get("sat").missing] == [
        (8, "DK/ref", df["sat"].eq(8).sum()), (9, "Refused", df["sat"].eq(9).sum())]
    assert [o.label for o in cb.get("net").options] == ["Daily", "Weekly"]
    assert [o.label for o in cb.get("why").options] == ["Price", "Quality"]
    assert [(m.code, m.label) for m in cb.get("why").missing] == [("x", "9 (Missing)")]
    ct = crosstab(open_survey(out), TabRequest("sat", "net"))
    assert [r.label for r in ct.rows if r.kind == "category"] == ["Very", "Fairly",
                                                                  "Not very", "Not at all"]
    assert [c.label for c in ct.columns[1:]] == ["Daily", "Weekly"]
    valid = df.filter(pl.col("sat") < 8)
    assert ct.total.base == valid.height
    daily = valid.filter(pl.col("net") == 1)
    assert ct.columns[1].base == daily.height
    very = next(r for r in ct.rows if r.label == "Very")
    assert very.cells[1].count == daily["sat"].eq(1).sum()


def test_a_missing_value_is_restored_by_a_codebook(tmp_path):
    """The documented way back: move an entry from missing to options and re-import."""
    path, df = _satisfaction(tmp_path)
    out = import_source(path, tmp_path / "b")
    text = (out / "codebook.toml").read_text()
    refused = f'    {{code = 9, label = "Refused", count = {df["sat"].eq(9).sum()}}},\n'
    assert refused in text
    edited = text.replace(refused, "", 1).replace(
        '    {code = 4, label = "Not at all"},\n',
        '    {code = 4, label = "Not at all"},\n    {code = 9, label = "Refused"},\n', 1)
    cbfile = tmp_path / "edited.toml"
    cbfile.write_text(edited)
    again = import_source(path, tmp_path / "b2", codebook=cbfile)
    ct = crosstab(open_survey(again), TabRequest("sat"))
    refused = next(r for r in ct.rows if r.label == "Refused")
    assert refused.cells[0].count == df["sat"].eq(9).sum()
    assert ct.total.base == df.filter(pl.col("sat") != 8).height  # 8 is still missing


def test_a_codebook_import_of_a_sav_takes_its_doubles_as_codes(tmp_path):
    path, df = _employee(tmp_path)
    cbfile = tmp_path / "mine.toml"
    cbfile.write_text('[survey]\ntitle = "Employees"\nid_column = "id"\n\n'
                      '[[questions]]\nid = "jobcat"\ntype = "single"\ntext = "Job"\n'
                      'options = [ { code = 1, label = "Clerical" }, { code = 2, label = '
                      '"Custodial" }, { code = 3, label = "Manager" } ]\n\n'
                      '[[questions]]\nid = "gender"\ntype = "single"\ntext = "Gender"\n'
                      'options = [ { code = 1, label = "Female" }, { code = 2, label = '
                      '"Male" } ]\n\n'
                      '[[questions]]\nid = "salary"\ntype = "numeric"\ntext = "Salary"\n')
    r = run("import", str(path), "--codebook", str(cbfile), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    s = open_survey(tmp_path / "b")
    ct = crosstab(s, TabRequest("jobcat", "gender"))
    assert [r.cells[0].count for r in ct.rows] == [df["jobcat"].eq(c).sum() for c in (1, 2, 3)]
    assert ct.columns[1].base == df["gender"].eq("f").sum()
    assert crosstab(s, TabRequest("salary")).rows[0].cells[0].value == pytest.approx(
        df.filter(pl.col("salary") > 0)["salary"].mean())  # user-missing 0 stays missing


def test_a_codebook_import_refuses_fractional_codes_in_one_sentence(tmp_path):
    path = tmp_path / "odd.sav"
    pyreadstat.write_sav(pl.DataFrame({"q": [1.0, 2.5, 1.0]}), str(path))
    cbfile = tmp_path / "c.toml"
    cbfile.write_text('[survey]\ntitle = "t"\n[[questions]]\nid = "q"\ntype = "single"\n'
                      'text = "Q"\noptions = [ { code = 1, label = "a" } ]\n')
    r = run("import", str(path), "--codebook", str(cbfile), "-o", str(tmp_path / "b"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "2.5, which is not a whole-number answer code" in r.stderr
    assert r.stderr.count("\n") == 1
    assert not (tmp_path / "b").exists()


def test_stata_dta_opens_like_sav(tmp_path):
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(4)
    sex = rng.choice([1, 2], N).astype(object)
    sex[:7] = "a"  # Stata's .a, labelled Refused
    age = rng.integers(18, 90, N).astype(float)
    age[:4] = 999.0
    frame = pd.DataFrame({"sex": sex, "age": age,
                          "town": rng.choice(["Leeds", "York"], N)})
    path = tmp_path / "panel.dta"
    pyreadstat.write_dta(frame, str(path), column_labels={"sex": "Sex of respondent"},
                         variable_value_labels={"sex": {1: "Male", 2: "Female",
                                                        "a": "Refused"},
                                                "age": {999: "Not stated"}},
                         missing_user_values={"sex": ["a"]})
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    cb = load_bundle(tmp_path / "b").codebook
    sexv = cb.get("sex")
    assert sexv.type == "single" and sexv.text == "Sex of respondent"
    assert [o.label for o in sexv.options] == ["Male", "Female"]
    assert [(m.code, m.label) for m in sexv.missing] == [(".a", "Refused")]
    assert cb.get("age").type == "numeric"
    assert [(m.code, m.count) for m in cb.get("age").missing] == [(999, 4)]
    d = json.loads(run("tab", "sex", "--by", "town", "--data", str(tmp_path / "b"),
                       "--format", "json").stdout)
    assert d["columns"][0]["base"] == N - 7
    assert d["rows"][0]["cells"][0]["count"] == int((frame["sex"] == 1).sum())


def test_xlsx_opens_like_csv(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    rows = [("id", "region", "income", "sat")]
    rng = np.random.default_rng(8)
    for i in range(1, 121):
        rows.append((i, ["North", "South", "NA"][i % 3], None if i % 10 == 0 else
                     int(rng.integers(10_000, 90_000)), int(rng.integers(1, 5))))
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    xlsx = tmp_path / "s.xlsx"
    wb.save(xlsx)
    csvf = tmp_path / "s.csv"
    csvf.write_text("\n".join(",".join("" if v is None else str(v) for v in r) for r in rows)
                    + "\n")
    a = load_bundle(import_source(xlsx, tmp_path / "bx")).codebook
    b = load_bundle(import_source(csvf, tmp_path / "bc")).codebook
    assert [(v.id, v.type, [o.label for o in v.options]) for v in a.variables] == \
        [(v.id, v.type, [o.label for o in v.options]) for v in b.variables]
    assert a.get("region").type == "single"
    assert [o.label for o in a.get("region").options] == ["North", "South"]
    assert a.get("income").type == "numeric"
    assert pl.read_parquet(tmp_path / "bx" / "respondents.parquet").equals(
        pl.read_parquet(tmp_path / "bc" / "respondents.parquet"))


def test_an_empty_xlsx_is_one_sentence(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    p = tmp_path / "e.xlsx"
    openpyxl.Workbook().save(p)
    with pytest.raises(SourceError, match="is empty"):
        import_source(p, tmp_path / "b")


def test_the_missing_list_is_checked_when_a_codebook_loads(tmp_path):
    from heetui.survey.parse import codebook_from_dict, codebook_to_dict

    raw = {"survey": {"title": "t"}, "questions": [
        {"id": "q", "type": "single", "text": "Q",
         "options": [{"code": 1, "label": "a"}, {"code": 9, "label": "b"}],
         "missing": [{"code": 9, "label": "Refused"}, {"code": "x"}, {"code": True},
                     {"code": 7, "count": -1}]}]}
    _, problems = codebook_from_dict(raw)
    text = "\n".join(str(p) for p in problems)
    assert "9 is also an option" in text
    assert "missing[2].code" in text and "missing[3].count" in text
    good = {"survey": {"title": "t"}, "questions": [
        {"id": "q", "type": "numeric", "text": "Q",
         "missing": [{"code": 97, "label": "Don't know", "count": 3}, {"code": ".a"}]}]}
    cb, problems = codebook_from_dict(good)
    assert not problems and cb is not None
    assert codebook_to_dict(cb)["questions"][0]["missing"] == good["questions"][0]["missing"]


@pytest.mark.parametrize("suffix", [".dta", ".xlsx"])
def test_random_bytes_in_the_new_formats_are_one_sentence(tmp_path, suffix):
    p = tmp_path / f"junk{suffix}"
    p.write_bytes(bytes(range(256)) * 40)
    r = run("import", str(p), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("heetui: error: ") and r.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_spss_month_weekday_and_quarter_formats(tmp_path):
    """MONTH and WKDAY numbers read as SPSS shows them (January…, Sunday…); a quarter-year
    (QYR) date is a date, left out like SPSS's other dates, never tabulated as seconds."""
    rng = np.random.default_rng(3)
    stated = rng.integers(1, 13, N).astype(float)
    stated[:20] = 99.0  # declared missing: "Not stated"
    df = pl.DataFrame({"month": rng.integers(1, 13, N).astype(float),
                       "day": rng.integers(1, 8, N).astype(float),
                       "quarter": rng.integers(13_000_000_000, 13_600_000_000, N).astype(float),
                       "start": stated, "q": rng.integers(1, 3, N).astype(float)})
    path = tmp_path / "dates.sav"
    pyreadstat.write_sav(df, str(path), variable_value_labels={
                             "q": {1.0: "Yes", 2.0: "No"},
                             "start": {1.0: "Jan.", 99.0: "Not stated"}},
                         missing_ranges={"start": [99.0]},
                         variable_format={"month": "MONTH10", "day": "WKDAY10",
                                          "quarter": "QYR8", "start": "MONTH10"})
    cb = load_bundle(import_source(path, tmp_path / "b")).codebook
    assert [v.id for v in cb.variables] == ["month", "day", "start", "q"]
    assert [o.label for o in cb.get("month").options][:3] == ["January", "February", "March"]
    # the file's own label wins; a declared missing code stays out of the base
    assert [o.label for o in cb.get("start").options][:2] == ["Jan.", "February"]
    start = crosstab(open_survey(tmp_path / "b"), TabRequest("start"))
    assert start.total.base == N - 20
    assert cb.get("day").options[0].label == "Sunday" and len(cb.get("day").options) == 7
    ct = crosstab(open_survey(tmp_path / "b"), TabRequest("day"))
    monday = next(r for r in ct.rows if r.label == "Monday")
    assert monday.cells[0].count == int((df["day"] == 2).sum())


def test_a_file_that_declares_missing_values_is_taken_at_its_word(tmp_path):
    """Like SPSS's Employee data: salary declares 0 missing, previous experience labels 0
    "missing" without declaring it. SPSS counts that 0 in the mean, and so does the import;
    the same file without any declaration has its labelled 0 guessed missing."""
    rng = np.random.default_rng(8)
    prevexp = rng.integers(1, 400, N).astype(float)
    prevexp[:24] = 0.0
    salary = np.round(rng.uniform(15750, 135000, N), -2)
    salary[:5] = 0.0
    df = pl.DataFrame({"salary": salary, "prevexp": prevexp})
    labels = {"salary": {0.0: "missing"}, "prevexp": {0.0: "missing"}}
    declared, bare = tmp_path / "declared.sav", tmp_path / "bare.sav"
    pyreadstat.write_sav(df, str(declared), variable_value_labels=labels,
                         missing_ranges={"salary": [0.0]})
    pyreadstat.write_sav(df, str(bare), variable_value_labels=labels)
    for path, counted in ((declared, prevexp), (bare, prevexp[prevexp != 0])):
        s = open_survey(import_source(path, tmp_path / path.stem))
        ct = crosstab(s, TabRequest("prevexp"))
        mean = next(r for r in ct.rows if r.kind == "mean")
        assert mean.cells[0].count == len(counted), path.stem
        assert mean.cells[0].value == pytest.approx(counted.mean()), path.stem
        salary_mean = next(r for r in crosstab(s, TabRequest("salary")).rows
                           if r.kind == "mean")
        assert salary_mean.cells[0].count == N - 5  # declared or guessed: missing
