"""The system clipboard, beside the terminal's (OSC 52).

Textual copies through the terminal (OSC 52), which works over SSH where the terminal allows
it and silently does nothing where it does not (some terminals, tmux without
set-clipboard). Where a desktop clipboard is at hand, the text is also handed to the first
tool present that applies there: wl-copy under Wayland, xclip or xsel under X, pbcopy on a
Mac, clip.exe on Windows or WSL. A tool that is missing or fails is reported, never raised;
the tool runs in a worker thread (tui/exports.py) with a time limit, so the app never waits.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Mapping

TIMEOUT = 3.0  # seconds a clipboard tool may take to read the text


def _wsl() -> bool:
    return "microsoft" in platform.uname().release.lower()


def candidates(env: Mapping[str, str], system: str) -> list[list[str]]:
    """The clipboard commands that apply in this session, in order of preference."""
    out: list[list[str]] = []
    if system == "darwin":
        out.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        out.append(["wl-copy"])
    if env.get("DISPLAY"):
        out += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if system == "win32" or (system == "linux" and _wsl()):
        out.append(["clip.exe"])
    return out


def system_copier() -> list[str] | None:
    """The first clipboard command that applies here and is installed, or None."""
    for command in candidates(os.environ, sys.platform):
        found = shutil.which(command[0])
        if found:
            return [found, *command[1:]]
    return None


def copy_with(command: list[str], text: str) -> str | None:
    """Hand ``text`` to ``command``; None when done, else why not, as a phrase."""
    name = os.path.basename(command[0])
    data = text.encode("utf-16-le" if name == "clip.exe" else "utf-8")
    try:
        done = subprocess.run(command, input=data, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return f"{name} did not answer within {TIMEOUT:g} s"
    except OSError as e:
        return f"{name} could not be run ({e.strerror or e})"
    if done.returncode != 0:
        return f"{name} failed (exit status {done.returncode})"
    return None
