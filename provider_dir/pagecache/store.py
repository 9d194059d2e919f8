"""A bounded in-memory store of rendered pages: least recently used out first, each entry for a limited time."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredPage:
    """A rendered answer: what a later visitor is sent instead of rendering it again."""

    body: bytes
    status: int
    content_type: str
    stored_at: float
    expires_at: float | None = None  # monotonic; a page that shows the time of day ("open now") goes out of date


class PageStore:
    """Pages by key, at most max_bytes of bodies in all, none older than max_age seconds."""

    def __init__(self, max_bytes: int, max_age: float) -> None:
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._pages: OrderedDict[Hashable, StoredPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # gthread workers share one store between threads
        # Site-wide figures that every page needs, by name: (content version, stored at, value); see memo.py.
        self.figures: dict[str, tuple[int, float, object]] = {}

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def size_bytes(self) -> int:
        """Return the bytes of all stored bodies."""
        return self._bytes

    def get(self, key: Hashable, now: float) -> StoredPage | None:
        """Return the page stored under key, unless it is missing or older than max_age."""
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if now - page.stored_at > self.max_age or (page.expires_at is not None and now >= page.expires_at):
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: StoredPage) -> None:
        """Store a page, dropping the least recently used ones to stay within max_bytes."""
        if len(page.body) > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        """Forget every page and every kept figure."""
        with self._lock:
            self._pages.clear()
            self._bytes = 0
            self.figures.clear()

    def _drop(self, key: Hashable) -> None:
        self._bytes -= len(self._pages.pop(key).body)
