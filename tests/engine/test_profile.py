"""Segment profile: every difference and p-value against independent z-tests on raw data."""

from __future__ import annotations

import math
import re

import polars as pl
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import GROUP_COLUMN
from heetui.engine.filters import parse_filter
from heetui.engine.profiling import profile
from heetui.survey.bundle import bundled_survey_path
from heetui.tui.app import HeetuiApp
from heetui.tui.profile_screen import ProfileScreen
from heetui.tui.verbatim_screen import VerbatimScreen
from helpers import eligible, table_headings
from tui_helpers import add_filter, running, settle, table


def _indicator(survey, q: str, codes) -> pl.Expr:
    v = survey.codebook.get(q)
    if v.type == "multi":
        return pl.max_horizontal([pl.col(v.column(c)) for c in codes]) == 1
    return pl.col(q).is_in(list(codes))


def _commenters(raw: pl.DataFrame, q: str) -> pl.DataFrame:
    """Respondents who left a comment with words on open-ended question ``q``, each with
    every theme code stored on their comments (``__themes``)."""
    said = pl.read_parquet(bundled_survey_path() / "verbatims.parquet").filter(
        (pl.col("question") == q) & pl.col("respondent_id").is_not_null()
        & (pl.col("text").str.strip_chars() != ""))
    per = said.group_by("respondent_id").agg(pl.col("themes").explode().alias("__themes"))
    return raw.join(per, on="respondent_id")


def independent(survey, raw, group_expr, used) -> dict[tuple[str, str], float]:
    """p-values of group vs not-group for every category and net row (an open-ended
    question's: its themes), from raw counts."""
    out = {}
    cb = survey.codebook
    for v in cb.closed + [v for v in cb.variables if cb.coded(v)]:
        if v.id in used or v.type == "numeric":
            continue
        base = _commenters(raw, v.id) if v.type == "open" else eligible(raw, v.id, survey)
        g, r = base.filter(group_expr), base.filter(~group_expr)
        if g.height < 30 or r.height < 30:
            continue
        rows = [(o.label, (o.code,)) for o in v.options] + [(n.label, n.codes) for n in v.nets]
        if v.type == "open":
            rows = [(t.label, (t.code,)) for t in cb.frame(v.id).themes]
        for label, codes in rows:
            holds = pl.col("__themes").list.eval(pl.element().is_in(list(codes))).list.any() \
                if v.type == "open" else _indicator(survey, v.id, codes)
            xg = g.filter(holds).height
            xr = r.filter(holds).height
            if xg + xr in (0, g.height + r.height):
                continue
            _, p = proportions_ztest([xg, xr], [g.height, r.height])
            out[(v.id, label)] = p
    return out


def test_nhs_trust_profile_matches_statsmodels(survey, raw):
    group = (parse_filter(survey.codebook, "stakeholder_type=NHS Trust"),)
    prof = profile(survey, group, correction="none")
    assert prof.defining == ("org_type",)  # a finer version of stakeholder type: left out
    ref = independent(survey, raw, pl.col("stakeholder_type") == 2,
                      {"stakeholder_type", "org_type"})
    ours = {(r.question, r.row): r for r in prof.rows if r.kind in ("category", "net")
            and r.p_value is not None}
    assert set(ours) == set(ref)
    for key, p in ref.items():
        assert ours[key].p_value == pytest.approx(p, rel=1e-6), key
    sig_ref = {k for k, p in ref.items() if p < 0.05}
    sig_ours = {(r.question, r.row) for r in prof.significant if r.kind in ("category", "net")}
    assert sig_ours == sig_ref  # complete: no significant row missing, none extra
    # group and rest percents from raw counts
    row = ours[("views_timing", "Satisfied")]
    base = eligible(raw, "views_timing", survey)
    g = base.filter(pl.col("stakeholder_type") == 2)
    assert row.group_value == pytest.approx(100 * g["views_timing"].is_in([1, 2]).mean())
    assert row.difference == pytest.approx(row.group_value - row.other_value)
    assert row.group_base == g.height and row.other_base == base.height - g.height


def test_bh_correction_matches_multipletests(survey):
    group = (parse_filter(survey.codebook, "region=London"),)
    plain = profile(survey, group, correction="none")
    bh = profile(survey, group, correction="bh")
    tested = [r for r in plain.rows if r.p_value is not None]
    by_key = {(r.question, r.row_key): r for r in bh.rows}
    reject, adj, _, _ = multipletests([r.p_value for r in tested], method="fdr_bh")
    for r, a, rej in zip(tested, adj, reject, strict=True):
        assert by_key[(r.question, r.row_key)].p_adjusted == pytest.approx(a)
        assert by_key[(r.question, r.row_key)].significant == bool(rej)


def test_overlapping_group_is_group_vs_not_group(survey, raw):
    # region is multi-response: the rest are respondents NOT in London, never overlapping
    group = (parse_filter(survey.codebook, "region=London"),)
    prof = profile(survey, group, correction="none")
    ref = independent(survey, raw, pl.col("region_6") == 1, {"region"})
    ours = {(r.question, r.row): r.p_value for r in prof.rows
            if r.kind in ("category", "net") and r.p_value is not None}
    for key, p in ref.items():
        assert ours[key] == pytest.approx(p, rel=1e-6)


