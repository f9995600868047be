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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heetui.engine.crosstab import TabRequest
    from heetui.engine.session import Survey

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


def machine_facts() -> dict[str, Any]:
    import duckdb

    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "duckdb": duckdb.__version__}


def save_results(name: str, rows: list[dict[str, Any]], lines: list[str]) -> None:
    """A benchmark's figures: benchmarks/{name}_results.json (with the machine and the
    date) and .md (``lines``, printed too), then RESULTS.md rebuilt with them."""
    import datetime

    from report import write

    doc = {"machine": machine_facts(), "date": datetime.date.today().isoformat(),
           "results": rows}
    (HERE / f"{name}_results.json").write_text(json.dumps(doc, indent=2) + "\n")
    (HERE / f"{name}_results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    write()


def median_ms(fn, runs: int) -> float:
    return statistics.median(times_ms([fn], runs)[0])


def _engine_run(survey: Survey, req: TabRequest) -> Callable[[], None]:
    """One engine table from a cold result cache."""
    from heetui.engine.crosstab import crosstab

    def run() -> None:
        survey.clear_cache()
        crosstab(survey, req)
    return run


def _bare_run(survey: Survey, question: str, banner: str) -> Callable[[], object]:
    """The one grouped SELECT the engine sends for the table, fetched as the engine fetches
    it."""
    from heetui.engine.banner import resolve_banner
    from heetui.engine.crosstab import grouped_sql

    cb = survey.codebook
    sql = grouped_sql(survey, cb.get(question), resolve_banner(cb, banner), ())
    return lambda: survey.query_arrays(sql)


def _overlap_table(survey: Survey, runs: int) -> dict[str, Any]:
    """`words` by `region`: the engine, its bare query and the hand-written GROUP BY."""
    from heetui.engine.crosstab import TabRequest

    hand_sql = hand_written_sql(survey.codebook)
    multi, multi_bare, hand = times_ms([
        _engine_run(survey, TabRequest("words", "region", weighted=True)),
        _bare_run(survey, "words", "region"), lambda: survey.query(hand_sql)], runs)
    return {"engine_multi_x_overlap_ms": statistics.median(multi),
            "engine_multi_x_overlap_range_ms": [min(multi), max(multi)],
            "bare_duckdb_same_cells_ms": statistics.median(multi_bare),
            "hand_written_group_by_ms": statistics.median(hand)}


def _single_table(survey: Survey, runs: int) -> dict[str, Any]:
    """`relationship` by `stakeholder_type` (the engine and a bare GROUP BY), then `words` by
    `region` asked again (served from the result cache)."""
    from heetui.engine.crosstab import TabRequest, crosstab

    single_sql = ("SELECT stakeholder_type, relationship, COUNT(*), SUM(weight), "
                  "SUM(weight * weight) FROM respondents GROUP BY ALL")
    single, single_bare = times_ms([
        _engine_run(survey, TabRequest("relationship", "stakeholder_type", weighted=True)),
        lambda: survey.query(single_sql)], runs)
    req = TabRequest("words", "region", weighted=True)
    return {"engine_single_x_single_ms": statistics.median(single),
            "bare_duckdb_group_by_ms": statistics.median(single_bare),
            "repeat_ms": median_ms(lambda: crosstab(survey, req), runs)}


def _whole_commands(survey: Survey, path: Path, runs: int) -> dict[str, Any]:
    """`heetui tab … --format json` as a child process, and a profile of every question."""
    from heetui.engine.filters import parse_filter
    from heetui.engine.profiling import profile

    group = (parse_filter(survey.codebook, "stakeholder_type=NHS Trust"),)

    def profile_all() -> None:
        survey.clear_cache()
        profile(survey, group)

    cmd = [sys.executable, "-m", "heetui", "tab", "words", "--by", "region", "--weighted",
           "--format", "json", "--data", str(path)]
    env = dict(os.environ)
    return {"tab_json_process_ms": median_ms(
                lambda: subprocess.run(cmd, check=True, capture_output=True, env=env),
                max(3, runs // 2)),
            "profile_ms": median_ms(profile_all, max(3, runs // 2))}


def _banner_table(survey: Survey, runs: int) -> dict[str, Any]:
    """The report's banner (three spans) beside the single-span table, in turns."""
    from heetui.engine.crosstab import TabRequest

    banner, region, banner_bare = times_ms([
        _engine_run(survey, TabRequest("words", "standard", weighted=True)),
        _engine_run(survey, TabRequest("words", "region", weighted=True)),
        _bare_run(survey, "words", "standard")], runs)
    return {"engine_standard_banner_ms": statistics.median(banner),
            "engine_standard_banner_range_ms": [min(banner), max(banner)],
            "engine_region_same_run_ms": statistics.median(region),
            "bare_duckdb_standard_banner_ms": statistics.median(banner_bare),
            "ratio_to_single_span": statistics.median(banner) / statistics.median(region)}


def _partitioned(survey: Survey, n: int, runs: int) -> dict[str, Any]:
    """`words` by `region` filtered to one partition, in one file and hive-partitioned."""
    from heetui.engine.crosstab import TabRequest
    from heetui.engine.filters import parse_filter
    from heetui.engine.session import open_survey

    hei = (parse_filter(survey.codebook, "stakeholder_type=HEI"),)
    filtered = TabRequest("words", "region", hei, weighted=True)
    hive = open_survey(ensure_partitioned(n), check_data=False)
    out = {"single_file_filtered_ms": median_ms(_engine_run(survey, filtered), runs),
           "partitioned_filtered_ms": median_ms(_engine_run(hive, filtered), runs),
           "partitioned_unfiltered_ms": median_ms(
               _engine_run(hive, TabRequest("words", "region", weighted=True)), runs)}
    hive.close()
    return out


def bench_size(n: int, runs: int) -> dict[str, Any]:
    from heetui.engine.session import open_survey

    path = ensure_bundle(n)
    survey = open_survey(path, check_data=False)
    out: dict[str, Any] = {"respondents": n, **_overlap_table(survey, runs)}
    out["banner_table"] = _banner_table(survey, runs)
    out |= _single_table(survey, runs) | _whole_commands(survey, path, runs)
    out["banner_ratio"] = out["banner_table"]["ratio_to_single_span"]
    out["engine_overhead_ratio"] = (out["engine_multi_x_overlap_ms"]
                                    / out["bare_duckdb_same_cells_ms"])
    out["partitioned"] = _partitioned(survey, n, runs)
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
