"""Import at scale: `heetui import` of a generated 1,000,000-row x 50-column CSV.

Usage: python benchmarks/bench_import.py [--rows 1000000] [--runs 3] [--keep]

The CSV is generated once into benchmarks/_bundles/ (git-ignored), shaped like a large
survey export: an id, 20 single-choice codes with blanks, 8 text categories with R's NA,
two multi-response questions of five 0/1 columns, 6 decimals and 4 incomes with NA, and
one comment column (10% answered). Each run times the whole process (`python -m heetui
import … --force`, interpreter start to exit) and reads the child's peak resident memory
with resource.getrusage(RUSAGE_CHILDREN) (each run in a fresh parent, so the peak is that
run's). Targets: at most 10 s and 800 MB. Prints one JSON object; not run by CI or pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_bundles"
TARGET_SECONDS = 10.0
TARGET_MB = 800.0


def ensure_csv(rows: int) -> Path:
    path = DATA / f"import_{rows}x50.csv"
    if path.exists():
        return path
    import numpy as np
    import polars as pl

    print(f"generating {path.name} ...", file=sys.stderr)
    rng = np.random.default_rng(2022)
    cols: dict[str, object] = {"respondent_id": np.arange(1, rows + 1)}
    for i in range(1, 21):  # single-choice codes 1-5, 3% blank
        v = rng.integers(1, 6, rows).astype(float)
        v[rng.random(rows) < 0.03] = np.nan
        cols[f"q{i}"] = pl.Series(v).fill_nan(None).cast(pl.Int64)
    towns = np.array(["North", "South", "East", "West", "Midlands", "NA"])
    for i in range(1, 9):  # text categories, "NA" as R writes it
        cols[f"cat{i}"] = towns[rng.integers(0, len(towns), rows)]
    for g in (1, 2):  # multi-response: q{g}m_1 … q{g}m_5
        for k in range(1, 6):
            cols[f"m{g}_{k}"] = (rng.random(rows) < 0.3).astype(np.int8)
    for i in range(1, 7):
        cols[f"score{i}"] = np.round(rng.normal(50, 15, rows), 2)
    for i in range(1, 5):
        v = rng.integers(8_000, 250_000, rows).astype(float)
        v[rng.random(rows) < 0.05] = np.nan
        cols[f"income{i}"] = pl.Series(v).fill_nan(None).cast(pl.Int64)
    words = np.array(["slow service", "friendly staff", "too expensive", "easy to use",
                      "would recommend to a friend", "the app keeps crashing"])
    comment = words[rng.integers(0, len(words), rows)].astype(object)
    comment[rng.random(rows) >= 0.1] = None
    cols["comment"] = pl.Series(comment.tolist(), dtype=pl.String)
    frame = pl.DataFrame(cols)
    assert frame.width == 50, frame.width
    DATA.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    frame.write_csv(tmp, null_value="NA")
    tmp.rename(path)
    return path


def one_run(csv: Path, out: Path) -> dict[str, float]:
    """Time one import in a fresh parent (a child's peak RSS is reported per parent)."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        f"r = subprocess.run([sys.executable, '-m', 'heetui', 'import', {str(csv)!r}, '-o', "
        f"{str(out)!r}, '--force'], capture_output=True, text=True)\n"
        "s = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': s, 'peak_mb': rss, 'rc': r.returncode, "
        "'stderr': r.stderr[-400:]}))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    d = json.loads(res.stdout)
    if d["rc"] != 0:
        raise SystemExit(f"import failed: {d['stderr']}")
    return d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the imported bundle")
    args = ap.parse_args()
    csv = ensure_csv(args.rows)
    out = DATA / f"import_{args.rows}_bundle"
    runs = [one_run(csv, out) for _ in range(args.runs)]
    secs = [r["seconds"] for r in runs]
    mbs = [r["peak_mb"] for r in runs]
    result = {
        "benchmark": "heetui import, CSV",
        "rows": args.rows, "columns": 50,
        "csv_mb": round(csv.stat().st_size / 2**20, 1),
        "seconds_median": round(statistics.median(secs), 2),
        "seconds_runs": [round(s, 2) for s in secs],
        "peak_rss_mb_max": round(max(mbs), 1),
        "peak_rss_mb_runs": [round(m, 1) for m in mbs],
        "target_seconds": TARGET_SECONDS, "target_mb": TARGET_MB,
        "within_target": statistics.median(secs) <= TARGET_SECONDS and max(mbs) <= TARGET_MB,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                   f"{platform.python_version()}",
    }
    print(json.dumps(result, indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
