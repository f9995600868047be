"""Derived variables grouped by the stored columns they read (engine.crosstab's two-level
pass) give the tables their CASE expression gives, evaluated for each respondent.

Random derived variables (single-choice and multi-response, first match, each match and
'else', conditions over single-choice and multi-response answers, with and without a
numeric variable's values, which cannot be grouped by) on a random bundle; each is
tabulated as a banner span (alone, beside a stored one, nested either way) and as the
question, weighted and unweighted, filtered and not, by the two-level pass and by the
CASE (the same survey with no derived variable tabled), and the two tables compared.
Column bases are also counted straight from the raw data, each respondent's derived
answer worked out here in Python."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from heetui.engine import crosstab as crosstab_module
from heetui.engine.banner import resolve_banner
from heetui.engine.crosstab import TabRequest, crosstab, grouped_sql
from heetui.engine.filters import Filter
from heetui.engine.grid import table as grid_table
from heetui.engine.session import Survey, open_survey
from heetui.engine.shaping import filter_conditions
from heetui.engine.sql import Clause
from heetui.engine.survey_wide import crosstabs
from heetui.output.tables import to_json
from heetui.survey.write import write_bundle
from helpers import make_bundle, single

N = 400
SINGLES = {"a": 3, "b": 5, "c": 2}  # single-choice variables and their codes 1..k
MULTI = ("m", 4)  # a multi-response variable of 4 options (m_1..m_4)


def _bundle(path: Path) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    cols: dict[str, Any] = {"respondent_id": np.arange(1, N + 1, dtype=np.uint32)}
    for v, k in SINGLES.items():
        x = rng.integers(1, k + 1, N).astype(float)
        x[rng.random(N) < 0.1] = np.nan  # some respondents did not answer
        cols[v] = pl.Series(v, x).cast(pl.UInt8, strict=False)
    asked = rng.random(N) > 0.1
    for c in range(1, MULTI[1] + 1):
        chosen = (rng.random(N) < 0.4).astype(np.uint8)
        cols[f"m_{c}"] = pl.Series(f"m_{c}", [int(x) if ok else None
                                              for x, ok in zip(chosen, asked, strict=True)],
                                   dtype=pl.UInt8)
    cols["age"] = pl.Series("age", rng.integers(18, 80, N).astype(float))
    cols["q"] = pl.Series("q", rng.integers(1, 5, N), dtype=pl.UInt8)
    cols["w"] = pl.Series("w", rng.uniform(0.2, 3.0, N))
    frame = pl.DataFrame(cols)
    options = lambda k: [{"code": c, "label": f"o{c}"} for c in range(1, k + 1)]  # noqa: E731
    variables = [{"id": v, "type": "single", "text": v, "options": options(k)}
                 for v, k in SINGLES.items()]
    variables += [{"id": MULTI[0], "type": "multi", "text": "m", "options": options(MULTI[1])},
                  {"id": "age", "type": "numeric", "text": "age"},
                  {"id": "q", "type": "single", "text": "q", "options": options(4)}]
    codebook = {"survey": {"title": "derived", "weight": "w"}, "questions": variables}
    write_bundle(path, codebook, frame)
    return frame


def _condition(rng: random.Random, numeric: bool) -> tuple[str, Any]:
    """A condition's text and a function of one respondent's row that says if it holds."""
    parts: list[tuple[str, Any]] = []
    for v in rng.sample([*SINGLES, "m"], rng.randint(1, 2)):
        k = SINGLES.get(v, MULTI[1])
        codes = sorted(rng.sample(range(1, k + 1), rng.randint(1, min(2, k))))
        text = f"{v}={','.join(map(str, codes))}"
        if v == "m":
            parts.append((text, lambda r, cs=codes: any(r[f"m_{c}"] == 1 for c in cs)))
        else:
            parts.append((text, lambda r, v=v, cs=codes: r[v] in cs))
    if numeric:
        parts.append(("age>=50", lambda r: r["age"] >= 50))
    return " & ".join(t for t, _ in parts), lambda r: all(f(r) for _, f in parts)


def _definition(seed: int) -> tuple[str, bool, list[tuple[str, Any]]]:
    """A random derived variable: its type, and each answer's condition (None: else)."""
    rng = random.Random(seed)
    multi = rng.random() < 0.35
    numeric = seed % 7 == 3  # now and then a value condition, which keeps the CASE
    answers = [_condition(rng, numeric and k == 0) for k in range(rng.randint(1, 3))]
    if rng.random() < 0.5:
        answers.append(("else", None))
    return ("multi" if multi else "single"), numeric, answers


def _workspace(path: Path, kind: str, answers: list[tuple[str, Any]]) -> Path:
    rows = ",\n".join(f'  {{label = "d{k}", when = "{text}"}}'
                      for k, (text, _) in enumerate(answers, 1))
    path.write_text(f'[derived.d]\ntype = "{kind}"\nanswers = [\n{rows},\n]\n')
    return path


