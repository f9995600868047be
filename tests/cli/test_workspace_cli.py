"""The workspace on the command line: `heetui edit` (every kind of edit), --workspace and
--no-edits, saved filters (@name) and banners, derived variables as question, span and
filter, `check`, `info`; bad edits refused with the file as it was. Counts are checked
against polars on the raw Parquet."""

from __future__ import annotations

import json

import polars as pl
import pytest

from cli_helpers import one_sentence, stand_in_app
from cli_helpers import run_here as run  # main in this process: many runs
from heetui.survey.bundle import bundled_survey_path
from workspace_cli_helpers import batch, counts, ok, results, rows, sequence, tab

RAW = bundled_survey_path() / "respondents.parquet"
TRUST, LONDON = 2, "region_6"  # stakeholder_type's code of NHS Trust; region London's column


@pytest.fixture(scope="module")
def raw() -> pl.DataFrame:
    return pl.read_parquet(RAW)


def edit(ws, *args: str) -> str:
    """One edit, its one line naming the file."""
    out = ok("edit", *args, "--workspace", str(ws))
    assert out.count("\n") == 1 and out.rstrip().endswith(f"— written to {ws}"), out
    return out


def written(ws, out: str) -> None:
    """An edit's one line, naming the file."""
    assert out.count("\n") == 1 and out.rstrip().endswith(f"— written to {ws}"), out


def test_question_edits_change_the_table_and_no_edits_shows_the_codebook(tmp_path, raw):
    ws = tmp_path / "ws.toml"
    w = ["--workspace", str(ws)]
    out = batch(
        ["edit", "question", "relationship", "--text", "Working relationship", "--label",
         "Relationship", *w],
        ["edit", "answer", "relationship", "1", "Very good", *w],
        ["edit", "order", "relationship", "5", "4", "3", "2", "1", *w],
        ["edit", "hide", "relationship", "Don't know", *w],
        ["edit", "net", "relationship", "Good (net)", "very good", "Fairly positive", *w],
        ["edit", "scores", "relationship", "Very good=10", "2=5", *w],  # the rest unscored
        ["tab", "relationship", "--format", "json", *w],
        ["edit", "show", "relationship", "6", *w],
        ["tab", "relationship", "--format", "json", *w],
        ["tab", "relationship", "--format", "json", "--no-edits"])
    assert out[0].splitlines() == [
        f"Question text of relationship set to 'Working relationship' — written to {ws}",
        f"Short label of relationship set to 'Relationship' — written to {ws}"]
    for line in out[1:6] + out[7:8]:
        written(ws, line)
    t = json.loads(out[6])
    assert t["question"]["text"] == "Working relationship"
    cats = [r["label"] for r in t["rows"] if r["kind"] == "category"]
    assert cats == ["Very negative", "Fairly negative", "Neither positive nor negative",
                    "Fairly positive", "Very good"]  # ordered, Don't know hidden
    r = raw["relationship"]
    assert counts(t)["Good (net)"] == int(r.is_in([1, 2]).sum())
    scored = r.filter(r.is_in([1, 2]))
    assert rows(t)["Mean score"]["cells"][0]["value"] == pytest.approx(
        float((scored == 1).sum() * 10 + (scored == 2).sum() * 5) / scored.len())
    assert counts(json.loads(out[8]))["Don't know"] == int((r == 6).sum())
    plain = json.loads(out[9])
    assert "Very positive" in counts(plain) and "Good (net)" not in counts(plain)
    assert plain["question"]["text"].startswith("How would you describe")


