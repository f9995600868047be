"""Weights computed to targets: the workspace's ``[weight.NAME]`` entries read, checked,
computed from one grouped scan (engine.raking) and written beside the survey's data.

Targets are shares (``unit = "percent"``, the default: the weights average 1) or counts
(``unit = "count"``: the weights sum to them) of each answer of single-choice variables
(stored, derived or a numeric question's bands). Every respondent must answer every
weighting variable: one without an answer is refused in one sentence, which suggests a
derived variable with a "Not stated" answer (its ``else``) given its own target.

The weight is stored as a one-column Parquet file in the user's data folder, named by a
digest of its definition and of the data it was computed from (so a change of targets or
data computes it again), and joined to the respondents by position; the survey's own
files are never written.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from platformdirs import user_data_path

from heetui.engine.lookup import categories, match_answer
from heetui.engine.raking import Cells, Spread, cell_weights, margins, rake, spread
from heetui.engine.sql import column_sql, ident
from heetui.errors import EngineError
from heetui.sqltext import path_literal
from heetui.survey.codebook import Codebook, Variable

METHODS = ("rim", "cell")
UNITS = ("percent", "count")
MAX_GAP = 0.005  # default: a weighted share may end this far (half a point) from its target
SHARE_SLACK = 1e-6  # percent targets of a variable must sum to 100 within this (as a share)
LOOKUP_CELLS = 1 << 20  # a list of cell factors up to this many slots is read by index


@dataclass(frozen=True)
class WeightDef:
    """One ``[weight.NAME]`` entry, resolved against the codebook. ``targets``: per
    variable, the target of each answer code (rim); for cell weighting one "variable",
    the cells, keyed by the tuple of codes written as "c1/c2/…"."""

    name: str
    label: str
    method: str
    variables: tuple[str, ...]
    targets: dict[str, dict[str, float]]
    unit: str = "percent"
    start: str | None = None
    low: float | None = None
    high: float | None = None
    tolerance: float = 1e-10
    max_iterations: int = 1000
    within: str | None = None
    max_gap: float = MAX_GAP  # caps may keep shares from their targets by at most this
    groups: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    group_totals: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportRow:
    variable: str
    code: int
    label: str
    target: float  # share of the total (0-1)
    count: int
    share: float  # unweighted
    weighted: float  # weighted respondents (in the weight's unit)
    weighted_share: float
    group: str = ""  # the group's label, weighting within groups


@dataclass(frozen=True)
class WeightReport:
    name: str
    label: str
    method: str
    unit: str
    iterations: int
    converged: bool
    spread: Spread
    capped_low: int
    capped_high: int
    rows: tuple[ReportRow, ...]
    largest_gap: float  # the largest |weighted share − target| over every answer

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["spread"]["ratio"] = self.spread.ratio
        return d


# ---- reading the entries --------------------------------------------------------------------

def parse_weight(cb: Codebook, name: str, entry: dict[str, Any]) -> WeightDef:
    """A ``[weight.NAME]`` entry checked against the codebook; every mistake is one
    sentence (an EngineError)."""
    method = entry.get("method", "rim")
    if method not in METHODS:
        raise EngineError(f"its method must be rim or cell, not {method!r}.")
    unit = entry.get("unit", "percent")
    if unit not in UNITS:
        raise EngineError(f"its unit must be percent or count, not {unit!r}.")
    start = entry.get("start")
    if start is not None and not isinstance(start, str):
        raise EngineError("its starting weight must be the name of a weight in quotes.")
    low, high = _cap(entry.get("min"), "min"), _cap(entry.get("max"), "max")
    if low is not None and high is not None and low >= high:
        raise EngineError("its min must be below its max.")
    if high is not None and high <= 1 or low is not None and low >= 1:
        raise EngineError("its caps must allow the mean weight 1: min below 1, max above 1.")
    tolerance = entry.get("tolerance", 1e-10)
    iterations = entry.get("max_iterations", 1000)
    if not isinstance(tolerance, int | float) or not 0 < tolerance < 1:
        raise EngineError("its tolerance must be a number between 0 and 1.")
    if not isinstance(iterations, int) or isinstance(iterations, bool) or iterations < 1:
        raise EngineError("its max_iterations must be a whole number of at least 1.")
    within = entry.get("within")
    gap = entry.get("max_gap", MAX_GAP * 100)
    if isinstance(gap, bool) or not isinstance(gap, int | float) or not 0 <= gap <= 100:
        raise EngineError("its max_gap must be percentage points between 0 and 100.")
    base = dict(name=name, label=str(entry.get("label") or name), method=method, unit=unit,
                start=start, low=low, high=high, tolerance=float(tolerance),
                max_iterations=iterations, max_gap=float(gap) / 100)
    if method == "cell":
        variables, cells = _cells(cb, entry)
        return WeightDef(variables=variables, targets={"cell": cells}, **base)
    if within is not None:
        g = _variable(cb, within)
        groups_in = entry.get("groups")
        if not isinstance(groups_in, dict) or not groups_in:
            raise EngineError(f"weighting within {g.id} needs [weight.{name}.groups.ANSWER] "
                              "tables of targets, one for each answer of it.")
        groups: dict[str, dict[str, dict[str, float]]] = {}
        totals: dict[str, float] = {}
        for answer, table in groups_in.items():
            code = _code(g, answer)
            if not isinstance(table, dict):
                raise EngineError(f"the group {answer!r} must be a table of targets.")
            rest = {k: v for k, v in table.items() if k != "total"}
            if "total" in table:
                totals[str(code)] = _number(table["total"], f"the total of group {answer!r}")
            groups[str(code)] = _rim_targets(cb, rest, unit)
        variables = tuple(sorted({v for t in groups.values() for v in t}))
        return WeightDef(variables=variables, targets={}, within=g.id, groups=groups,
                         group_totals=totals, **base)
    targets = _rim_targets(cb, entry.get("targets"), unit)
    return WeightDef(variables=tuple(targets), targets=targets, **base)


def _cap(x: object, what: str) -> float | None:
    if x is None:
        return None
    return _number(x, f"its {what} weight", positive=True)


def _number(x: object, what: str, positive: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x) or \
            x < 0 or positive and x == 0:
        raise EngineError(f"{what} must be a {'positive' if positive else 'non-negative'} "
                          "number.")
    return float(x)


def _variable(cb: Codebook, name: object) -> Variable:
    v = cb.find(str(name)) if isinstance(name, str) else None
    if v is None:
        raise EngineError(f"{name!r} is not a variable of the survey.")
    v = categories(v)
    if v.type != "single":
        raise EngineError(f"{v.id} is {v.type}; weighting takes single-choice variables "
                          "(or a numeric one's bands).")
    return v


def _code(v: Variable, answer: object) -> int:
    found = match_answer(v, str(answer)) if isinstance(answer, str | int) else None
    if found is None or len(found) != 1:
        raise EngineError(f"{answer!r} is not an answer of {v.id}.")
    return found[0]


def _rim_targets(cb: Codebook, given: object, unit: str) -> dict[str, dict[str, float]]:
    if not isinstance(given, dict) or not given:
        raise EngineError("it needs targets: [weight.NAME.targets] with a table of answer = "
                          "target for each weighting variable.")
    out: dict[str, dict[str, float]] = {}
    for var, table in given.items():
        v = _variable(cb, var)
        if not isinstance(table, dict) or not table:
            raise EngineError(f"the targets of {v.id} must be a table of answer = target.")
        if v.id in out:
            raise EngineError(f"{v.id} is given targets twice.")
        out[v.id] = {}
        for a, t in table.items():
            code = str(_code(v, a))
            if code in out[v.id]:
                raise EngineError(f"{v.id}={a} is given a target twice.")
            out[v.id][code] = _number(t, f"the target of {v.id}={a}")
    sums = {var: sum(t.values()) for var, t in out.items()}
    for var, s in sums.items():
        if unit == "percent" and abs(s - 100) > 100 * SHARE_SLACK:
            raise EngineError(f"the targets of {var} sum to {s:g}%, not 100%.")
    if unit == "count" and max(sums.values()) - min(sums.values()) > 1e-6 * max(sums.values()):
        listed = ", ".join(f"{var} {s:g}" for var, s in sums.items())
        raise EngineError(f"its count targets give different totals ({listed}); each "
                          "variable's targets must sum to the same total.")
    return out


def _cells(cb: Codebook, entry: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, float]]:
    names = entry.get("variables")
    if not isinstance(names, list) or not names:
        raise EngineError("cell weighting needs its variables: variables = [\"a\", \"b\"].")
    vs = [_variable(cb, n) for n in names]
    given = entry.get("cells")
    if not isinstance(given, list) or not given:
        raise EngineError("cell weighting needs its cells: cells = [{answers = [...], "
                          "target = ...}].")
    cells: dict[str, float] = {}
    for c in given:
        answers = c.get("answers") if isinstance(c, dict) else None
        if not isinstance(answers, list) or len(answers) != len(vs):
            raise EngineError(f"each cell needs one answer of each of {', '.join(names)} and "
                              "a target.")
        key = "/".join(str(_code(v, a)) for v, a in zip(vs, answers, strict=True))
        cells[key] = _number(c.get("target"), f"the target of cell {answers}")
    unit = entry.get("unit", "percent")
    total = sum(cells.values())
    if unit == "percent" and abs(total - 100) > 100 * SHARE_SLACK:
        raise EngineError(f"the cells' targets sum to {total:g}%, not 100%.")
    return tuple(v.id for v in vs), cells


# ---- computing -----------------------------------------------------------------------------

Query = Callable[[str], list[tuple[Any, ...]]]  # the result's rows (a few: cells)


@dataclass(frozen=True)
class _Scan:
    keys: list[np.ndarray]  # each variable's codes per cell (then the group's)
    count: np.ndarray
    start: np.ndarray  # the cell's mean starting weight (its own, split by start value)


def _scan(cb: Codebook, d: WeightDef, query: Query, by_start: bool) -> _Scan:
    """The cells: one grouped scan of the weighting variables' codes (respondents without
    an answer, or with a missing or negative starting weight, are counted to be refused)."""
    vs = [categories(cb.get(v)) for v in d.variables] + (
        [categories(cb.get(d.within))] if d.within else [])
    start = f"CAST({ident(d.start)} AS DOUBLE)" if d.start else None
    cols = [f"{column_sql(v)} AS k{i}" for i, v in enumerate(vs)]
    group = [f"k{i}" for i in range(len(vs))] + (["s"] if by_start else [])
    if by_start:
        cols.append(f"{start} AS s")
    sums = (f"SUM({start}), COUNT(*) FILTER (WHERE {start} IS NULL OR isnan({start}) OR "
            f"{start} < 0)") if start else "COUNT(*), 0"
    rows = query(f"SELECT {', '.join(cols)}, COUNT(*), {sums} FROM respondents "
                 f"GROUP BY {', '.join(group)}")
    k = len(vs)
    for i, v in enumerate(vs):
        missing = sum(r[-3] for r in rows if r[i] is None)
        if missing:
            raise EngineError(f"{missing:,} respondents have no answer to {v.id}; weighting "
                              "needs one from everyone: give them a target with a derived "
                              "variable (its last answer \"else\" = Not stated).")
    bad = sum(r[-1] for r in rows)
    if bad:
        raise EngineError(f"the starting weight {d.start} is missing or negative for "
                          f"{bad:,} respondents.")
    count = np.array([r[-3] for r in rows], dtype=np.float64)
    total = np.array([r[-2] for r in rows], dtype=np.float64)
    mean = np.divide(total, count, out=np.zeros_like(count), where=count > 0)
    keys = [np.array([r[i] for r in rows], dtype=np.int64) for i in range(k)]
    return _Scan(keys, count, mean)


def compute(cb: Codebook, d: WeightDef, query: Query) -> tuple[_Scan, np.ndarray,
                                                                WeightReport]:
    """Each cell's weight (a respondent's, in the weight's unit) and the report."""
    by_start = d.start is not None and (d.low is not None or d.high is not None)
    scan = _scan(cb, d, query, by_start)
    if d.method == "cell":
        weight, iterations, converged = _cell(cb, d, scan), 1, True
    elif d.within:
        weight, iterations, converged = _within(cb, d, scan)
    else:
        fitted = _rim(cb, d, scan, d.targets, np.ones(len(scan.count), dtype=bool))
        weight, iterations, converged = fitted
    if not converged:
        raise EngineError(f"the weight {d.name} did not converge in {d.max_iterations} "
                          "iterations; its targets (or caps) may contradict each other.")
    scale = _unit_scale(d, scan)
    weight = weight * scale
    report = _report(cb, d, scan, weight, iterations, converged)
    if report.largest_gap > d.max_gap + SHARE_SLACK:
        worst = max(report.rows, key=lambda r: abs(r.weighted_share - r.target))
        where = (f"{100 * report.largest_gap:.1f} points from their targets ({worst.variable}="
                 f"{worst.label}: {100 * worst.weighted_share:.1f}% for "
                 f"{100 * worst.target:.1f}%)")
        if d.low is None and d.high is None:
            raise EngineError(f"its targets contradict each other (answers that never occur "
                              f"together?): weighted shares stay up to {where}.")
        raise EngineError(f"its caps keep weighted shares up to {where}; widen the caps, or "
                          "allow it with max_gap (points).")
    return scan, weight, report


