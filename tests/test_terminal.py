"""The app in a real terminal (tmux): the first screen shows the table and its base."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def start_tmux(session: str, width: int, height: int, cmd: str) -> None:
    """Start a detached tmux session; retry while a previous server is shutting down."""
    for _ in range(20):
        r = subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width),
                            "-y", str(height), cmd], capture_output=True, text=True)
        if r.returncode == 0:
            return
        time.sleep(0.25)
    raise RuntimeError(f"tmux would not start: {r.stderr}")


def _capture(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                          text=True).stdout


@pytest.mark.parametrize(("width", "height"), [(120, 40), (80, 24)])
def test_first_screen_in_tmux(width, height):
    session = f"heetui-{uuid.uuid4().hex[:8]}"
    cmd = f"{sys.executable} -m heetui"
    start_tmux(session, width, height, cmd)
    try:
        screen = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = _capture(session)
            if "Base (unweighted)" in screen and "602" in screen:
                break
            time.sleep(0.25)
        assert "Base (unweighted)" in screen and "602" in screen, screen
        assert "relationship" in screen and "Very positive" in screen
        assert "Banner: none" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = subprocess.run(["tmux", "has-session", "-t", session],
                                   capture_output=True).returncode == 0
            if not alive:
                break
            time.sleep(0.2)
        assert not alive, "q did not quit the app"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
