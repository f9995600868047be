"""Packed multi-response columns: written beside the 0/1 columns, checked on load, and the
tables read from them equal the tables read from the 0/1 columns (and independent sums)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from heetui.engine.banner import resolve_banner
from heetui.engine.crosstab import TabRequest, crosstab, grouped_sql, item_slices
from heetui.engine.filters import Filter
from heetui.engine.session import Survey, open_survey
from heetui.engine.sql import joined
from heetui.importers import import_source
from heetui.survey.bundle import BundleError, bundled_survey_path, load_bundle
from heetui.survey.codebook import Variable
from helpers import make_bundle, multi, single
from helpers import unpacked_copy as _unpacked_copy


def _same_tables(a: Survey, b: Survey, req: TabRequest) -> None:
    x, y = crosstab(a, req), crosstab(b, req)
    assert [(c.label, c.base, c.letter, c.tested) for c in x.columns] == \
        [(c.label, c.base, c.letter, c.tested) for c in y.columns]
    for c, d in zip(x.columns, y.columns, strict=True):
        assert c.weighted_base == pytest.approx(d.weighted_base, rel=1e-12)
        assert c.effective_base == pytest.approx(d.effective_base, rel=1e-12)
    for rx, ry in zip(x.rows, y.rows, strict=True):
        assert rx.label == ry.label
        for cx, cy in zip(rx.cells, ry.cells, strict=True):
            assert cx.count == cy.count, (req, rx.label)
            assert cx.weighted_count == pytest.approx(cy.weighted_count, rel=1e-12, abs=1e-9)
            assert cx.sig == cy.sig, (req, rx.label)
    assert [(t.row, t.a, t.b, t.significant) for t in x.tests] == \
        [(t.row, t.a, t.b, t.significant) for t in y.tests]
    for s, t in zip(x.tests, y.tests, strict=True):
        assert s.statistic == pytest.approx(t.statistic, rel=1e-9, abs=1e-9)


def test_packed_columns_hold_the_option_bits():
    folder = bundled_survey_path()
    cb = load_bundle(folder).codebook
    df = pl.read_parquet(folder / "respondents.parquet")
    multis = [v for v in cb.variables if v.type == "multi"]
    assert {v.bits_column for v in multis} == {"words__bits", "region__bits", "hee_team__bits"}
    for v in multis:
        cols = [df[c].to_numpy().astype(float) for c in v.columns()]  # NaN = null
        expect = sum((np.nan_to_num(c) == 1).astype(np.uint64) << np.uint64(i)
                     for i, c in enumerate(cols))
        packed = df[str(v.bits_column)]
        assert packed.dtype == pl.UInt32
        answered = ~np.isnan(cols[0])
        assert (packed.is_null().to_numpy() == ~answered).all()
        assert (packed.to_numpy()[answered].astype(np.uint64) == expect[answered]).all()


def test_tables_read_the_same_from_packed_and_option_columns(tmp_path):
    packed = open_survey(bundled_survey_path())
    plain = open_survey(_unpacked_copy(bundled_survey_path(), tmp_path / "plain"))
    cb = packed.codebook
    words = cb.get("words")
    assert packed.packed(words) == "words__bits" and plain.packed(words) is None
    assert "GROUPING SETS" in grouped_sql(packed, words, resolve_banner(cb, "region"), ())[0]
    assert "GROUPING SETS" not in grouped_sql(plain, words, resolve_banner(cb, "region"), ())[0]
    banners = [None] + [v.id for v in cb.categorical]
    filters = [(), (Filter("stakeholder_type", (2,)),), (Filter("region", (6, 8)),)]
    for q in (v for v in cb.closed if v.type == "multi"):
        for banner in banners:
            for weighted in (False, True):
                for f in filters:
                    _same_tables(packed, plain, TabRequest(q.id, banner, f, weighted))
        group = (Filter("seniority", (1,)),)
        for against in ("rest", "total"):
            _same_tables(packed, plain, TabRequest(q.id, group=group, against=against,
                                                   weighted=True))


def test_many_options_and_nets_across_slices(tmp_path):
    """40 options (a 64-bit packed column), nets spanning slices, an overlapping banner:
    packed and 0/1 readings agree, and cells equal sums over the raw rows."""
    rng = np.random.default_rng(7)
    n, k = 3000, 40
    chosen = rng.random((n, k)) < np.linspace(0.05, 0.6, k)
    asked = rng.random(n) < 0.9
    region = rng.random((n, 3)) < [0.5, 0.3, 0.4]
    weight = rng.uniform(0.3, 2.5, n)
    nets = [{"label": "Early", "codes": [1, 2, 3, 30]}, {"label": "Late", "codes": [39, 40]},
            {"label": "Spread", "codes": [5, 12, 19, 26, 33]}]
    q = multi("big", [f"Option {i}" for i in range(1, k + 1)], nets=nets)
    seg = multi("area", ["North", "Middle", "South"], role="segment")
    data: dict[str, list] = {f"big_{i + 1}": [int(c) if a else None for c, a in
                                              zip(chosen[:, i], asked, strict=True)]
                             for i in range(k)}
    data |= {f"area_{j + 1}": region[:, j].astype(int).tolist() for j in range(3)}
    data["w"] = weight.tolist()
    folder = make_bundle(tmp_path / "big", [seg, q], data, weight="w")
    df = pl.read_parquet(folder / "respondents.parquet")
    assert df["big__bits"].dtype == pl.UInt64
    packed = open_survey(folder)
    plain = open_survey(_unpacked_copy(folder, tmp_path / "plain"))
    for weighted in (False, True):
        for f in ((), (Filter("area", (2,)),)):
            _same_tables(packed, plain, TabRequest("big", "area", f, weighted))
    t = crosstab(packed, TabRequest("big", "area", weighted=True))
    cols = {c.label: i for i, c in enumerate(t.columns)}
    for label, member in (("Total", asked), ("Middle", asked & region[:, 1])):
        i = cols[label]
        assert t.columns[i].base == member.sum()
        assert t.columns[i].weighted_base == pytest.approx(weight[member].sum())
        rows = {r.label: r for r in t.rows}
        for row, hit in (("Option 40", chosen[:, 39]), ("Option 8", chosen[:, 7]),
                         ("Late", chosen[:, 38] | chosen[:, 39]),
                         ("Spread", chosen[:, [4, 11, 18, 25, 32]].any(axis=1))):
            cell = rows[row].cells[i]
            assert cell.count == (member & hit).sum()
            assert cell.weighted_count == pytest.approx(weight[member & hit].sum())
            assert cell.percent == pytest.approx(
                100 * weight[member & hit].sum() / weight[member].sum())


def test_large_survey_aggregation_gives_the_same_tables(monkeypatch):
    """Surveys of millions aggregate small keys into an array (DuckDB's perfect hash
    aggregate) instead of a hash table: the plan changes, the tables do not."""
    from heetui.engine import session

    monkeypatch.setattr(session, "PERFECT_HASH_RESPONDENTS", 0)  # as if 602 were millions
    large = open_survey(bundled_survey_path())
    monkeypatch.undo()
    usual = open_survey(bundled_survey_path())
    cb = large.codebook

    def plan(s: Survey) -> str:
        sql = grouped_sql(s, cb.get("words"), resolve_banner(cb, "region"), ())
        return s.query(joined("EXPLAIN ", sql))[0][1]

    assert "Perfect Hash Group By" in plan(large)
    assert "Perfect Hash Group By" not in plan(usual)
    for q in (v for v in cb.closed if v.type == "multi"):
        for banner in (None, "region", "hee_team", "stakeholder_type"):
            for weighted in (False, True):
                _same_tables(large, usual, TabRequest(q.id, banner, weighted=weighted))


def test_slices_cover_every_item_once():
    for n in range(1, 80):
        spans = item_slices(n)
        covered = [i for first, width in spans for i in range(first, first + width)]
        assert covered == list(range(n))
        assert max(w for _, w in spans) <= 7


def test_a_packed_column_that_disagrees_is_reported(tmp_path):
    folder = make_bundle(tmp_path / "b", [single("g", ["A", "B"], role="segment"),
                                          multi("m", ["X", "Y", "Z"])],
                         {"g": [1, 2, 1, 2], "m_1": [1, 0, 1, None], "m_2": [0, 1, 1, None],
                          "m_3": [0, 0, 1, None]})
    df = pl.read_parquet(folder / "respondents.parquet")
    assert df["m__bits"].to_list() == [1, 2, 7, None]
    df.with_columns(pl.Series("m__bits", [1, 2, 3, None], dtype=pl.UInt32)).write_parquet(
        folder / "respondents.parquet")
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    assert [str(p) for p in info.value.problems] == [
        "respondents.parquet: m__bits: 1 values do not match the 0/1 columns of m, which this "
        "column packs (bit i = the i-th option); delete the column or rewrite the bundle with "
        "heetui import"]
    df.with_columns(pl.Series("m__bits", ["1", "2", "7", None])).write_parquet(
        folder / "respondents.parquet")
    with pytest.raises(BundleError) as info:
        load_bundle(folder)
    assert "m__bits: expected the packed answers of m as integers, found String" in \
        str(info.value.problems[0])
    df.drop("m__bits").write_parquet(folder / "respondents.parquet")
    assert load_bundle(folder).codebook.get("m").bits_column == "m__bits"  # optional


def test_importing_a_bundles_file_does_not_make_questions_of_packed_columns(tmp_path):
    out = import_source(bundled_survey_path() / "respondents.parquet", tmp_path / "again")
    cb = load_bundle(out).codebook
    assert not [v.id for v in cb.variables if "bits" in v.id]
    words = cb.get("words")
    assert isinstance(words, Variable) and words.type == "multi"
    df = pl.read_parquet(out / "respondents.parquet")
    original = pl.read_parquet(bundled_survey_path() / "respondents.parquet")
    assert df["words__bits"].to_list() == original["words__bits"].to_list()