def _answers(cb: Codebook, var: str) -> list[int]:
    return [o.code for o in categories(cb.get(var)).options]


def _index(codes: np.ndarray, answers: list[int], var: str) -> np.ndarray:
    lookup = {c: i for i, c in enumerate(answers)}
    try:
        return np.array([lookup[int(c)] for c in codes], dtype=np.int64)
    except KeyError as e:
        raise EngineError(f"{var} holds the code {e.args[0]}, which its codebook does not "
                          "list; it cannot be weighted.") from None


def _rim(cb: Codebook, d: WeightDef, scan: _Scan, targets: dict[str, dict[str, float]],
         rows: np.ndarray) -> tuple[np.ndarray, int, bool]:
    shares, codes = [], []
    for i, var in enumerate(d.variables):
        if var not in targets:
            continue
        answers = _answers(cb, var)
        idx = _index(scan.keys[i][rows], answers, var)
        t = np.array([targets[var].get(str(c), 0.0) for c in answers])
        have = np.bincount(idx, weights=scan.count[rows], minlength=len(answers))
        for c, tc, h in zip(answers, t, have, strict=True):
            label = categories(cb.get(var)).option(c).label
            if tc > 0 and h == 0:
                raise EngineError(f"{var}={label} has a target but no respondents; that "
                                  "target cannot be met.")
            if h > 0 and str(c) not in targets[var]:
                raise EngineError(f"{var}={label} has respondents but no target; give it one "
                                  "(0 leaves them out of the weighted results).")
        shares.append(t / t.sum())
        codes.append(idx)
    cells = Cells(codes, scan.count[rows], scan.start[rows])
    fitted = rake(cells, shares, d.low, d.high, d.tolerance, d.max_iterations)
    return fitted.weight, fitted.iterations, fitted.converged


