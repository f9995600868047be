"""Check that the runtime dependencies alone (no test extra: no pandas, no pytest) import
every format: writes a small .sav, .dta, .xlsx and .csv with those dependencies, imports
each with ``heetui import`` and checks the counts of one question. CI runs it in a venv
made with ``pip install -c constraints.txt -e .`` (see .ci/run).

Usage: python scripts/runtime_imports.py
Exits 1 naming each format that failed.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import polars as pl
import pyreadstat

ANSWERS = [1, 2, 2, 1, 3, 2, 1, 1]  # 1 Yes, 2 No, 3 Don't know
LABELS = {1: "Yes", 2: "No", 3: "Don't know"}


def write_files(folder: Path) -> list[Path]:
    frame = pl.DataFrame({"q1": [float(a) for a in ANSWERS],
                          "age": [float(20 + 3 * i) for i in range(len(ANSWERS))]})
    labels = {"q1": {float(k): v for k, v in LABELS.items()}}
    pyreadstat.write_sav(frame, str(folder / "s.sav"), variable_value_labels=labels)
    pyreadstat.write_dta(frame, str(folder / "s.dta"),
                         variable_value_labels={"q1": dict(LABELS)})
    rows = [["q1", "age"]] + [[LABELS[a], 20 + 3 * i] for i, a in enumerate(ANSWERS)]
    with (folder / "s.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(folder / "s.xlsx")
    return [folder / f"s{suffix}" for suffix in (".sav", ".dta", ".xlsx", ".csv")]


def check(source: Path, folder: Path) -> str | None:
    """None when ``source`` imports and tabulates q1 as written; else what went wrong."""
    out = folder / f"bundle-{source.suffix[1:]}"
    r = subprocess.run([sys.executable, "-m", "heetui", "import", str(source), "-o", str(out)],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        return r.stderr.strip() or f"exit {r.returncode}"
    r = subprocess.run([sys.executable, "-m", "heetui", "tab", "q1", "--data", str(out),
                        "--show", "count"], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        return r.stderr.strip() or f"exit {r.returncode}"
    for code, label in LABELS.items():
        want = ANSWERS.count(code)
        line = next((x for x in r.stdout.splitlines() if x.startswith(label + " ")), "")
        if line.split()[-1:] != [str(want)]:
            return f"{label!r} should count {want}: {line!r}"
    return None


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="heetui-runtime-") as tmp:
        folder = Path(tmp)
        failed = 0
        for source in write_files(folder):
            problem = check(source, folder)
            print(f"{source.suffix}: {'ok' if problem is None else 'FAILED: ' + problem}")
            failed += problem is not None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