def test_derived_variables_saved_filters_and_banners_count_as_the_raw_data(tmp_path, raw):
    ws = tmp_path / "ws.toml"
    w = ["--workspace", str(ws)]
    out = batch(
        ["edit", "derive", "trust_place", "--text", "Trusts by place",
         "--answer", "NHS Trust in London=stakeholder_type=NHS Trust & region=London",
         "--answer", "Other NHS Trust=stakeholder_type=2", "--answer", "Everyone else=else",
         *w],
        ["edit", "derive", "reach", "--multi", "--answer", "London=region=London",
         "--answer", "Trust=stakeholder_type=NHS Trust", *w],
        ["edit", "filter", "trusts", "stakeholder_type=NHS Trust", *w],
        ["edit", "filter", "london_trusts", "@trusts & region=London", *w],
        ["edit", "banner", "mine", "stakeholder_type,trust_place", "reach", *w],
        ["tab", "trust_place", "--format", "json", *w],
        ["tab", "relationship", "--by", "mine", "--filter", "@trusts", "--format", "json", *w],
        ["tab", "relationship", "--filter", "@london_trusts", "--format", "json", *w],
        ["tab", "relationship", "--filter", "trust_place=1", "--format", "json", *w],
        ["tab", "relationship", "--filter", "stakeholder_type=2 & region=London", "--format",
         "json", *w],
        ["profile", "--filter", "@london_trusts", "--format", "json", *w])
    for line in out[:5]:
        written(ws, line)
    trust = pl.col("stakeholder_type") == TRUST
    london = pl.col(LONDON) == 1
    n = raw.select((trust & london).sum().alias("a"), (trust & ~london).sum().alias("b"),
                   (~trust).sum().alias("c")).row(0)
    assert list(counts(json.loads(out[5])).values()) == list(n)
    by = json.loads(out[6])
    assert [c["label"] for c in by["columns"]][1:] == [
        "HEI", "NHS Trust", "Other", "NHS Trust in London", "Other NHS Trust", "Everyone else",
        "London", "Trust"]
    good = by["rows"][0]  # Very positive, in Total and in the London Trusts' column
    assert good["cells"][0]["count"] == raw.filter(trust & (pl.col("relationship") == 1)).height
    assert good["cells"][4]["count"] == raw.filter(
        trust & london & (pl.col("relationship") == 1)).height
    assert good["cells"][7]["count"] == good["cells"][4]["count"]  # reach=London within trusts
    saved, derived, joined = (counts(json.loads(o)) for o in out[7:10])
    assert saved == derived == joined
    assert sum(c for k, c in saved.items() if k in (
        "Very positive", "Fairly positive", "Neither positive nor negative",
        "Fairly negative", "Very negative", "Don't know")) == n[0]
    assert json.loads(out[10])  # the profile of a saved filter


def test_bad_edits_exit_2_and_leave_the_file_as_it_was(tmp_path):
    ws = tmp_path / "ws.toml"
    edit(ws, "derive", "aa", "--answer", "x=stakeholder_type=HEI")
    edit(ws, "derive", "bb", "--answer", "y=aa=x")
    edit(ws, "net", "relationship", "Good", "1", "2")
    text = ws.read_text()
    at = text.index("[derived.aa]")
    ws.write_text(text[:at] + "# a note the analyst wrote by hand\n" + text[at:])
    before = ws.read_bytes()
    bad = [
        (["answer", "no_such_question", "1", "x"], "Unknown question 'no_such_question'"),
        (["answer", "relationship", "9", "x"], "'9' is not an answer of relationship"),
        (["net", "relationship", "Mixed", "1", "Supportive"],  # an answer of `words`
         "'Supportive' is not an answer of relationship"),
        (["hide", "words", "77"], "'77' is not an answer of words"),
        (["derive", "region", "--answer", "a=stakeholder_type=HEI"],
         "region is already a variable of the survey"),
        (["banner", "relationship", "stakeholder_type"], "relationship is already a variable"),
        (["derive", "aa", "--answer", "x=bb=y"], "aa, bb are defined by each other"),
        (["derive", "cc", "--answer", "x=no_such=1"], "Unknown variable 'no_such'"),
        (["filter", "f", "stakeholder_type=Nobody"], "'Nobody' is not an answer"),
        (["filter", "1f", "stakeholder_type=HEI"], "must start with a letter"),
        (["scores", "relationship", "1=high"], "ANSWER=NUMBER"),
        (["bands", "relationship", "3"], "only a numeric question has bands"),
        (["derive", "cc", "--answer", "no condition"], "LABEL=CONDITION"),
        (["remove", "filter.none_such"], "has no entry 'filter.none_such'"),
    ]
    seen = results(sequence([["edit", *args, "--workspace", str(ws)] for args, _ in bad]))
    for (args, words), (code, out, err) in zip(bad, seen, strict=True):
        assert code == 2 and out == "" and err.startswith("heetui: error: "), (args, err)
        assert words in err and err.count("\n") == 1, (args, err)
    assert ws.read_bytes() == before
    for args, _ in bad[:3]:  # and the same in processes of their own
        assert one_sentence(run("edit", *args, "--workspace", str(ws)))
    assert ws.read_bytes() == before
    edit(ws, "remove", "derived.bb")  # removals keep the rest, the hand-written note too
    edit(ws, "remove", "question.relationship.nets")
    assert "# a note the analyst wrote by hand" in ws.read_text()
    assert "[derived.aa]" in ws.read_text() and "nets" not in ws.read_text()


