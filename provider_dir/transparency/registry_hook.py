"""Where the report reads how many registry checks (NPPES, LEIE) ran: the registry feature's count by default.

CHECKS_RUN is a function (start, end) -> int counting the checks run in that period; set it to None and the report
shows "not yet" rather than a zero that would claim checks were possible (a site without the registry feature).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from provider_dir.registry.services import checks_run as registry_checks_run

CHECKS_RUN: Callable[[date, date], int] | None = registry_checks_run


def checks_run(start: date, end: date) -> int | None:
    """Return how many registry checks ran in [start, end), or None while no registry check exists."""
    return CHECKS_RUN(start, end) if CHECKS_RUN is not None else None
