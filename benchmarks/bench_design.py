"""Design-based banner tables (strata and PSUs, engine.design) beside the effective-base ones.

Usage: python benchmarks/bench_design.py [--n 1000000] [--runs 7] [--psus 15x2 50x10 100x20]
Not part of CI. It copies the demo bundle of N respondents (benchmarks/_bundles/, made by
bench_engine.ensure_bundle) once per design, adding a stratum and a PSU column (each
respondent's by a hash of the id: S strata of P PSUs each) and `design = {strata, cluster}`
to the codebook, then times, taking turns run by run, on a cold result cache:

- the weighted table by the report's banner `standard` (3 spans) with letters, with
  Kish effective bases (`design=False`) and with the design (t-tests over PSUs), each as
  wall time and as the process's CPU time (all its threads: DuckDB's and numpy's), the
  second less at the mercy of other processes on a shared machine;
- the bare DuckDB passes each sends, fetched as the engine fetches them: the grouped SELECT
  of the effective-base table, and the design's pass (engine.crosstab.respondent_sql: one
  row a respondent, its banner key, answer and whether it is in the base); and, for the
  record, the grouped SELECT split by PSU too, which only a table of the themes coded in
  comments still sends.

Writes benchmarks/design_results.json and benchmarks/design_results.md, then
benchmarks/RESULTS.md (report.py) with them; another --n than 1,000,000 writes
design_results_<n>.json and .md only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_engine import BUNDLES, ensure_bundle  # noqa: E402

QUESTIONS = ("relationship", "words")
BANNER = "standard"


def ensure_design_bundle(n: int, strata: int, per: int) -> Path:
    src = ensure_bundle(n)
    path = BUNDLES / f"hee_{n}_design_{strata}x{per}"
    if (path / "respondents.parquet").exists():
        return path
    path.mkdir(parents=True, exist_ok=True)
    duckdb.sql(f"COPY (SELECT *, (hash(respondent_id) % {strata})::INTEGER AS stratum, "
               f"(hash(respondent_id, 'psu') % {per})::INTEGER AS psu FROM "
               f"'{src / 'respondents.parquet'}') TO '{path / 'respondents.parquet'}' "
               "(FORMAT parquet)")
    lines = (src / "codebook.toml").read_text().splitlines()
    at = lines.index("[survey]") + 1
    lines.insert(at, 'design = { strata = "stratum", cluster = "psu" }')
    (path / "codebook.toml").write_text("\n".join(lines) + "\n")
    (path / "verbatims.parquet").symlink_to((src / "verbatims.parquet").resolve())
    return path


def wall_and_cpu_ms(fns: list[Any], runs: int) -> tuple[list[list[float]], list[list[float]]]:
    """Each function's wall and CPU times (ms) over ``runs`` rounds, the functions taking
    turns within a round (bench_engine.times_ms, with the process's CPU time beside)."""
    for fn in fns:
        fn()  # warm up (file cache, DuckDB metadata)
    wall: list[list[float]] = [[] for _ in fns]
    cpu: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, w, c in zip(fns, wall, cpu, strict=True):
            c0, w0 = time.process_time(), time.perf_counter()
            fn()
            w.append((time.perf_counter() - w0) * 1000)
            c.append((time.process_time() - c0) * 1000)
    return wall, cpu


def bench_design(n: int, strata: int, per: int, runs: int) -> dict[str, Any]:
    from heetui.engine.banner import resolve_banner
    from heetui.engine.crosstab import TabRequest, crosstab, grouped_sql, respondent_sql
    from heetui.engine.design import design_info, psu_sql
    from heetui.engine.session import open_survey

    survey = open_survey(ensure_design_bundle(n, strata, per), check_data=False)
    cb = survey.codebook
    banner = resolve_banner(cb, BANNER)
    out: dict[str, Any] = {"strata": strata, "psus": strata * per}
    for q in QUESTIONS:
        def run(design: bool, q: str = q) -> None:
            survey.clear_cache()
            crosstab(survey, TabRequest(q, BANNER, weighted=True, design=design))

        info = design_info(survey)
        kish_sql = grouped_sql(survey, cb.get(q), banner, ())
        design_sql = respondent_sql(survey, cb.get(q), banner, ())
        by_psu_sql = grouped_sql(survey, cb.get(q), banner, (), psu=psu_sql(survey))
        (kish, design, bare_kish, bare_design, bare_by_psu), cpu = wall_and_cpu_ms([
            lambda: run(False), lambda: run(True),
            partial(survey.query_arrays, kish_sql), partial(survey.query_arrays, design_sql),
            partial(survey.query_arrays, by_psu_sql)], runs)
        ct = crosstab(survey, TabRequest(q, BANNER, weighted=True))
        cpu_kish, cpu_design = (statistics.median(c) for c in cpu[:2])
        out[q] = {"effective_base_ms": statistics.median(kish),
                  "design_ms": statistics.median(design),
                  "design_range_ms": [min(design), max(design)],
                  "ratio": statistics.median(design) / statistics.median(kish),
                  "effective_base_cpu_ms": cpu_kish, "design_cpu_ms": cpu_design,
                  "cpu_ratio": cpu_design / cpu_kish,
                  "bare_duckdb_effective_base_ms": statistics.median(bare_kish),
                  "bare_duckdb_design_ms": statistics.median(bare_design),
                  "bare_duckdb_grouped_by_psu_ms": statistics.median(bare_by_psu),
                  "columns": len(ct.columns), "tests": len(ct.tests),
                  "df": info.df}
    survey.close()
    return out


def report(res: dict[str, Any]) -> str:
    lines = ["# Design-based tables (benchmarks/bench_design.py)", "",
             f"Machine: {res['machine']}. Run: {res['date']} (load average "
             f"{res['load'][0]:.1f} at the start, {res['load'][1]:.1f} at the end, on "
             f"{os.cpu_count()} CPUs); medians of {res['runs']} runs "
             f"(fastest–slowest in brackets), {res['n']:,} respondents, weighted, letters, "
             f"banner `{BANNER}` (3 spans), result cache cleared before each run. "
             "Effective base: Kish's n_eff and z-tests (`--no-design`); design: Taylor "
             "linearisation over strata and PSUs and t-tests (engine.design), from one row a "
             "respondent (banner key, answer, in the base) numbered over the key's and "
             "answer's ranges and added up per (banner key, answer, PSU) in one bincount, "
             "with the PSU and weight of each respondent read once with the design; column "
             "sums and rows by loops, no matrix products. CPU: the process's CPU time, "
             "DuckDB's threads and numpy's together. Bare DuckDB: the SELECT each sends, "
             "fetched as the engine fetches it; grouped by PSU: the grouped SELECT split by "
             "PSU too (its hash table holds a group per few respondents), which only a table"
             " of the themes "
             "coded in comments sends. Target: design ≤ 2× effective base.", "",
             "| question | design (strata × PSUs) | effective base | design | ratio | "
             "CPU: effective base, design, ratio | "
             "bare DuckDB, effective base | bare DuckDB, design | grouped by PSU |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for d in res["designs"]:
        for q in QUESTIONS:
            r = d[q]
            lo, hi = r["design_range_ms"]
            lines.append(f"| {q} | {d['strata']} × {d['psus'] // d['strata']} "
                         f"({d['psus']:,} PSUs) | {r['effective_base_ms']:.1f} ms | "
                         f"{r['design_ms']:.1f} ms ({lo:.0f}–{hi:.0f}) | {r['ratio']:.2f}× | "
                         f"{r['effective_base_cpu_ms']:.0f} ms, {r['design_cpu_ms']:.0f} ms, "
                         f"{r['cpu_ratio']:.2f}× | "
                         f"{r['bare_duckdb_effective_base_ms']:.1f} ms | "
                         f"{r['bare_duckdb_design_ms']:.1f} ms | "
                         f"{r['bare_duckdb_grouped_by_psu_ms']:.1f} ms |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--psus", nargs="+", default=["15x2", "50x10", "100x20"])
    args = ap.parse_args()
    designs = []
    load = os.getloadavg()[0]
    for spec in args.psus:
        strata, per = (int(x) for x in spec.split("x"))
        designs.append(bench_design(args.n, strata, per, args.runs))
        print(json.dumps(designs[-1]), file=sys.stderr)
    res = {"machine": f"{platform.processor() or platform.machine()}, Python "
                      f"{platform.python_version()}, {platform.system()}",
           "date": time.strftime("%Y-%m-%d"), "runs": args.runs, "n": args.n,
           "load": [load, os.getloadavg()[0]],
           "designs": designs}
    name = "design_results" + ("" if args.n == 1_000_000 else f"_{args.n}")
    (HERE / f"{name}.json").write_text(json.dumps(res, indent=2) + "\n")
    (HERE / f"{name}.md").write_text(report(res))
    if args.n == 1_000_000:  # the target's size: RESULTS.md's design section
        import report as results_report  # benchmarks/report.py

        results_report.write()


if __name__ == "__main__":
    main()
