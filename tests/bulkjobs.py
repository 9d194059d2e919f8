"""Watching a bulk job batch by batch: whether the garbage collector ran and, on SQLite, the page cache it had."""

from __future__ import annotations

import gc
from collections.abc import Callable

from provider_dir.extensions import db


class BatchWatch:
    """A job's per-batch callback (progress, after_batch) that notes what each batch ran with, then calls `then`."""

    def __init__(self, then: Callable[[int], None] | None = None):
        self.then = then
        self.sqlite = db.engine.dialect.name == "sqlite"
        self.sizes: list[int] = []
        self.collector: list[bool] = []  # gc.isenabled() after each batch
        self.caches: set[int] = set()  # SQLite's PRAGMA cache_size after each batch (empty on PostgreSQL)

    def __call__(self, n: int) -> None:
        self.sizes.append(n)
        self.collector.append(gc.isenabled())
        if self.sqlite:
            self.caches.add(cache_size())
        if self.then is not None:
            self.then(n)

    def bulk_cache(self, megabytes: int) -> set[int]:
        """Return what `caches` holds when every batch ran with a bulk cache of `megabytes` (KiB, negative)."""
        return {-megabytes * 1024} if self.sqlite else set()


def cache_size() -> int:
    """Return SQLite's page cache setting on the session's connection."""
    return db.session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