def test_weighted_profile_uses_effective_bases(survey, raw):
    group = (parse_filter(survey.codebook, "seniority=1"),)
    prof = profile(survey, group, weighted=True, correction="none")
    row = next(r for r in prof.rows if r.question == "relationship" and r.row == "Positive")
    base = eligible(raw, "relationship", survey)
    parts = []
    for df in (base.filter(pl.col("seniority") == 1), base.filter(pl.col("seniority") != 1)):
        w = df["weight"].to_numpy()
        hit = df["relationship"].is_in([1, 2]).to_numpy()
        parts.append((float((w * hit).sum() / w.sum()), w.sum() ** 2 / (w**2).sum()))
    (p1, e1), (p2, e2) = parts
    pbar = (p1 * e1 + p2 * e2) / (e1 + e2)
    z = (p1 - p2) / math.sqrt(pbar * (1 - pbar) * (1 / e1 + 1 / e2))
    assert row.group_value == pytest.approx(100 * p1)
    assert row.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))


def test_against_total(survey):
    group = (parse_filter(survey.codebook, "stakeholder_type=HEI"),)
    prof = profile(survey, group, against="total", correction="none")
    row = next(r for r in prof.rows if r.question == "relationship" and r.row == "Positive")
    assert row.other_base == 602 and row.group_base == 76


def test_profile_shows_values_as_the_table_does():
    """A score and a mean read with the decimals `heetui tab` gives them, and the score's
    gap is in points."""
    prof = run("profile", "--filter", "stakeholder_type=NHS Trust", "--all").stdout
    tab = run("tab", "advocacy", "--by", "stakeholder_type").stdout
    score = next(line for line in tab.splitlines() if line.startswith("Net advocacy"))
    nhs = score.split()[-2]  # the NHS Trust column (B) of HEI, NHS Trust, Other
    line = next(line for line in prof.splitlines() if "· Net advocacy" in line)
    assert f"group {nhs:>6} " in line and re.search(r" [+-]\d+\.\d pts ", line), line
    mean = next(line for line in prof.splitlines() if "views_timing · Mean score" in line)
    assert re.search(r"group +-?\d+\.\d\d .* [+-]\d+\.\d\d  p", mean), mean


def test_text_names_what_the_group_is_compared_with():
    for against, word in (("rest", "rest"), ("total", "total")):
        out = run("profile", "--filter", "stakeholder_type=HEI", "--against", against,
                  "--all").stdout
        rows = [line for line in out.splitlines() if " group " in line]
        assert rows and all(f" {word} " in line and " other " not in line for line in rows)


def test_cli_json_contract():
    r = run("profile", "--filter", "stakeholder_type=NHS Trust", "--format", "json")
    assert r.returncode == 0, r.stderr
    import json

    rows = json.loads(r.stdout)
    assert rows and all(row["significant"] for row in rows)
    for row in rows:
        assert {"question", "row", "kind", "difference", "p_value", "group_base",
                "rest_base"} <= set(row)
        assert ("group_percent" in row) or ("group_value" in row)
    diffs = [abs(row["difference"]) for row in rows]
    assert diffs == sorted(diffs, reverse=True)
    assert any(row["question"] == "views_timing" for row in rows)
    r = run("profile")
    assert r.returncode == 2 and "needs a group" in r.stderr


async def test_filter_profile_crosstab_verbatims_in_three_keys(survey):
    async with running(HeetuiApp(survey)) as (app, pilot):
        await add_filter(app, pilot, "stakeholder_type", ["NHS Trust"])
        await pilot.press("p")  # 1
        await settle(app, pilot)
        assert isinstance(app.screen, ProfileScreen)
        lst = app.screen.query_one("#plist")
        first = app.screen.result.significant[0]
        assert lst.option_count == len(app.screen.result.significant)
        await pilot.press("enter")  # 2: that question, group vs rest
        await settle(app, pilot)
        assert app.view.question == first.question
        heads = table_headings(table(app))
        assert "Rest (B)" in heads and "Total" in heads
        t = table(app)
        assert t.cursor_coordinate == (t.get_row_index(f"row:{first.row_key}"),
                                       t.get_column_index(GROUP_COLUMN))  # on the group's cell
        await pilot.press("enter")  # 3: its comments
        await settle(app, pilot)
        assert isinstance(app.screen, VerbatimScreen)
        summary = str(app.screen.query_one("#vsummary").render())
        assert summary.startswith("Cell: Stakeholder type = NHS Trust")
        await pilot.press("escape")
        await pilot.press("x")
        await settle(app, pilot)
        assert not app.view.group and "group vs rest" not in str(
            app.query_one("#status").render())


def test_group_size_is_the_respondents_in_the_group(survey, raw):
    """n= in the heading counts every respondent matching the filters (an independent polars
    count), not the largest base among the questions."""
    group = (parse_filter(survey.codebook, "stakeholder_type=NHS Trust"),
             parse_filter(survey.codebook, "region=London"))
    prof = profile(survey, group, correction="none")
    expected = raw.filter((pl.col("stakeholder_type") == 2) & (pl.col("region_6") == 1)).height
    assert prof.group_size == expected