def _within(cb: Codebook, d: WeightDef, scan: _Scan) -> tuple[np.ndarray, int, bool]:
    group = scan.keys[len(d.variables)]
    weight = np.zeros(len(scan.count))
    n = scan.count.sum()
    held = {str(c) for c in np.unique(group)}
    gv = categories(cb.get(d.within or ""))
    for code in held - set(d.groups):
        raise EngineError(f"the group {gv.option(int(code)).label} of {gv.id} has "
                          "respondents but no targets.")
    totals = _group_totals(d, scan, group, held)
    iterations, converged = 0, True
    for code in sorted(held):
        rows = group == int(code)
        w, it, ok = _rim(cb, d, scan, d.groups[code], rows)
        weight[rows] = w * totals[code] * n / scan.count[rows].sum()
        iterations, converged = max(iterations, it), converged and ok
    return weight, iterations, converged


def _group_totals(d: WeightDef, scan: _Scan, group: np.ndarray, held: set[str]
                  ) -> dict[str, float]:
    """Each group's share of the weighted total: as given (all groups or none), else its
    share of the starting weights."""
    start_mass = {c: float((scan.count * scan.start)[group == int(c)].sum()) for c in held}
    if not d.group_totals:
        s = sum(start_mass.values())
        return {c: m / s for c, m in start_mass.items()}
    missing = held - set(d.group_totals)
    if missing:
        raise EngineError("give every group a total, or none of them.")
    s = sum(d.group_totals[c] for c in held)
    return {c: d.group_totals[c] / s for c in held}


