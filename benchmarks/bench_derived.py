"""Derived variables against stored ones (issue 34 item 5): a table by a derived
three-answer segment (a workspace entry, computed in the table's own grouped scan) beside
the same table by an equivalent stored column, at 1M and 10M respondents, in one run.

Usage: python benchmarks/bench_derived.py [--sizes 1000000 10000000] [--runs 11]
    [--book-runs 3]
Run from the repository root (the tree's own code is put first on the path). Bundles: the
HEE demo of N respondents (benchmarks/_bundles/hee_N, made by bench_engine.ensure_bundle),
copied twice by one DuckDB COPY each, so both files have the same writer, compression and
row groups: ``hee_N_plain`` (the respondents as they are, with a workspace file deriving
``segment``) and ``hee_N_stored`` (the same respondents with ``segment``'s codes as a real
column, computed by the engine's own SQL of the derived variable, and a codebook entry for
it). Timed, taking turns run by run, on a cold result cache:

- the weighted table with letters of `relationship` (single-choice) and of `words`
  (multi-response, packed) by the derived segment and by the stored one;
- the same GROUP BY written by hand in bare DuckDB (count, Σw, Σw² by the segment and the
  answer): by the stored column, by the derived variable's CASE expression, and by the
  three source columns the derived variable reads;
- the derived segment as a filter (its first answer, and its 'else' answer) and as the
  question;
- the tab book of the bundled questionnaire by the segment (fewer runs).

Every table of the derived segment is checked equal to the stored one's before timing.
Writes benchmarks/derived_results.json and benchmarks/derived_results.md, then
benchmarks/RESULTS.md (report.py).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from bench_engine import BUNDLES, ensure_bundle, machine  # noqa: E402

NAME = "segment"
ANSWERS = (("NHS Trust in London", "stakeholder_type=NHS Trust & region=London"),
           ("Senior leaders elsewhere", "seniority=1"),
           ("Everyone else", "else"))
SOURCES = ("stakeholder_type", "region_6", "seniority")  # the columns the answers read
QUESTIONS = ("relationship", "words")
USES = {"filter": f"filter {NAME}=1", "filter_else": f"filter {NAME}={len(ANSWERS)} (else)",
        "question": "as the question", "book": "tab book"}
WORKSPACE = "workspace.toml"


def workspace_text() -> str:
    answers = ",\n".join(f'  {{label = "{label}", when = "{when}"}}' for label, when in ANSWERS)
    return (f'[derived.{NAME}]\ntext = "Segment (derived)"\ntype = "single"\n'
            f'role = "segment"\nanswers = [\n{answers},\n]\n')


def codebook_entry() -> str:
    options = "".join(f'    {{code = {k}, label = "{label}"}},\n'
                      for k, (label, _) in enumerate(ANSWERS, 1))
    return (f'\n[[segments]]\nid = "{NAME}"\ntype = "single"\nlabel = "Segment"\n'
            f'text = "Segment (stored)"\ngroup = "Sample profile"\noptions = [\n{options}]\n')


def derived_sql(plain: Path) -> str:
    """The engine's own SQL of the derived segment (engine.shaping)."""
    from heetui.engine.session import open_survey
    from heetui.engine.shaping import shape

    survey = open_survey(plain, check_data=False, workspace=plain / WORKSPACE)
    shaped = shape(survey.bundle.codebook, survey.workspace)
    survey.close()
    assert not shaped.problems, shaped.problems
    return dict(shaped.derived)[NAME]


def _copy(src: Path, dest: Path, extra: str) -> None:
    """``src``'s respondents to ``dest``, by DuckDB with ``src``'s row group size and the
    bundles' compression, each column as it was (and ``extra`` selected after them)."""
    import duckdb

    from heetui.survey.write import RESPONDENT_COMPRESSION

    con = duckdb.connect()
    groups = con.execute("SELECT max(row_group_num_rows) FROM parquet_metadata(?)",
                         [str(src)]).fetchall()[0][0]
    con.execute(f"COPY (SELECT *{extra} FROM read_parquet('{src}')) TO '{dest}' "
                f"(FORMAT parquet, COMPRESSION {RESPONDENT_COMPRESSION}, "
                f"ROW_GROUP_SIZE {groups})")
    con.close()


