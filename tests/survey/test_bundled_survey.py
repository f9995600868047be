"""The bundled HEE 2019 survey reproduces every published base (survey-spec.md)."""

from __future__ import annotations

import polars as pl
import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.survey.bundle import bundled_survey_path, load_bundle


def counts(raw: pl.DataFrame, col: str) -> dict[int, int]:
    return dict(raw.group_by(col).len().iter_rows())


def test_loads_and_validates():
    b = load_bundle(bundled_survey_path())
    assert b.codebook.settings.weight == "weight"
    ids = {v.id for v in b.codebook.variables}
    assert {"stakeholder_type", "org_type", "seniority", "hee_team", "region", "in_contact",
            "relationship", "words", "advocacy", "views_timing", "point_of_contact",
            "effectiveness", "role_clarity", "relationship_why", "improve"} <= ids


def test_published_bases(raw):
    assert raw.height == 602
    assert counts(raw, "stakeholder_type") == {1: 76, 2: 399, 3: 127}
    assert counts(raw, "seniority") == {1: 112, 2: 490}
    assert counts(raw, "in_contact") == {1: 560, 2: 42}
    in_contact = raw.filter(pl.col("in_contact") == 1)
    assert counts(in_contact, "stakeholder_type") == {1: 75, 2: 364, 3: 121}
    assert [raw[f"hee_team_{i}"].sum() for i in (1, 2, 3)] == [304, 350, 243]
    regions = [raw[f"region_{i}"].sum() for i in range(1, 9)]
    assert regions == [75, 122, 68, 99, 70, 157, 71, 106]
    assert sum(regions) == 768


def test_overlaps_are_real(raw):
    region_sum = raw.select(pl.sum_horizontal(f"region_{i}" for i in range(1, 9))).to_series()
    assert region_sum.min() >= 1 and region_sum.max() >= 2
    team_sum = raw.select(pl.sum_horizontal(f"hee_team_{i}" for i in (1, 2, 3))).to_series()
    assert (team_sum == 0).sum() > 0 and (team_sum >= 2).sum() > 0


def test_stakeholder_type_is_a_net_of_org_type(raw):
    pairs = set(raw.select("org_type", "stakeholder_type").unique().iter_rows())
    assert pairs == {(1, 2), (2, 1), (3, 3), (4, 3), (5, 3), (6, 3), (7, 3)}
    other = counts(raw.filter(pl.col("stakeholder_type") == 3), "org_type")
    assert sum(other.values()) == 127 and len(other) == 5


def test_weight_is_illustrative_non_response_weight(raw):
    w = raw["weight"]
    assert w.mean() == pytest.approx(1.0, abs=1e-9)
    assert 0.5 <= w.min() < 0.7 and 2.0 < w.max() <= 2.5
    # one weight per organisation type
    assert raw.group_by("org_type").agg(pl.col("weight").n_unique())["weight"].max() == 1


def test_words_asked_of_those_in_contact_only(raw):
    asked = raw.filter(pl.col("words_1").is_not_null())
    assert asked.height == 560 and set(asked["in_contact"]) == {1}
    # exclusive options are never combined with a word
    words = [f"words_{i}" for i in range(1, 16)]
    excl = asked.filter((pl.col("words_98") == 1) | (pl.col("words_99") == 1))
    assert excl.select(pl.sum_horizontal(words)).to_series().max() == 0


def test_engine_shows_published_bases(survey):
    ct = crosstab(survey, TabRequest("relationship", "stakeholder_type"))
    assert [c.base for c in ct.columns] == [602, 76, 399, 127]
    ct = crosstab(survey, TabRequest("words", "stakeholder_type"))
    assert [c.base for c in ct.columns] == [560, 75, 364, 121]
    ct = crosstab(survey, TabRequest("region"))
    assert [r.cells[0].count for r in ct.rows] == [75, 122, 68, 99, 70, 157, 71, 106]


def _pct(survey, q, by=None, row="net1"):
    ct = crosstab(survey, TabRequest(q, by))
    return {c.label: r.cells[i].percent for r in ct.rows if r.key == row
            for i, c in enumerate(ct.columns)}


def test_answers_agree_with_published_findings(survey):
    rel = _pct(survey, "relationship", "stakeholder_type")
    assert all(v > 60 for v in rel.values())  # broadly positive across types
    by_region = _pct(survey, "relationship", "region")
    assert min(by_region.values()) > 60 and max(by_region.values()) - min(by_region.values()) > 4
    timing = _pct(survey, "views_timing", "stakeholder_type")
    assert timing["NHS Trust"] < timing["HEI"] and timing["NHS Trust"] < timing["Other"]
    words = crosstab(survey, TabRequest("words"))
    share = {r.label: r.cells[0].percent for r in words.rows}
    for w in ("Supportive", "Knowledgeable", "Professional", "Approachable", "Willing to help"):
        assert share[w] > 40
    assert share["Fragmented"] > 30
    adv = crosstab(survey, TabRequest("advocacy"))
    net = next(r for r in adv.rows if r.kind == "score").cells[0].value
    benchmarks = survey.codebook.benchmarks
    assert 10 < net < 35
    assert sum(b.value > net for b in benchmarks) > len(benchmarks) / 2  # below most
    contact = _pct(survey, "point_of_contact", row="net2")["Total"]
    assert contact > 25  # many lack a clear point of contact
    eff = {r.label: r.cells[0].percent for r in crosstab(survey, TabRequest("effectiveness")).rows}
    assert eff["Fairly effective"] > 40
    assert eff["Has some effectiveness in some areas but not in others"] > 25
    clarity = _pct(survey, "role_clarity", "region")
    assert clarity["National"] > max(v for k, v in clarity.items() if k not in ("National",
                                                                              "Total"))


def test_verbatims_cover_themes_and_sources(survey):
    rows = survey.query("SELECT source, count(*) FROM verbatims GROUP BY ALL ORDER BY 1")
    d = dict(rows)
    assert d["interview"] == 61 * 2 and 300 < d["survey"] < 1000
    themes = {t for (t,) in survey.query("SELECT DISTINCT unnest(themes) FROM verbatims")}
    assert themes == set(range(1, 12))
    attributions = {a for (a,) in survey.query(
        "SELECT DISTINCT attribution FROM verbatims WHERE source = 'interview'")}
    assert attributions == {"National body/ALB", "Royal College", "Professional body", "HEI",
                            "NHS Trust", "Other"}
    texts = [t for (t,) in survey.query("SELECT text FROM verbatims")]
    assert any("é" in t for t in texts) and any("–" in t for t in texts)
    assert any(not t.strip() for t in texts)
    assert len(set(texts)) > 300
