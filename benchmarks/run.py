"""Run every benchmark and write benchmarks/RESULTS.md: the engine suite, then the app.

Usage: python benchmarks/run.py [--sizes 10000 1000000 10000000] [--runs 11] [--demo]
The first run generates the demo bundles (the 10M one takes about a minute).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="+", default=["10000", "1000000", "10000000"])
    ap.add_argument("--runs", default="11")
    ap.add_argument("--demo", action="store_true")
    args = ap.parse_args()
    engine = [sys.executable, str(HERE / "bench_engine.py"), "--sizes", *args.sizes,
              "--runs", args.runs, *(["--demo"] if args.demo else [])]
    subprocess.run(engine, check=True)
    subprocess.run([sys.executable, str(HERE / "bench_tui.py"), "--sizes", *args.sizes],
                   check=True)


if __name__ == "__main__":
    main()