def ensure_pair(n: int) -> tuple[Path, Path]:
    """The plain copy (with the workspace deriving the segment) and the stored copy."""
    src = ensure_bundle(n)
    plain, stored = BUNDLES / f"hee_{n}_plain", BUNDLES / f"hee_{n}_stored"
    for path in (plain, stored):
        path.mkdir(parents=True, exist_ok=True)
        link = path / "verbatims.parquet"
        if not link.exists():
            link.symlink_to((src / "verbatims.parquet").resolve())
    if not (plain / "respondents.parquet").exists():
        (plain / "codebook.toml").write_text((src / "codebook.toml").read_text())
        _copy(src / "respondents.parquet", plain / "respondents.parquet", "")
    (plain / WORKSPACE).write_text(workspace_text())
    if not (stored / "respondents.parquet").exists():
        (stored / "codebook.toml").write_text((src / "codebook.toml").read_text()
                                              + codebook_entry())
        _copy(src / "respondents.parquet", stored / "respondents.parquet",
              f", {derived_sql(plain)}::UTINYINT AS {NAME}")
    return plain, stored


def _table(survey: Any, req: Any) -> Callable[[], Any]:
    from heetui.engine.crosstab import crosstab

    def run() -> Any:
        survey.clear_cache()
        return crosstab(survey, req)
    return run


def _book(survey: Any) -> Callable[[], Any]:
    from heetui.engine.book import BookRequest, tab_book
    from heetui.engine.crosstab import TabRequest

    def run() -> Any:
        survey.clear_cache()
        return tab_book(survey, BookRequest(TabRequest("", NAME, weighted=True)))
    return run


def same_numbers(a: Any, b: Any) -> None:
    """The derived and the stored table give the same numbers (their JSON's rows and
    columns, to nine significant digits)."""
    from heetui.output.tables import to_json

    def same(x: Any, y: Any) -> bool:  # sums added in another order: the 13th digit
        if isinstance(x, float) and isinstance(y, float):
            return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) or x != x and y != y
        if isinstance(x, dict) and isinstance(y, dict):
            return x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(same(u, v) for u, v in zip(x, y, strict=True))
        return bool(x == y)

    da, db = to_json(a), to_json(b)
    for part in ("rows", "columns"):
        assert same(da[part], db[part]), f"the tables' {part} differ"


def _bare(con: Any, file: Path, by: str, q: str) -> Callable[[], Any]:
    """The hand-written GROUP BY of count, Σw and Σw² by ``by`` and the question's answer
    (a multi-response question: its packed value)."""
    answer = "words__bits" if q == "words" else q
    sql = (f"SELECT {by}, {answer}, COUNT(*), SUM(weight), SUM(weight * weight) "
           f"FROM read_parquet('{file}') GROUP BY ALL")
    return lambda: con.execute(sql).fetchnumpy()


def _turns(fns: list[Callable[[], Any]], runs: int) -> tuple[list[list[float]], list[list[float]]]:
    """Each function's wall and CPU times (ms; CPU: this process's, DuckDB's threads
    included) over ``runs`` rounds, taking turns, the first two swapping places every
    other round so each is first in half of them."""
    for fn in fns:
        fn()  # warm up (file cache, DuckDB metadata)
    wall: list[list[float]] = [[] for _ in fns]
    cpu: list[list[float]] = [[] for _ in fns]
    for r in range(runs):
        order = list(range(len(fns)))
        if r % 2 and len(fns) > 1:
            order[:2] = [1, 0]
        for i in order:
            c, t = time.process_time(), time.perf_counter()
            fns[i]()
            wall[i].append((time.perf_counter() - t) * 1000)
            cpu[i].append((time.process_time() - c) * 1000)
    return wall, cpu


def _pair(wall: list[list[float]], cpu: list[list[float]]) -> dict[str, Any]:
    """The derived table's figures (first) against the stored one's (second)."""
    med = [statistics.median(x) for x in wall[:2]]
    return {"derived_ms": med[0], "derived_range_ms": [min(wall[0]), max(wall[0])],
            "stored_ms": med[1], "stored_range_ms": [min(wall[1]), max(wall[1])],
            "ratio": med[0] / med[1],
            "ratio_run_by_run": statistics.median(
                a / b for a, b in zip(wall[0], wall[1], strict=True)),
            "cpu_ratio": statistics.median(cpu[0]) / statistics.median(cpu[1])}


def bench_question(q: str, derived: Any, stored: Any, files: tuple[Path, Path], case: str,
                   runs: int) -> dict[str, Any]:
    import duckdb

    from heetui.engine.crosstab import TabRequest

    req = TabRequest(q, NAME, weighted=True)
    same_numbers(_table(derived, req)(), _table(stored, req)())
    con = duckdb.connect()
    plain, kept = files
    wall, cpu = _turns([_table(derived, req), _table(stored, req), _bare(con, kept, NAME, q),
                        _bare(con, plain, f"({case}) AS seg", q),
                        _bare(con, plain, ", ".join(SOURCES), q)], runs)
    con.close()
    med = [statistics.median(x) for x in wall]
    return _pair(wall, cpu) | {"bare_stored_ms": med[2], "bare_case_ms": med[3],
                               "bare_sources_ms": med[4]}


