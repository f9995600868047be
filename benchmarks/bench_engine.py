"""Engine benchmarks: crosstab with letters vs the bare DuckDB pass over the same cells.

Usage: python benchmarks/bench_engine.py [--sizes 10000 1000000 10000000] [--runs 11] [--demo]
Bundles are generated once into benchmarks/_bundles/ (git-ignored), with a copy whose
respondents are hive-partitioned by stakeholder_type. Results are written to
benchmarks/results.json, then benchmarks/RESULTS.md (see report.py). ``--demo`` also times
`heetui demo -n 10000000` (about 2.5 minutes); otherwise the last demo figure is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLES = HERE / "_bundles"


def ensure_bundle(n: int) -> Path:
    path = BUNDLES / f"hee_{n}"
    if not (path / "respondents.parquet").exists():
        from heetui.demo.build import build

        print(f"generating {n:,} respondents ...", file=sys.stderr)
        t = time.perf_counter()
        build(path, n, force=True)
        print(f"  {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return path


def ensure_partitioned(n: int) -> Path:
    """The n-respondent bundle with respondents hive-partitioned by stakeholder_type."""
    import shutil

    import duckdb

    src = ensure_bundle(n)
    path = BUNDLES / f"hee_{n}_hive"
    if not (path / "respondents.parquet").is_dir():
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        shutil.copy(src / "codebook.toml", path)
        (path / "verbatims.parquet").symlink_to((src / "verbatims.parquet").resolve())
        duckdb.sql(f"COPY (SELECT * FROM '{src / 'respondents.parquet'}') TO "
                   f"'{path / 'respondents.parquet'}' (FORMAT parquet, "
                   "PARTITION_BY (stakeholder_type), ROW_GROUP_SIZE 500000)")
    return path


def hand_written_sql(cb) -> str:
    """The query an analyst would write by hand for the same table: respondents in contact
    grouped by the eight 0/1 region columns, a count and a weighted sum of every `words`
    option (no nets, no Σw² per option, no letters)."""
    regions = cb.get("region").columns()
    opts = cb.get("words").columns()
    sums = ", ".join(f"SUM({c}), SUM({c} * weight)" for c in opts)
    return (f"SELECT {', '.join(regions)}, COUNT(*), SUM(weight), SUM(weight * weight), "
            f"{sums} FROM respondents WHERE in_contact = 1 AND {opts[0]} IS NOT NULL "
            f"GROUP BY ALL")


def times_ms(fns, runs: int) -> list[list[float]]:
    """Each function's times over ``runs`` rounds, the functions taking turns within a round
    (so an engine figure and its baseline see the same spells of this shared machine)."""
    for fn in fns:
        fn()  # warm up (file cache, DuckDB metadata)
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, got in zip(fns, out, strict=True):
            t = time.perf_counter()
            fn()
            got.append((time.perf_counter() - t) * 1000)
    return out


def median_ms(fn, runs: int) -> float:
    return statistics.median(times_ms([fn], runs)[0])


def bench_size(n: int, runs: int) -> dict:
    from heetui.engine.banner import resolve_banner
    from heetui.engine.crosstab import TabRequest, crosstab, grouped_sql
    from heetui.engine.session import open_survey

    path = ensure_bundle(n)
    survey = open_survey(path, check_data=False)
    req = TabRequest("words", "region", weighted=True)

    def engine() -> None:
        survey.clear_cache()
        crosstab(survey, req)

    cb = survey.codebook
    bare_sql, bare_params = grouped_sql(survey, cb.get("words"), resolve_banner(cb, "region"), ())
    single_sql = ("SELECT stakeholder_type, relationship, COUNT(*), SUM(weight), "
                  "SUM(weight * weight) FROM respondents GROUP BY ALL")

    hand_sql = hand_written_sql(cb)

    def bare() -> None:
        survey.query_arrays(bare_sql, bare_params)  # fetched as the engine fetches it

    def hand_written() -> None:
        survey.query(hand_sql, [])

    def bare_single() -> None:
        survey.query(single_sql)

    def engine_single() -> None:
        survey.clear_cache()
        crosstab(survey, TabRequest("relationship", "stakeholder_type", weighted=True))

    from heetui.engine.filters import parse_filter
    from heetui.engine.profile import profile

    group = (parse_filter(cb, "stakeholder_type=NHS Trust"),)

    def profile_all() -> None:
        survey.clear_cache()
        profile(survey, group)

    env = dict(os.environ)
    cmd = [sys.executable, "-m", "heetui", "tab", "words", "--by", "region", "--weighted",
           "--format", "json", "--data", str(path)]

    def process() -> None:
        subprocess.run(cmd, check=True, capture_output=True, env=env)

    def repeat() -> None:
        crosstab(survey, req)

    banner_req = TabRequest("words", "standard", weighted=True)
    banner_sql, banner_params = grouped_sql(survey, cb.get("words"),
                                            resolve_banner(cb, "standard"), ())

    def engine_banner() -> None:
        survey.clear_cache()
        crosstab(survey, banner_req)

    def bare_banner() -> None:
        survey.query_arrays(banner_sql, banner_params)

    multi, multi_bare, hand = times_ms([engine, bare, hand_written], runs)
    # the report's banner (three spans) beside the single-span table, in turns
    banner, region, banner_bare = times_ms([engine_banner, engine, bare_banner], runs)
    single, single_bare = times_ms([engine_single, bare_single], runs)
    out = {
        "respondents": n,
        "repeat_ms": median_ms(repeat, runs),
        "engine_multi_x_overlap_ms": statistics.median(multi),
        "engine_multi_x_overlap_range_ms": [min(multi), max(multi)],
        "bare_duckdb_same_cells_ms": statistics.median(multi_bare),
        "hand_written_group_by_ms": statistics.median(hand),
        "engine_single_x_single_ms": statistics.median(single),
        "bare_duckdb_group_by_ms": statistics.median(single_bare),
        "tab_json_process_ms": median_ms(process, max(3, runs // 2)),
        "profile_ms": median_ms(profile_all, max(3, runs // 2)),
    }
    out["banner_table"] = {
        "engine_standard_banner_ms": statistics.median(banner),
        "engine_standard_banner_range_ms": [min(banner), max(banner)],
        "engine_region_same_run_ms": statistics.median(region),
        "bare_duckdb_standard_banner_ms": statistics.median(banner_bare),
        "ratio_to_single_span": statistics.median(banner) / statistics.median(region)}
    out["banner_ratio"] = out["banner_table"]["ratio_to_single_span"]
    ratio = out["engine_multi_x_overlap_ms"] / out["bare_duckdb_same_cells_ms"]
    out["engine_overhead_ratio"] = ratio
    hei = (parse_filter(cb, "stakeholder_type=HEI"),)
    filtered = TabRequest("words", "region", hei, weighted=True)
    hive = open_survey(ensure_partitioned(n), check_data=False)

    def timed(s, r):
        def run() -> None:
            s.clear_cache()
            crosstab(s, r)
        return median_ms(run, runs)

    out["partitioned"] = {"single_file_filtered_ms": timed(survey, filtered),
                          "partitioned_filtered_ms": timed(hive, filtered),
                          "partitioned_unfiltered_ms": timed(hive, req)}
    hive.close()
    survey.close()
    return out


def bench_demo() -> dict:
    """`heetui demo -n 10000000` in a child process: wall time and the child's peak RSS."""
    import resource
    import shutil
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="heetui-demo-", dir=BUNDLES))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "heetui", "demo", "-n", "10000000", "-o",
                    str(out / "b")], check=True, capture_output=True)
    seconds = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shutil.rmtree(out)
    return {"seconds": seconds, "peak_rss_mb": rss}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000, 10_000_000])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--demo", action="store_true", help="also time heetui demo -n 10000000")
    args = ap.parse_args()
    BUNDLES.mkdir(parents=True, exist_ok=True)
    previous = json.loads((HERE / "results.json").read_text()) \
        if (HERE / "results.json").exists() else {}
    demo = bench_demo() if args.demo else previous.get("demo")
    fresh = {n: bench_size(n, args.runs) for n in args.sizes}
    kept = {r["respondents"]: r for r in previous.get("results", [])}  # sizes not rerun
    results = [v for _, v in sorted({**kept, **fresh}.items())]
    doc = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "runs": args.runs,
           "results": results, "demo": demo}
    (HERE / "results.json").write_text(json.dumps(doc, indent=2) + "\n")
    sys.path.insert(0, str(HERE))
    import report

    print(report.write())


if __name__ == "__main__":
    main()