def _codes(frame: pl.DataFrame, kind: str, answers: list[tuple[str, Any]]
           ) -> list[set[int]]:
    """Each respondent's derived answers, by the rules written out here: single-choice,
    the first whose condition holds; multi-response, every one; 'else', when none does."""
    out = []
    for r in frame.iter_rows(named=True):
        held = [k for k, (_, f) in enumerate(answers, 1) if f is not None and f(r)]
        if not held and answers[-1][1] is None:
            held = [len(answers)]
        out.append(set(held[:1]) if kind == "single" else set(held))
    return out


def _same(x: Any, y: Any) -> bool:
    """Equal, floats to 1e-9 (the two passes add weights in another order)."""
    if isinstance(x, float) and isinstance(y, float):
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) or (x != x and y != y)
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(_same(u, v) for u, v in zip(x, y, strict=True))
    return bool(x == y)


def _two_level(survey: Survey, req: TabRequest) -> bool:
    cb = survey.codebook
    b = resolve_banner(cb, req.banner) if req.banner else None
    sql = grouped_sql(survey, cb.get(req.question), b, req.filters).sql
    return "__s0" in sql or "AS sw2" in sql


REQUESTS = [("q", "d"), ("q", "d,a"), ("q", "a,d"), ("q", "d/a"), ("q", "m/d"),
            ("m", "d"), ("age", "d"), ("d", "a"), ("d", None), ("d", "m")]


