"""Record what heetui prints for the README's examples, to prove a refactor changes nothing.

    python scripts/golden.py OUT_DIR      # each command's stdout, stderr, status and files
    diff -r BEFORE_DIR AFTER_DIR          # byte-identical, or the change is a behaviour change

Workbooks are unzipped with their timestamps (docProps/core.xml) left out, so two runs of the
same code give the same files. Runs on the bundled survey only; takes about a minute.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

COMMANDS: tuple[str, ...] = (
    "info",
    "info --json",
    "tab relationship --by standard",
    "tab relationship --by stakeholder_type,seniority,hee_team",
    "tab relationship --by stakeholder_type/seniority",
    "tab words --by region --weighted --compare rest",
    "tab words --by region --weighted --show both",
    "tab effectiveness --by region --filter 'stakeholder_type=NHS Trust' --format json",
    "tab region",
    "tab improve --by stakeholder_type",
    "tab relationship --by standard --width 80",
    "tab relationship --by standard --format csv",
    "tab relationship --by standard --format md",
    "tab relationship --by standard --format xlsx -o t.xlsx",
    "tab effectiveness --by standard --weighted --format json",
    "tab words --by standard --format json --correction bh --sig-level 0.05,0.10",
    "chart relationship --by stakeholder_type --width 80",
    "chart words --by region --width 120",
    "profile --filter region=London",
    "profile --filter region=London --format json --weighted",
    "verbatims --question improve --limit 5",
    "verbatims --filter region=London --format json --limit 5",
    "book --by standard --weighted -o hee2019.xlsx",
    "book --by standard -o hee2019.html",
    "book --by region --group Engagement --format md",
    "book --by standard --findings-bh -o book.json",
    "book --by standard --format csv -o book.csv",
    "tab nosuchquestion",
    "tab relationship --by nosuch",
    "tab relationship --filter region=Atlantis",
    "--help",
    "tab --help",
    "book --help",
)


def _normalise(folder: Path) -> None:
    """Unzip every workbook in place (minus its timestamps) so runs compare byte for byte."""
    for book in sorted(folder.glob("*.xlsx")):
        target = folder / (book.name + ".d")
        with zipfile.ZipFile(book) as archive:
            for name in sorted(archive.namelist()):
                if name == "docProps/core.xml":
                    continue
                out = target / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.read(name))
        book.unlink()


def record(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # the commands run in a temporary folder: a relative PYTHONPATH (src) is made absolute
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(Path(p).resolve()) for p in paths
                                                         if p)}
    for number, command in enumerate(COMMANDS, start=1):
        with tempfile.TemporaryDirectory() as work:
            done = subprocess.run(
                ["heetui", *shlex.split(command)], cwd=work, env=env, capture_output=True,
                check=False
            )
            folder = out / f"{number:02d}"
            folder.mkdir(exist_ok=True)
            (folder / "command").write_text(command + "\n")
            (folder / "stdout").write_bytes(done.stdout)
            (folder / "stderr").write_bytes(done.stderr)
            (folder / "status").write_text(f"{done.returncode}\n")
            for made in Path(work).iterdir():
                (folder / made.name).write_bytes(made.read_bytes())
            _normalise(folder)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/golden.py OUT_DIR")
    record(Path(sys.argv[1]))