def _cell(cb: Codebook, d: WeightDef, scan: _Scan) -> np.ndarray:
    keys = ["/".join(str(int(k[i])) for k in scan.keys) for i in range(len(scan.count))]
    order = sorted(set(keys) | set(d.targets["cell"]))
    for key in order:
        held = key in keys
        target = d.targets["cell"].get(key)
        labels = " & ".join(f"{v}={categories(cb.get(v)).option(int(c)).label}"
                            for v, c in zip(d.variables, key.split("/"), strict=True))
        if held and target is None:
            raise EngineError(f"the cell {labels} has respondents but no target.")
        if not held and target:
            raise EngineError(f"the cell {labels} has a target but no respondents; that "
                              "target cannot be met.")
    cell_of = {k: i for i, k in enumerate(order)}
    t = np.array([d.targets["cell"].get(k, 0.0) for k in order])
    cells = Cells([np.array([cell_of[k] for k in keys], dtype=np.int64)], scan.count,
                  scan.start)
    return cell_weights(cells, t / t.sum())


def _unit_scale(d: WeightDef, scan: _Scan) -> float:
    """The weights average 1 (percent targets), or sum to the count targets."""
    if d.unit == "percent":
        return 1.0
    if d.method == "cell":
        total = sum(d.targets["cell"].values())
    elif d.within:
        # each group's count targets sum to its size (any one variable's: they agree)
        total = sum(d.group_totals.values()) if d.group_totals else sum(
            sum(next(iter(g.values())).values()) for g in d.groups.values())
    else:
        total = sum(next(iter(d.targets.values())).values())
    return float(total / scan.count.sum())


