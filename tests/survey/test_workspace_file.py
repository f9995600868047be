"""The workspace file itself: hand-written comments and unknown entries survive an edit,
two processes editing at once lose nothing, a file broken by hand is never overwritten,
problems are named by the line they are written on, and nothing a session reads (a bundle,
a .sav) changes by a byte."""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from heetui.engine import TabRequest, apply_edit, edits, open_survey, table, undo_edit
from heetui.engine.shaping import shape
from heetui.errors import EngineError
from heetui.opening import open_path
from heetui.survey.bundle import bundled_survey_path
from heetui.survey.workspace import Workspace, WorkspaceError, default_workspace, line_of
from helpers import make_bundle, single

HAND = """\
# My notes on this survey: kept whatever heetui writes.

[question.relationship]  # the headline question
text = "How do we get on?"   # shortened for the deck
# nets follow
nets = [
    {label = "Good", codes = [1, 2]},  # top two
]
my_note = "unknown to heetui, kept"

[something_else]
kept = true

[filter.trusts]
when = "stakeholder_type=2"
"""


def _ws(tmp_path: Path, text: str | None = None) -> Workspace:
    path = tmp_path / "w.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return Workspace(path, bundled_survey_path())


def test_set_keeps_comments_and_unknown_entries(tmp_path):
    ws = _ws(tmp_path, HAND)
    ws.set(("question", "relationship", "label"), "Relationship")
    ws.set(("derived", "seg"), {"type": "single", "answers": [{"label": "A", "when": "x=1"}]})
    ws.set(("filter", "trusts", "when"), "stakeholder_type=2 & region=6")
    ws.set(("question", "words", "hide"), [99])
    ws.set(("question", "words", "hide"), None)  # and removed again
    text = ws.path.read_text(encoding="utf-8")
    for line in HAND.splitlines():
        if "stakeholder_type=2" not in line:
            assert line in text.splitlines(), line
    data = tomllib.loads(text)
    assert data["question"]["relationship"] == {
        "text": "How do we get on?", "nets": [{"label": "Good", "codes": [1, 2]}],
        "my_note": "unknown to heetui, kept", "label": "Relationship"}
    assert data["something_else"] == {"kept": True}
    assert data["filter"]["trusts"]["when"] == "stakeholder_type=2 & region=6"
    assert data["derived"]["seg"]["answers"] == [{"label": "A", "when": "x=1"}]
    assert "words" not in data["question"]  # an emptied table is dropped


def test_a_new_file_says_what_it_is(tmp_path):
    ws = _ws(tmp_path)
    assert ws.set(("filter", "f"), {"when": "seniority=1"}) is None
    text = ws.path.read_text(encoding="utf-8")
    assert text.startswith("# heetui workspace") and str(bundled_survey_path()) in text
    assert ws.get(("filter", "f", "when")) == "seniority=1"


def _edit_many(path: str, who: str, start, count: int) -> None:
    ws = Workspace(Path(path), bundled_survey_path())
    start.wait()
    for k in range(count):
        ws.set(("filter", f"{who}_{k}"), {"when": f"seniority={1 + k % 2}"})
        ws.set(("question", "relationship", "labels"), None)  # an entry both touch


def test_two_processes_editing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(HAND, encoding="utf-8")
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    procs = [ctx.Process(target=_edit_many, args=(str(path), who, start, 40))
             for who in ("app", "cli")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert sorted(data["filter"]) == sorted(["trusts"] + [f"{who}_{k}" for who in ("app", "cli")
                                                          for k in range(40)])
    assert "# top two" in path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".w.toml.*"))  # no temporary file left behind


def _apply_many(path: str, who: str, start, count: int) -> None:
    s = open_survey(workspace=path)
    start.wait()
    for k in range(count):
        apply_edit(s, edits.save_filter(s, f"{who}_{k}", f"seniority={1 + k % 2}"))
    s.close()


def test_two_sessions_applying_edits_at_once_lose_nothing(tmp_path):
    path = tmp_path / "w.toml"
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    procs = [ctx.Process(target=_apply_many, args=(str(path), who, start, 40))
             for who in ("app", "cli")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=600)
        assert p.exitcode == 0
    s = open_survey(workspace=path)
    assert len(s.codebook.filters) == 80 and s.workspace_problems == ()
    s.close()


