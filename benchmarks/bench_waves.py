"""Two waves in one table (engine.waves) beside one wave's table and the bare DuckDB scans.

Usage: python benchmarks/bench_waves.py [--n 10000000] [--runs 5]
Not part of CI. Wave 1 is the demo bundle of N respondents (bench_engine.ensure_bundle);
wave 2 the same size made with `heetui demo --seed 2020 --shift 0.25` (an illustrative
later wave), kept beside it in benchmarks/_bundles/. In turn, run by run, on a cold result
cache:

- one wave's weighted table of relationship by stakeholder type (letters);
- the two waves' weighted table of relationship by wave within stakeholder type
  (`wave/stakeholder_type`, each wave against the one before: --compare previous);
- the bare grouped scans of the same columns: one file; the two files each grouped on its
  own, one after the other (what the two-wave table runs: engine.waves, a pass a wave);
  and the two files stacked (UNION ALL, each with its wave) and grouped by wave too.

The issue's target: the two-wave table within 2 × the one-wave table. Beside the wall
times, the process's CPU time (every DuckDB thread's) of the two tables: the work each
does, which other sessions on this shared machine disturb less than the wall time.
Writes benchmarks/waves_results.json and benchmarks/waves_results.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_engine import BUNDLES, ensure_bundle, machine_facts, save_results, times_ms  # noqa: E402

from heetui.engine import TabRequest, open_survey, open_waves, table  # noqa: E402


def ensure_second_wave(n: int) -> Path:
    path = BUNDLES / f"hee_{n}_wave2"
    if not (path / "respondents.parquet").exists():
        from heetui.demo.build import build

        print(f"generating the second wave, {n:,} respondents ...", file=sys.stderr)
        build(path, n, seed=2020, force=True, shift=0.25)
    return path


def run(n: int, runs: int) -> dict[str, float | int]:
    first, second = ensure_bundle(n), ensure_second_wave(n)
    one = open_survey(first, edits=False)
    both = open_waves([("1", first), ("2", second)], edits=False)
    con = duckdb.connect()
    files = [f"'{p / 'respondents.parquet'}'" for p in (first, second)]
    scan = ("SELECT stakeholder_type, relationship, COUNT(*), SUM(weight), "
            "SUM(weight * weight) FROM {} GROUP BY ALL")

    def one_wave() -> None:
        one.clear_cache()
        table(one, TabRequest("relationship", "stakeholder_type", weighted=True))

    def two_waves() -> None:
        both.clear_cache()
        table(both, TabRequest("relationship", "wave/stakeholder_type", weighted=True,
                               compare="previous"))

    def bare_one() -> None:
        con.execute(scan.format(f"read_parquet({files[0]})")).fetchall()

    def bare_each() -> None:  # each file grouped on its own, as the engine's wave passes
        for f in files:
            con.execute(scan.format(f"read_parquet({f})")).fetchall()

    def bare_two() -> None:  # the two files stacked with their wave
        stacked = " UNION ALL ".join(f"SELECT *, {k + 1} AS wave FROM read_parquet({f})"
                                     for k, f in enumerate(files))
        con.execute(scan.replace("stakeholder_type,", "wave, stakeholder_type,", 1)
                    .format(f"({stacked})")).fetchall()

    cpu: list[list[float]] = [[], []]
    got = times_ms([with_cpu(one_wave, cpu[0]), with_cpu(two_waves, cpu[1]), bare_one,
                    bare_each, bare_two], runs)
    med = [statistics.median(t) for t in got]
    one_cpu, two_cpu = (statistics.median(c[1:]) for c in cpu)  # the first: the warm-up
    return {"n": n, "runs": runs, "one_wave_ms": round(med[0], 1),
            "two_waves_ms": round(med[1], 1), "bare_one_ms": round(med[2], 1),
            "bare_each_ms": round(med[3], 1), "bare_two_ms": round(med[4], 1),
            "ratio": round(med[1] / med[0], 2), "bare_ratio": round(med[3] / med[2], 2),
            "one_wave_cpu_ms": round(one_cpu, 1), "two_waves_cpu_ms": round(two_cpu, 1),
            "cpu_ratio": round(two_cpu / one_cpu, 2)}


def with_cpu(fn: Callable[[], None], cpu: list[float]) -> Callable[[], None]:
    """``fn``, adding the process CPU time of each call to ``cpu`` (ms)."""
    def timed() -> None:
        t = time.process_time()
        fn()
        cpu.append((time.process_time() - t) * 1000)
    return timed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, nargs="+", default=[10_000_000])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    rows = [run(n, args.runs) for n in args.n]
    facts = machine_facts()
    lines = ["# Two waves in one table beside one wave's table", "",
             f"{facts['cpus']} CPUs, Python {facts['python']}, DuckDB {facts['duckdb']}; "
             f"medians of {args.runs} runs taken in turns, cold result cache. Weighted "
             "relationship by stakeholder type (one wave) and by wave within stakeholder type "
             "with --compare previous (two waves).", "",
             "| respondents a wave | one wave (ms) | two waves (ms) | two / one | CPU: one, "
             "two (ms) | CPU two / one | bare scan, one (ms) | bare scans, each file (ms) | "
             "each / one | bare scan, stacked (ms) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['n']:,} | {r['one_wave_ms']} | {r['two_waves_ms']} | {r['ratio']} | "
              f"{r['one_wave_cpu_ms']}, {r['two_waves_cpu_ms']} | {r['cpu_ratio']} | "
              f"{r['bare_one_ms']} | {r['bare_each_ms']} | {r['bare_ratio']} | "
              f"{r['bare_two_ms']} |" for r in rows]
    save_results("waves", rows, lines)


if __name__ == "__main__":
    main()
