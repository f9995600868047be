"""The workspace's file on the command line: a session of edits leaves every input
byte-identical; two processes editing one workspace at once lose no edit; an entry that no
longer matches the data (an answer gone from the next export) is reported by line by
`check` and as a warning elsewhere, never dropped silently."""

from __future__ import annotations

import json

from cli_helpers import one_sentence
from cli_helpers import run_here as run  # main in this process: many runs
from heetui.survey.bundle import bundled_survey_path
from workspace_cli_helpers import (
    checksums,
    counts,
    monkey_csv,
    ok,
    results,
    sequence,
    tab,
)


def test_a_session_of_edits_leaves_every_input_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # default workspaces: its own
    csv = tmp_path / "monkey.csv"
    answers = monkey_csv(csv)
    bundle = tmp_path / "bundle"
    ok("import", str(csv), "-o", str(bundle))
    inputs = (csv, bundle, bundled_survey_path())
    before = checksums(*inputs)
    assert len(before) > 4
    data = ["--data", str(csv)]  # the CSV opened directly: its default workspace
    session = [
        ["edit", "question", "Q1", "--label", "Satisfaction", *data],
        ["edit", "answer", "Q2", "University", "HEI", *data],
        ["edit", "net", "Q1", "Top box", "Very satisfied", *data],
        ["edit", "bands", "Q5", "10", "30", *data],
        ["edit", "derive", "big_trust", "--answer", "Large NHS Trust=Q2=NHS Trust & Q5>=30",
         "--answer", "Other=else", *data],
        ["edit", "filter", "trusts", "Q2=NHS Trust", *data],
        ["edit", "banner", "mine", "Q3", "big_trust", "Q5", *data],
        ["tab", "Q1", "--by", "mine", "--filter", "@trusts", "--format", "json", *data],
        ["book", "--by", "mine", "--filter", "@trusts", "-o", str(tmp_path / "b.xlsx"), *data],
        ["edit", "answer", "relationship", "1", "Very good"],  # the bundled survey's own
        ["edit", "derive", "trust_london", "--answer",
         "Trust in London=stakeholder_type=NHS Trust & region=London"],
        ["edit", "answer", "Q1", "1", "Delighted", "--data", str(bundle)],
        ["tab", "Q1", "--data", str(bundle), "--format", "csv"],
    ]
    seen = results(sequence(session))
    assert all(code == 0 for code, _, _ in seen), [s for s in seen if s[0]]
    assert checksums(*inputs) == before
    table = json.loads(seen[7][1])
    trusts = [a for a in answers if a["org"] == "NHS Trust"]
    assert counts(table)["Top box"] == sum(a["sat"] == "Very satisfied" for a in trusts)
    labels = [c["label"] for c in table["columns"]]
    large = labels.index("Large NHS Trust")
    assert labels[large + 1] == "Other" and "30 and over" in labels[large + 2:], labels
    q1 = table["rows"][0]  # Very satisfied, among the large Trusts
    assert q1["cells"][large]["count"] == sum(
        a["sat"] == "Very satisfied" and a["staff"] >= 30 for a in trusts)
    ws = json.loads(ok("info", "--json", *data))["workspace"]
    assert ws["exists"] and ws["problems"] == 0
    assert ws["path"].startswith(str(tmp_path / "data" / "heetui" / "workspaces"))
    assert ws["path"] != json.loads(ok("info", "--json", "--data", str(bundle)))["workspace"][
        "path"]  # one workspace per survey opened


def test_two_processes_editing_one_workspace_lose_no_edit(tmp_path):
    """Both add nets to one question (an entry each edit adds to), one saves filters too."""
    ws = str(tmp_path / "ws.toml")
    first = sequence([["edit", "filter", f"a{i}", f"stakeholder_type={1 + i % 3}",
                       "--workspace", ws] if i % 2 else
                      ["edit", "net", "relationship", f"a{i}", "1", "--workspace", ws]
                      for i in range(30)])
    second = sequence([["edit", "net", "relationship", f"b{i}", str(1 + i % 5),
                        "--workspace", ws] for i in range(30)])
    for p in (first, second):
        assert [code for code, _, _ in results(p)] == [0] * 30
    listed = json.loads(ok("edit", "list", "--json", "--workspace", ws))
    names = [e["entry"] for e in listed["entries"]]
    assert sorted(n for n in names if n.startswith("filter.")) == sorted(
        f"filter.a{i}" for i in range(1, 30, 2))
    nets = next(e["value"] for e in listed["entries"]
                if e["entry"] == "question.relationship.nets")
    assert sorted(n["label"] for n in nets) == sorted(
        [f"a{i}" for i in range(0, 30, 2)] + [f"b{i}" for i in range(30)])
    assert listed["problems"] == []


def test_an_answer_gone_from_the_data_is_reported_by_line_not_dropped(tmp_path):
    csv = tmp_path / "wave.csv"
    monkey_csv(csv)
    ws = tmp_path / "ws.toml"
    w = ["--data", str(csv), "--workspace", str(ws)]
    for edit in (["answer", "Q2", "University", "Higher education"],
                 ["net", "Q2", "Not a Trust", "Charity", "Higher education"],
                 ["answer", "Q2", "Charity", "Voluntary sector"],
                 ["filter", "hei", "Q2=Higher education"]):
        ok("edit", *edit, *w)
    assert counts(tab("Q2", *w))["Not a Trust"] > 0
    monkey_csv(csv, orgs=["NHS Trust", "Charity"])  # the next wave: nobody from a university
    lines = ws.read_text().splitlines()
    r = run("check", *w)
    assert "has 3 problems" in one_sentence(r)
    line = {x.split(" ")[0].strip("[]"): n for n, x in enumerate(lines, 1)}
    assert r.stdout.splitlines() == [
        f"{ws}:{line['labels']}: Q2.labels: 3 is not an answer of Q2 (answers: 1, 2).",
        f"{ws}:{line['nets']}: Q2.nets: 3 is not an answer of Q2 (answers: 1, 2).",
        f"{ws}:{line['filter.hei']}: The filter hei: 'Higher education' is not an answer of "
        "Q2; choose a code or label from: 1 Charity; 2 NHS Trust."]
    t = run("tab", "Q2", *w, "--format", "json")
    assert t.returncode == 0
    assert t.stderr.splitlines() == [f"heetui: workspace: {f}" for f in r.stdout.splitlines()]
    assert list(counts(json.loads(t.stdout))) == ["Charity", "NHS Trust"]  # said, left out
    r = run("tab", "Q2", "--filter", "@hei", *w)  # the warnings say why it is not saved
    assert r.returncode == 2 and r.stderr.splitlines()[:-1] == t.stderr.splitlines()
    assert r.stderr.splitlines()[-1].startswith("heetui: error: There is no saved filter '@hei'")
    ok("edit", "remove", "filter.hei", *w)  # the rest still refused, one by one
    assert "has 2 problems" in one_sentence(run("check", *w))
