"""A multi-response respondent is in the base when they answered at least one option
column, whatever the order of the columns; within the base a missing option is not chosen.
Checked with the options in every order, with and without the packed column, as a question
and as a banner."""

from __future__ import annotations

from itertools import permutations

import polars as pl
import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from helpers import make_bundle, multi, single
from helpers import unpacked_copy as _unpacked_copy

# six respondents: one answered nothing (all null), two answered only later columns
NEWS = {"news_1": [1, None, None, 0, None, 1],
        "news_2": [0, 1, None, 1, None, None],
        "news_3": [1, 0, 1, 0, None, None]}
SEG = [1, 1, 2, 2, 1, 2]


def bundle(tmp_path, order: tuple[int, ...], packed: bool):
    labels = {1: "Internet", 2: "TV", 3: "Radio"}
    var = multi("news", [labels[c] for c in order])
    var["options"] = [{"code": c, "label": labels[c]} for c in order]
    path = make_bundle(tmp_path / f"b{''.join(map(str, order))}{packed}",
                       [var, single("seg", ["a", "b"], "segment")],
                       {**{f"news_{c}": NEWS[f"news_{c}"] for c in order}, "seg": SEG})
    return path if packed else _unpacked_copy(path, tmp_path / f"u{''.join(map(str, order))}")


@pytest.mark.parametrize("packed", [True, False], ids=["packed", "0/1 columns"])
@pytest.mark.parametrize("order", list(permutations((1, 2, 3))))
def test_the_base_does_not_depend_on_the_order_of_the_columns(tmp_path, order, packed):
    s = open_survey(bundle(tmp_path, order, packed))
    ct = crosstab(s, TabRequest("news", "seg"))
    raw = pl.DataFrame(NEWS | {"seg": SEG})
    answered = raw.filter(pl.any_horizontal(pl.col(f"news_{c}").is_not_null()
                                            for c in (1, 2, 3)))
    assert ct.total.base == answered.height == 5
    assert [c.base for c in ct.columns[1:]] == [
        answered.filter(pl.col("seg") == k).height for k in (1, 2)]
    counts = {r.label: r.cells[0].count for r in ct.rows if r.kind == "category"}
    assert counts == {"Internet": 2, "TV": 2, "Radio": 2}
    assert {r.label: r.cells[0].percent for r in ct.rows if r.kind == "category"} == {
        k: pytest.approx(40.0) for k in counts}
    # as a banner: the respondent who answered only TV is in the TV column
    by = crosstab(s, TabRequest("seg", "news"))
    assert {c.label: c.base for c in by.columns} == {"Total": 6, "Internet": 2, "TV": 2,
                                                     "Radio": 2}
