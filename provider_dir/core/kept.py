"""HTML (or any value) made once per key and kept, so pages that show the same thing share one rendering."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Kept(Generic[T]):
    """Values made once per key and kept, up to `limit` of them: beyond it the oldest made goes first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[Hashable, T] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return the value kept for key, made (and kept) first when missing."""
        value = self._values.get(key)
        if value is None:
            value = self._values[key] = make()
            if len(self._values) > self.limit:
                self._values.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._values)
