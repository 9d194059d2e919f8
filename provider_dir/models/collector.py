"""Python's cyclic garbage collector paused while a bulk job runs, so that its cost stays in proportion to the rows."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during the block (nested blocks too), then set it back as it was.

    A bulk job keeps large containers alive while it works (every staff NPI of the site in a set, every clinic id
    in a list: millions of entries at a million clinics) and makes a batch of row dicts after another. Each batch
    outlives the collector's young generations, so every few batches the collector runs a full pass, and a full
    pass walks every entry of those containers: the job then costs rows x size, more per row the larger the
    site (the NPPES load at a million clinics spent a third of its CPU there, against a fifth at 100,000).
    The jobs that use this write through SQLAlchemy Core with plain dicts and tuples, which make no reference
    cycles: reference counting frees each batch, so the collector has nothing to find while they run.
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
