"""Survey platforms' exports, recognised without options (issue 22, item 6): Qualtrics CSV,
SurveyMonkey CSV and XLSX, Google Forms and Microsoft Forms CSV, LimeSurvey's SPSS export.
Each fixture is written here in the platform's layout; each test was seen failing on the
importer before this change."""

from __future__ import annotations

import csv
import json

import numpy as np
import polars as pl
import pyreadstat
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from heetui.survey.bundle import load_bundle

N = 60
RNG = np.random.default_rng(6)
SATISFIED = ["Very satisfied", "Satisfied", "Dissatisfied"]
USES = ["Email", "Phone", "Post"]


def _answers(n: int = N) -> list[dict]:
    """One respondent's answers, as any platform would hold them."""
    rng = np.random.default_rng(6)
    out = []
    for i in range(n):
        uses = [u for u in USES if rng.random() < 0.5]
        out.append({"sat": SATISFIED[int(rng.integers(0, 3))], "uses": uses,
                    "other": "Carrier pigeon" if i % 10 == 3 else "",
                    "age": int(rng.integers(18, 80)),
                    "speed": ["Good", "Poor"][i % 2], "price": ["Poor", "Good", "Fair"][i % 3],
                    "comment": f"Respondent {i} wrote a longer comment about the service"
                               if i % 2 else ""})
    return out


