"""Banner tables through the command line: `heetui tab Q --by SPANS --format json`.

Every column's bases, every cell's percent (and mean and SE), every test's z and p-value and
every cell's letters or higher/lower mark are recomputed per respondent from the bundle's
own files (tests/reference.py reads codebook.toml and the Parquet; nothing here reads the
engine). The rules checked, as the design states them:

- columns: Total, then each span's options in codebook order (nested ``a/b``: for each
  option of b, each option of a); letters A, B, C… across spans, unique in the table;
- ``--compare pairs``: every pair of tested columns of one span (nested: sharing the outer
  option), never across spans; linearised variance with the overlap term, proportion
  pooled over effective bases; the higher column carries the other's letter;
- ``--compare total`` / ``rest``: each tested column against Total (which contains it) or
  against the table's other respondents; ``vs`` says higher or lower, no letters;
- ``--correction``: the family is one span of one row;
- a column whose base (effective base, weighted) is below min_test_base is not tested and
  appears in no test.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from heetui.cli.main import main
from reference import (
    Bundle,
    adjust,
    bases,
    expand_banner,
    filter_mask,
    mean_se,
    mean_z,
    p_two_sided,
    prop_z,
    span_columns,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "hee2019"
REF = Bundle.read(DATA)
MIN_TEST_BASE = REF.cb["survey"]["min_test_base"]
LOW_BASE = REF.cb["survey"]["low_base"]

# The JSON prints floats rounded (to 6 decimals; p-values to 8). A printed value must be the
# reference rounded to the decimals it shows (within half a unit of the last one); a value
# printed with more digits must equal the reference to 1e-9 relative.
DECIMALS = {"z": 6, "p": 8, "x": 6}


def close(got, exp, kind: str = "x") -> bool:
    if got is None or exp is None:
        return got is None and exp is None
    dec = DECIMALS[kind]
    tol = 1e-9 * abs(exp) + 1e-12
    if got == round(got, dec):
        tol = max(tol, 0.5 * 10.0 ** -dec * (1 + 1e-9) + 1e-12)
    return abs(got - exp) <= tol


@cache
def tab(*args: str) -> str:
    """The stdout of ``heetui tab *args --format json``, run in-process (cached: each
    command runs once per session)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["tab", *args, "--format", "json", "--data", str(DATA)])
    assert rc == 0, err.getvalue()
    return out.getvalue()


def tab_json(*args: str) -> dict:
    return json.loads(tab(*args))


# ---- the expected table, per respondent -------------------------------------------------

@dataclass
class Col:
    letter: str | None
    span: str | None
    labels: tuple
    outer: int | None
    m: np.ndarray
    n: int
    wsum: float
    eff: float
    tested: bool


@dataclass
class Row:
    kind: str
    label: str
    codes: list[int]
    y: np.ndarray | None = None      # proportion rows: 0/1 per respondent
    x: np.ndarray | None = None      # mean rows: the option's value
    has: np.ndarray | None = None    # mean rows: has a value (Don't know excluded)


@dataclass
class PairTest:
    z: float | None
    p: float | None = None
    p_adj: float | None = None
    significant: bool = False


@dataclass
class Expected:
    spans: list[str]
    cols: list[Col]
    rows: list[Row]
    tests: dict[tuple[str, str, str], PairTest] = field(default_factory=dict)  # (row, a, b)
    sig: dict[tuple[str, int], set[str]] = field(default_factory=dict)     # (row, col)
    vs: dict[tuple[str, int], str] = field(default_factory=dict)


def letter(i: int) -> str:
    """The i-th column's letter: A…Z, then a…z (the tables here stay within 52)."""
    assert i < 52
    return chr(ord("A") + i) if i < 26 else chr(ord("a") + i - 26)


