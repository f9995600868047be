"""Tables of a survey with workspace edits checked against respondent masks in numpy: the
edits' meaning is written by each test as masks over the raw data, never through the
engine's conditions, SQL or parsing. Letters: statsmodels' proportions_ztest for disjoint
columns unweighted, the effective-base z-test of tests/reference.py otherwise."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportions_ztest

from reference import mean_z, p_two_sided, prop_z

MIN_TEST_BASE = 30


def is_tested(w: np.ndarray, m: np.ndarray, weighted: bool) -> bool:
    if not weighted:
        return int(m.sum()) >= MIN_TEST_BASE
    sw, sw2 = w[m].sum(), (w[m] ** 2).sum()
    return sw2 > 0 and sw * sw / sw2 >= MIN_TEST_BASE


def pair(w: np.ndarray, a: np.ndarray, b: np.ndarray, y: np.ndarray, weighted: bool,
         overlap: bool) -> tuple[float, bool] | None:
    """(p, a higher) of a proportion's difference between columns a and b, or None."""
    if weighted or overlap:
        z = prop_z(w, a, b, y)
        return None if z is None else (p_two_sided(z), z > 0)
    xa, xb, na, nb = int((a & y).sum()), int((b & y).sum()), int(a.sum()), int(b.sum())
    if xa + xb in (0, na + nb):
        return None
    _, p = proportions_ztest([xa, xb], [na, nb])
    return float(p), xa / na > xb / nb


def letters(w, cols, y, weighted, overlap, test=pair) -> list[set[int]]:
    """For each column of one span, the indices of the columns it is significantly above."""
    out: list[set[int]] = [set() for _ in cols]
    for i, j in combinations(range(len(cols)), 2):
        if not (is_tested(w, cols[i], weighted) and is_tested(w, cols[j], weighted)):
            continue
        found = test(w, cols[i], cols[j], y, weighted, overlap)
        if found is not None and found[0] < 0.05:
            hi, lo = (i, j) if found[1] else (j, i)
            out[hi].add(lo)
    return out


def mean_pair(x: np.ndarray, has: np.ndarray):
    def test(w, a, b, _y, _weighted, _overlap):
        z = mean_z(w, a & has, b & has, x)
        return None if z is None else (p_two_sided(z), z > 0)
    return test


def check(ct, weight: np.ndarray, base: np.ndarray,
          spans: list[tuple[str, list[tuple[int, np.ndarray]]]],
          rows: list[tuple[str, np.ndarray]], weighted: bool, overlap: bool = False,
          mean: tuple[np.ndarray, np.ndarray] | None = None) -> int:
    """The table against the masks: columns (Total, then each span's answers by code),
    bases, the category and net rows in order with their counts, percents and letters,
    and the mean (scores ``x`` of respondents ``has``); returns how many letters it has.
    ``weight``: the survey's weight per respondent (its Σw is every column's weighted
    base, weighted or not)."""
    w = weight if weighted else np.ones(len(weight))
    members = [base] + [base & m for _, ms in spans for _, m in ms]
    assert [c.key for c in ct.columns] == ["total"] + [f"{s}={c}" for s, ms in spans
                                                       for c, _ in ms]
    for c, m in zip(ct.columns, members, strict=True):
        assert c.base == int(m.sum()), c.key
        assert c.weighted_base == pytest.approx(weight[m].sum())  # Σw, weighted or not
        if c.letter:
            assert c.tested == is_tested(w, m, weighted), c.key
    shown = [r for r in ct.rows if r.kind in ("category", "net")]
    assert [r.label for r in shown] == [label for label, _ in rows]
    found = 0
    for r, (_, y) in zip(shown, rows, strict=True):
        for c, m in zip(r.cells, members, strict=True):
            assert c.count == int((m & y).sum()), r.label
            if w[m].sum() == 0:  # a column no one is in has no percent
                assert c.percent is None, r.label
                continue
            assert c.percent == pytest.approx(100 * w[m & y].sum() / w[m].sum()), r.label
        found += _check_letters(ct, r, spans, base, w, y, weighted, overlap, pair)
    if mean is not None:
        x, has = mean
        r = next(r for r in ct.rows if r.kind == "mean")
        for c, m in zip(r.cells, members, strict=True):
            assert c.count == int((m & has).sum())  # the mean's own base
            assert c.value == pytest.approx((w * x)[m & has].sum() / w[m & has].sum())
        found += _check_letters(ct, r, spans, base, w, has, weighted, overlap,
                                mean_pair(x, has))
    return found


def _check_letters(ct, r, spans, base, w, y, weighted, overlap, test) -> int:
    at = 1
    found = 0
    for _, ms in spans:
        cols = [base & m for _, m in ms]
        want = letters(w, cols, y, weighted, overlap, test)
        heads = ct.columns[at:at + len(ms)]
        got = [set(c.sig) for c in r.cells[at:at + len(ms)]]
        assert got == [{heads[j].letter for j in s} for s in want], r.label
        found += sum(len(s) for s in want)
        at += len(ms)
    return found


