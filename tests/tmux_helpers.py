"""The app in a real terminal: tmux on a server of this test process's own (``-L``), so
parallel test workers, and the user's own tmux, never share sessions or a server."""

from __future__ import annotations

import atexit
import os
import subprocess
import time
from pathlib import Path

# One server per worker process: pytest-xdist names its workers gw0, gw1, …
SOCKET = f"heetui-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
# where tmux puts a -L server's socket (tmux(1): $TMUX_TMPDIR or /tmp, then tmux-UID)
SOCKET_PATH = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}" / SOCKET


def tmux(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True,
                          check=check)


def start_tmux(session: str, width: int, height: int, cmd: str) -> None:
    """Start a detached tmux session; retry while a previous server is shutting down."""
    for _ in range(20):
        r = tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), cmd)
        if r.returncode == 0:
            return
        time.sleep(0.25)
    raise RuntimeError(f"tmux would not start: {r.stderr}")


def capture(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session).stdout


def alive(session: str) -> bool:
    return tmux("has-session", "-t", session).returncode == 0


def kill(session: str) -> None:
    tmux("kill-session", "-t", session)


@atexit.register
def _remove_server() -> None:
    """The server and its socket file go with the test process (tmux leaves the file)."""
    if SOCKET_PATH.exists():
        tmux("kill-server")
        SOCKET_PATH.unlink(missing_ok=True)