def row_key(row: Row, q: str) -> str:
    """The row keys the JSON documents: an option's code, net1…, mean."""
    if row.kind == "category":
        return str(row.codes[0])
    if row.kind == "net":
        nets = REF.var(q).get("nets", [])
        return f"net{[n['label'] for n in nets].index(row.label) + 1}"
    return row.kind


def expected(q: str, by: tuple[str, ...], weighted: bool = False, compare: str = "pairs",
             correction: str = "none", level: float = 0.05,
             filters: tuple[str, ...] = (), min_test_base: int = MIN_TEST_BASE) -> Expected:
    w = REF.weights(weighted)
    base = REF.answered(q)
    for f in filters:
        base &= filter_mask(REF, f)

    def column(lt, span, labels, outer, m) -> Col:
        n, wsum, eff = bases(w, m)
        size = eff if weighted else n
        # "below min_test_base": an effective base of exactly 30 (equal weights) is tested,
        # whatever the last bit of (Σw)²/Σw² says
        return Col(lt, span, labels, outer, m, n, wsum, eff if weighted else float(n),
                   lt is not None and wsum > 0 and size >= min_test_base * (1 - 1e-12))

    spans = expand_banner(REF, list(by))
    cols = [column(None, None, ("Total",), None, base)]
    for span in spans:
        for c in span_columns(REF, span):
            cols.append(column(letter(len(cols) - 1), span, c.labels, c.outer,
                               c.members & base))

    rows = [Row("category" if i < len(REF.var(q)["options"]) else "net", label, codes,
                y=REF.option(q, codes))
            for i, (label, codes) in enumerate(REF.rows(q))]
    if any("value" in o for o in REF.var(q)["options"]):
        x, has = REF.values(q)
        rows.append(Row("mean", "Mean score",
                        [o["code"] for o in REF.var(q)["options"] if "value" in o],
                        x=x, has=has))
    exp = Expected(spans, cols, rows)
    decide(exp, find_tests(exp, q, w, base, compare), correction, level)
    return exp


Found = tuple[tuple, tuple[str, str, str], int, int | None, PairTest]


def find_tests(exp: Expected, q: str, w: np.ndarray, base: np.ndarray,
               compare: str) -> list[Found]:
    """Every test, with the family its p-value is adjusted in: one span of one row."""
    cols = exp.cols

    def z_of(row: Row, a: np.ndarray, b: np.ndarray) -> float | None:
        if row.kind == "mean":
            return mean_z(w, a & row.has, b & row.has, row.x)
        return prop_z(w, a, b, row.y)

    found: list[Found] = []
    for row in exp.rows:
        key = row_key(row, q)
        for span in exp.spans:
            idx = [i for i, c in enumerate(cols) if c.span == span and c.tested]
            if compare == "pairs":
                for i, j in combinations(idx, 2):
                    if cols[i].outer != cols[j].outer:
                        continue  # nested: only pairs within one outer option
                    t = PairTest(z_of(row, cols[i].m, cols[j].m))
                    found.append(((key, span), (key, cols[i].letter, cols[j].letter), i, j, t))
            else:
                for i in idx:
                    other = base if compare == "total" else base & ~cols[i].m
                    t = PairTest(z_of(row, cols[i].m, other))
                    found.append(((key, span), (key, cols[i].letter, compare.capitalize()), i,
                                  None, t))
    return found


def decide(exp: Expected, found: list[Found], correction: str, level: float) -> None:
    """Adjusts each family's p-values, then records the letters and marks they earn."""
    families: dict[tuple, list[PairTest]] = {}
    for fam, *_, t in found:
        if t.z is not None:  # a pair that cannot be tested stays out of the correction
            families.setdefault(fam, []).append(t)
    for live in families.values():
        for t, pa in zip(live, adjust([p_two_sided(t.z) for t in live], correction),
                         strict=True):
            t.p, t.p_adj = p_two_sided(t.z), pa
            t.significant = pa < level
    for _, k, i, j, t in found:
        exp.tests[k] = t
        if not t.significant:
            continue
        key = k[0]
        if j is None:
            exp.vs[(key, i)] = "higher" if t.z > 0 else "lower"
        else:
            hi, lo = (i, j) if t.z > 0 else (j, i)
            exp.sig.setdefault((key, hi), set()).add(exp.cols[lo].letter)


