"""The command line as a user runs it, through its own ``main`` in the test's process (the
tests that need a process of its own, ``python -m heetui`` with its exit status, signals
and streams, start one themselves: tests/hostile, tests/project/test_errors.py)."""

from __future__ import annotations

import subprocess
from typing import Any


def run_here(*args: str) -> subprocess.CompletedProcess:
    """The command line's own ``main`` in this process (a second a run less than a process
    of its own), its output caught as a process's would be."""
    import contextlib
    import io

    from heetui.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as e:  # argparse's refusals
            code = e.code if isinstance(e.code, int) else 2
    return subprocess.CompletedProcess(["heetui", *args], code, out.getvalue(), err.getvalue())


def one_sentence(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout[-300:], r.stderr[-500:])
    assert "Traceback" not in r.stderr and r.stderr.startswith("heetui: error: ")
    return r.stderr


def stand_in_app(monkeypatch: Any) -> list[tuple[Any, Any]]:
    """Put a stand-in for the app in its place: `heetui [PATH]` then hands it the survey
    and the files it must never write over, recorded (survey, inputs) in the list returned,
    and nothing is drawn."""
    import heetui.tui.app

    opened: list[tuple[Any, Any]] = []

    class App:
        return_code = 0

        def __init__(self, survey: Any, inputs: Any, config: Any, resume: bool = False
                     ) -> None:
            opened.append((survey, inputs))

        def run(self) -> None:
            pass

    monkeypatch.setattr(heetui.tui.app, "HeetuiApp", App)
    return opened