@pytest.mark.parametrize("seed", range(24))
def test_two_level_pass_equals_case(tmp_path: Path, seed: int,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    packed_too = seed % 2 == 1  # a packed question's slices in two levels (large surveys')
    if packed_too:
        monkeypatch.setattr(crosstab_module, "PERFECT_HASH_RESPONDENTS", 0)
    frame = _bundle(tmp_path / "b")
    kind, numeric, answers = _definition(seed)
    ws = _workspace(tmp_path / "ws.toml", kind, answers)
    fast = open_survey(tmp_path / "b", workspace=ws)
    case = open_survey(tmp_path / "b", workspace=ws)
    assert not fast.workspace_problems
    case.tabled = {}  # every derived variable by its CASE, respondent by respondent
    assert bool(fast.tabled["d"].sources) is not numeric  # a value: no grouping by sources
    for question, banner in REQUESTS:
        if question == "d" and kind == "multi" and banner is None:
            continue
        # a filter on d: its answers' conditions (shaping.filter_sql); the later answers'
        # hold where no earlier one does; an 'else' among them keeps the CASE
        later = tuple(range(2, len(answers) + 1)) or (1,)
        for filters in ((), (Filter("c", (1,)),), (Filter("d", (1,)),), (Filter("d", later),)):
            for weighted in (False, True):
                req = TabRequest(question, banner, filters, weighted=weighted)
                # a packed multi-response question's pass keeps the CASE below two million
                # respondents (see grouped_sql)
                assert _two_level(fast, req) is (not numeric and (
                    question != "m" or packed_too and bool(banner and "d" in banner)))
                assert not _two_level(case, req)
                got, want = to_json(crosstab(fast, req)), to_json(crosstab(case, req))
                assert _same(got["columns"], want["columns"]), req
                assert _same(got["rows"], want["rows"]), req
    # the bases of the derived columns, counted from the raw data
    ct = crosstab(fast, TabRequest("q", "d"))
    held = _codes(frame, kind, answers)
    answered = frame["q"].is_not_null().to_list()
    for k in range(1, len(answers) + 1):
        col = next(c for c in ct.columns if c.key == f"d={k}")
        assert col.base == sum(1 for h, ok in zip(held, answered, strict=True)
                               if ok and k in h)
    fast.close()
    case.close()


def test_each_query_selects_the_derived_columns_it_reads(tmp_path: Path) -> None:
    """The respondents' table of a query holds only the derived columns it names and those
    they read (a derived variable of a derived one), never every one; the tables agree."""
    frame = _bundle(tmp_path / "b")
    ws = tmp_path / "ws.toml"
    ws.write_text('[derived.d]\nanswers = [{label = "x", when = "a=1"}, '
                  '{label = "y", when = "else"}]\n'
                  '[derived.e]\nanswers = [{label = "x", when = "d=1 & b=2"}, '
                  '{label = "y", when = "b=3"}]\n'
                  '[derived.f]\nanswers = [{label = "big", when = "age>=50"}]\n')
    survey = open_survey(tmp_path / "b", workspace=ws)
    assert not survey.workspace_problems
    # e reads a derived variable; f a value: not grouped by its sources
    assert set(survey.tabled) == {"d", "f"} and not survey.tabled["f"].sources
    table = survey.resolve
    plain = table(Clause('SELECT COUNT(*) FROM respondents WHERE "a" = 1', [])).sql
    assert '"d"' not in plain and '"f"' not in plain and "SELECT *" not in plain
    of_e = table(Clause('SELECT "e" FROM respondents', [])).sql
    assert 'AS "d"' in of_e and 'AS "e"' in of_e and 'AS "f"' not in of_e
    rows = frame.to_dicts()
    d = [1 if r["a"] == 1 else 2 for r in rows]
    e = [1 if dd == 1 and r["b"] == 2 else 2 if r["b"] == 3 else None
         for dd, r in zip(d, rows, strict=True)]
    ct = crosstab(survey, TabRequest("q", "e", (Filter("f", (1,)),)))
    for code in (1, 2):
        col = next(c for c in ct.columns if c.key == f"e={code}")
        assert col.base == sum(1 for x, r in zip(e, rows, strict=True)
                               if x == code and r["q"] is not None and r["age"] >= 50)
    survey.close()


def test_books_and_grids_filtered_by_a_derived_variable_equal_its_case(
        tmp_path: Path) -> None:
    """A filter on a derived variable over stored columns is written as its answers'
    conditions (shaping.filter_sql) in a book's batched scans, a grid's joint pass and a
    profile's group too: their tables equal those of the same survey filtering by the
    CASE."""
    rng = np.random.default_rng(11)
    n = 300
    data: dict[str, list[Any]] = {
        "a": rng.integers(1, 4, n).tolist(), "b": rng.integers(1, 6, n).tolist(),
        "q": rng.integers(1, 5, n).tolist(), "w": rng.uniform(0.3, 2.5, n).tolist()}
    for i in (1, 2, 3):
        data[f"g_{i}"] = [None if x == 5 else int(x) for x in rng.integers(1, 6, n)]
    grid = {"id": "g", "type": "grid", "text": "g", "role": "question",
            "options": [{"code": c, "label": f"s{c}", "value": float(c)} for c in range(1, 5)],
            "items": ["g_1", "g_2", "g_3"]}
    path = make_bundle(tmp_path / "b", [single("a", ["x", "y", "z"], "segment"),
                                        single("b", list("vwxyz")), single("q", list("abcd")),
                                        grid], data, weight="w")
    ws = tmp_path / "ws.toml"
    ws.write_text('[derived.d]\nanswers = [{label = "one", when = "a=1 & b=2,3"}, '
                  '{label = "two", when = "b=1,2"}, {label = "rest", when = "else"}]\n')
    fast, case = open_survey(path, workspace=ws), open_survey(path, workspace=ws)
    case.tabled = {}
    for codes in ((1,), (2,), (1, 2), (3,), (2, 3)):
        f = (Filter("d", codes),)
        written = filter_conditions(fast.codebook, fast.tabled, f)[0].sql
        assert ('"d"' in written) is (3 in codes)  # 'else' keeps the CASE
        for weighted in (False, True):
            g = TabRequest("g", None, f, weighted=weighted)
            assert _same(to_json(grid_table(fast, g)), to_json(grid_table(case, g)))
            req = TabRequest("g", "a", f, weighted=weighted)
            got = [to_json(ct) for ct in crosstabs(fast, req, ["q", "b", "g_1"])]
            want = [to_json(ct) for ct in crosstabs(case, req, ["q", "b", "g_1"])]
            assert _same(got, want)
            for against in ("rest", "total"):  # a profile of the group d = codes
                prof = TabRequest("q", group=f, against=against, weighted=weighted)
                assert _same(to_json(crosstab(fast, prof)), to_json(crosstab(case, prof)))
    fast.close()
    case.close()


def test_groups_sharing_a_key_and_an_answer_are_added_up() -> None:
    """A two-level pass returns a row per group of its first level: crosstab._merged adds
    up the rows of one banner key and answer (a numeric answer by its exact value), each
    where the first of them was, and leaves rows that share none as they are."""
    from heetui.engine.crosstab import _merged

    rows = np.array([[0, 2, 1, 1.5, 2.25], [0, 1, 2, 2.0, 4.0], [0, 2, 3, 0.5, 0.25],
                     [0, 0.1, 1, 1.0, 1.0], [0, 2, 4, 4.0, 16.0], [0, 0.1 + 1e-15, 1, 1, 1],
                     [0, 0.1, 2, 3.0, 3.0]])
    bkey = np.array([5, 5, 5, 5, 6, 5, 5], dtype=np.int64)
    values, keys = _merged(rows, bkey)
    assert keys.tolist() == [5, 5, 5, 6, 5]  # 0.1 and 0.1 + 1e-15: two answers
    assert values.tolist() == [[0, 2, 4, 2.0, 2.5], [0, 1, 2, 2.0, 4.0], [0, 0.1, 3, 4.0, 4.0],
                               [0, 2, 4, 4.0, 16.0], [0, 0.1 + 1e-15, 1, 1, 1]]
    unique = rows[[0, 1, 3, 4]]
    same, same_keys = _merged(unique, bkey[[0, 1, 3, 4]])
    assert same is unique and same_keys.tolist() == [5, 5, 5, 6]
    empty, none = _merged(np.zeros(0), np.zeros(0, dtype=np.int64))
    assert len(empty) == 0 and len(none) == 0
