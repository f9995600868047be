"""Imports that need no editing (issue 31 item 7; issue 30 items 3 and 8): each fixture is
written here the way the platform (or Excel, or SPSS) writes it, and every count is checked
against polars on the fixture itself. Seen failing on the importer before this change:
every test except the Google/Microsoft separators of the joined-answers test, which the
Forms recogniser already read."""

from __future__ import annotations

import csv
import io
import json
import sys
import uuid

import numpy as np
import openpyxl
import polars as pl
import pyreadstat
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from heetui.importers import import_source
from heetui.opening import open_path
from heetui.survey.bundle import load_bundle

N = 120
USES = ["Email", "Phone", "Post"]
AGREE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
         "Strongly disagree", "Don’t know"]
SATISFIED = ["Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied",
             "Dissatisfied", "Very dissatisfied"]


def _people(n: int = N) -> list[dict]:
    rng = np.random.default_rng(31)
    return [{"uses": [u for u in USES if rng.random() < 0.5],
             "agree": AGREE[int(rng.integers(0, 6))],
             "sat": SATISFIED[int(rng.integers(0, 5))],
             "weight": round(float(rng.uniform(0.4, 2.5)), 4),
             "why": f"Because of reason {i}, and then some more words" if i % 3 else ""}
            for i in range(n)]


def _write(path, rows, encoding: str = "utf-8") -> None:
    with path.open("w", newline="", encoding=encoding) as f:
        csv.writer(f).writerows(rows)


def _import(tmp_path, path):
    r = run("import", str(path), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    return tmp_path / "b", r.stderr


# ---- SurveyMonkey: question texts from the header rows, weight, opening question -------------

def _surveymonkey(people: list[dict]) -> list[list[object]]:
    row1 = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1",
            "How satisfied are you with our service?", "Which of these do you use?", "", "",
            "The staff were helpful", "Please tell us why", "Weight"]
    row2 = [""] * 9 + ["Response", *USES, "Response", "Open-Ended Response", "Response"]
    rows: list[list[object]] = [row1, row2]
    for i, p in enumerate(people):
        rows.append([11412874560 + 7 * i, 254301123, "05/01/2024 10:00:00 AM",
                     "05/01/2024 10:05:00 AM", f"81.2.{i}.7", "", "", "", "", p["sat"],
                     *[u if u in p["uses"] else "" for u in USES], p["agree"], p["why"],
                     p["weight"]])
    return rows


def _check_surveymonkey(out, people) -> None:
    cb = load_bundle(out).codebook
    # question texts (and labels) from the header rows; ids stay short and stable
    assert [(q.id, q.short) for q in cb.questions
            if q.type != "open" and q.group != "Items of Q2"][:4] == [
        ("Collector_ID", "Collector ID"),
        ("Q1", "How satisfied are you with our service?"),
        ("Q2", "Which of these do you use?"), ("Q3", "The staff were helpful")]
    # the set's tick columns stay questions of their own, under it
    assert [q.short for q in cb.questions if q.group == "Items of Q2"] == [
        f"Which of these do you use? - {u}" for u in USES]
    assert not cb.grids  # Q1 and Q3 share a name prefix, not a scale
    assert cb.opening == "Q1"  # never the collector id
    assert cb.settings.weight == "Q5"
    s = open_survey(out)
    ct = crosstab(s, TabRequest("Q3", weighted=True))
    frame = pl.DataFrame(people)
    assert ct.total.weighted_base == pytest.approx(frame["weight"].sum())
    agree = frame.filter(pl.col("agree").is_in(AGREE[:2]))["weight"].sum()
    net = next(r for r in ct.rows if r.kind == "net" and r.label == "Agree")
    assert net.cells[0].percent == pytest.approx(100 * agree / frame["weight"].sum())


def test_surveymonkey_csv_needs_no_editing(tmp_path):
    people = _people()
    _write(tmp_path / "monkey.csv", _surveymonkey(people))
    out, stderr = _import(tmp_path, tmp_path / "monkey.csv")
    _check_surveymonkey(out, people)
    assert "weight: Q5" in stderr and "Collector_ID" in stderr