def test_list_names_every_entry_by_line_and_remove_takes_those_names(tmp_path):
    ws = tmp_path / "ws.toml"
    w = ["--workspace", str(ws)]
    out = batch(["edit", "list", *w],
                ["edit", "answer", "relationship", "1", "Very good", *w],
                ["edit", "filter", "trusts", "stakeholder_type=NHS Trust", *w],
                ["edit", "banner", "mine", "stakeholder_type", "region", *w],
                ["edit", "list", "--json", *w],
                ["edit", "list", *w])
    assert out[0] == f"workspace: {ws} (not created yet: no edits)\n"
    lines = ws.read_text().splitlines()
    d = json.loads(out[4])
    assert d["workspace"] == str(ws) and d["exists"] and d["problems"] == []
    assert [e["entry"] for e in d["entries"]] == [
        "question.relationship.labels", "filter.trusts", "banner.mine"]
    assert [e["line"] for e in d["entries"]] == [
        lines.index("labels = {1 = \"Very good\"}") + 1, lines.index("[filter.trusts]") + 1,
        lines.index("[banner.mine]") + 1]
    assert out[5].splitlines()[0] == f"workspace: {ws} (3 entries)"
    removed = batch(*[["edit", "remove", e["entry"], *w] for e in d["entries"]],
                    ["edit", "list", "--json", *w])
    for line in removed[:-1]:
        written(ws, line)
    assert json.loads(removed[-1])["entries"] == []


def test_info_and_check_name_the_workspace_in_use(tmp_path):
    ws = tmp_path / "ws.toml"
    d = json.loads(ok("info", "--json", "--workspace", str(ws)))
    assert d["workspace"] == {"path": str(ws), "exists": False, "problems": 0}
    assert f"Workspace: {ws} (not created yet: no edits)" in ok("info", "--workspace", str(ws))
    assert ok("check", "--workspace", str(ws)).endswith(
        f"workspace: {ws} (not created yet), no problems\n")
    edit(ws, "filter", "trusts", "stakeholder_type=NHS Trust")
    ws.write_text(ws.read_text() + "\n[question.words]\nhide = [77]\n\n[question.gone]\n"
                  "label = \"x\"\n")
    lines = ws.read_text().splitlines()
    d = json.loads(ok("info", "--json", "--workspace", str(ws)))
    assert d["workspace"] == {"path": str(ws), "exists": True, "problems": 2}
    r = run("check", "--workspace", str(ws))
    assert one_sentence(r).startswith(f"heetui: error: The workspace {ws} has 2 problems")
    assert r.stdout.splitlines() == [
        f"{ws}:{lines.index('hide = [77]') + 1}: words.hide: 77 is not an answer of words "
        "(answers: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 98, 99).",
        f"{ws}:{lines.index('[question.gone]') + 1}: gone is not a variable of this survey; "
        "its edits are left out."]
    t = run("tab", "words", "--filter", "@trusts", "--workspace", str(ws), "--format", "csv")
    assert t.returncode == 0  # the other edits apply; each problem is a warning
    assert t.stderr.splitlines() == [f"heetui: workspace: {p}" for p in r.stdout.splitlines()]
    assert json.loads(ok("info", "--json", "--no-edits"))["workspace"] == {
        "path": None, "exists": False, "problems": 0}
    assert ok("check", "--no-edits").endswith("workspace: none (--no-edits), no problems\n")


