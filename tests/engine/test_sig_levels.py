"""Two significance levels, as tab houses print them: a capital letter where a column beats
another at the stricter level, a lower-case one where it does at the looser level only.
Checked against statsmodels' proportions_ztest on the raw data (effective bases when
weighted), and in every output: text, json, csv, md, xlsx, the book (xlsx, html, md, json,
csv), the chart's notes and the legend naming both levels."""

from __future__ import annotations

import csv
import io
import json
from itertools import combinations

import numpy as np
import openpyxl
import pytest
from statsmodels.stats.proportion import proportions_ztest

from cli_helpers import run_here as heetui  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.errors import EngineError
from heetui.survey.bundle import bundled_survey_path
from reference import Bundle

REF = Bundle.read(bundled_survey_path())
MIN_TEST = 30


def expected_letters(q: str, banner: str, codes: list[int], weighted: bool,
                     strict: float, loose: float) -> list[set[str]]:
    """Each banner column's marks for one row, from the raw data: for every pair of columns
    with (effective) bases of at least 30, statsmodels' two-sample z-test on the effective
    counts; the higher column gets the other's letter, capital below ``strict``, lower-case
    below ``loose`` only."""
    w = REF.weights(weighted)
    base, y = REF.answered(q), REF.option(q, codes)
    cols = [base & m for m in REF.columns(banner)]
    letters = [chr(ord("A") + i) for i in range(len(cols))]
    out: list[set[str]] = [set() for _ in cols]
    stats = []
    for m in cols:
        sw, sw2 = w[m].sum(), (w[m] ** 2).sum()
        e = sw * sw / sw2 if sw2 > 0 else 0.0
        stats.append((e, (w[m] * y[m]).sum() / sw if sw > 0 else 0.0))
    for i, j in combinations(range(len(cols)), 2):
        (ei, pi), (ej, pj) = stats[i], stats[j]
        if ei < MIN_TEST or ej < MIN_TEST or (pi * ei + pj * ej) in (0, ei + ej):
            continue
        _, p = proportions_ztest([pi * ei, pj * ej], [ei, ej])
        hi, lo = (i, j) if pi > pj else (j, i)
        if p < strict:
            out[hi].add(letters[lo])
        elif p < loose:
            out[hi].add(letters[lo].lower())
    return out


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("q", "banner"), [("relationship", "stakeholder_type"),
                                           ("relationship", "seniority"),
                                           ("effectiveness", "seniority"),
                                           ("advocacy", "stakeholder_type")])
@pytest.mark.parametrize("levels", [(0.05, 0.10), (0.01, 0.05)])
def test_both_levels_agree_with_statsmodels(survey, q, banner, weighted, levels):
    strict, loose = levels
    ct = crosstab(survey, TabRequest(q, banner, weighted=weighted, sig_level=strict,
                                     loose_level=loose))
    rows = dict(REF.rows(q))
    seen = {"upper": False, "lower": False}
    for row in ct.rows:
        if row.kind not in ("category", "net"):
            continue
        want = expected_letters(q, banner, rows[row.label], weighted, strict, loose)
        got = [set(c.sig) for c in row.cells[1:]]
        assert got == want, row.label
        for marks in got:
            seen["upper"] |= any(m.isupper() for m in marks)
            seen["lower"] |= any(m.islower() for m in marks)
    if q == "relationship" and banner == "stakeholder_type":
        assert seen["lower"]  # the looser level is exercised
    # the single stricter level gives exactly the capitals
    one = crosstab(survey, TabRequest(q, banner, weighted=weighted, sig_level=strict))
    for r1, r2 in zip(one.rows, ct.rows, strict=True):
        for c1, c2 in zip(r1.cells, r2.cells, strict=True):
            assert set(c1.sig) == {m for m in c2.sig if m.isupper()}


def test_levels_are_checked(survey):
    for strict, loose in ((0.10, 0.05), (0.05, 0.05), (0.05, 1.5)):
        with pytest.raises(EngineError):
            crosstab(survey, TabRequest("relationship", "seniority", sig_level=strict,
                                        loose_level=loose))


