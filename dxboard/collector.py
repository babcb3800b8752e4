"""Pausing Python's cyclic garbage collector while building many objects at once.

An evaluation builds 100,000s of small result objects that form no reference cycles.
Every 700 new container objects start a collection, and the collections keep walking
what the previous ones kept: a quarter of a province evaluation went on collections
that freed nothing (docs/performance.md). Reference counting still frees everything at
once; only the search for cycles waits until the block ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    lock = threading.Lock()
    active = 0  # blocks running now, in any thread
    was_enabled = True  # the collector's state before the first of them


@contextmanager
def paused() -> Iterator[None]:
    """Run the block without cyclic collections. Blocks may nest and overlap across
    threads: the collector runs again when the last one ends, if it ran before the first."""
    with _Pauses.lock:
        if _Pauses.active == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.active += 1
    try:
        yield
    finally:
        with _Pauses.lock:
            _Pauses.active -= 1
            if _Pauses.active == 0 and _Pauses.was_enabled:
                gc.enable()