def _report(cb: Codebook, d: WeightDef, scan: _Scan, weight: np.ndarray, iterations: int,
            converged: bool) -> WeightReport:
    n = scan.count.sum()
    total = float((scan.count * weight).sum())
    rows: list[ReportRow] = []
    groups: list[tuple[str, np.ndarray, dict[str, dict[str, float]]]] = []
    if d.within:
        gv = categories(cb.get(d.within))
        gk = scan.keys[len(d.variables)]
        for code, targets in d.groups.items():
            sel = gk == int(code)
            groups.append((gv.option(int(code)).label, sel, targets))
    elif d.method == "rim":
        groups.append(("", np.ones(len(weight), dtype=bool), d.targets))
    else:
        rows += _cell_rows(cb, d, scan, weight)
    for label, sel, targets in groups:
        g_n = scan.count[sel].sum()
        g_w = float((scan.count * weight)[sel].sum())
        for i, var in enumerate(d.variables):
            if var not in targets:
                continue
            answers = _answers(cb, var)
            idx = _index(scan.keys[i][sel], answers, var)
            have = np.bincount(idx, weights=scan.count[sel], minlength=len(answers))
            got = margins(Cells([idx], scan.count[sel], scan.start[sel]), weight[sel], 0,
                          len(answers))
            t_sum = sum(targets[var].values())
            v = categories(cb.get(var))
            for j, c in enumerate(answers):
                rows.append(ReportRow(var, c, v.option(c).label,
                                      targets[var].get(str(c), 0.0) / t_sum, int(have[j]),
                                      float(have[j] / g_n), float(got[j]),
                                      float(got[j] / g_w) if g_w else 0.0, label))
    gap = max((abs(r.weighted_share - r.target) for r in rows), default=0.0)
    s = spread(weight, scan.count)
    mean = total / n
    low = int(scan.count[weight <= (d.low or 0) * mean * (1 + 1e-9)].sum()) if d.low else 0
    high = int(scan.count[weight >= (d.high or 0) * mean * (1 - 1e-9)].sum()) if d.high else 0
    return WeightReport(d.name, d.label, d.method, d.unit, iterations, converged, s, low, high,
                        tuple(rows), gap)


def report_from_dict(d: dict[str, Any]) -> WeightReport:
    """A report as ``WeightReport.to_dict`` wrote it (saved beside its weight's file)."""
    sp = {k: v for k, v in d["spread"].items() if k != "ratio"}
    return WeightReport(**{**d, "spread": Spread(**sp),
                           "rows": tuple(ReportRow(**r) for r in d["rows"])})


def _cell_rows(cb: Codebook, d: WeightDef, scan: _Scan, weight: np.ndarray
               ) -> list[ReportRow]:
    n = scan.count.sum()
    total = float((scan.count * weight).sum())
    t_sum = sum(d.targets["cell"].values())
    keys = ["/".join(str(int(k[i])) for k in scan.keys) for i in range(len(scan.count))]
    rows = []
    for j, (key, target) in enumerate(d.targets["cell"].items()):
        sel = np.array([k == key for k in keys], dtype=bool)
        have = float(scan.count[sel].sum())
        got = float((scan.count * weight)[sel].sum())
        label = " & ".join(categories(cb.get(v)).option(int(c)).label
                           for v, c in zip(d.variables, key.split("/"), strict=True))
        rows.append(ReportRow(" × ".join(d.variables), j + 1, label, target / t_sum,
                              int(have), have / n, got, got / total if total else 0.0))
    return rows