# ---- comparing the JSON with it -----------------------------------------------------------

def check(d: dict, exp: Expected, weighted: bool) -> dict[str, int]:
    """Asserts the whole table; returns how many numbers of each sort were compared."""
    seen = {"tests": 0, "significant": 0, "letters": 0, "marks": 0, "cells": 0}
    check_columns(d, exp)
    check_cells(d, exp, weighted, seen)
    check_tests(d, exp, seen)
    return seen


def check_columns(d: dict, exp: Expected) -> None:
    wt = REF.weights(True)
    assert [s["id"] for s in d["banner"]["spans"]] == exp.spans
    assert len(d["columns"]) == len(exp.cols)
    for jc, c in zip(d["columns"], exp.cols, strict=True):
        where = (jc["label"], c.labels)
        assert jc["letter"] == c.letter and jc["span"] == c.span, where
        if c.letter is None:
            assert jc["label"] == "Total"
        else:
            assert all(lab in jc["label"] for lab in c.labels), where
        assert jc["base"] == c.n, where
        # Σ of the codebook weight, shown whether or not the table is weighted
        assert close(jc["weighted_base"], wt[c.m].sum()), where
        assert close(jc["effective_base"], c.eff), where
        assert jc["low_base"] == (c.n < LOW_BASE), where
        if c.letter is not None:
            assert jc["tested"] is c.tested, where
            assert (jc["not_tested"] is None) is c.tested, where


def check_cells(d: dict, exp: Expected, weighted: bool, seen: dict[str, int]) -> None:
    w = REF.weights(weighted)
    wt = REF.weights(True)
    by_label = {(r["kind"], r["label"]): r for r in d["rows"]}
    assert len(by_label) == len(d["rows"]) == len(exp.rows)
    q = d["question"]["id"]
    for row in exp.rows:
        jr = by_label[(row.kind, row.label)]
        key = row_key(row, q)
        assert jr["key"] == key and jr["codes"] == row.codes, jr["label"]
        for i, (cell, c) in enumerate(zip(jr["cells"], exp.cols, strict=True)):
            where = (row.label, jc_label(d, i))
            if row.kind == "mean":
                m = c.m & row.has
                mean, se = mean_se(w, m, row.x)
                assert cell["count"] == m.sum(), where
                assert close(cell["value"], mean), (where, cell["value"], mean)
                assert close(cell["se"], se), (where, cell["se"], se)
            else:
                hit = c.m & row.y
                assert cell["count"] == hit.sum(), where
                assert close(cell["weighted_count"], wt[hit].sum()), where
                assert close(cell["percent"], 100 * w[hit].sum() / c.wsum), (
                    where, cell["percent"])
            seen["cells"] += 1
            assert set(cell["sig"]) == exp.sig.get((key, i), set()), (where, cell["sig"])
            assert len(cell["sig"]) == len(set(cell["sig"])), where
            assert cell["vs"] == exp.vs.get((key, i)), (where, cell["vs"])
            seen["letters"] += len(cell["sig"])
            seen["marks"] += cell["vs"] is not None


def check_tests(d: dict, exp: Expected, seen: dict[str, int]) -> None:
    got = {(t["row"], *t["columns"]): t for t in d["tests"]}
    assert len(got) == len(d["tests"]), "a test listed twice"
    assert set(got) == set(exp.tests), (sorted(set(got) ^ set(exp.tests))[:10])
    for k, t in exp.tests.items():
        jt = got[k]
        if t.z is None:
            assert jt["tested"] is False and jt["z"] is None and jt["reason"], (k, jt)
            assert not jt["significant"]
            continue
        assert jt["tested"] is True and jt["reason"] is None, (k, jt)
        assert close(jt["z"], t.z, "z"), (k, jt["z"], t.z)
        assert close(jt["p_value"], t.p, "p"), (k, jt["p_value"], t.p)
        assert close(jt["p_adjusted"], t.p_adj, "p"), (k, jt["p_adjusted"], t.p_adj)
        assert jt["significant"] is t.significant, (k, jt, t)
        seen["tests"] += 1
        seen["significant"] += t.significant


