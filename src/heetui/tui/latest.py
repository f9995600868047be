"""Tracks the newest request so that results of superseded requests are discarded."""

from __future__ import annotations

import threading


class Latest:
    def __init__(self) -> None:
        self._n = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            self._n += 1
            return self._n

    def is_current(self, token: int) -> bool:
        with self._lock:
            return token == self._n
