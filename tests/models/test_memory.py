"""Memory a bulk job freed goes back to the operating system."""

from __future__ import annotations

import pytest

from provider_dir.models.memory import give_memory_back
from tests.resident import resident_mb


def test_memory_freed_in_the_middle_of_the_heap_goes_back_to_the_os():
    if not give_memory_back():
        pytest.skip("only the GNU C library can be asked to hand freed memory back")
    # 160 MB in blocks the C library serves from its heap (as SQLite's cache pages are); one in 64 is kept, so
    # the heap cannot simply be cut at its end when the others are freed.
    blocks = [bytearray(8192) for _ in range(20_000)]
    kept = blocks[::64]
    del blocks
    before = resident_mb()
    give_memory_back()
    assert resident_mb() < before - 80
    assert kept  # held to the end, so the freed blocks stay in the middle of the heap