def jc_label(d: dict, i: int) -> str:
    return d["columns"][i]["label"]


@dataclass(frozen=True)
class Case:
    q: str
    by: tuple[str, ...]
    weighted: bool = False
    compare: str = "pairs"
    correction: str = "none"
    level: float = 0.05
    filters: tuple[str, ...] = ()
    min_test_base: int = MIN_TEST_BASE

    def args(self) -> list[str]:
        a = [self.q]
        for b in self.by:
            a += ["--by", b]
        if self.weighted:
            a.append("--weighted")
        if self.compare != "pairs":
            a += ["--compare", self.compare]
        if self.correction != "none":
            a += ["--correction", self.correction]
        if self.level != 0.05:
            a += ["--sig-level", str(self.level)]
        for f in self.filters:
            a += ["--filter", f]
        if self.min_test_base != MIN_TEST_BASE:
            a += ["--min-test-base", str(self.min_test_base)]
        return a

    def expected(self) -> Expected:
        return expected(self.q, self.by, self.weighted, self.compare, self.correction,
                        self.level, self.filters, self.min_test_base)


STD = ("standard",)
CASES = {
    "relationship-standard": Case("relationship", STD),
    "relationship-standard-weighted": Case("relationship", STD, weighted=True),
    "words-standard-weighted": Case("words", STD, weighted=True),
    "words-standard": Case("words", STD),
    "relationship-nested-type-in-seniority": Case("relationship",
                                                  ("stakeholder_type/seniority",)),
    "relationship-nested-type-in-seniority-weighted": Case(
        "relationship", ("stakeholder_type/seniority",), weighted=True),
    "relationship-nested-region-in-seniority": Case("relationship", ("region/seniority",)),
    "words-nested-region-in-seniority-weighted": Case("words", ("region/seniority",),
                                                      weighted=True),
    "relationship-nested-beside-span": Case("relationship",
                                            ("hee_team/seniority,stakeholder_type",)),
    # columns of 30 to 36 respondents whose effective base is below 30 (LWABs among
    # Chair/CEO: 36, 27.7), and National body/ALB, 30 respondents of equal weight (30.0)
    "relationship-nested-team-in-seniority-weighted": Case(
        "relationship", ("hee_team/seniority",), weighted=True),
    "relationship-nested-team-in-seniority": Case("relationship", ("hee_team/seniority",)),
    "words-org-type-and-team-in-region-weighted": Case(
        "words", ("org_type,region/hee_team",), weighted=True),
    "relationship-total-weighted": Case("relationship", STD, weighted=True, compare="total"),
    "words-total-weighted": Case("words", STD, weighted=True, compare="total"),
    "relationship-rest-weighted": Case("relationship", STD, weighted=True, compare="rest"),
    "words-rest-weighted": Case("words", STD, weighted=True, compare="rest"),
    "words-rest-weighted-untested-columns": Case("words", ("org_type,region/hee_team",),
                                                 weighted=True, compare="rest"),
    "relationship-total-nested": Case("relationship", ("stakeholder_type/seniority",),
                                      compare="total"),
    "relationship-rest-weighted-filtered": Case("relationship", STD, weighted=True,
                                                compare="rest",
                                                filters=("region=London,national",)),
    "words-standard-min-test-base-100": Case("words", STD, min_test_base=100),
    "relationship-standard-bh": Case("relationship", STD, correction="bh"),
    "words-standard-weighted-bh": Case("words", STD, weighted=True, correction="bh"),
    "words-standard-bonferroni": Case("words", STD, correction="bonferroni"),
    "words-rest-weighted-bh": Case("words", STD, weighted=True, compare="rest",
                                   correction="bh"),
    "relationship-filtered-level": Case("relationship", STD, weighted=True, level=0.1,
                                        filters=("region=London,national",)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_banner_table_equals_reference(name):
    case = CASES[name]
    d = tab_json(*case.args())
    assert d["weighted"] is case.weighted
    seen = check(d, case.expected(), case.weighted)
    assert seen["tests"] >= 20 and seen["cells"] >= 50, seen


def test_the_checks_are_not_vacuous():
    """Across the cases some cells carry letters and marks, and the corrections change
    at least one decision: the comparisons above decide something."""
    totals: dict[str, int] = {}
    for name, case in CASES.items():
        seen = check(tab_json(*case.args()), case.expected(), case.weighted)
        for k, v in seen.items():
            totals[f"{case.compare}:{k}"] = totals.get(f"{case.compare}:{k}", 0) + v
        totals[name] = seen["significant"]
    assert totals["pairs:letters"] > 20
    assert totals["total:marks"] > 5 and totals["rest:marks"] > 5
    assert totals["total:letters"] == totals["rest:letters"] == 0
    assert totals["words-standard-weighted-bh"] < totals["words-standard-weighted"]
    assert totals["words-rest-weighted-bh"] < totals["words-rest-weighted"]
    assert totals["words-standard-bonferroni"] < totals["words-standard"]


def test_standard_banner_bases():
    d = tab_json("relationship", "--by", "standard")
    assert [c["base"] for c in d["columns"]] == [602, 76, 399, 127, 112, 490, 304, 350, 243]
    assert [c["letter"] for c in d["columns"]] == [None, *"ABCDEFGH"]
    assert [c["span"] for c in d["columns"]] == [None] + ["stakeholder_type"] * 3 + [
        "seniority"] * 2 + ["hee_team"] * 3
    assert d["banner"]["id"] == "standard" and d["banner"]["label"] == "Report banner"
    assert d["banner"]["spans"] == [
        {"id": "stakeholder_type", "label": "Stakeholder type"},
        {"id": "seniority", "label": "Seniority"}, {"id": "hee_team", "label": "HEE teams"}]


def test_mean_rows_are_tested():
    """The mean row's tests are among those checked (Don't know excluded)."""
    d = tab_json("relationship", "--by", "standard")
    mean = next(r for r in d["rows"] if r["kind"] == "mean")
    assert 6 not in mean["codes"]
    assert sum(t["row"] == "mean" for t in d["tests"]) == 3 + 1 + 3


def test_nested_columns_order_and_untested_columns():
    """region/seniority: for each seniority (outer) each region (inner); Chair/CEO columns
    are all below 30 respondents, so not tested and in no test."""
    d = tab_json("relationship", "--by", "region/seniority")
    cols = d["columns"][1:]
    assert len(cols) == 16 and [c["letter"] for c in cols] == list("ABCDEFGHIJKLMNOP")
    assert all("Chair/CEO/Executive Director" in c["label"] for c in cols[:8])
    assert all("Other role" in c["label"] for c in cols[8:])
    assert [c["tested"] for c in cols] == [False] * 8 + [True] * 8
    untested = {c["letter"] for c in cols if not c["tested"]}
    assert all(not (set(t["columns"]) & untested) for t in d["tests"])
    assert len({(t["columns"][0], t["columns"][1]) for t in d["tests"]}) == 28  # 8 choose 2


def test_nested_pairs_share_the_outer_option():
    d = tab_json("relationship", "--by", "stakeholder_type/seniority")
    outer = {c["letter"]: c["label"].split(":")[0] for c in d["columns"][1:]}
    letters = [c["letter"] for c in d["columns"][1:]]
    assert letters == list("ABCDEF")
    pairs = {tuple(t["columns"]) for t in d["tests"]}
    assert pairs, d["tests"]
    # A-C share Chair/CEO, D-F share Other role (HEI/Chair columns may be untested)
    assert all(outer[a] == outer[b] for a, b in pairs)
    assert ("D", "E") in pairs and not any({a, b} & set("ABC") and {a, b} & set("DEF")
                                           for a, b in pairs)


def _sig_letters_stay_in_span(d: dict) -> int:
    span_of = {c["letter"]: c["span"] for c in d["columns"]}
    n = 0
    for r in d["rows"]:
        for c, cell in zip(d["columns"], r["cells"], strict=True):
            for s in cell["sig"]:
                assert c["span"] is not None and span_of[s] == c["span"], (r["label"], c, s)
                n += 1
    for t in d["tests"]:
        a, b = t["columns"]
        assert b in ("Total", "Rest") or span_of[a] == span_of[b], t
    return n


@pytest.mark.parametrize("args", [
    ("relationship", "--by", "standard"),
    ("words", "--by", "standard", "--weighted"),
    ("words", "--by", "standard", "--sig-level", "0.3"),
    ("relationship", "--by", "region,seniority,stakeholder_type", "--sig-level", "0.3"),
    ("words", "--by", "region/seniority", "--sig-level", "0.3"),
])
def test_sig_never_names_another_span(args):
    assert _sig_letters_stay_in_span(tab_json(*args)) > 0


def test_span_check_catches_a_foreign_letter():
    """The check above fails on a table where a letter crosses spans (a doctored copy)."""
    d = copy.deepcopy(tab_json("words", "--by", "standard", "--sig-level", "0.3"))
    row, i = next((r, i) for r in d["rows"] for i, cell in enumerate(r["cells"])
                  if cell["sig"] and d["columns"][i]["span"] == "hee_team")
    row["cells"][i]["sig"].append("A")  # HEI, of the stakeholder_type span
    with pytest.raises(AssertionError):
        _sig_letters_stay_in_span(d)


def test_letters_unique_across_spans():
    d = tab_json("words", "--by", "region", "--by", "standard", "--by", "org_type")
    letters = [c["letter"] for c in d["columns"][1:]]
    assert len(letters) == 8 + 8 + 7
    assert len(set(letters)) == len(letters) and letters == [letter(i)
                                                              for i in range(len(letters))]


@pytest.mark.parametrize("extra", [(), ("--weighted",), ("--weighted", "--compare", "rest"),
                                   ("--correction", "bh")])
def test_repeated_by_equals_comma_form(extra):
    spans = ["stakeholder_type", "seniority", "hee_team"]
    comma = tab("words", "--by", ",".join(spans), *extra)
    repeated = tab("words", *(a for s in spans for a in ("--by", s)), *extra)
    assert repeated == comma  # the same output, byte for byte
    named = json.loads(tab("words", "--by", "standard", *extra))
    c = json.loads(comma)
    # the named banner is those spans: only its id and label differ
    assert named["banner"]["spans"] == c["banner"]["spans"]
    for part in ("columns", "rows", "tests"):
        assert named[part] == c[part], part
    # and the comparison can tell banners apart: another order is another table
    other = json.loads(tab("words", "--by", "seniority,stakeholder_type,hee_team", *extra))
    assert other["columns"] != c["columns"] and other["rows"] != c["rows"]


def test_rest_and_total_name_their_comparison():
    for compare, name in (("total", "Total"), ("rest", "Rest")):
        d = tab_json("relationship", "--by", "standard", "--weighted", "--compare", compare)
        assert d["tests"] and {t["columns"][1] for t in d["tests"]} == {name}
        assert all(cell["sig"] == [] for r in d["rows"] for cell in r["cells"])
        assert {cell["vs"] for r in d["rows"] for cell in r["cells"]} <= {None, "higher",
                                                                         "lower"}
