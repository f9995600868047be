"""`heetui quotes`: stars written to the workspace from the shell, the starred comments
written as Markdown, text, CSV and a workbook (their content checked against the bundle's
files), attributions as the engine decides them, and the file written atomically, never
over the survey's own files or its workspace."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from cli_helpers import one_sentence, run_here
from heetui import engine
from heetui.engine.session import open_survey
from heetui.survey.bundle import bundled_survey_path
from heetui.survey.workspace import default_workspace

BUNDLE = bundled_survey_path()
STARRED = {"improve": [400, 356, 700], "relationship_why": [3]}  # 700: an interview


@pytest.fixture(scope="module")
def starred(tmp_path_factory):
    """A workspace with comments of both open-ended questions starred from the shell."""
    ws = tmp_path_factory.mktemp("quotes") / "ws.toml"
    for question, ids in STARRED.items():
        r = run_here("quotes", "--question", question, "--star", *map(str, ids),
                     "--workspace", str(ws))
        assert r.returncode == 0 and r.stdout == "", r.stderr
        assert r.stderr.count(f"— written to {ws}") == len(ids)
    return ws


@pytest.fixture(scope="module")
def raw():
    cb = tomllib.loads((BUNDLE / "codebook.toml").read_text())
    return pl.read_parquet(BUNDLE / "verbatims.parquet"), cb


def test_stars_from_the_shell_are_written_to_the_workspace(starred, tmp_path):
    assert tomllib.loads(starred.read_text())["quote"] == {
        q: {"starred": ids} for q, ids in STARRED.items()}
    ws = tmp_path / "ws.toml"
    ws.write_bytes(starred.read_bytes())
    r = run_here("quotes", "--question", "improve", "--star", "356", "--off",
                 "--workspace", str(ws))
    assert r.returncode == 0 and "Comment 356 of improve unstarred" in r.stderr
    assert tomllib.loads(ws.read_text())["quote"]["improve"]["starred"] == [400, 700]


def test_csv_holds_each_quote_under_each_theme_with_the_files_text(starred, raw):
    verb, cb = raw
    themes = {t["code"]: t["label"] for t in cb["themes"]}
    r = run_here("quotes", "--format", "csv", "--workspace", str(starred))
    assert r.returncode == 0, r.stderr
    lines = list(csv.DictReader(io.StringIO(r.stdout)))
    expected = []
    for question, ids in STARRED.items():  # the codebook's order: relationship_why first
        rows = {row["comment_id"]: row for row in verb.filter(
            pl.col("question") == question).iter_rows(named=True)}
        for code in themes:
            expected += [(question, themes[code], str(ids.index(i) + 1), rows[i]["text"],
                          "; ".join(themes[c] for c in rows[i]["themes"]))
                         for i in ids if code in rows[i]["themes"]]
    assert sorted(expected, key=lambda e: e[0] != "relationship_why") == [
        (x["question"], x["theme"], x["number"], x["text"], x["themes"]) for x in lines]
    survey = open_survey(workspace=starred)
    quoted = {(q.question, g.theme, str(x.number)): x.attribution
              for q in engine.quotes.quotes(survey).questions for g in q.themes
              for x in g.quotes}
    assert {(x["question"], x["theme"], x["number"]): x["attribution"]
            for x in lines} == quoted
    interview = next(x for x in lines if x["source"] == "interview")
    assert interview["attribution"] == verb.filter(pl.col("comment_id") == 700)[
        "attribution"][0] + " (interview)"
    assert {x["min_group"] for x in lines} == {"5"}


def test_md_text_and_xlsx_hold_the_same_quotes(starred, tmp_path):
    csv_lines = list(csv.DictReader(io.StringIO(run_here(
        "quotes", "--format", "csv", "--workspace", str(starred)).stdout)))
    md = run_here("quotes", "--workspace", str(starred)).stdout  # Markdown by default
    text = run_here("quotes", "--format", "text", "--question", "improve",
                    "--workspace", str(starred)).stdout
    assert md.startswith("# Quotes: HEE stakeholder perception survey 2019 (4 starred ")
    assert "## improve: What, if anything, could HEE do to improve" in md
    held = " (other attributes withheld: too few share them)"
    shown = [x["attribution"] + (held if x["attributes_withheld"] == "yes" else "")
             for x in csv_lines]
    assert held in shown[0] and held not in shown[-1]  # the bundle has both kinds
    for x, who in zip(csv_lines, shown, strict=True):
        assert f"### {x['theme']}" in md
        assert f"> — {who} \\[{x['number']}\\]" in md
        if x["question"] == "improve":
            assert f"[{x['number']}] " + " ".join(x["text"].split()[:5]) in text
            assert f"    — {who}" in " ".join(text.split("\n"))
    assert "relationship_why" not in text  # --question: that question's alone
    out = tmp_path / "quotes.xlsx"
    r = run_here("quotes", "-o", str(out), "--workspace", str(starred))
    assert r.returncode == 0 and f"wrote {out}: 4 quotes" in r.stderr
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    top = rows.index(("Question", "Theme", "No.", "Quote", "Attribution"))
    assert rows[top + 1:] == [(x["question"], x["theme"], int(x["number"]), x["text"], who)
                              for x, who in zip(csv_lines, shown, strict=True)]
    assert rows[0][0].startswith("Quotes: HEE stakeholder perception survey 2019")


def test_the_file_is_written_atomically_and_never_over_the_surveys_files(starred, tmp_path,
                                                                         monkeypatch):
    out = tmp_path / "q.md"
    out.write_text("mine")
    r = run_here("quotes", "-o", str(out), "--workspace", str(starred))
    assert "already exists" in one_sentence(r) and out.read_text() == "mine"
    assert run_here("quotes", "-o", str(out), "--force", "--workspace", str(starred)
                    ).returncode == 0 and out.read_text().startswith("# Quotes:")
    before = starred.read_bytes()
    for target in (starred, BUNDLE / "verbatims.parquet", BUNDLE / "codebook.toml"):
        r = run_here("quotes", "-o", str(target), "--force", "--format", "md",
                     "--workspace", str(starred))
        assert "which this command reads" in one_sentence(r)
    assert starred.read_bytes() == before
    own = default_workspace(BUNDLE)  # the survey's own workspace, not named
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_bytes(before)
    r = run_here("quotes", "-o", str(own), "--force", "--format", "md")
    assert "which this command reads" in one_sentence(r) and own.read_bytes() == before
    import xlsxwriter.workbook

    def half_written(self):  # the disk fills while the workbook is being written
        Path(self.filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", half_written)
    book = tmp_path / "q.xlsx"
    r = run_here("quotes", "-o", str(book), "--workspace", str(starred))
    assert r.returncode == 2 and "No space left" in r.stderr and not book.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.md"]  # no temporary file left


@pytest.mark.parametrize(("args", "words"), [
    (["--star", "400"], "--question Q"),
    (["--off"], "--star ID too"),
    (["--question", "improve", "--star", "400", "-o", "x.md"], "star first"),
    (["--question", "improve", "--star", "3"], "Comment 3 is not a comment on improve"),
    (["--question", "relationship", "--star", "1"], "not an open-ended question"),
    (["--question", "improve"], "No comment of improve is starred yet"),
    ([], "No comment is starred yet"),
    (["--min-group", "2", "--question", "improve"], "at least 3"),
    (["-o", "q.json"], "does not write json"),
])
def test_mistakes_are_one_sentence_and_leave_the_workspace(tmp_path, args, words,
                                                          monkeypatch):
    monkeypatch.chdir(tmp_path)
    ws = tmp_path / "ws.toml"
    r = run_here("quotes", *args, "--workspace", str(ws))
    assert words in one_sentence(r)
    assert not ws.exists() and sorted(p.name for p in tmp_path.iterdir()) == []


def test_star_and_format_together_are_refused_by_the_parser(tmp_path):
    r = run_here("quotes", "--question", "improve", "--star", "400", "--format", "md",
                 "--workspace", str(tmp_path / "ws.toml"))
    assert r.returncode == 2 and "not allowed with argument --star" in r.stderr
    assert not (tmp_path / "ws.toml").exists()


def test_hostile_comments_are_quoted_inert_in_every_format(tmp_path):
    """Markup, escapes, bidi overrides, a NUL and a formula: shown as visible escapes, never
    markup, never a live formula (output.markup, output.cells); csv keeps the text exact, as
    the comments' own csv does, but never a formula."""
    from helpers import HOSTILE_COMMENTS, small_comment_bundle

    texts = {**HOSTILE_COMMENTS, 6: "=HYPERLINK(\"http://x\",\"click\")", 7: "a | b\n# c"}
    texts.update({i: f"plain {i}" for i in range(8, 16)})
    folder = small_comment_bundle(tmp_path, texts)
    ws = tmp_path / "ws.toml"
    page = engine.verbatims(open_survey(folder, workspace=ws), engine.Selection("why"), 0,
                            100, show_ids=True)
    ids = [str(v.key) for v in page.items if v.respondent_id in (1, 2, 3, 5, 6, 7)]
    args = ("--data", str(folder), "--workspace", str(ws))
    assert run_here("quotes", "--question", "why", "--star", *ids, *args).returncode == 0
    md = run_here("quotes", *args).stdout
    text = run_here("quotes", "--format", "text", *args).stdout
    rows = list(csv.DictReader(io.StringIO(run_here("quotes", "--format", "csv", *args
                                                    ).stdout)))
    for out in (md, text):
        assert "\x1b" not in out and "\x00" not in out and "\u202e" not in out
        assert "\\x1b" in out and "\\u202e" in out
    assert "\\[bold red\\]shout\\[/\\]" in md and "a \\| b \\# c" in md
    assert not any(line.startswith(("# c", "|")) for line in md.splitlines())
    assert {r["text"] for r in rows} == {"'" + texts[6], *(texts[i] for i in (1, 2, 3, 5, 7))}
    book = tmp_path / "q.xlsx"
    assert run_here("quotes", "-o", str(book), *args).returncode == 0
    cells = [r[3] for r in openpyxl.load_workbook(book).active.iter_rows(values_only=True)
             if r[0] == "why"]
    assert "'=HYPERLINK(\"http://x\",\"click\")" in cells and all(
        "\x1b" not in c for c in cells)