def bench_uses(derived: Any, stored: Any, runs: int) -> dict[str, Any]:
    """The derived segment as a filter (its first answer, and its 'else' answer) and as
    the question, beside the stored one."""
    from heetui.engine.crosstab import TabRequest
    from heetui.engine.filters import parse_filter

    def filtered(code: int) -> Callable[[Any], Any]:
        return lambda s: TabRequest("relationship", "stakeholder_type",
                                    (parse_filter(s.codebook, f"{NAME}={code}"),),
                                    weighted=True)

    out: dict[str, Any] = {}
    for use, make in (("filter", filtered(1)), ("filter_else", filtered(len(ANSWERS))),
                      ("question", lambda s: TabRequest(NAME, "stakeholder_type",
                                                        weighted=True))):
        same_numbers(_table(derived, make(derived))(), _table(stored, make(stored))())
        out[use] = _pair(*_turns([_table(derived, make(derived)),
                                  _table(stored, make(stored))], runs))
    return out


def bench_size(n: int, runs: int, book_runs: int) -> dict[str, Any]:
    from heetui.engine.session import open_survey

    plain, kept = ensure_pair(n)
    case = derived_sql(plain)
    derived = open_survey(plain, check_data=False, workspace=plain / WORKSPACE)
    stored = open_survey(kept, check_data=False, edits=False)
    files = (plain / "respondents.parquet", kept / "respondents.parquet")
    out: dict[str, Any] = {"respondents": n}
    for q in QUESTIONS:
        out[q] = bench_question(q, derived, stored, files, case, runs)
        print(f"{n:>11,} {q:13} derived {out[q]['derived_ms']:7.1f} ms  stored "
              f"{out[q]['stored_ms']:7.1f} ms  {out[q]['ratio']:.2f}x", file=sys.stderr)
    out |= bench_uses(derived, stored, runs)
    if book_runs:
        out["book"] = _pair(*_turns([_book(derived), _book(stored)], book_runs))
    derived.close()
    stored.close()
    return out


def markdown(doc: dict[str, Any]) -> str:
    head = ("| respondents | question | derived segment | stored column | ratio | "
            "ratio run by run | CPU ratio | bare: stored | bare: CASE | bare: 3 source columns |")
    lines = [f"# Derived variables against stored ones ({doc['date']})", "",
             f"{doc['machine']}; medians of {doc['runs']} runs, the two tables taking turns "
             "(each first in half the rounds). See benchmarks/bench_derived.py.", "",
             head, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in doc["results"]:
        for q in QUESTIONS:
            x = r[q]
            lines.append(
                f"| {r['respondents']:,} | {q} | {x['derived_ms']:.1f} ms "
                f"({x['derived_range_ms'][0]:.0f}–{x['derived_range_ms'][1]:.0f}) | "
                f"{x['stored_ms']:.1f} ms ({x['stored_range_ms'][0]:.0f}–"
                f"{x['stored_range_ms'][1]:.0f}) | {x['ratio']:.2f}× | "
                f"{x['ratio_run_by_run']:.2f}× | {x['cpu_ratio']:.2f}× | "
                f"{x['bare_stored_ms']:.1f} ms | "
                f"{x['bare_case_ms']:.1f} ms | {x['bare_sources_ms']:.1f} ms |")
    lines += ["", "| respondents | use | derived | stored | ratio | ratio run by run | "
              "CPU ratio |", "|---:|---|---:|---:|---:|---:|---:|"]
    for r in doc["results"]:
        for use in USES:
            if use in r:
                x = r[use]
                lines.append(f"| {r['respondents']:,} | {USES[use]} | {x['derived_ms']:.1f} ms "
                             f"| {x['stored_ms']:.1f} ms | {x['ratio']:.2f}× | "
                             f"{x['ratio_run_by_run']:.2f}× | {x['cpu_ratio']:.2f}× |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--book-runs", type=int, default=3)
    args = ap.parse_args()
    BUNDLES.mkdir(parents=True, exist_ok=True)
    results = [bench_size(n, args.runs, args.book_runs) for n in args.sizes]
    doc = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "runs": args.runs,
           "answers": [list(a) for a in ANSWERS], "results": results}
    (HERE / "derived_results.json").write_text(json.dumps(doc, indent=2) + "\n")
    (HERE / "derived_results.md").write_text(markdown(doc))
    import report

    report.write()
    print(markdown(doc))


if __name__ == "__main__":
    main()
