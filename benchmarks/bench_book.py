"""Survey-wide benchmarks (issue 21): tab books and profiles, whole process and engine, each
beside the bare DuckDB queries the engine sends for the same cells, run in turns; and the
engine with its scans run one after another instead of the next one ahead (survey_wide.ahead)
while the tables of the last one are made.

Usage: python benchmarks/bench_book.py [--runs 3] [--skip-10m]
Bundles: the HEE demo at 1M and 10M respondents (benchmarks/_bundles, made by
bench_engine.py), a 3,000-variable survey (single-choice 1–5, 1,000 respondents) and a
300-variable survey of 1,000,000 respondents, both generated here once. Results go to
benchmarks/book_results.json, then RESULTS.md (report.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLES = HERE / "_bundles"
sys.path.insert(0, str(HERE))


def wide_bundle(variables: int, respondents: int) -> Path:
    """A survey of ``variables`` single-choice questions (codes 1–5, a mean score each) and
    one 3-category segment, random answers."""
    path = BUNDLES / f"wide_{variables}x{respondents}"
    if (path / "respondents.parquet").exists():
        return path
    import numpy as np
    import polars as pl

    from heetui.survey.write import write_bundle

    rng = np.random.default_rng(variables)
    cols = {"respondent_id": pl.Series(np.arange(1, respondents + 1), dtype=pl.UInt32),
            "seg": pl.Series(rng.integers(1, 4, respondents), dtype=pl.UInt8)}
    for i in range(variables):
        cols[f"q{i}"] = pl.Series(rng.integers(1, 6, respondents), dtype=pl.UInt8)
    scale = [{"code": c, "label": str(c), "value": c} for c in range(1, 6)]
    cb = {"survey": {"title": f"Wide survey ({variables} variables)",
                     "id_column": "respondent_id"},
          "segments": [{"id": "seg", "type": "single", "text": "Segment",
                        "options": [{"code": c, "label": f"S{c}"} for c in (1, 2, 3)]}],
          "questions": [{"id": f"q{i}", "type": "single", "text": f"Question {i}",
                         "options": scale} for i in range(variables)]}
    print(f"generating {variables} variables x {respondents:,} ...", file=sys.stderr)
    write_bundle(path, cb, pl.DataFrame(cols), None, force=True)
    return path


CHILD = ("import resource, sys\n"
         "from heetui.cli.main import main\n"
         "code = main(sys.argv[1:])\n"
         "sys.stderr.write(f'\\nRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\n"
         "sys.exit(code)\n")


def process(args: list[str]) -> tuple[float, float]:
    """Wall time (ms) of `heetui ARGS` in a child process (imports included), and that
    child's own peak RSS (MB)."""
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", CHILD, *args], check=True, capture_output=True,
                       text=True)
    ms = (time.perf_counter() - t) * 1000
    rss_kb = int(r.stderr.strip().splitlines()[-1].split()[1])
    return ms, rss_kb / 1024


def engine_and_bare(path: Path, work: str, runs: int) -> dict:
    """The engine's book (or profile) in this process, and the same DuckDB queries alone
    (recorded from one engine run, then replayed without any Python around them)."""
    from bench_engine import times_ms

    from heetui.engine import survey_wide
    from heetui.engine.book import BookRequest, tab_book
    from heetui.engine.crosstab import TabRequest
    from heetui.engine.filters import parse_filter
    from heetui.engine.profiling import profile
    from heetui.engine.session import open_survey

    survey = open_survey(path, check_data=False)
    cb = survey.codebook
    banner = "standard" if cb.banner("standard") else "seg"
    weighted = survey.has_weight

    def engine() -> None:
        survey.clear_cache()
        if work == "book":
            tab_book(survey, BookRequest(TabRequest("", banner, weighted=weighted)))
        else:
            first = cb.segments[0]
            profile(survey, (parse_filter(cb, f"{first.id}={first.options[0].code}"),))

    recorded: list[tuple[str, object]] = []
    real = {"query": survey.query, "query_arrays": survey.query_arrays}
    for name, fn in real.items():
        setattr(survey, name, lambda q, fn=fn, name=name: (
            recorded.append((name, q)), fn(q))[1])
    engine()
    for name, fn in real.items():
        setattr(survey, name, fn)

    def bare() -> None:
        for name, q in recorded:
            real[name](q)

    def in_turn() -> None:  # the engine with each scan run only when its tables are due
        ahead = survey_wide.ahead
        survey_wide.ahead = lambda tasks: (task() for task in tasks)
        try:
            engine()
        finally:
            survey_wide.ahead = ahead

    eng, raw, serial = times_ms([engine, bare, in_turn], runs)
    survey.close()
    return {"engine_ms": statistics.median(eng), "bare_ms": statistics.median(raw),
            "ratio": statistics.median(eng) / statistics.median(raw), "queries": len(recorded),
            "serial_ms": statistics.median(serial),
            "serial_ratio": statistics.median(serial) / statistics.median(raw)}


def book_process(path: Path, by: str, runs: int, weighted: bool) -> dict:
    out = Path(tempfile.mkdtemp(prefix="heetui-book-")) / "book.xlsx"
    args = ["book", "--by", by, "-o", str(out), "--data", str(path)] + (
        ["--weighted"] if weighted else [])
    process(args)  # warm: validation cache, file cache
    times = [process(args) for _ in range(runs)]
    return {"process_ms": statistics.median(t for t, _ in times),
            "peak_rss_mb": max(r for _, r in times), "xlsx_mb": out.stat().st_size / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-10m", action="store_true")
    args = ap.parse_args()
    from bench_engine import ensure_bundle, machine

    BUNDLES.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    sizes = [1_000_000] + ([] if args.skip_10m else [10_000_000])
    for n in sizes:
        path = ensure_bundle(n)
        results[f"hee_{n}_book"] = {**book_process(path, "standard", args.runs, True),
                                    **engine_and_bare(path, "book", args.runs)}
    wide = wide_bundle(3000, 1000)
    results["wide_3000_book"] = {**book_process(wide, "seg", args.runs, False),
                                 **engine_and_bare(wide, "book", args.runs)}
    runs = sorted(process(["profile", "--filter", "seg=1", "--data", str(wide)])
                  for _ in range(args.runs))
    ms, rss = runs[len(runs) // 2]
    results["wide_3000_profile"] = {"process_ms": ms, "peak_rss_mb": rss,
                                    **engine_and_bare(wide, "profile", args.runs)}
    big = wide_bundle(300, 1_000_000)
    results["wide_300x1m_book"] = {**book_process(big, "seg", 1, False),
                                   **engine_and_bare(big, "book", 1)}
    doc = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "runs": args.runs,
           "results": results}
    (HERE / "book_results.json").write_text(json.dumps(doc, indent=2) + "\n")
    import report

    print(report.write())


if __name__ == "__main__":
    main()