def test_more_than_26_columns_use_capital_pairs_with_two_levels(survey):
    wide = "region,org_type,stakeholder_type,seniority,hee_team,seniority/stakeholder_type"
    one = crosstab(survey, TabRequest("relationship", wide))
    two = crosstab(survey, TabRequest("relationship", wide, loose_level=0.10))
    assert any(c.letter and c.letter.islower() for c in one.columns)  # a–z after Z
    assert all(c.letter is None or c.letter.isupper() for c in two.columns)
    assert any(m.islower() for r in two.rows for c in r.cells for m in c.sig)


BOTH = ("tab", "relationship", "--by", "stakeholder_type", "--sig-level", "0.05,0.10")
LEGEND = "upper case at p < 0.05, lower case at p < 0.1"


def test_every_tab_format_carries_both_levels(tmp_path):
    text = heetui(*BOTH, "--width", "200").stdout
    assert "16%c" in text and "80%A" in text and LEGEND in " ".join(text.split())
    md = heetui(*BOTH, "--format", "md").stdout
    assert "16%c" in md and LEGEND.replace("<", "\\<") in md
    data = json.loads(heetui(*BOTH, "--format", "json").stdout)
    net = next(r for r in data["rows"] if r["key"] == "net2")
    assert net["cells"][1]["sig"] == ["c"] and data["loose_level"] == 0.1
    assert LEGEND in data["legend"]
    rows = list(csv.DictReader(io.StringIO(heetui(*BOTH, "--format", "csv").stdout)))
    net_a = [r["sig"] for r in rows
             if (r["row"], r["kind"], r["letter"]) == ("Negative", "net", "A")]
    assert net_a == ["c"]
    r = heetui(*BOTH, "--format", "xlsx", "-o", str(tmp_path / "t.xlsx"))
    assert r.returncode == 0, r.stderr
    cells = [str(c.value) for row in openpyxl.load_workbook(tmp_path / "t.xlsx").active
             .iter_rows() for c in row if c.value is not None]
    assert "c" in cells and "A" in cells and any(LEGEND in c for c in cells)
    bad = heetui("tab", "relationship", "--sig-level", "0.05,0.05")
    assert bad.returncode == 2 and "two different ones" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "html", "md", "json", "csv"])
def test_the_book_carries_both_levels(tmp_path, fmt):
    out = tmp_path / f"b.{fmt}"
    r = heetui("book", "--by", "stakeholder_type", "--questions", "relationship",
               "--sig-level", "0.05,0.10", "-o", str(out))
    assert r.returncode == 0, r.stderr
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(out)
        ws = wb[wb.sheetnames[2]]
        cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert "c" in cells and any(LEGEND in c for c in cells)
        contents = [str(c.value) for row in wb["Contents"].iter_rows() for c in row
                    if c.value is not None]
        assert any("α = 0.1 (lower-case letters" in c for c in contents)
        return
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        data = json.loads(text)
        assert data["settings"]["loose_level"] == 0.1
        cells = data["tables"][0]["rows"]
        assert ["c"] in [c["sig"] for r in cells for c in r["cells"]]
    elif fmt == "csv":
        assert ",c\n" in text
    elif fmt == "md":
        assert "16%c" in text and LEGEND.replace("<", "\\<") in text
    else:
        assert '16%</td><td class="m">c<' in text and LEGEND.replace("<", "&lt;") in text


def test_chart_notes_say_the_looser_level():
    r = heetui("chart", "relationship", "--by", "stakeholder_type", "--sig-level",
               "0.05,0.10", "--width", "120")
    assert r.returncode == 0, r.stderr
    flat = " ".join(r.stdout.split())
    assert LEGEND in flat and "(p < 0.1)" in flat


def test_profile_lists_the_looser_level():
    r = heetui("profile", "--filter", "stakeholder_type=1", "--sig-level", "0.01,0.1",
               "--format", "json")
    rows = json.loads(r.stdout)
    assert rows and all(x["significant_loose"] for x in rows)
    assert any(not x["significant"] for x in rows)
    assert np.all([x["p_adjusted"] < 0.1 for x in rows])
