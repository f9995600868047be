"""The command line as a user runs it: ``python -m heetui`` in a process of its own."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "heetui", *args], capture_output=True,
                          text=True, timeout=120)


def one_sentence(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout[-300:], r.stderr[-500:])
    assert "Traceback" not in r.stderr and r.stderr.startswith("heetui: error: ")
    return r.stderr
