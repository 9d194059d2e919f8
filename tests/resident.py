"""How much memory this test process holds."""

from __future__ import annotations

import os


def resident_mb() -> float:
    """Return this process's resident memory in MB (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