def test_surveymonkey_xlsx_opened_directly_uses_its_weight(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    people = _people()
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in _surveymonkey(people):
        ws.append([None if c == "" else c for c in row])
    wb.save(tmp_path / "monkey.xlsx")
    survey = open_path(tmp_path / "monkey.xlsx")  # `heetui FILE`
    assert survey.codebook.settings.weight == "Q5"
    _check_surveymonkey(survey.bundle.path, people)


# ---- joined multi-selects (Qualtrics ",", Google ", ", Microsoft ";") ------------------------

def _qualtrics(people: list[dict], sep: str = ",") -> list[list[object]]:
    cols = [("StartDate", "Start Date", '{"ImportId":"startDate"}'),
            ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
            ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
            ("Q1", "How do you prefer to be contacted? - Selected Choice",
             '{"ImportId":"QID1"}'),
            ("Q2", "I trust this organisation", '{"ImportId":"QID2"}'),
            ("Q3", "What could we do better?", '{"ImportId":"QID3_TEXT"}')]
    rows: list[list[object]] = [[c[i] for c in cols] for i in range(3)]
    rng = np.random.default_rng(3)
    for i, p in enumerate(people):
        rows.append(["2024-05-01 10:00:00", f"10.1.{i}.3", f"R_{rng.integers(1e14):x}{i}",
                     sep.join(p["uses"]), p["agree"], p["why"]])
    return rows


def test_qualtrics_joined_answers_are_a_multi_select_not_comments(tmp_path):
    people = _people()
    _write(tmp_path / "q.csv", _qualtrics(people))
    out, stderr = _import(tmp_path, tmp_path / "q.csv")
    cb = load_bundle(out).codebook
    assert cb.get("Q1").type == "multi" and [o.label for o in cb.get("Q1").options] == USES
    assert cb.get("Q1").text == "How do you prefer to be contacted?"
    assert cb.get("Q3").type == "open"  # comments with commas stay comments
    assert "ResponseId" in stderr and "ResponseId" not in cb
    ct = crosstab(open_survey(out), TabRequest("Q1"))
    frame = pl.DataFrame({"uses": [p["uses"] for p in people]})
    assert ct.total.base == frame.filter(pl.col("uses").list.len() > 0).height
    for row, use in zip(ct.rows, USES, strict=False):
        assert row.cells[0].count == frame.filter(pl.col("uses").list.contains(use)).height
    verbatims = pl.read_parquet(out / "verbatims.parquet")
    assert not verbatims["text"].str.starts_with("R_").any()


@pytest.mark.parametrize("sep", [",", ", ", ";", "|"])
def test_a_joined_column_is_recognised_in_any_file_and_comments_are_not(tmp_path, sep):
    people = _people()
    rows = [["id", "channels", "comment", "verdict"]]
    for i, p in enumerate(people):
        rows.append([i + 1, sep.join(p["uses"]), p["why"],
                     ["Yes, a lot", "Yes, a little", "No, not at all"][i % 3]])
    _write(tmp_path / "j.csv", rows)
    out, stderr = _import(tmp_path, tmp_path / "j.csv")
    cb = load_bundle(out).codebook
    assert cb.get("channels").type == "multi"
    assert cb.get("comment").type == "open"
    assert cb.get("verdict").type == "single"  # one label holding a comma, always alone
    ct = crosstab(open_survey(out), TabRequest("channels"))
    assert [r.cells[0].count for r in ct.rows[:3]] == [
        sum(u in p["uses"] for p in people) for u in USES]
    assert "channels: answers joined" in stderr


def test_a_text_with_separators_that_is_not_choices_is_reported_as_unsure(tmp_path):
    """Repeated answers holding commas whose pieces do not recur as choices: kept as text,
    and the report says the import was unsure (never silently)."""
    answers = ["Parking, as always", "Staff were great, thanks", "Nothing, all fine"]
    rows = [["q1", "notes"]] + [[p["sat"], answers[i % 3] if i % 2 else f"Note {i}"]
                                for i, p in enumerate(_people())]
    _write(tmp_path / "u.csv", rows)
    out, stderr = _import(tmp_path, tmp_path / "u.csv")
    assert load_bundle(out).codebook.get("notes").type == "open"
    assert "unsure: notes: ',' in many answers" in stderr


# ---- tick columns sharing a prefix -----------------------------------------------------------

TICKS = {"0/1": (1, 0), "1/blank": (1, ""), "checked": ("Checked", "Unchecked"),
         "label/blank": (None, "")}


@pytest.mark.parametrize("style", list(TICKS))
def test_tick_columns_sharing_a_prefix_are_one_multi_select(tmp_path, style):
    people = _people()
    suffixes = ["email", "phone", "post", "none"]
    yes, no = TICKS[style]
    rows = [["q1", *[f"q4_{x}" for x in suffixes]]]
    for p in people:
        chosen = p["uses"] or ["none"]
        rows.append([p["sat"], *[(yes if yes is not None else x.title()) if x.title() in chosen
                                 or x in chosen else no for x in suffixes]])
    _write(tmp_path / "t.csv", rows)
    out, stderr = _import(tmp_path, tmp_path / "t.csv")
    cb = load_bundle(out).codebook
    q4 = cb.get("q4")
    assert q4.type == "multi" and len(q4.options) == 4
    ct = crosstab(open_survey(out), TabRequest("q4"))
    assert ct.total.base == len(people)
    assert [r.cells[0].count for r in ct.rows[:4]] == [
        sum(u in p["uses"] for p in people) for u in USES] + [
        sum(not p["uses"] for p in people)]
    assert "multi-response sets: q4 (4 options)" in stderr
    # each tick column stays a question of its own, under the set
    assert [(v.id, v.group) for v in cb.questions if v.group.startswith("Items of")] == [
        (f"q4_{x}", "Items of q4") for x in suffixes]


# ---- weight, metadata and ids ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["weight", "wt", "Weighting", "WEIGHT_VAR"])
def test_a_column_named_as_a_weight_is_used_when_it_validates(tmp_path, name):
    people = _people()
    rows = [["q1", name]] + [[p["sat"], p["weight"]] for p in people]
    _write(tmp_path / "w.csv", rows)
    out, stderr = _import(tmp_path, tmp_path / "w.csv")
    cb = load_bundle(out).codebook
    assert cb.settings.weight is not None and f"weight: {name}" in stderr
    ct = crosstab(open_survey(out), TabRequest("q1", weighted=True))
    assert ct.total.weighted_base == pytest.approx(sum(p["weight"] for p in people))


def test_a_doubtful_weight_is_reported_not_used(tmp_path):
    rows = [["q1", "weight"]] + [[p["sat"], "" if i == 4 else p["weight"]]
                                 for i, p in enumerate(_people())]
    _write(tmp_path / "w.csv", rows)
    out, stderr = _import(tmp_path, tmp_path / "w.csv")
    assert load_bundle(out).codebook.settings.weight is None
    assert "unsure: weight looks like a weight but 1 respondent has no weight" in stderr


@pytest.mark.parametrize("make_id", [
    lambda i: f"ZX7000Q{i * 7919 % 100000:05d}K",
    lambda i: str(uuid.UUID(int=i * 2654435761 + 17)),
    lambda i: f"R_{i * 104729 + 3:x}aB9"])
def test_an_id_like_text_column_is_never_comments(tmp_path, make_id):
    people = _people()
    rows = [["Survey ref", "Submitted", "Client IP", "Contact", "q1", "q2"]]
    for i, p in enumerate(people):
        rows.append([make_id(i), f"2024-05-{1 + i % 28:02d} 10:{i % 60:02d}:00",
                     f"192.168.{i % 250}.{i % 7}", f"person{i}@example.org", p["agree"],
                     p["sat"]])
    _write(tmp_path / "ids.csv", rows)
    out, stderr = _import(tmp_path, tmp_path / "ids.csv")
    cb = load_bundle(out).codebook
    assert [v.id for v in cb.variables] == ["q1", "q2"]
    assert not (out / "verbatims.parquet").exists()
    assert cb.opening == "q1"
    # the respondent key where the file has no whole-number id: the text as the file holds it
    assert "respondent key: Survey ref (a different text for every respondent" in stderr
    kept = pl.read_parquet(out / "respondents.parquet")["respondent_id"].to_list()
    assert kept == [make_id(i) for i in range(len(people))]
    assert "Submitted: dates" in stderr and "Client IP: IP addresses" in stderr
    assert "Contact: e-mail addresses" in stderr


async def test_the_app_opens_on_the_first_real_question(tmp_path, monkeypatch):
    """Survey metadata (a collector id, first in the file) is listed, never opened on."""
    from heetui.tui.app import HeetuiApp

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _write(tmp_path / "monkey.csv", _surveymonkey(_people()))
    app = HeetuiApp(open_path(tmp_path / "monkey.csv"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.view.question == "Q1"
        assert app.codebook.questions[0].id == "Collector_ID"


# ---- labelled scales: nets and a mean without Don't know ---------------------------------------

def _check_scored(out, vid: str, codes: list[int], dk: int, scores: list[int]) -> None:
    cb = load_bundle(out).codebook
    v = cb.get(vid)
    assert [n.label for n in v.nets] == ["Agree", "Disagree"]
    assert next(o for o in v.options if o.code == dk).value is None
    ct = crosstab(open_survey(out), TabRequest(vid))
    score = {o.code: o.value for o in v.options}
    scored = [score[c] for c in codes if score.get(c) is not None]
    mean = next(r for r in ct.rows if r.kind == "mean")
    assert mean.cells[0].count == len(scored)  # Don't know left out
    assert mean.cells[0].value == pytest.approx(np.mean(scored))
    assert sorted(set(scored)) == scores


def test_a_csv_agreement_scale_gets_nets_and_a_mean(tmp_path):
    people = _people()
    _write(tmp_path / "s.csv", [["q1"]] + [[p["agree"]] for p in people])
    out, _ = _import(tmp_path, tmp_path / "s.csv")
    cb = load_bundle(out).codebook
    codes = [next(o.code for o in cb.get("q1").options if o.label == p["agree"])
             for p in people]
    _check_scored(out, "q1", codes, next(o.code for o in cb.get("q1").options
                                         if o.label == "Don’t know"), [-2, -1, 0, 1, 2])


def test_a_sav_agreement_scale_gets_nets_and_a_mean(tmp_path):
    rng = np.random.default_rng(5)
    codes = [int(c) for c in rng.choice([1, 2, 3, 4, 5, 9], size=N)]
    labels = {1.0: "Strongly disagree", 2.0: "Disagree", 3.0: "Neither agree nor disagree",
              4.0: "Agree", 5.0: "Strongly agree", 9.0: "Don't know"}
    pyreadstat.write_sav(pl.DataFrame({"q1": [float(c) for c in codes]}),
                         str(tmp_path / "s.sav"), variable_value_labels={"q1": labels},
                         column_labels={"q1": "I trust this organisation"})
    out, _ = _import(tmp_path, tmp_path / "s.sav")
    _check_scored(out, "q1", codes, 9, [1, 2, 3, 4, 5])
    # the file's own codes are the scores, so the mean is SPSS's (Don't know guessed missing)
    mean = next(r for r in crosstab(open_survey(out), TabRequest("q1")).rows if r.kind == "mean")
    assert mean.cells[0].value == pytest.approx(np.mean([c for c in codes if c != 9]))


# ---- files as they arrive: encodings and line ends ---------------------------------------------

def _plain_text(people: list[dict], end: str = "\r\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=end).writerows(
        [["id", "q1", "q2"]] + [[i + 1, p["agree"], p["sat"]] for i, p in enumerate(people)])
    return buf.getvalue()


@pytest.mark.parametrize(("name", "encode"), [
    ("utf-16-le", lambda t: b"\xff\xfe" + t.encode("utf-16-le")),
    ("utf-16-be", lambda t: b"\xfe\xff" + t.encode("utf-16-be")),
    ("utf-8-bom", lambda t: t.encode("utf-8-sig")),
    ("cp1252", lambda t: t.encode("cp1252")),
    ("cr-only", lambda t: t.replace("\r\n", "\r").encode("utf-8"))])
def test_text_files_as_excel_and_old_tools_write_them(tmp_path, name, encode):
    people = _people()
    (tmp_path / "e.csv").write_bytes(encode(_plain_text(people)))
    out, _ = _import(tmp_path, tmp_path / "e.csv")
    cb = load_bundle(out).codebook
    assert "Don’t know" in [o.label for o in cb.get("q1").options]
    ct = crosstab(open_survey(out), TabRequest("q1"))
    assert ct.total.base == len(people)
    dk = next(r for r in ct.rows if r.label == "Don’t know")
    assert dk.cells[0].count == sum(p["agree"] == "Don’t know" for p in people)


def test_a_sav_imports_without_pandas(tmp_path, monkeypatch):
    pyreadstat.write_sav(pl.DataFrame({"q1": [1.0, 2.0, 1.0]}), str(tmp_path / "p.sav"),
                         variable_value_labels={"q1": {1.0: "Yes", 2.0: "No"}})
    monkeypatch.setitem(sys.modules, "pandas", None)  # as with the runtime dependencies
    out = import_source(tmp_path / "p.sav", tmp_path / "b")
    assert [o.label for o in load_bundle(out).codebook.get("q1").options] == ["Yes", "No"]


def test_an_id_like_text_column_of_a_sav_is_left_out(tmp_path):
    rng = np.random.default_rng(9)
    ids = [f"ZX7000Q{int(x):06d}" for x in rng.choice(10**6, size=N, replace=False)]
    codes = [float(c) for c in rng.choice([1, 2], size=N)]
    pyreadstat.write_sav(pl.DataFrame({"serialno": ids, "q1": codes}), str(tmp_path / "i.sav"),
                         variable_value_labels={"q1": {1.0: "Yes", 2.0: "No"}})
    out, stderr = _import(tmp_path, tmp_path / "i.sav")
    assert [v.id for v in load_bundle(out).codebook.variables] == ["q1"]
    assert not (out / "verbatims.parquet").exists()
    assert "respondent key: serialno (a different text for every respondent" in stderr
    assert pl.read_parquet(out / "respondents.parquet")["respondent_id"].to_list() == ids


@pytest.mark.parametrize("spoil", [
    lambda ids: ids.__setitem__(7, ids[3]),  # one repeated
    lambda ids: ids.__setitem__(9, ""),  # one missing
    lambda ids: ids.__setitem__(5, "=1+1"),  # one a formula
])
def test_ids_that_cannot_be_the_key_are_never_comments(tmp_path, spoil):
    """A column named as ids are, of single words nearly each its own, is ids even when one
    is repeated, missing or odd: left out with its reason, never read as comments."""
    people = _people()
    ids = [f"R_{i * 104729 + 3:x}aB9" for i in range(len(people))]
    spoil(ids)
    rows = [["ResponseId", "q1", "why"]] + [[ids[i], p["agree"], p["why"]]
                                            for i, p in enumerate(people)]
    _write(tmp_path / "spoilt.csv", rows)
    out, stderr = _import(tmp_path, tmp_path / "spoilt.csv")
    assert "left out ResponseId: ids that cannot be the respondent key" in stderr
    assert "no respondent key: respondents are numbered in file order" in stderr
    comments = pl.read_parquet(out / "verbatims.parquet")
    assert set(comments["question"]) == {"why"}
    assert pl.read_parquet(out / "respondents.parquet")["respondent_id"].to_list() == \
        list(range(1, len(people) + 1))


def test_a_user_missing_text_key_gives_the_same_ids_imported_again(tmp_path):
    """SPSS may declare a value of the id-like text missing: then it is no key (a
    respondent would have none), the respondents are numbered, the column left out, and a
    re-import with the codebook written gives the same ids."""
    ids = [f"PX{i * 7919 % 100000:05d}" for i in range(N)]
    frame = pl.DataFrame({"serial": ids, "q1": [float(1 + i % 2) for i in range(N)],
                          "why": [f"Because of reason number {i}" for i in range(N)]})
    pyreadstat.write_sav(frame, str(tmp_path / "m.sav"),
                         variable_value_labels={"q1": {1.0: "Yes", 2.0: "No"}},
                         missing_ranges={"serial": [ids[3]]})
    out, stderr = _import(tmp_path, tmp_path / "m.sav")
    assert "left out serial: ids declared missing for some respondents" in stderr
    again = run("import", str(tmp_path / "m.sav"), "-o", str(tmp_path / "again"),
                "--codebook", str(out / "codebook.toml"))
    assert again.returncode == 0, again.stderr
    for name in ("respondents", "verbatims"):
        first = pl.read_parquet(out / f"{name}.parquet")["respondent_id"]
        assert first.equals(pl.read_parquet(tmp_path / "again" / f"{name}.parquet")[
            "respondent_id"])
    assert pl.read_parquet(out / "respondents.parquet")["respondent_id"].to_list() == \
        list(range(1, N + 1))


def test_a_text_key_named_as_ids_are_beside_another_id_like_text(tmp_path):
    """Of two id-like texts the one named as ids are is the key, the other left out; the
    comments carry the key, and the data owner reads it beside each comment."""
    people = _people()
    rows = [["panel_serial", "ResponseId", "q1", "why"]]  # an id's word, then an id's name
    for i, p in enumerate(people):
        rows.append([f"PX{i * 7919 % 100000:05d}", f"R_{i * 104729 + 3:x}aB9", p["agree"],
                     f"Because of reason number {i} and nothing else" if i % 3 else ""])
    _write(tmp_path / "two.csv", rows)
    out, stderr = _import(tmp_path, tmp_path / "two.csv")
    assert "respondent key: ResponseId (a different text" in stderr
    assert "left out panel_serial: a different id for every respondent" in stderr
    comments = pl.read_parquet(out / "verbatims.parquet")
    assert comments["respondent_id"].to_list() == [
        f"R_{i * 104729 + 3:x}aB9" for i in range(len(people)) if i % 3]
    shown = run("--data", str(out), "verbatims", "--show-source-ids", "--format", "json",
                "--limit", "3")
    assert shown.returncode == 0, shown.stderr
    assert [c["respondent_id"] for c in json.loads(shown.stdout)["comments"]] == [
        f"R_{i * 104729 + 3:x}aB9" for i in (1, 2, 4)]
    # imported again with the codebook that import wrote: the same key
    again = run("import", str(tmp_path / "two.csv"), "-o", str(tmp_path / "again"),
                "--codebook", str(out / "codebook.toml"))
    assert again.returncode == 0, again.stderr
    for name in ("respondents", "verbatims"):
        assert pl.read_parquet(tmp_path / "again" / f"{name}.parquet")["respondent_id"].equals(
            pl.read_parquet(out / f"{name}.parquet")["respondent_id"])


def test_recognised_sets_import_again_with_the_codebook_they_wrote(tmp_path):
    people = _people()
    rows = [["channels", "q4_email", "q4_phone", "q4_post"]]
    for p in people:
        rows.append([",".join(p["uses"]), *["Yes" if u in p["uses"] else "" for u in USES]])
    _write(tmp_path / "r.csv", rows)
    first, _ = _import(tmp_path, tmp_path / "r.csv")
    cb = load_bundle(first).codebook
    assert [o.label for o in cb.get("q4").options] == ["email", "phone", "post"]  # not "Yes"
    r = run("import", str(tmp_path / "r.csv"), "-o", str(tmp_path / "again"), "--codebook",
            str(first / "codebook.toml"))
    assert r.returncode == 0, r.stderr
    assert "read as the codebook" in r.stderr and "multi-response sets" not in r.stderr
    for vid in ("channels", "q4"):
        a = crosstab(open_survey(first), TabRequest(vid))
        b = crosstab(open_survey(tmp_path / "again"), TabRequest(vid))
        assert [r.cells[0].count for r in a.rows] == [r.cells[0].count for r in b.rows]
        assert [r.cells[0].count for r in a.rows][:3] == [
            sum(u in p["uses"] for p in people) for u in USES]
