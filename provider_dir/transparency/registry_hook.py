"""Where the report reads how many registry checks (NPPES, LEIE) ran: none exist yet, so it says "not yet".

The registry-checks feature replaces CHECKS_RUN with a function (start, end) -> int counting the checks it ran in
that period; until then the report shows "not yet" rather than a zero that would claim checks were possible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

CHECKS_RUN: Callable[[date, date], int] | None = None


def checks_run(start: date, end: date) -> int | None:
    """Return how many registry checks ran in [start, end), or None while no registry check exists."""
    return CHECKS_RUN(start, end) if CHECKS_RUN is not None else None
