"""Python's cyclic garbage collector paused while many long-lived objects are made.

A survey-wide computation makes some 80 result objects per table (cells, tests, rows,
columns) that live as long as the book, and no reference cycles; writing its workbook makes
as many again (xlsxwriter's cells), kept until the file is closed. As they pile up, Python
3.11 walks every object alive again in a full collection each time the long-lived ones have
grown by a quarter: for a book of 3,000 tables, three or four full walks of a few hundred
thousand objects while the tables are made (a third of the engine's time) and as many
while the workbook is written, each finding nothing to free. Paused, each object is walked
once, when collections resume (or never, if it is gone by then).

What a block keeps (``keep=True``: a book's tables, which it knows to be alive and free of
cycles) need not be walked at all: a young object is walked once more each time it moves
to an older generation (two walks) and then in the next full collection, some 300 ns an
object on this machine. Such a block ends by moving everything alive into the oldest
generation at once, with the documented pair gc.freeze() (every object into the permanent
generation) and gc.unfreeze() (the permanent generation back into the oldest one); it
counts as nothing new there, so it brings no full collection forward. This is skipped when
something is already frozen (the app freezes what it loaded: unfreezing would undo that).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_paused = 0  # computations running with the collector paused (see collection_paused)
_was_enabled = False
_keep = False  # a block of the pause keeps what it made
_pause_lock = threading.Lock()


@contextmanager
def collection_paused(keep: bool = False) -> Iterator[None]:
    """No automatic collection inside the block; with ``keep``, what is alive at its end
    goes straight into the oldest generation when the pause ends. Nested and concurrent
    blocks (threads) share one pause; the collector is left as it was found (enabled or
    not)."""
    global _paused, _was_enabled, _keep
    with _pause_lock:
        if _paused == 0:
            _was_enabled, _keep = gc.isenabled(), False
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            _keep = _keep or keep
            if _paused == 0 and _was_enabled:
                if _keep and gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()
