"""Import at scale (issue 22, item 7): the progress bar stays on a terminal, through reading,
the columns and writing; nothing of it reaches a pipe. Timing and memory at a million rows
are measured by benchmarks/bench_import.py, not here."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys

from heetui.importers import import_source


def _csv(path, rows: int = 3000) -> None:
    path.write_text("id,g,q,score\n" + "".join(f"{i},{'ab'[i % 2]},{i % 5},{i * 0.5}\n"
                                                for i in range(1, rows + 1)))


def test_the_import_reports_each_stage_in_order(tmp_path):
    src = tmp_path / "s.csv"
    _csv(src)
    seen: list[tuple[str, int, int]] = []
    import_source(src, tmp_path / "b", progress=lambda *a: seen.append(a))
    stages = [s for s, _, _ in seen]
    assert stages.index("reading") < stages.index("columns") < stages.index("writing")
    for stage in ("reading", "columns", "writing"):
        done = [d for s, d, _ in seen if s == stage]
        assert done == sorted(done)
        assert [(d, t) for s, d, t in seen if s == stage][-1][0] == \
            [(d, t) for s, d, t in seen if s == stage][-1][1]  # each stage ends full


def _read_all(fd: int) -> str:
    out = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 5)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        out += chunk
    return out.decode("utf-8", "replace")


def test_the_progress_bar_shows_on_a_terminal_only(tmp_path):
    src = tmp_path / "s.csv"
    _csv(src)
    master, slave = pty.openpty()
    try:
        r = subprocess.run([sys.executable, "-m", "heetui", "import", str(src), "-o",
                            str(tmp_path / "b")], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=slave, timeout=120)
        os.close(slave)
        shown = _read_all(master)
    finally:
        os.close(master)
    assert r.returncode == 0, shown
    # the bar redraws a few times a second, so a quick import may show only some stages
    assert any(stage in shown for stage in ("reading", "columns", "writing")), shown
    assert "wrote " in shown
    piped = subprocess.run([sys.executable, "-m", "heetui", "import", str(src), "-o",
                            str(tmp_path / "c")], capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "\r" not in piped.stderr
    assert not any(stage in piped.stderr for stage in ("reading", "columns", "writing"))
