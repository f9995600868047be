"""Text answers that form a familiar scale are imported in the scale's order, from its
positive end, with answers that say there is no answer last; other text keeps reading
order."""

from __future__ import annotations

import polars as pl
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.importers.scales import reading_order
from heetui.survey.bundle import load_bundle


@pytest.mark.parametrize(("values", "expected"), [
    (["Disagree", "Strongly agree", "Don't know", "Tend to agree", "Strongly disagree",
      "Neither agree nor disagree"],
     ["Strongly agree", "Tend to agree", "Neither agree nor disagree", "Disagree",
      "Strongly disagree", "Don't know"]),
    (["Poor", "Good", "Excellent", "Fair", "Very good"],
     ["Excellent", "Very good", "Good", "Fair", "Poor"]),
    (["Dissatisfied", "Very satisfied", "Satisfied"],
     ["Very satisfied", "Satisfied", "Dissatisfied"]),
    (["Never", "Often", "Sometimes", "Not applicable"],
     ["Often", "Sometimes", "Never", "Not applicable"]),
    (["No", "Yes"], ["Yes", "No"]),
    # not a scale (or two answers at one place): reading order, numbers as numbers
    (["Red", "Agree", "Blue"], ["Agree", "Blue", "Red"]),
    (["Agree", "Tend to agree", "Disagree"], ["Agree", "Disagree", "Tend to agree"]),
    (["Item 10", "Item 2"], ["Item 2", "Item 10"]),
])
def test_reading_order(values, expected):
    assert reading_order(values) == expected


def test_a_csv_scale_imports_in_its_order(tmp_path):
    answers = ["Agree", "Strongly disagree", "Strongly agree", "Disagree", "Don't know"] * 8
    src = tmp_path / "s.csv"
    pl.DataFrame({"respid": list(range(1, 41)), "q1": answers}).write_csv(src)
    assert run("import", str(src), "-o", str(tmp_path / "b")).returncode == 0
    options = load_bundle(tmp_path / "b").codebook.get("q1").options
    assert [o.label for o in options] == ["Strongly agree", "Agree", "Disagree",
                                          "Strongly disagree", "Don't know"]
