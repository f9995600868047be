"""Multiplicity corrections in nested banners: the family a correction adjusts together.

SPSS CTABLES' COMPARETEST adjusts the tests of each innermost subtable alone (in
``stakeholder_type/seniority``, the stakeholder types within one seniority); heetui does the
same by default and adjusts over the whole span with ``--correction-family span``. The
reference here reads the bundle's Parquet and codebook with polars and tomllib, tests every
pair with ``statsmodels.stats.proportion.proportions_ztest`` on the raw counts, groups the
p-values per family by hand and adjusts them with ``multipletests``; nothing here calls the
engine's statistics.
"""

from __future__ import annotations

import contextlib
import io
import json
import tomllib
from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from heetui.cli.main import main

DATA = Path(__file__).resolve().parents[2] / "data" / "hee2019"
MIN_TEST = 10
METHODS = {"bonferroni": "bonferroni", "bh": "fdr_bh"}


def tab_json(*args: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["tab", *args, "--format", "json", "--data", str(DATA)])
    return json.loads(out.getvalue())


def _variables() -> dict[str, dict]:
    cb = tomllib.loads((DATA / "codebook.toml").read_text())
    return {v["id"]: v for v in cb["segments"] + cb["questions"]}


def reference(q: str, inner: str, outer: str, family: str, method: str
              ) -> tuple[dict[tuple[str, str, str], tuple[float, float, bool]],
                         dict[tuple[str, str], set[str]]]:
    """Every tested pair's (p, adjusted p, significant) by (row, letter, letter), and the
    letters each (row, column letter) carries."""
    df = pl.read_parquet(DATA / "respondents.parquet")
    v = _variables()
    answer = df[q].to_numpy()
    base = ~df[q].is_null().to_numpy()
    a_codes = [o["code"] for o in v[inner]["options"]]
    b_codes = [o["code"] for o in v[outer]["options"]]
    columns = []  # (letter, outer code, members)
    for b in b_codes:
        for a in a_codes:
            m = base & (df[inner].to_numpy() == a) & (df[outer].to_numpy() == b)
            columns.append((chr(ord("A") + len(columns)), b, m))
    rows = [(str(o["code"]), [o["code"]]) for o in v[q]["options"]]
    rows += [(f"net{j + 1}", n["codes"]) for j, n in enumerate(v[q].get("nets", []))]
    found = []  # (family, row, x, y, z, p)
    for key, codes in rows:
        y = np.isin(answer, codes)
        for (lx, bx, mx), (ly, by, my) in combinations(columns, 2):
            if bx != by or mx.sum() < MIN_TEST or my.sum() < MIN_TEST:
                continue
            counts = np.array([(y & mx).sum(), (y & my).sum()])
            if counts.sum() in (0, mx.sum() + my.sum()):
                continue  # no variation: not a test, out of the family
            z, p = proportions_ztest(counts, np.array([mx.sum(), my.sum()]))
            fam = (key, bx) if family == "subtable" else (key,)
            found.append((fam, key, lx, ly, float(z), float(p)))
    tests: dict[tuple[str, str, str], tuple[float, float, bool]] = {}
    letters: dict[tuple[str, str], set[str]] = {}
    for fam in dict.fromkeys(f[0] for f in found):
        members = [f for f in found if f[0] == fam]
        reject, adjusted, _, _ = multipletests([f[5] for f in members], alpha=0.05,
                                               method=METHODS[method])
        for (_, key, lx, ly, z, p), sig, pa in zip(members, reject, adjusted, strict=True):
            tests[(key, lx, ly)] = (p, float(pa), bool(sig))
            if sig:
                hi, lo = (lx, ly) if z > 0 else (ly, lx)
                letters.setdefault((key, hi), set()).add(lo)
    return tests, letters


CASES = [("role_clarity", "seniority", "stakeholder_type"),
         ("views_timing", "stakeholder_type", "seniority"),
         ("effectiveness", "org_type", "seniority")]


@pytest.mark.parametrize("method", ["bonferroni", "bh"])
@pytest.mark.parametrize("family", ["subtable", "span", None])
@pytest.mark.parametrize(("q", "inner", "outer"), CASES)
def test_nested_correction_family_matches_multipletests(q, inner, outer, family, method):
    """Every tested pair's p and adjusted p, every significance decision and every letter
    of the category and net rows equal the per-family reference (None: the default, which
    is the subtable)."""
    args = [q, "--by", f"{inner}/{outer}", "--correction", method,
            "--min-test-base", str(MIN_TEST)]
    if family is not None:
        args += ["--correction-family", family]
    d = tab_json(*args)
    family = family or "subtable"
    tests, letters = reference(q, inner, outer, family, method)
    assert d["correction_family"] == family
    assert ("within each subtable" if family == "subtable" else "over all the tests of each "
            "span") in d["legend"]
    got = {(t["row"], *t["columns"]): t for t in d["tests"]
           if t["tested"] and t["row"] in {k[0] for k in tests}}
    assert set(got) == set(tests)
    for k, (p, pa, sig) in tests.items():
        assert got[k]["p_value"] == pytest.approx(p, rel=1e-6, abs=1e-8), k
        assert got[k]["p_adjusted"] == pytest.approx(pa, rel=1e-6, abs=1e-8), k
        assert got[k]["significant"] is sig, k
    keys = {k[0] for k in tests}
    for r in d["rows"]:
        if r["key"] not in keys:
            continue
        for col, cell in zip(d["columns"], r["cells"], strict=True):
            assert set(cell["sig"]) == letters.get((r["key"], col["letter"]), set()), (
                r["key"], col["letter"])


@pytest.mark.parametrize("method", ["bonferroni", "bh"])
def test_the_two_families_differ(method):
    """The check above decides something: the subtable family keeps letters the span-wide
    family loses, on the same table."""
    q, inner, outer = CASES[0]
    sub, _ = reference(q, inner, outer, "subtable", method)
    span, _ = reference(q, inner, outer, "span", method)
    assert sum(s[2] for s in sub.values()) > sum(s[2] for s in span.values())
    assert any(sub[k][1] < span[k][1] for k in sub)


def test_an_unknown_family_is_one_sentence(capsys):
    with pytest.raises(SystemExit) as e:
        main(["tab", "relationship", "--by", "stakeholder_type/seniority",
              "--correction-family", "row", "--data", str(DATA)])
    assert e.value.code == 2
    assert "--correction-family" in capsys.readouterr().err
