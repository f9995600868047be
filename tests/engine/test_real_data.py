"""Real survey data shipped with statsmodels, tabulated and checked against pandas counts."""

from __future__ import annotations

import polars as pl
import pytest
from statsmodels.stats.proportion import proportions_ztest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from helpers import make_bundle, single


@pytest.fixture(scope="module")
def anes(tmp_path_factory):
    from statsmodels.datasets import anes96

    df = anes96.load_pandas().data
    data = {"vote": (df["vote"].astype(int) + 1).tolist(),  # 1 Clinton, 2 Dole
            "educ": df["educ"].astype(int).tolist(),
            "selfLR": df["selfLR"].astype(int).tolist()}
    variables = [single("educ", [f"educ {i}" for i in range(1, 8)], role="segment"),
                 single("vote", ["Clinton", "Dole"]),
                 single("selfLR", [f"LR {i}" for i in range(1, 8)])]
    folder = make_bundle(tmp_path_factory.mktemp("anes") / "b", variables, data)
    return open_survey(folder), pl.DataFrame(data)


def test_anes96_counts_and_letters(anes):
    survey, df = anes
    ct = crosstab(survey, TabRequest("vote", "educ"))
    assert ct.total.base == 944
    for col in ct.columns[1:]:
        sub = df.filter(pl.col("educ") == col.code)
        assert col.base == sub.height
        clinton = next(r for r in ct.rows if r.label == "Clinton")
        cell = clinton.cells[ct.columns.index(col)]
        assert cell.count == sub.filter(pl.col("vote") == 1).height
    clinton = next(r for r in ct.rows if r.label == "Clinton")
    tested = [c for c in ct.columns[1:] if c.tested]
    for i, a in enumerate(tested):
        for b in tested[i + 1:]:
            xa = clinton.cells[ct.columns.index(a)].count
            xb = clinton.cells[ct.columns.index(b)].count
            _, p = proportions_ztest([xa, xb], [a.base, b.base])
            sig_a = b.letter in clinton.cells[ct.columns.index(a)].sig
            sig_b = a.letter in clinton.cells[ct.columns.index(b)].sig
            assert (sig_a or sig_b) == (p < 0.05)


def test_fair_affairs_by_religiousness(tmp_path):
    from statsmodels.datasets import fair

    df = fair.load_pandas().data
    data = {"religious": df["religious"].astype(int).tolist(),
            "had_affair": [1 if a > 0 else 2 for a in df["affairs"]],
            "children": [min(int(c), 3) + 1 for c in df["children"]]}
    variables = [single("religious", ["none", "slightly", "fairly", "strongly"], role="segment"),
                 single("children", ["0", "1", "2", "3+"], role="segment"),
                 single("had_affair", ["Yes", "No"])]
    survey = open_survey(make_bundle(tmp_path / "fair", variables, data))
    ct = crosstab(survey, TabRequest("had_affair", "religious"))
    assert ct.total.base == 6366
    p = pl.DataFrame(data)
    yes = next(r for r in ct.rows if r.label == "Yes")
    for col, cell in zip(ct.columns[1:], yes.cells[1:], strict=True):
        sub = p.filter(pl.col("religious") == col.code)
        assert cell.percent == pytest.approx(100 * (sub["had_affair"] == 1).mean())
    # the non-religious are more likely to have had an affair than the strongly religious
    assert "D" in yes.cells[1].sig
