"""What the app does with an exception it did not expect: the person at the keyboard gets
one sentence and a working app, the traceback goes to a log file in the user's state folder
(platformdirs: $XDG_STATE_HOME/heetui on Linux) for the bug report."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Literal, TypeVar

from platformdirs import user_state_path

from heetui.errors import HeetuiError

T = TypeVar("T")


def log_path() -> Path:
    return user_state_path("heetui", appauthor=False) / "errors.log"


def record(exc: BaseException) -> Path | None:
    """Append the traceback to the log; None when the log cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
            f.write("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return path


def describe(exc: BaseException) -> str:
    """One sentence for an unexpected exception, naming the log that holds the details."""
    where = record(exc)
    what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, OSError):
        what = f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}"
    details = f"; details are in {where}" if where else ""
    return f"That did not work ({what}){details}."


def attempt(fn: Callable[[], T]) -> tuple[T | None, str | None]:
    """``fn()``, or None and the sentence to show: heetui's own message for a mistake (any
    ``HeetuiError``), a logged description for anything else."""
    value, error, _ = attempted(fn)
    return value, error


def attempted(fn: Callable[[], T]) -> tuple[T | None, str | None, Literal["warning", "error"]]:
    """``attempt``, and how to show its sentence: a mistake (heetui's own message) as a
    warning, anything else as an error."""
    try:
        return fn(), None, "warning"
    except HeetuiError as e:
        return None, e.message(), "warning"
    except Exception as e:  # noqa: BLE001 - the worker boundary: keep the app alive
        return None, describe(e), "error"
