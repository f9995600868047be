"""Numeric variables as banner spans and filters: bands from the codebook, ranges and
comparisons on the command line, every base checked against the raw data."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from heetui.cli.main import main
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import condition, parse_filter
from heetui.engine.session import open_survey
from heetui.engine.sql import joined
from heetui.errors import EngineError
from heetui.survey.codebook import band_options
from helpers import make_bundle, single

N = 400


@pytest.fixture(scope="module")
def banded(tmp_path_factory):
    rng = np.random.default_rng(5)
    age = rng.integers(16, 90, N).tolist()
    age[7] = None
    data = {"q": rng.integers(1, 3, N).tolist(), "seg": rng.integers(1, 3, N).tolist(),
            "age": age}
    variables = [single("q", ["yes", "no"]), single("seg", ["a", "b"], "segment"),
                 {"id": "age", "type": "numeric", "text": "Age", "role": "segment",
                  "bands": [18, 35, 55]}]
    path = make_bundle(tmp_path_factory.mktemp("bands") / "b", variables, data)
    return open_survey(path), pl.DataFrame(data)


def test_band_labels():
    assert [o.label for o in band_options((18.0, 35.0, 55.0))] == [
        "Under 18", "18–34", "35–54", "55 and over"]
    assert [o.label for o in band_options((2.5,))] == ["Under 2.5", "2.5 and over"]


def test_a_banded_numeric_is_a_banner_span(banded):
    survey, raw = banded
    ct = crosstab(survey, TabRequest("q", "age,seg"))
    age = raw["age"]
    expected = [(age < 18).sum(), ((age >= 18) & (age < 35)).sum(),
                ((age >= 35) & (age < 55)).sum(), (age >= 55).sum()]
    assert [c.label for c in ct.columns[1:5]] == ["Under 18", "18–34", "35–54", "55 and over"]
    assert [c.base for c in ct.columns[1:5]] == expected and ct.columns[0].base == N
    yes = ct.rows[0]
    assert yes.cells[2].count == raw.filter((pl.col("age") >= 18) & (pl.col("age") < 35)
                                            & (pl.col("q") == 1)).height
    nested = crosstab(survey, TabRequest("q", "seg/age"))
    assert sum(c.base for c in nested.columns[1:]) == N - 1  # one age unknown


@pytest.mark.parametrize("text,expr,described", [
    ("age=18-34", (pl.col("age") >= 18) & (pl.col("age") <= 34), "age = 18–34"),  # a band
    ("age=20-29", (pl.col("age") >= 20) & (pl.col("age") <= 29), "age 20–29"),
    ("age>=50", pl.col("age") >= 50, "age ≥ 50"),
    ("age<18", pl.col("age") < 18, "age < 18"),
    ("age=40,60-61", pl.col("age").is_in([40, 60, 61]), "age = 40 or 60–61"),
    ("age=55 and over", pl.col("age") >= 55, "age = 55 and over"),
])
def test_numeric_filters(banded, text, expr, described):
    survey, raw = banded
    f = parse_filter(survey.codebook, text)
    assert f.describe(survey.codebook) == described
    ct = crosstab(survey, TabRequest("q", filters=(f,)))
    assert ct.total.base == raw.filter(expr).height
    kept = joined("SELECT COUNT(*) FROM respondents WHERE ", condition(survey.codebook, f))
    assert survey.query(kept)[0][0] == raw.filter(expr).height


def test_numeric_mistakes_are_one_sentence(banded, capsys):
    survey, _ = banded
    cb = survey.codebook
    for text, msg in (("age>=old", "takes one number"), ("age=young", "not a value of the "
                      "numeric age"), ("q>=1", "only a numeric variable takes")):
        with pytest.raises(EngineError, match=msg):
            parse_filter(cb, text)
    path = str(survey.bundle.path)
    assert main(["tab", "q", "--filter", "age>=50", "--format", "json", "--data", path]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["filters"][0]["text"] == "age ≥ 50"


def test_a_label_with_a_comma_names_one_answer(tmp_path):
    """Commas separate answers, except inside a label that holds one: the whole text is
    tried as a label first."""
    out = make_bundle(tmp_path / "b", [single("job", ["Development, Data Science", "Sales",
                                                      "Data"]), single("q", ["a", "b"])],
                      {"job": [1, 2, 1, 3], "q": [1, 2, 2, 1]})
    cb = open_survey(out).codebook
    assert parse_filter(cb, "job=development, data science").codes == (1,)
    assert parse_filter(cb, "job=Sales,Data").codes == (2, 3)
    assert parse_filter(cb, "job=2, 1").codes == (2, 1)
    both = make_bundle(tmp_path / "c", [single("ch", ["Email", "Phone", "Email, Phone"])],
                       {"ch": [1, 2, 3]})
    with pytest.raises(EngineError, match=r"both an answer of ch and a list .* \(3\) .* \(1,2\)"):
        parse_filter(open_survey(both).codebook, "ch=Email, Phone")


def test_a_digit_from_another_script_is_not_a_code():
    """'²' and '٣' are digits to Python's isdigit but no answer code: one sentence, no
    traceback."""
    cb = open_survey().codebook
    for text in ("stakeholder_type=²", "stakeholder_type=٣"):
        with pytest.raises(EngineError, match="is not an answer of stakeholder_type"):
            parse_filter(cb, text)