def test_default_workspace_lives_in_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # this test's own
    d = json.loads(ok("info", "--json"))["workspace"]
    assert d["path"].startswith(str(tmp_path / "data" / "heetui" / "workspaces"))
    out = ok("edit", "filter", "w_default", "stakeholder_type=HEI")
    assert out.rstrip().endswith(f"— written to {d['path']}")
    assert "filter.w_default" in ok("edit", "list")
    assert counts(tab("stakeholder_type", "--filter", "@w_default"))["HEI"] == 76


def test_workspace_options_are_placed_once(tmp_path):
    ws = str(tmp_path / "ws.toml")
    for args, words in (
            (["--workspace", ws, "--no-edits", "info"], "--workspace FILE or --no-edits"),
            (["info", "--workspace", ws, "--no-edits"], "--workspace FILE or --no-edits"),
            (["--workspace", ws, "import", "x.csv", "-o", "b"], "--workspace does not apply"),
            (["--no-edits", "edit", "list"], "--no-edits does not apply to edit"),
            (["--workspace", ws, "info", "--workspace", ws + "2"], "given twice")):
        assert words in one_sentence(run(*args)), args
    d = json.loads(ok("--workspace", ws, "info", "--json"))  # before the command: the same
    assert d["workspace"]["path"] == ws
    edit(ws, "filter", "trusts", "stakeholder_type=NHS Trust")
    r = run("tab", "relationship", "--workspace", ws, "-o", ws, "--force")
    assert "reads" in one_sentence(r)  # never written over by an output


def test_edit_help_lists_every_edit():
    out = ok("edit", "--help")
    for kind in ("question", "answer", "order", "hide", "show", "net", "scores", "bands",
                 "derive", "filter", "banner", "remove", "list"):
        assert f"\n    {kind} " in out, kind
    assert "--answer" in ok("edit", "derive", "--help")


def test_the_workspace_is_never_one_of_the_surveys_files(tmp_path):
    from workspace_cli_helpers import checksums, monkey_csv

    csv = tmp_path / "monkey.csv"
    monkey_csv(csv, n=30)
    ok("import", str(csv), "-o", str(tmp_path / "b"))
    before = checksums(tmp_path)
    lines = [[*command, "--data", str(survey), "--workspace", str(file)]
             for survey, file in ((tmp_path / "b", tmp_path / "b" / "codebook.toml"),
                                  (csv, tmp_path / "." / "monkey.csv"))
             for command in (["edit", "filter", "f", "Q2=1"], ["check"], ["info"])]
    for argv, (code, out, err) in zip(lines, results(sequence(lines)), strict=True):
        assert code == 2 and out == "", argv
        assert err.startswith("heetui: error: ") and "is one of the survey's own files" in err
    assert checksums(tmp_path) == before


def test_the_app_opens_with_the_workspace_named(tmp_path, monkeypatch):
    """`heetui [PATH] --workspace FILE`: the app is handed the survey with that workspace
    (the app itself stands aside: a stand-in records what it was given)."""
    from heetui.cli.main import main

    opened = stand_in_app(monkeypatch)
    ws = tmp_path / "ws.toml"
    edit(ws, "filter", "trusts", "stakeholder_type=NHS Trust")
    assert main([str(bundled_survey_path()), "--workspace", str(ws)]) == 0
    survey, inputs = opened[-1]
    assert survey.workspace.path == ws and survey.codebook.named_filter("@trusts")
    assert ws in inputs  # an export from the app is never written over it
    assert main(["--no-edits"]) == 0
    assert opened[-1][0].workspace is None


def test_a_workspace_written_to_harm_the_terminal_is_shown_escaped(tmp_path):
    ws = tmp_path / "ws.toml"
    ws.write_text('[question.relationship]\nlabels = {1 = "\\u001b[31mred\\u202e"}\n\n'
                  '["evil\\u001b[2J"]\nx = 1\n')
    seen = results(sequence([["check", "--workspace", str(ws)],
                             ["edit", "list", "--workspace", str(ws)],
                             ["tab", "relationship", "--workspace", str(ws)]]))
    assert [code for code, _, _ in seen] == [2, 0, 0]
    for _, out, err in seen:
        assert "\x1b" not in out + err and "\u202e" not in out + err
    assert "[evil\\x1b[2J] is not a workspace section" in seen[0][1]
    assert "red\\u202e" in seen[2][1]  # the label, applied and escaped in the table
