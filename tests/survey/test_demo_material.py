"""The demo's comment material (src/heetui/demo/comments.toml) is checked as it is read: a
mistake in the file stops the import with a message naming the entry. That the material
itself is unchanged is held by test_generator's byte-identical rebuild of data/hee2019."""

from __future__ import annotations

from importlib import resources

import pytest

from heetui.demo import comments
from heetui.demo.comments import MaterialError, read_material

TEXT = resources.files("heetui.demo").joinpath("comments.toml").read_text(encoding="utf-8")


def _edit(old: str, new: str) -> str:
    assert old in TEXT, old
    return TEXT.replace(old, new, 1)


def test_shipped_material_reads_as_the_generator_uses_it():
    m = read_material(TEXT)
    assert m == comments.MATERIAL
    assert len(m.themes) == len(m.ideas) == len(m.details) == 11
    assert set(comments.OPENERS) == {"p", "c", "s"}
    assert set(comments.CLOSERS) == {"+", "0", "-", "s"}
    assert comments.TYPOS["the same"] == "teh same"
    # blank whole comments are kept exactly as written
    assert ("   ",) in [why for why, _, _, _ in comments.WHOLE]


BROKEN = [
    ("{org} could plan intakes", "{orgs} could plan intakes",
     "theme 1 praise idea 1 uses {orgs}, which is in neither slots nor speaker_slots"),
    ("{org} could plan intakes", "{org could plan intakes",
     "theme 1 praise idea 1 has a template with unbalanced braces"),
    ("code = 2\n", "code = 3\n", "theme 2: code should be 2"),
    ("[[theme.criticism]]", "[[theme.critcism]]", "theme 1 should hold code, label, praise, "
     "criticism, suggestion, details (unknown critcism)"),
    ('"~Funding on time this year.",', "42,",
     "theme 1 praise idea 1: templates should be a non-empty list of strings"),
    ("tone = 1\n", "tone = 2\n", "whole comment 1: tone should be one of -1, 0, 1"),
    ("themes = [9]\n", "themes = [12]\n", "whole comment 1: themes should be one of 1, 2,"),
    ('alb = ["an organisation our size"]\n', "",
     "speaker_slots.size_org should hold hei, trust, other, alb, college, professional "
     "(missing alb)"),
    ('because = "becuase"', "because = 1", "typos.because should be a misspelling"),
    ("[openers]", "[opener]", "the file should hold slots, "),
    ('"Hope this helps.",', '"Hope this helps.,', "comments.toml: "),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_a_mistake_in_the_file_is_named(old, new, message):
    with pytest.raises(MaterialError) as e:
        read_material(_edit(old, new))
    assert message in str(e.value)
    assert str(e.value).startswith("comments.toml: ")
