"""A bad edit is refused in one sentence, and the workspace file and the survey's model
are left exactly as they were."""

from __future__ import annotations

import hashlib
import re

import polars as pl
import pytest

from heetui.engine import Edit, TabRequest, apply_edit, edits, open_survey, table
from heetui.errors import EngineError
from heetui.survey.bundle import bundled_survey_path
from helpers import make_bundle, single

EXISTING = [
    lambda s: edits.derive(s, "a", [("Senior", "seniority=1")]),
    lambda s: edits.derive(s, "b", [("In a", "a=1")]),
    lambda s: edits.derive(s, "reach", [("London", "region=6"), ("Trusts", "stakeholder_type=2")],
                           multi=True),
    lambda s: edits.save_filter(s, "f1", "seniority=1"),
    lambda s: edits.save_filter(s, "f2", "@f1 & region=6"),
    lambda s: edits.save_filter(s, "fa", "a=1"),
    lambda s: edits.add_net(s, "relationship", "Top three", ["1", "2", "3"]),
    lambda s: edits.save_banner(s, "mine", ["a", "seniority"]),
    lambda s: edits.derive(s, "happy", [("Very", "relationship=Very positive"),
                                        ("Fairly", "relationship=Fairly positive")]),
]

BAD = {
    "unknown question": lambda s: edits.rename_question(s, "nope", text="x"),
    "unknown question written": lambda s: Edit(("question", "nope", "text"), "x", ""),
    "unknown question of a net": lambda s: edits.add_net(s, "nope", "x", ["1"]),
    "unknown derived in a condition": lambda s: edits.derive(s, "c", [("x", "nope=1")]),
    "unknown saved filter": lambda s: edits.save_filter(s, "g", "@nope"),
    "banner of an unknown span": lambda s: edits.save_banner(s, "mine", ["seniority", "nope"]),
    "answer code of a net": lambda s: edits.add_net(s, "relationship", "x", ["1", "77"]),
    "answer code written": lambda s: Edit(("question", "relationship", "nets"),
                                          [{"label": "x", "codes": [1, 77]}], ""),
    "answer code hidden": lambda s: edits.hide_answers(s, "relationship", ["77"]),
    "answer code relabelled": lambda s: edits.relabel_answer(s, "relationship", "77", "x"),
    "answer code scored": lambda s: edits.set_scores(s, "relationship", {"77": 1}),
    "answer code ordered": lambda s: edits.order_answers(s, "relationship", ["1", "77"]),
    "answer code in a condition": lambda s: edits.derive(s, "c", [("x", "seniority=9")]),
    "answer code of a saved filter": lambda s: edits.save_filter(s, "g", "region=London,99"),
    "scores written for a code gone": lambda s: Edit(("question", "relationship", "scores"),
                                                     {"1": 1.0, "77": 2.0}, ""),
    "net of two questions": lambda s: edits.add_net(s, "relationship", "x", ["1", "Supportive"]),
    "net of two questions, as written": lambda s: Edit(
        ("question", "relationship", "nets"), [{"label": "x", "codes": [1, "Supportive"]}], ""),
    "net naming the other question": lambda s: edits.add_net(s, "relationship", "x",
                                                             ["1", "words=1"]),
    "derived named as a question": lambda s: edits.derive(s, "relationship",
                                                          [("x", "seniority=1")]),
    "derived named as a question, other case": lambda s: edits.derive(
        s, "Relationship", [("x", "seniority=1")]),
    "derived named as a stored column": lambda s: edits.derive(s, "words_1",
                                                               [("x", "seniority=1")]),
    "derived named as the weight": lambda s: edits.derive(s, "Weight", [("x", "seniority=1")]),
    "derived named as packed answers": lambda s: edits.derive(s, "words__bits",
                                                              [("x", "seniority=1")]),
    "derived named as a derived column": lambda s: edits.derive(s, "reach_2",
                                                                [("x", "seniority=1")]),
    "multi derived whose columns are stored": lambda s: edits.derive(
        s, "hee_team", [("x", "seniority=1")], multi=True),
    "derived named as the codebook's banner": lambda s: edits.derive(
        s, "Standard", [("x", "seniority=1")]),
    "derived named as a saved banner": lambda s: edits.derive(s, "mine", [("x", "seniority=1")]),
    "banner named as a question": lambda s: edits.save_banner(s, "relationship", ["seniority"]),
    "banner named as the codebook's": lambda s: edits.save_banner(s, "standard", ["seniority"]),
    "banner named as a derived variable": lambda s: edits.save_banner(s, "a", ["seniority"]),
    "labels swapped under a condition": lambda s: Edit(
        ("question", "relationship", "labels"), {"1": "Fairly positive", "2": "Very positive"},
        ""),
    "a label another answer has": lambda s: edits.relabel_answer(s, "relationship", "3",
                                                                 "fairly POSITIVE"),
    "a label a net has": lambda s: edits.relabel_answer(s, "relationship", "3", "Positive"),
    "a label that is another answer's code": lambda s: edits.relabel_answer(
        s, "relationship", "3", "5"),
    "a net labelled as an answer": lambda s: edits.add_net(s, "relationship", "Don't know",
                                                           ["6"]),
    "a net labelled as a net": lambda s: edits.add_net(s, "relationship", "Negative", ["5"]),
    "a label a condition names, gone": lambda s: edits.relabel_answer(s, "relationship", "1",
                                                                      "Great"),
    "derived cycle": lambda s: edits.derive(s, "a", [("x", "b=1")]),
    "derived reading itself": lambda s: edits.derive(s, "c", [("x", "c=1 & seniority=1")]),
    "derived cycle through a saved filter": lambda s: edits.derive(s, "a", [("x", "@fa")]),
    "saved filters in a loop": lambda s: edits.save_filter(s, "f1", "@f2"),
    "a bad name": lambda s: edits.derive(s, "9x", [("x", "seniority=1")]),
    "else not last": lambda s: edits.derive(s, "c", [("x", "else"), ("y", "seniority=1")]),
}


