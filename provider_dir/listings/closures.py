"""Set a clinic's operating status (open, temporarily closed until a date, permanently closed), audited. No Flask.

Owners set it from the portal's edit form, moderators by accepting a correction, the importer from a file's row;
all three go through set_closure, so the rules and the audit row are the same whoever sets it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import object_session

from provider_dir.accounts.models import User
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import Closure
from provider_dir.moderation import log

# Who set it, as the audit log's note says.
SOURCES = ("owner", "correction", "import", "admin")
CLINIC = "clinic"


class ClosureError(ValueError):
    """A closure that cannot be set as asked (a reopening date on a clinic that is not temporarily closed)."""


def closure_values(closure: Closure | str, reopens_on: date | None) -> tuple[Closure, date | None]:
    """Return (closure, reopening date) checked: a reopening date belongs only to a temporary closure."""
    try:
        closure = Closure(closure)
    except ValueError:
        raise ClosureError(f"Unknown closure {closure!r}. Use one of: {', '.join(c.value for c in Closure)}.") from None
    if reopens_on is not None and closure != Closure.TEMPORARY:
        raise ClosureError("Only a temporarily closed clinic has a reopening date.")
    return closure, reopens_on


def set_closure(
    clinic: Clinic,
    closure: Closure | str,
    reopens_on: date | None = None,
    actor: User | None = None,
    source: str = "owner",
    note: str = "",
) -> dict[str, list]:
    """Set the clinic's closure and reopening date; log {field: [old, new]} when anything changed; return it.

    Runs in the caller's transaction (the audit row commits with the change). A reopening date already past is
    allowed (an importer's stale row): the clinic then simply shows as open.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    closure, reopens_on = closure_values(closure, reopens_on)
    changes: dict[str, list] = {}
    old_closure = clinic.closure or Closure.OPEN
    if old_closure != closure:
        changes["closure"] = [old_closure.value, closure.value]
    if clinic.reopens_on != reopens_on:
        changes["reopens_on"] = [_iso(clinic.reopens_on), _iso(reopens_on)]
    if not changes:
        return changes
    clinic.closure, clinic.reopens_on = closure, reopens_on
    if clinic.id is None and (session := object_session(clinic)) is not None:
        session.flush()  # a clinic an importer has just added: the audit row needs its id
    log.record(actor, "closure_set", clinic.id, target_type=CLINIC, clinic_id=clinic.id, changes=changes,
               note=f"set by {source}" + (f": {note}" if note else ""))  # fmt: skip
    return changes


def closure_text(clinic: Clinic, today: date | None = None) -> str:
    """Return the closure in words as the pages show it, e.g. 'Temporarily closed; reopens March 7, 2027'."""
    closure = clinic.effective_closure(today)
    if closure == Closure.TEMPORARY and clinic.reopens_on is not None:
        return f"Temporarily closed; reopens {clinic.reopens_on:%B} {clinic.reopens_on.day}, {clinic.reopens_on.year}"
    return closure.label


def closure_json(clinic: Clinic, today: date | None = None) -> dict:
    """Return the API's closure fields: the closure as of today, and the reopening date while it applies."""
    closure = clinic.effective_closure(today)
    return {
        "closure": closure.value,
        "reopens_on": _iso(clinic.reopens_on) if closure == Closure.TEMPORARY else None,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