def column_spread(query: Query, column: str) -> Spread:
    """The figures of a weight column (SQL: ``column``, quoted) over every respondent: as
    ``spread`` gives them for a computed weight."""
    w = f"CAST({column} AS DOUBLE)"
    n, total, squares, low, high = query(
        f"SELECT COUNT(*), SUM({w}), SUM({w} * {w}), MIN({w}), MAX({w}) FROM respondents")[0]
    if not n or not squares:
        raise EngineError("The weight has no positive value; it has no efficiency.")
    return Spread(int(n), float(total), float(total) ** 2 / (n * float(squares)),
                  float(total) ** 2 / float(squares), float(low), float(high))


# ---- storing -------------------------------------------------------------------------------

def weights_folder() -> Path:
    return user_data_path("heetui", appauthor=False) / "weights"


def digest(d: WeightDef, identity: str) -> str:
    """What names a computed weight's file: its definition and the data it reads."""
    text = json.dumps([asdict(d), identity], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_weight(cb: Codebook, d: WeightDef, scan: _Scan, weight: np.ndarray, target: Path,
                 execute: Callable[[str], object]) -> None:
    """Write each respondent's weight, in file order, as a one-column Parquet file: a
    lookup of the cell's factor by its codes (times the starting weight), in one pass."""
    vs = [categories(cb.get(v)) for v in d.variables] + (
        [categories(cb.get(d.within))] if d.within else [])
    factor = np.divide(weight, scan.start, out=np.zeros_like(weight), where=scan.start > 0)
    by_start = d.start is not None and (d.low is not None or d.high is not None)
    start = f"CAST({ident(d.start)} AS DOUBLE)" if d.start else "1.0"
    tops = [max(max(o.code for o in v.options), 0) + 1 for v in vs]
    size = int(np.prod(tops))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".parquet", dir=target.parent)
    os.close(fd)
    try:
        if not by_start and size <= LOOKUP_CELLS and all(
                (k >= 0).all() for k in scan.keys):
            slots = np.zeros(size)
            stride = np.cumprod([1] + tops[:-1])
            at = sum(k * s for k, s in zip(scan.keys, stride, strict=True))
            slots[at] = factor
            index = " + ".join(f"{column_sql(v)}::BIGINT * {int(s)}"
                               for v, s in zip(vs, stride, strict=True))
            # exponent form: DuckDB reads it as a DOUBLE, exactly (a plain decimal would be
            # read as a DECIMAL)
            values = "[" + ", ".join(f"{float(x):.17e}" for x in slots) + "]"
            expr = f"{start} * {values}[{index} + 1]"
            sql = f"SELECT {expr} AS {ident(d.name)} FROM respondents"
        else:
            sql = _joined(vs, scan, weight, start, by_start, d.name)
        execute(f"COPY ({sql}) TO {path_literal(Path(tmp))} (FORMAT parquet)")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _joined(vs: list[Variable], scan: _Scan, weight: np.ndarray, start: str,
            by_start: bool, name: str) -> str:
    """The weight by a join on the cell's codes (and starting weight), in file order."""
    rows = []
    for i in range(len(scan.count)):
        keys = [str(int(k[i])) for k in scan.keys]
        if by_start:
            keys.append(f"{float(scan.start[i]):.17e}")
        keys.append(f"{float(weight[i] / scan.start[i]) if scan.start[i] else 0.0:.17e}")
        rows.append("(" + ", ".join(keys) + ")")
    names = [f"k{i}" for i in range(len(vs))] + (["s"] if by_start else [])
    cols = ", ".join(f"{column_sql(v)} AS k{i}" for i, v in enumerate(vs))
    on = " AND ".join(f"r.{n} = c.{n}" for n in names)
    return (f"SELECT {start} * c.f AS {ident(name)} FROM (SELECT row_number() OVER () AS i, "
            f"{cols}{', ' + start + ' AS s' if by_start else ''} FROM respondents) r "
            f"JOIN (VALUES {', '.join(rows)}) c({', '.join(names)}, f) ON {on} ORDER BY r.i")
