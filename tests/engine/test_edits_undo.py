"""undo_edit (engine/edits.py): the file back byte for byte when nothing wrote to it since
the edit; only the edit's entry put back when another session wrote meanwhile."""

from __future__ import annotations

from heetui.engine import apply_edit, edits, open_survey, undo_edit
from heetui.survey.workspace import Workspace


def test_undo_puts_the_file_back_byte_for_byte(tmp_path):
    ws = tmp_path / "w.toml"
    ws.write_text("# notes\n[question.advocacy]\nlabel = \"Advocacy\"\n")
    before = ws.read_bytes()
    survey = open_survey(workspace=ws)
    done = apply_edit(survey, edits.add_net(survey, "relationship", "Warm", ["2", "3"]))
    assert ws.read_bytes() != before
    undo_edit(survey, done)
    assert ws.read_bytes() == before
    assert "Warm" not in [n.label for n in survey.codebook.get("relationship").nets]


def test_undo_of_the_edit_that_made_the_file_removes_it(tmp_path):
    ws = tmp_path / "w.toml"
    survey = open_survey(workspace=ws)
    done = apply_edit(survey, edits.save_filter(survey, "trusts", "stakeholder_type=2"))
    assert ws.exists()
    undo_edit(survey, done)
    assert not ws.exists()
    assert survey.codebook.named_filter("trusts") is None


def test_undo_after_another_session_wrote_keeps_its_entry(tmp_path):
    ws = tmp_path / "w.toml"
    survey = open_survey(workspace=ws)
    done = apply_edit(survey, edits.save_filter(survey, "trusts", "stakeholder_type=2"))
    Workspace(ws, tmp_path).set(("filter", "heis"), {"label": "HEIs",
                                                     "when": "stakeholder_type=1"})
    undo_edit(survey, done)
    text = ws.read_text()
    assert "[filter.heis]" in text and "trusts" not in text
