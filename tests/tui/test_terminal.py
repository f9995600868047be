"""The app in a real terminal (tmux): the first screen shows the table and its base."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid

import pytest

from tmux_helpers import alive, capture, kill, start_tmux, tmux

pytestmark = [pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
              pytest.mark.slow]


@pytest.mark.parametrize(("width", "height"), [(120, 40), (80, 24)])
def test_first_screen_in_tmux(width, height):
    session = f"heetui-{uuid.uuid4().hex[:8]}"
    cmd = f"{sys.executable} -m heetui"
    start_tmux(session, width, height, cmd)
    try:
        # tmux may show the first frame half drawn (the table, not yet the status line):
        # wait until every expected part is on screen, then assert each
        expected = ("Base (unweighted)", "602", "relationship", "Very positive",
                    "Banner: none")
        screen = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = capture(session)
            if all(text in screen for text in expected):
                break
            time.sleep(0.25)
        for text in expected:
            assert text in screen, screen
        tmux("send-keys", "-t", session, "q", check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            running = alive(session)
            if not running:
                break
            time.sleep(0.2)
        assert not running, "q did not quit the app"
    finally:
        kill(session)


class SlowTerminal:
    """The app in a 80×24 pseudo-terminal whose reader drains its output at ~8 KB/s (400
    bytes every 50 ms) and reads nothing while ``stalled`` is set."""

    def __init__(self) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        self.proc = subprocess.Popen([sys.executable, "-m", "heetui"], stdin=slave,
                                     stdout=slave, stderr=slave, env=env,
                                     start_new_session=True)
        os.close(slave)
        self.received = bytearray()
        self.lock = threading.Lock()
        self.stalled = threading.Event()
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        while True:
            while self.stalled.is_set():
                time.sleep(0.05)
            try:
                chunk = os.read(self.master, 400)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.received.extend(chunk)
            time.sleep(0.05)

    def seen(self, text: str, since: int = 0, timeout: float = 90) -> int:
        """Waits until ``text`` is on the output read after byte ``since``; returns how much
        has been read."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                plain = re.sub(rb"\x1b\[[0-9;?<>]*[A-Za-z]", b"",
                               bytes(self.received[since:]))
            if text.encode() in plain:
                with self.lock:
                    return len(self.received)
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; last output: "
                             f"{bytes(self.received[-400:])!r}")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        os.close(self.master)


def test_keeps_working_when_the_terminal_reads_slowly():
    """A slow SSH link: the terminal drains the app's output at ~8 KB/s in small bursts,
    and stalls for 3 s (the app's writes then block once the terminal buffer, ~16 KB,
    is full) while keys arrive typed ahead. The app must act on every key and quit
    cleanly."""
    term = SlowTerminal()
    try:
        mark = term.seen("Base (unweighted)")
        term.stalled.set()
        for keys in (b"g", b"jjjj", b"g", b"kkkk", b"w"):  # chart, rows, table, weights
            os.write(term.master, keys)
            time.sleep(0.6)
        term.stalled.clear()
        term.seen("Weighted", mark)
        os.write(term.master, b"q")
        assert term.proc.wait(timeout=60) == 0
        term.reader.join(timeout=10)
        assert b"Traceback" not in term.received
    finally:
        term.close()
