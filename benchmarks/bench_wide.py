"""A wide import, survey-wide (issue 31 item 8): a CSV of thousands of mixed columns
(rating grids of 20 items, 0/1 multi-select sets of 10, 12-category questions, decimals,
free text, 0–10 ratings, in turn) imported, then `info`, `profile` and `book` (xlsx and
json) on it, each one process timed by /usr/bin/time -v: wall time and peak RSS.

Usage: python benchmarks/bench_wide.py [--columns 3000] [--rows 1000]
Run from the repository root (the tree's own code is put first on the path). Results go to
benchmarks/wide_results.json; README's Scaling section quotes them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
WORDS = ["quick", "slow", "helpful", "late", "clear", "vague", "kind", "rude", "cheap", "costly"]


def write_csv(path: Path, columns: int, rows: int) -> None:
    """``columns`` columns of the six kinds in turn (a grid or a set is many columns), then
    ``rows`` seeded random answers."""
    rng = random.Random(columns * 7 + rows)
    names: list[tuple[str, str]] = []
    block = 0
    while len(names) < columns:
        kind = block % 6
        if kind == 0:
            names += [(f"grid{block}_{i}", "agree") for i in range(1, 21)]
        elif kind == 1:
            names += [(f"set{block}_choice{i}", "flag") for i in range(1, 11)]
        else:
            names.append({2: (f"Band {block}", "band"), 3: (f"amount_{block}", "decimal"),
                          4: (f"Q{block} why", "words"), 5: (f"score{block}", "ten")}[kind])
        block += 1
    names = names[:columns]
    draw = {"agree": lambda: rng.randint(1, 5), "flag": lambda: rng.randint(0, 1),
            "band": lambda: rng.randint(1, 12), "decimal": lambda: round(rng.gauss(40, 9), 2),
            "words": lambda: " ".join(rng.choices(WORDS, k=4)), "ten": lambda: rng.randint(0, 10)}
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["respondent"] + [n for n, _ in names])
        for r in range(rows):
            out.writerow([r + 1] + [draw[k]() for _, k in names])


def timed(args: list[str]) -> dict[str, float]:
    """One heetui command in its own process: wall seconds and peak RSS in MB."""
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "heetui", *args],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"heetui {' '.join(args)} failed: {done.stderr[-800:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and rss, done.stderr
    seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.group(1).split(":"))))
    return {"seconds": round(seconds, 2), "peak_mb": round(int(rss.group(1)) / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--columns", type=int, default=3000)
    ap.add_argument("--rows", type=int, default=1000)
    args = ap.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source, bundle = folder / "wide.csv", folder / "bundle"
        write_csv(source, args.columns, args.rows)
        data = ["--data", str(bundle)]
        for name, cmd in (
                ("import", ["import", str(source), "-o", str(bundle)]),
                ("info", ["info", *data]),
                ("profile", ["profile", *data, "--filter", "grid0_1=1"]),
                ("book xlsx", ["book", *data, "-o", str(folder / "book.xlsx")]),
                ("book json", ["book", *data, "--format", "json", "-o",
                               str(folder / "book.json")])):
            results[name] = timed(cmd)
            print(f"{name:10} {results[name]['seconds']:8.2f} s {results[name]['peak_mb']:6.0f} MB",
                  flush=True)
    (HERE / "wide_results.json").write_text(json.dumps(
        {"columns": args.columns, "rows": args.rows, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
