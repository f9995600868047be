"""Rim weighting to targets (engine.weighting) beside the bare DuckDB passes it needs.

Usage: python benchmarks/bench_weighting.py [--n 1000000 10000000] [--runs 5]
Not part of CI. On the demo bundle of N respondents (benchmarks/_bundles/, made by
bench_engine.ensure_bundle), four weighting variables (stakeholder type, seniority,
contact, relationship), illustrative targets, and in turn, run by run:

- the whole weighting: engine.weighting.compute (the grouped scan of the targets' cells,
  then raking on the cells) and write_weight (one pass writing the weight column);
- the bare grouped scan: the same GROUP BY of the four columns with COUNT(*);
- the bare write: COPY of one computed DOUBLE column of every respondent to Parquet.

The issue's target: the whole weighting ≤ 3 × the bare scan + the bare write.
Writes benchmarks/weighting_results.json and benchmarks/weighting_results.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_engine import ensure_bundle, machine_facts, save_results, times_ms  # noqa: E402

from heetui.engine import open_survey  # noqa: E402
from heetui.engine.weighting import compute, parse_weight, write_weight  # noqa: E402

VARIABLES = ("stakeholder_type", "seniority", "in_contact", "relationship")


def targets(survey_codebook) -> dict:  # type: ignore[no-untyped-def]
    """Illustrative targets: every answer of each variable an equal share."""
    out = {}
    for var in VARIABLES:
        codes = [o.code for o in survey_codebook.get(var).options]
        share = 100 / len(codes)
        out[var] = {str(c): share for c in codes}
    return out


def run(n: int, runs: int) -> dict:
    bundle = ensure_bundle(n)
    survey = open_survey(bundle, edits=False)
    cb = survey.codebook
    d = parse_weight(cb, "rim_bench", {"targets": targets(cb)})
    source = f"read_parquet('{bundle / 'respondents.parquet'}')"
    con = duckdb.connect()
    folder = Path(tempfile.mkdtemp(prefix="heetui-bench-weight-"))
    cols = ", ".join(VARIABLES)
    iterations = []

    def weighting() -> None:
        scan, weight, report = compute(cb, d, survey.query)
        iterations.append(report.iterations)
        write_weight(cb, d, scan, weight, folder / "w.parquet", survey.query)

    def bare_scan() -> None:
        con.execute(f"SELECT {cols}, COUNT(*) FROM {source} GROUP BY ALL").fetchall()

    def bare_write() -> None:
        con.execute(f"COPY (SELECT CAST(stakeholder_type AS DOUBLE) * 0.5 AS w FROM {source}) "
                    f"TO '{folder / 'bare.parquet'}' (FORMAT parquet)")

    w, s, b = times_ms([weighting, bare_scan, bare_write], runs)
    med = {k: statistics.median(v) for k, v in (("weighting", w), ("scan", s), ("write", b))}
    budget = 3 * med["scan"] + med["write"]
    return {"n": n, "runs": runs, "iterations": iterations[-1], **{f"{k}_ms": round(v, 1)
            for k, v in med.items()}, "budget_ms": round(budget, 1),
            "ratio_to_budget": round(med["weighting"] / budget, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    rows = [run(n, args.runs) for n in args.n]
    facts = machine_facts()
    lines = ["# Weighting to targets: rim weighting beside the bare DuckDB passes", "",
             f"{facts['cpus']} CPUs, Python {facts['python']}, DuckDB "
             f"{facts['duckdb']}; medians of {args.runs} runs taken in turns. Four "
             "weighting variables (" + ", ".join(VARIABLES) + "), equal-share targets.", "",
             "| respondents | iterations | weighting (ms) | bare scan (ms) | bare write (ms) "
             "| 3 × scan + write (ms) | weighting / budget |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['n']:,} | {r['iterations']} | {r['weighting_ms']} | {r['scan_ms']} | "
              f"{r['write_ms']} | {r['budget_ms']} | {r['ratio_to_budget']} |" for r in rows]
    save_results("weighting", rows, lines)


if __name__ == "__main__":
    main()
