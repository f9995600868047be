"""Conditions joined by "&" (filters, saved filters, derived answers): where a part starts,
on a survey whose labels hold "&" and whose ids start with a digit, each condition's
respondents counted against numpy on the data it was made from."""

from __future__ import annotations

import numpy as np
import pytest

from heetui.engine import TabRequest, apply_edit, edits, open_survey, parse_filters, table
from heetui.errors import EngineError
from helpers import make_bundle, single

N = 120


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(8)
    return {"region": rng.integers(1, 3, N).tolist(), "2019_q": rng.integers(1, 3, N).tolist(),
            "dept": rng.integers(1, 4, N).tolist()}


@pytest.fixture
def survey(tmp_path, data):
    folder = make_bundle(tmp_path / "b", [
        single("region", ["North", "South"], "segment"),
        single("2019_q", ["Yes", "No"]),
        single("dept", ["R & D", "Sales & marketing", "Other"])], data)
    s = open_survey(folder, workspace=tmp_path / "w.toml")
    yield s
    s.close()


def _is(data, name, *codes):
    return np.isin(np.array(data[name]), codes)


@pytest.mark.parametrize(("text", "expect"), [
    ("region=1 & 2019_q=1", lambda d: _is(d, "region", 1) & _is(d, "2019_q", 1)),
    ("2019_q=No & region=South", lambda d: _is(d, "2019_q", 2) & _is(d, "region", 2)),
    ("dept=R & D & region=2", lambda d: _is(d, "dept", 1) & _is(d, "region", 2)),
    ("region=2 & dept=R & D", lambda d: _is(d, "dept", 1) & _is(d, "region", 2)),
    ("region=North & dept=Sales & marketing & 2019_q=1",
     lambda d: _is(d, "region", 1) & _is(d, "dept", 2) & _is(d, "2019_q", 1)),
    ("dept=R & D,Other", lambda d: _is(d, "dept", 1, 3)),
])
def test_parts_start_at_a_variable(survey, data, text, expect):
    ct = table(survey, TabRequest("dept", None, parse_filters(survey.codebook, [text])))
    assert ct.columns[0].base == int(expect(data).sum())
    apply_edit(survey, edits.save_filter(survey, "f", text))
    apply_edit(survey, edits.derive(survey, "seg", [("In", "@f & region=1,2"),
                                                    ("Out", "else")]))
    ct = table(survey, TabRequest("seg"))
    assert [r.cells[0].count for r in ct.rows if r.kind == "category"] == [
        int(expect(data).sum()), int((~expect(data)).sum())]


def test_a_misspelt_name_is_said_as_such(survey):
    with pytest.raises(EngineError, match="Unknown variable 'regoin'"):
        parse_filters(survey.codebook, ["region=1 & regoin=2"])