def _write(path, rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def _labels(cb, vid: str) -> list[str]:
    return [o.label for o in cb.get(vid).options]


# ---- Qualtrics ------------------------------------------------------------------------------

def _qualtrics(tmp_path):
    meta = [("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
            ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
            ("Status", "Response Type", '{"ImportId":"status"}'),
            ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
            ("Progress", "Progress", '{"ImportId":"progress"}'),
            ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
            ("Finished", "Finished", '{"ImportId":"finished"}'),
            ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
            ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
            ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}')]
    q = "Which of these do you use?"
    questions = [("Q1", "How satisfied are you with the service?", '{"ImportId":"QID1"}'),
                 ("Q2", "How old are you?", '{"ImportId":"QID2_TEXT"}')]
    questions += [(f"Q3_{k}", f"{q} - Selected Choice - {u}",
                   f'{{"ImportId":"QID3","choiceId":"{k}"}}')
                  for k, u in enumerate(USES + ["Other"], start=1)]
    questions += [("Q3_4_TEXT", f"{q} - Other - Text", '{"ImportId":"QID3_4_TEXT"}'),
                  ("Q4_1", "Please rate us - Speed", '{"ImportId":"QID4_1"}'),
                  ("Q4_2", "Please rate us - Price", '{"ImportId":"QID4_2"}'),
                  ("Q5", "Anything else?", '{"ImportId":"QID5_TEXT"}')]
    cols = meta + questions
    rows: list[list[object]] = [[c[0] for c in cols], [c[1] for c in cols],
                                [c[2] for c in cols]]
    answers = _answers()
    for i, a in enumerate(answers):
        rows.append(["2024-05-01 10:00:00", "2024-05-01 10:05:00", 0, f"10.0.0.{i}", 100,
                     300 + i, 1, f"R_{i:012d}", f"p{i}@example.org", "EN", a["sat"], a["age"]]
                    + [1 if u in a["uses"] else "" for u in USES]
                    + [1 if a["other"] else "", a["other"], a["speed"], a["price"],
                       a["comment"]])
    path = tmp_path / "qualtrics.csv"
    _write(path, rows)
    return path, answers


def test_qualtrics_export(tmp_path):
    path, answers = _qualtrics(tmp_path)
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert "recognised a Qualtrics export: 5 questions, 1 multi-response" in r.stderr
    cb = load_bundle(tmp_path / "b").codebook
    assert cb.get("Q1").text == "How satisfied are you with the service?"
    assert sorted(_labels(cb, "Q1")) == sorted(SATISFIED)
    assert cb.get("Q2").type == "numeric"
    q3 = cb.get("Q3")
    assert q3.type == "multi" and q3.text == "Which of these do you use?"
    assert _labels(cb, "Q3") == USES + ["Other"]
    assert cb.get("Q3_4_TEXT").type == "open"
    assert cb.get("Q4_1").text == "Please rate us - Speed"
    assert cb.get("Q5").type == "open"
    ids = {v.id for v in cb.variables}
    assert not ids & {"StartDate", "EndDate", "IPAddress", "RecipientEmail", "ResponseId"}
    assert cb.get("Progress").group == "Survey metadata"
    ct = crosstab(open_survey(tmp_path / "b"), TabRequest("Q3"))
    chose = [a for a in answers if a["uses"] or a["other"]]
    assert ct.total.base == len(chose)
    assert [r.cells[0].count for r in ct.rows[:3]] == [
        sum(u in a["uses"] for a in answers) for u in USES]


# ---- SurveyMonkey ---------------------------------------------------------------------------

def _surveymonkey_rows() -> tuple[list[list[object]], list[dict]]:
    answers = _answers()
    row1 = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1",
            "How satisfied are you?", "Which of these do you use?", "", "", "",
            "Please rate us", "", "What else would you like to tell us?"]
    row2 = [""] * 9 + ["Response", "Email", "Phone", "Post", "Other (please specify)",
                       "Speed", "Price", "Open-Ended Response"]
    rows: list[list[object]] = [row1, row2]
    for i, a in enumerate(answers):
        rows.append([11_400_000_000 + i, 400_000_000 + i % 2, "05/01/2024 10:00:00 AM",
                     "05/01/2024 10:05:00 AM", f"10.0.0.{i}", "", "", "", f"panel{i % 3}",
                     a["sat"]] + [u if u in a["uses"] else "" for u in USES]
                    + [a["other"], a["speed"], a["price"], a["comment"]])
    return rows, answers


def _check_surveymonkey(out, answers, stderr: str) -> None:
    assert "recognised a SurveyMonkey export: 4 questions, 1 multi-response" in stderr
    cb = load_bundle(out).codebook
    assert cb.get("Q1").text == "How satisfied are you?"
    q2 = cb.get("Q2")
    assert q2.type == "multi" and q2.text == "Which of these do you use?"
    assert _labels(cb, "Q2") == USES + ["Other (please specify)"]
    assert cb.get("Q2_other").type == "open"  # the typed "other" answers are comments too
    assert cb.get("Q3_1").type == "single" and cb.get("Q3_1").text == "Please rate us - Speed"
    assert cb.get("Q4").type == "open"
    ids = {v.id for v in cb.variables}
    assert not ids & {"Start_Date", "IP_Address", "Email_Address", "First_Name"}
    data = pl.read_parquet(out / "respondents.parquet")
    assert data["respondent_id"].to_list()[:2] == [11_400_000_000, 11_400_000_001]
    ct = crosstab(open_survey(out), TabRequest("Q2", "Q1"))
    assert ct.total.base == sum(bool(a["uses"] or a["other"]) for a in answers)
    email = ct.rows[0]
    assert email.label == "Email"
    assert email.cells[0].count == sum("Email" in a["uses"] for a in answers)


def test_surveymonkey_csv_export(tmp_path):
    rows, answers = _surveymonkey_rows()
    path = tmp_path / "monkey.csv"
    _write(path, rows)
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    _check_surveymonkey(tmp_path / "b", answers, r.stderr)


def test_surveymonkey_weight_is_named_by_its_header(tmp_path):
    """The export's "weight" column becomes a question number (Q5) like every column with a
    "Response" under it; --weight still finds it by the header the analyst sees."""
    rows, answers = _surveymonkey_rows()
    rows[0].append("weight")
    rows[1].append("Response")
    for i, row in enumerate(rows[2:]):
        row.append((0.5, 1.5)[i % 2])
    path = tmp_path / "monkey.csv"
    _write(path, rows)
    r = run("import", str(path), "-o", str(tmp_path / "b"), "--weight", "weight")
    assert r.returncode == 0, r.stderr
    s = open_survey(tmp_path / "b")
    assert s.codebook.settings.weight == "Q5"
    ct = crosstab(s, TabRequest("Q1", weighted=True))
    assert ct.total.weighted_base == pytest.approx(sum((0.5, 1.5)[i % 2]
                                                       for i in range(len(answers))))
    r = run("import", str(path), "-o", str(tmp_path / "c"), "--weight", "wt")
    assert r.returncode == 2 and "Q5 (weight)" in r.stderr, r.stderr


def test_surveymonkey_xlsx_export(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    rows, answers = _surveymonkey_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    ws.merge_cells("K1:N1")  # the question over its option columns, as SurveyMonkey does
    ws.merge_cells("O1:P1")
    path = tmp_path / "monkey.xlsx"
    wb.save(path)
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    _check_surveymonkey(tmp_path / "b", answers, r.stderr)


# ---- Google Forms and Microsoft Forms ------------------------------------------------------

FEATURES = ["Search", "Export", "Charts", "Sharing"]
RECOMMEND = ["Yes, definitely", "Yes, probably", "No, never"]


def _forms_answers() -> list[dict]:
    rng = np.random.default_rng(11)
    out = []
    for i in range(80):
        chosen = [f for f in FEATURES if rng.random() < 0.45] or ["Charts"]
        out.append({"heard": ["Friend", "Web", "Radio"][i % 3], "features": chosen,
                    "other": f"my own macro no. {i}" if i % 16 == 5 else "",
                    "recommend": RECOMMEND[int(rng.integers(0, 3))],
                    "comment": f"Comment number {i}, which is long enough to be a comment"})
    return out


def test_google_forms_export(tmp_path):
    answers = _forms_answers()
    path = _google_forms_file(tmp_path)
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert "recognised a Google Forms export: 4 questions, 1 multi-response" in r.stderr
    cb = load_bundle(tmp_path / "b").codebook
    assert [(v.id, v.type, v.text) for v in cb.variables] == [
        ("q1", "single", "How did you hear about us?"),
        ("q2", "multi", "Which features do you use?"),
        ("q3", "single", "Would you recommend us?"),
        ("q4", "open", "Any other comments?")]
    assert _labels(cb, "q2") == FEATURES + ["Other"]  # in the form's order
    assert _labels(cb, "q3") == sorted(RECOMMEND)  # commas inside one answer stay whole
    d = json.loads(run("tab", "q2", "--data", str(tmp_path / "b"), "--format", "json").stdout)
    counts = {row["label"]: row["cells"][0]["count"] for row in d["rows"]}
    assert counts == {**{f: sum(f in a["features"] for a in answers) for f in FEATURES},
                      "Other": sum(bool(a["other"]) for a in answers)}
    assert d["columns"][0]["base"] == len(answers)


def test_microsoft_forms_export(tmp_path):
    answers = _forms_answers()
    rows: list[list[object]] = [["ID", "Start time", "Completion time", "Email", "Name",
                                 "Which features do you use?", "How did you hear about us?"]]
    for i, a in enumerate(answers, start=1):
        rows.append([i, "5/1/24 10:00:00", "5/1/24 10:04:00", "anonymous", "",
                     "".join(f + ";" for f in a["features"]), a["heard"]])
    path = tmp_path / "Survey.csv"
    _write(path, rows)
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert "recognised a Microsoft Forms export: 2 questions, 1 multi-response" in r.stderr
    cb = load_bundle(tmp_path / "b").codebook
    assert cb.get("q1").type == "multi" and cb.get("q1").text == "Which features do you use?"
    assert _labels(cb, "q1") == FEATURES
    assert {v.id for v in cb.variables} == {"q1", "q2"}
    ct = crosstab(open_survey(tmp_path / "b"), TabRequest("q1", "q2"))
    assert [r.cells[0].count for r in ct.rows[:4]] == [
        sum(f in a["features"] for a in answers) for f in FEATURES]


# ---- LimeSurvey -----------------------------------------------------------------------------

def test_limesurvey_spss_export(tmp_path):
    answers = _answers()
    q2 = "Which of these do you use?"
    data: dict[str, list] = {"id": [float(i) for i in range(1, N + 1)],
                             "lastpage": [3.0] * N, "startlanguage": ["en"] * N,
                             "ipaddr": [f"10.0.0.{i}" for i in range(N)],
                             "q1": [float(SATISFIED.index(a["sat"]) + 1) for a in answers]}
    for k, u in enumerate(USES, start=1):
        data[f"q2_SQ00{k}"] = [1.0 if u in a["uses"] else 0.0 for a in answers]
    data["q2_other"] = [a["other"] for a in answers]
    colours = ["Red", "Green"]
    for k in range(1, len(colours) + 1):
        data[f"q3_SQ00{k}"] = ["Y" if (i + k) % 3 else "" for i in range(N)]
    data["q4_SQ001"] = [float(1 + i % 5) for i in range(N)]
    data["q4_SQ002"] = [float(1 + (i * 2) % 5) for i in range(N)]
    labels = {"q1": "How satisfied are you?", "q2_other": f"[Other] {q2}",
              "q4_SQ001": "[Speed] Please rate us", "q4_SQ002": "[Price] Please rate us"}
    labels |= {f"q2_SQ00{k}": f"[{u}] {q2}" for k, u in enumerate(USES, start=1)}
    labels |= {f"q3_SQ00{k}": f"[{c}] Which colours do you like?"
               for k, c in enumerate(colours, start=1)}
    yes = {1.0: "Yes", 0.0: "Not Selected"}
    scale = {float(i): t for i, t in enumerate(["Bad", "Poor", "Fair", "Good", "Great"], 1)}
    value_labels = {"q1": {float(i + 1): s for i, s in enumerate(SATISFIED)},
                    "q4_SQ001": scale, "q4_SQ002": scale}
    value_labels |= {f"q2_SQ00{k}": yes for k in range(1, 4)}
    path = tmp_path / "survey_123456_SPSS.sav"
    pyreadstat.write_sav(pl.DataFrame(data), str(path), column_labels=labels,
                         variable_value_labels=value_labels)
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert "recognised a LimeSurvey export: 4 questions, 2 multi-response" in r.stderr
    cb = load_bundle(tmp_path / "b").codebook
    q2v = cb.get("q2")
    assert q2v.type == "multi" and q2v.text == q2 and _labels(cb, "q2") == USES
    assert cb.get("q2_other").type == "open"
    assert cb.get("q3").type == "multi" and _labels(cb, "q3") == colours
    assert cb.get("q4_SQ001").type == "single"
    assert cb.get("q4_SQ001").text == "Please rate us - Speed"
    assert "ipaddr" not in {v.id for v in cb.variables}
    ct = crosstab(open_survey(tmp_path / "b"), TabRequest("q2"))
    assert ct.total.base == N  # 1/0 coding: everyone shown the question is in the base
    assert [r.cells[0].count for r in ct.rows[:3]] == [
        sum(u in a["uses"] for a in answers) for u in USES]
    ct3 = crosstab(open_survey(tmp_path / "b"), TabRequest("q3"))
    assert ct3.total.base == sum(1 for i in range(N) if (i + 1) % 3 or (i + 2) % 3)


def test_plain_files_are_not_taken_for_a_platform_export(tmp_path):
    """A first data row saying "Response", a timestamp column that is not Google's, an SPSS
    file with an id and a start date: read as they are, nothing renamed or left out."""
    src = tmp_path / "plain.csv"
    src.write_text("timestamp,kind,score\n" + "".join(
        f"{1_700_000_000 + i},{['Response', 'Call'][i % 2]},{i % 7}\n" for i in range(40)))
    r = run("import", str(src), "-o", str(tmp_path / "b"))
    assert r.returncode == 0 and "recognised" not in r.stderr, r.stderr
    cb = load_bundle(tmp_path / "b").codebook
    assert {v.id for v in cb.variables} == {"timestamp", "kind", "score"}
    assert _labels(cb, "kind") == ["Call", "Response"]
    sav = tmp_path / "plain.sav"
    pyreadstat.write_sav(pl.DataFrame({"id": [1.0, 2.0, 3.0], "startdate": ["a", "b", "c"],
                                       "q": [1.0, 2.0, 1.0]}), str(sav))
    r = run("import", str(sav), "-o", str(tmp_path / "c"))
    assert r.returncode == 0 and "recognised" not in r.stderr, r.stderr


# ---- reimport with an edited codebook ------------------------------------------------------

def _google_forms_file(tmp_path):
    rows: list[list[object]] = [["Timestamp", "Email Address", "How did you hear about us?",
                                 "Which features do you use?", "Would you recommend us?",
                                 "Any other comments?"]]
    for i, a in enumerate(_forms_answers()):
        rows.append([f"2024/05/01 10:{i % 60:02d}:00 AM GMT+1", f"p{i}@example.org",
                     a["heard"], ", ".join(a["features"] + ([a["other"]] if a["other"]
                                                             else [])),
                     a["recommend"], a["comment"]])
    path = tmp_path / "Form responses 1.csv"
    _write(path, rows)
    return path


def _surveymonkey_file(tmp_path):
    path = tmp_path / "monkey.csv"
    _write(path, _surveymonkey_rows()[0])
    return path


@pytest.mark.parametrize("make", [lambda p: _qualtrics(p)[0], _surveymonkey_file,
                                  _google_forms_file])
def test_platform_export_reimports_with_its_edited_codebook(tmp_path, make):
    """The codebook `heetui import` wrote, edited (an option relabelled, the options
    reordered), imports the same export again with --codebook: each multi-response option
    keeps its respondents, whatever its label and place now."""
    path = make(tmp_path)
    assert run("import", str(path), "-o", str(tmp_path / "a")).returncode == 0
    first = load_bundle(tmp_path / "a").codebook
    multi = next(v for v in first.variables if v.type == "multi")
    text = (tmp_path / "a" / "codebook.toml").read_text(encoding="utf-8")
    last = multi.options[-1]
    text = text.replace(f'{{code = {last.code}, label = "{last.label}"}}',
                        f'{{code = {last.code}, label = "Renamed option"}}')
    head = f'{{code = {multi.options[0].code}, label = "{multi.options[0].label}"}},\n'
    text = text.replace(head, "", 1).replace('{code = ' + str(last.code), head.rstrip(",\n")
                                             + ',\n    {code = ' + str(last.code), 1)
    edited = tmp_path / "edited.toml"
    edited.write_text(text, encoding="utf-8")
    r = run("import", str(path), "-o", str(tmp_path / "b"), "--codebook", str(edited))
    assert r.returncode == 0, r.stderr
    second = load_bundle(tmp_path / "b").codebook
    again = second.get(multi.id)
    assert again.option(last.code).label == "Renamed option"
    assert [o.code for o in again.options] != [o.code for o in multi.options]
    a = crosstab(open_survey(tmp_path / "a"), TabRequest(multi.id))
    b = crosstab(open_survey(tmp_path / "b"), TabRequest(multi.id))
    counts_a = {r.codes: r.cells[0].count for r in a.rows if r.kind == "category"}
    counts_b = {r.codes: r.cells[0].count for r in b.rows if r.kind == "category"}
    assert counts_a == counts_b and a.total.base == b.total.base