def _state(s):
    ct = table(s, TabRequest("relationship", "a"))
    return ([v.id for v in s.codebook.variables], s.codebook.filters, s.codebook.banners,
            [(r.label, [c.count for c in r.cells]) for r in ct.rows])


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A workspace holding edits of every kind, and a comment written by hand."""
    path = tmp_path_factory.mktemp("ws") / "w.toml"
    s = open_survey(workspace=path)
    for make in EXISTING:
        apply_edit(s, make(s))
    path.write_text("# kept by hand\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    s.close()
    return path


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_edit_is_one_sentence_and_changes_nothing(prepared, tmp_path, case):
    path = tmp_path / "w.toml"
    path.write_bytes(prepared.read_bytes())
    s = open_survey(workspace=path)
    assert s.workspace_problems == ()
    before, digest = _state(s), hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(EngineError) as e:
        apply_edit(s, BAD[case](s))
    message = str(e.value)
    assert "\n" not in message and message.endswith((".", ".)")), message
    assert not re.search(r"[.!?]\s+[A-Z]", message) and "Traceback" not in message
    assert len(message) < 400, message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert _state(s) == before
    s.close()
    again = open_survey(workspace=path)
    assert again.workspace_problems == () and _state(again) == before
    again.close()


def test_the_messages_say_what_is_wrong(prepared, tmp_path):
    path = tmp_path / "w.toml"
    path.write_bytes(prepared.read_bytes())
    s = open_survey(workspace=path)

    def said(case: str) -> str:
        with pytest.raises(EngineError) as e:
            apply_edit(s, BAD[case](s))
        return str(e.value)

    assert "'nope'" in said("unknown question")
    assert "77 is not an answer of relationship" in said("answer code written")
    assert "'Supportive' is not an answer of relationship" in said("net of two questions")
    assert "already a variable" in said("derived named as a question")
    assert "(words_1) is already the survey's" in said("derived named as a stored column")
    assert "(reach_2) is already the survey's" in said("derived named as a derived column")
    assert said("derived cycle").startswith("The derived variables a, b are defined by each "
                                           "other")
    assert "c is defined by itself" in said("derived reading itself")
    assert "loop" in said("saved filters in a loop")
    assert "Standard is already a banner" in said("derived named as the codebook's banner")
    assert said("labels swapped under a condition") == (
        "This edit would change which answers the derived variable happy selects (its "
        "conditions name answers by label); write them with answer codes first.")
    assert "already names answer 2 of relationship" in said("a label another answer has")
    assert "already names a net of relationship" in said("a net labelled as a net")
    assert said("a label a condition names, gone").startswith("The derived variable happy: "
                                                              "'Very positive' is not an")
    s.close()


def test_a_derived_variable_never_takes_a_design_column(tmp_path):
    folder = make_bundle(tmp_path / "b", [single("region", ["North", "South"], "segment"),
                                          single("q", ["Yes", "No"])],
                         {"region": [1, 2] * 20, "q": [1, 1, 2, 2] * 10,
                          "stratum": [1] * 20 + [2] * 20, "psu": list(range(1, 41))},
                         design={"strata": "stratum", "cluster": "psu"})
    s = open_survey(folder, workspace=tmp_path / "w.toml")
    for name in ("stratum", "PSU", "respondent_id"):
        with pytest.raises(EngineError, match=r"is already the survey's; choose another"):
            apply_edit(s, edits.derive(s, name, [("x", "region=1")]))
    assert not (tmp_path / "w.toml").exists()
    apply_edit(s, edits.derive(s, "strata", [("x", "region=1")]))
    assert [c.base for c in table(s, TabRequest("q", "strata")).columns] == [40, 20]
    s.close()


UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = """\
[question.relationship]
text = "clear \\u001b[2J screen"
label = "bell \\u0007"
labels = {1 = "red \\u001b[31m", 2 = "rtl \\u202eevil"}
nets = [{label = "osc \\u001b]0;title\\u0007", codes = [1, 2]}]