BROKEN = {
    "not TOML": b"[question.relationship\ntext = 'x'\n",
    "a duplicate key": b"[filter.a]\nwhen = 'seniority=1'\nwhen = 'seniority=2'\n",
    "not UTF-8": b"[filter.a]\nwhen = '\xff\xfe seniority=1'\n",
    "a section that is not a table": b"question = 5\n",
    "an entry that is not a table": b"[question]\nrelationship = 5\n",
    "nested past Python's stack": b"[view]\nx = " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
    "nested 17 deep": b"[view]\nx = " + b"[" * 17 + b"]" * 17 + b"\n",
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_file_broken_by_hand_is_never_overwritten(tmp_path, case):
    ws = _ws(tmp_path)
    ws.path.write_bytes(BROKEN[case])
    with pytest.raises(WorkspaceError) as e:
        ws.set(("question", "relationship", "text"), "New")
    assert "\n" not in str(e.value) and str(ws.path) in str(e.value)
    assert ws.path.read_bytes() == BROKEN[case]
    s = open_survey(workspace=ws.path)  # opening says so, and still opens
    assert len(s.workspace_problems) >= 1
    for (e,) in [edits.rename_question(s, "relationship", text="New")]:
        with pytest.raises(EngineError):
            apply_edit(s, e)
    assert ws.path.read_bytes() == BROKEN[case]
    assert not list(tmp_path.glob(".w.toml.*"))
    s.close()


LINES = """\
# line 1
[question.relationship]
text = "x"
labels = {1 = "Great"}

[question]
words.hide = [99]
"odd name".label = "y"

[ derived . seg ]
type = "single"
answers = [
    {label = "A", when = "seniority=1"},
]

[view]
question = "words"
"""


@pytest.mark.parametrize(("key", "line"), [
    (("question", "relationship"), 2), (("question", "relationship", "text"), 3),
    (("question", "relationship", "labels"), 4), (("question", "relationship", "order"), 2),
    (("question", "words"), 7), (("question", "words", "hide"), 7),
    (("question", "odd name", "label"), 8), (("derived", "seg"), 10),
    (("derived", "seg", "answers"), 12), (("view", "question"), 17), (("view",), 16),
    (("filter", "none"), None), (("question", "none", "text"), None)])
def test_line_of_names_the_line(key, line):
    assert tomllib.loads(LINES)  # the text is TOML
    assert line_of(LINES, key) == line


def _wave(folder: Path, codes: list[int]) -> Path:
    labels = {1: "Poor", 2: "Fair", 3: "Good", 4: "Excellent"}
    n = 40
    sat = [codes[i % len(codes)] for i in range(n)]
    return make_bundle(folder, [
        single("region", ["North", "South"], "segment"),
        {"id": "sat", "type": "single", "text": "Satisfaction", "role": "question",
         "options": [{"code": c, "label": labels[c]} for c in codes]}],
        {"region": [1 + i % 2 for i in range(n)], "sat": sat})


NEXT_WAVE = """\
# answers 4 ("Excellent") was asked in wave 1 only
[question.sat]
text = "Satisfaction with us"
labels = {1 = "Bad"}
nets = [
    {label = "Top", codes = [3, 4]},
]
hide = [4]

[derived.happy]
answers = [
    {label = "Happy", when = "sat=4"},
]

[derived.north]
answers = [
    {label = "North", when = "region=1"},
]

[filter.top]
when = "sat=4"

[filter.good]
when = "sat=3"
"""


def test_an_answer_gone_in_the_next_wave_is_reported_by_line(tmp_path):
    one = _wave(tmp_path / "one", [1, 2, 3, 4])
    two = _wave(tmp_path / "two", [1, 2, 3])
    path = tmp_path / "w.toml"
    path.write_text(NEXT_WAVE, encoding="utf-8")
    first = shape(open_survey(one, workspace=path).bundle.codebook, Workspace(path, one))
    assert first.problems == ()
    s = open_survey(two, workspace=path)
    problems = {p.line: p.message for p in s.workspace_problems}
    assert set(problems) == {5, 8, 10, 20}, problems
    assert all(p.file == str(path) for p in s.workspace_problems)
    assert "4 is not an answer of sat" in problems[5] and "4" in problems[8]
    assert problems[10].startswith("The derived variable happy:")
    assert problems[20].startswith("The filter top:")
    cb = s.codebook
    sat = cb.get("sat")  # the rest applies
    assert sat.text == "Satisfaction with us" and sat.option(1).label == "Bad"
    assert sat.nets == () and not any(o.hidden for o in sat.options)
    assert cb.find("happy") is None and cb.find("north") is not None
    assert [f.id for f in cb.filters] == ["good"]
    ct = table(s, TabRequest("sat", "north"))
    assert [c.base for c in ct.columns] == [40, 20]
    assert path.read_text(encoding="utf-8") == NEXT_WAVE  # reported, never rewritten
    s.close()


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _session(s) -> None:
    """Edits of every kind, tables between them, an undo."""
    done = [apply_edit(s, e) for e in edits.rename_question(s, "relationship", text="T")]
    for make in (lambda: edits.relabel_answer(s, "relationship", "1", "Great"),
                 lambda: edits.order_answers(s, "relationship", ["6", "5", "4", "3", "2", "1"]),
                 lambda: edits.hide_answers(s, "relationship", ["6"]),
                 lambda: edits.add_net(s, "words", "Slow", ["15", "13"]),
                 lambda: edits.set_scores(s, "relationship", {"1": 1, "2": 2}),
                 lambda: edits.derive(s, "seg", [("A", "seniority=1"), ("B", "else")]),
                 lambda: edits.derive(s, "multi", [("A", "region=6"), ("B", "seniority=1")],
                                      multi=True),
                 lambda: edits.save_filter(s, "f", "seg=A & region=6"),
                 lambda: edits.save_banner(s, "mine", ["seg", "multi"])):
        done.append(apply_edit(s, make()))
        table(s, TabRequest("relationship", "seg" if s.codebook.find("seg") else None,
                            weighted=True))
    undo_edit(s, done[-1])
    table(s, TabRequest("words", "seg"))


def test_a_bundle_is_byte_identical_after_a_session(tmp_path):
    bundle = tmp_path / "hee"
    shutil.copytree(bundled_survey_path(), bundle)
    for p in [bundle, *bundle.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)  # installed read-only
    before = _hashes(bundle)
    s = open_survey(bundle)  # its default workspace, in the user's data folder
    assert s.workspace.path == default_workspace(bundle)
    assert not s.workspace.path.is_relative_to(bundle)
    _session(s)
    s.close()
    assert _hashes(bundle) == before
    assert s.workspace.path.exists() and tomllib.loads(s.workspace.path.read_text())["derived"]
    bundle.chmod(0o755)


def test_a_sav_is_byte_identical_after_a_session(tmp_path):
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"region": rng.integers(1, 4, 200).astype(float),
                       "sat": rng.integers(1, 6, 200).astype(float),
                       "weight": rng.uniform(0.5, 2, 200)})
    src = tmp_path / "wave.sav"
    pyreadstat.write_sav(df, str(src), variable_value_labels={
        "region": {1: "North", 2: "Midlands", 3: "South"},
        "sat": {1: "Very poor", 2: "Poor", 3: "Fair", 4: "Good", 5: "Very good"}})
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    s = open_path(src, workspace=tmp_path / "w.toml")
    apply_edit(s, edits.relabel_answer(s, "sat", "3", "Average"))
    apply_edit(s, edits.add_net(s, "sat", "Good or better", ["4", "5"]))
    apply_edit(s, edits.derive(s, "seg", [("North good", "region=1 & sat=4,5"), ("Rest", "else")]))
    apply_edit(s, edits.save_banner(s, "mine", ["seg", "region"]))
    table(s, TabRequest("sat", "mine", weighted=True))
    s.close()
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.toml", "w.toml.lock", "wave.sav"]


def test_a_linked_workspace_is_written_where_the_link_points(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    real = project / "edits.toml"
    real.write_text(HAND, encoding="utf-8")
    link = tmp_path / "w.toml"
    link.symlink_to(real)
    ws = Workspace(link, bundled_survey_path())
    ws.set(("filter", "f"), {"when": "seniority=1"})
    assert link.is_symlink() and link.resolve() == real
    assert tomllib.loads(real.read_text(encoding="utf-8"))["filter"]["f"] == {
        "when": "seniority=1"}
    assert "# the headline question" in real.read_text(encoding="utf-8")
    dangling = tmp_path / "new.toml"
    dangling.symlink_to(project / "later.toml")
    Workspace(dangling, bundled_survey_path()).set(("filter", "g"), {"when": "seniority=2"})
    assert dangling.is_symlink() and (project / "later.toml").is_file()