[question."esc\\u001b[2J"]
text = "x"

[derived.seg]
text = "seg \\u001b[1m"
label = "seg \\u009b"
answers = [{label = "a \\u001b[5m", when = "seniority=1"}]

[filter.f]
label = "f \\u001b[2J"
when = "seniority=1"

[banner.b]
label = "b \\u001b[2J"
spans = ["seg"]

["sec\\u001b[2J"]
"""


def test_control_characters_from_the_workspace_never_reach_a_screen(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(HOSTILE, encoding="utf-8")
    s = open_survey(workspace=path)
    rel, seg = s.codebook.get("relationship"), s.codebook.get("seg")
    shown = [rel.text, rel.label, *(o.label for o in rel.options), *(n.label for n in rel.nets),
             seg.text, seg.label, *(o.label for o in seg.options),
             *(f.label for f in s.codebook.filters), *(b.label for b in s.codebook.banners)]
    assert len(shown) == 17
    for text in shown:
        assert not UNSAFE.search(text), repr(text)
    assert "red \\x1b[31m" in shown and "rtl \\u202eevil" in shown  # visible, not obeyed
    assert len(s.workspace_problems) == 2  # the unknown question and section, named safely
    for p in s.workspace_problems:
        assert not UNSAFE.search(str(p)), repr(str(p))
    s.close()


def test_derived_variables_within_each_other_stop_at_sixteen(tmp_path):
    """Each derived variable read by another is one more expression within it (DuckDB
    refuses past 1,000, and the whole survey then failed to open)."""
    path = tmp_path / "w.toml"
    s = open_survey(workspace=path)
    apply_edit(s, edits.derive(s, "d1", [("x", "seniority=1"), ("y", "else")]))
    for k in range(2, 17):
        apply_edit(s, edits.derive(s, f"d{k}", [("x", f"d{k - 1}=1"), ("y", "else")]))
    ct = table(s, TabRequest("d16"))
    senior = pl.read_parquet(bundled_survey_path() / "respondents.parquet").filter(
        pl.col("seniority") == 1).height
    assert ct.rows[0].cells[0].count == senior == 112  # through sixteen variables
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(EngineError, match=r"^The derived variable d17 reads derived variables "
                                          r"more than 16 deep; define it by fewer of them\.$"):
        apply_edit(s, edits.derive(s, "d17", [("x", "d16=1"), ("y", "else")]))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    s.close()
    chain = "\n".join(f'[derived.e{k}]\nanswers = [{{label = "x", when = "e{k - 1}=1"}}, '
                      '{label = "y", when = "else"}]\n' for k in range(300, 0, -1))
    path.write_text(chain + '[derived.e0]\nanswers = [{label = "x", when = "seniority=1"}]\n',
                    encoding="utf-8")
    s = open_survey(workspace=path)  # opens, the chain beyond sixteen reported
    assert s.codebook.find("e15") is not None and s.codebook.find("e16") is None
    assert s.workspace_problems[0].message.startswith("The derived variable e16 reads")
    s.close()
