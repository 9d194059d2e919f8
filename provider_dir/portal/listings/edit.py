"""What an owner may change on a listing, and how a change is saved: allow-listed, geocoded, screened, audited.

An owner's form reaches the listing only through OWNER_FIELDS: status, score, verified flags, slug and every other
column are out of reach whatever is posted. Text that may promise a cure is held for a moderator as a ListingChange;
the rest of the same save applies at once.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.geo.places.placement import locate_address
from provider_dir.hours.parse import format_periods, parse_hours, periods_from_json, periods_to_json
from provider_dir.hours.services import set_opening_hours
from provider_dir.listings.closures import set_closure
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, InsuranceOption, Route
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.portal.listings.screening import screen_listing_fields
from provider_dir.portal.models import ListingChange
from provider_dir.portal.terms import grant_ownership, record_acceptance
from provider_dir.portal.vocab import ChangeKind, ChangeStatus

FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "street": "Street address",
    "city": "City",
    "state": "State",
    "zip_code": "ZIP code",
    "phone": "Phone",
    "website": "Website",
    "opening_hours": "Opening hours",
    "hours": "Notes about the hours",
    "routes": "Routes offered",
    "conditions": "Conditions treated",
    "price_per_infusion_usd": "Price per infusion",
    "price_series_usd": "Price of a series",
    "series_infusions": "Infusions in a series",
    "insurance": "Insurance",
    "languages": "Languages",
    "accessibility": "Accessibility",
    "accepting_new_patients": "Accepting new patients",
    "telehealth_intake": "Telehealth intake",
    "offers_psychotherapy": "Psychotherapy alongside ketamine",
    "wheelchair_accessible": "Wheelchair accessible",
    "closure": "Open or closed",
    "reopens_on": "Reopening date",
}
# Everything an owner may set, and nothing else.
OWNER_FIELDS = tuple(name for name in FIELD_LABELS if name != "name")  # closure: through set_closure

ADDRESS_FIELDS = ("street", "city", "state", "zip_code")
PLACED_BY = ("city", "state", "zip_code")
# Free text a listing shows; screened for cure / guarantee / miracle claims (checklist item 20).
SCREENED_FIELDS = ("name", "description", "hours", "accessibility", "languages")
CLINIC = "clinic"
LISTING_CHANGE = "listing_change"


class AddressNotPlaced(ValueError):
    """The gazetteer knows neither the ZIP code nor the city and state."""


@dataclass
class EditOutcome:
    """What one save did: the fields applied now, and the change held for a moderator (if any)."""

    saved: dict[str, list] = field(default_factory=dict)
    held: ListingChange | None = None
    flagged: dict[str, list[str]] = field(default_factory=dict)


def to_json(name: str, value):
    """Return a field's value as the audit log and a held change store it."""
    if name in ("routes", "conditions"):
        return [member.value for member in value or []]
    if name == "insurance":
        return value.value if value is not None else None
    if name == "languages":
        return list(value or [])
    if name == "opening_hours":  # as text, so that the log, the queue and the owner read "Mon 09:00-17:00; ..."
        return format_periods(periods_from_json(value))
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json(name: str, value):
    """Return a stored value as the Clinic attribute takes it."""
    if name == "routes":
        return [Route(v) for v in value or []]
    if name == "conditions":
        return [Condition(v) for v in value or []]
    if name == "insurance":
        return InsuranceOption(value)
    if name == "reopens_on" and value is not None:
        return date.fromisoformat(value)
    if name == "opening_hours":
        return periods_to_json(parse_hours(value or "").periods)
    return value


def text_of(value) -> str:
    """Return a text field's value as one string for the screen."""
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def diff(clinic: Clinic, values: dict) -> dict[str, list]:
    """Return {field: [old, new]} for the allowed fields whose value differs."""
    changes = {}
    for name in FIELD_LABELS:
        if name in values:
            old, new = to_json(name, getattr(clinic, name)), to_json(name, values[name])
            if old != new:
                changes[name] = [old, new]
    return changes


def place(city: str, state: str, zip_code: str) -> tuple[float, float]:
    """Return the coordinates of an address from the offline gazetteer, or raise AddressNotPlaced."""
    found = locate_address(city, state, zip_code)
    if found is None:
        raise AddressNotPlaced(
            f"We could not place this address: neither ZIP code “{zip_code}” nor “{city}, {state}” is known. "
            "Check the ZIP code and the city."
        )
    return found


def pending_change(clinic_id: int, kind: ChangeKind) -> ListingChange | None:
    """Return the clinic's pending change of this kind (there is at most one)."""
    return db.session.scalar(
        select(ListingChange)
        .where(ListingChange.clinic_id == clinic_id, ListingChange.kind == kind,
               ListingChange.status == ChangeStatus.PENDING)
        .order_by(ListingChange.id.desc())
    )  # fmt: skip


def flagged_phrases(changes: dict[str, list]) -> list[str]:
    """Return every prohibited phrase in the new values of a change, each once."""
    found = screen_listing_fields({name: text_of(new) for name, (_, new) in changes.items() if name in SCREENED_FIELDS})
    return sorted({phrase for phrases in found.values() for phrase in phrases})


def save_owner_edit(clinic: Clinic, user: User, values: dict, now: datetime | None = None) -> EditOutcome:
    """Apply an owner's edit: only OWNER_FIELDS; re-place a moved address; hold text with prohibited claims."""
    now = now or utcnow()
    values = {name: values[name] for name in OWNER_FIELDS if name in values}
    closure_changes = {}
    if "closure" in values:
        closure_changes = set_closure(clinic, values.pop("closure"), values.pop("reopens_on", None), actor=user)
    values.pop("reopens_on", None)
    changes = diff(clinic, values)
    if closure_changes:
        clinic.last_edited_at = now
    if not changes:
        return EditOutcome(closure_changes)
    coordinates = None
    if any(name in changes for name in PLACED_BY):
        coordinates = place(values.get("city", clinic.city), values.get("state", clinic.state),
                            values.get("zip_code", clinic.zip_code))  # fmt: skip
    screened = {name: text_of(values[name]) for name in SCREENED_FIELDS if name in changes}
    flagged = screen_listing_fields(screened)
    is_draft = clinic.status == ClinicStatus.DRAFT
    # A draft waits for a moderator as a whole, so its text applies now and the new-listing item shows the phrases.
    held_changes = {} if is_draft else {name: changes.pop(name) for name in flagged}
    for name, (_, new) in changes.items():
        setattr(clinic, name, from_json(name, new))
    _derive_hours(clinic, changes)
    if coordinates is not None:
        clinic.latitude, clinic.longitude = coordinates
    clinic.last_edited_at = now
    if changes:
        log.record(user, "listing_edited", clinic.id, target_type=CLINIC, clinic_id=clinic.id, changes=changes)
        _drop_from_held(clinic.id, changes)
    held = _hold(clinic, user, held_changes) if held_changes else None
    if is_draft:
        _refresh_new_listing(clinic, changes)
    return EditOutcome({**changes, **closure_changes}, held, {} if is_draft else flagged)


def _derive_hours(clinic: Clinic, applied: dict) -> None:
    """Keep the search flags that follow from the hours in step with them (the setter writes all together)."""
    if "opening_hours" in applied or "hours" in applied:
        set_opening_hours(clinic, periods_from_json(clinic.opening_hours), clinic.hours)


def _drop_from_held(clinic_id: int, applied: dict[str, list]) -> None:
    """A field saved directly replaces what a held edit would have set it to."""
    held = pending_change(clinic_id, ChangeKind.EDIT)
    if held is None or not set(held.changes) & set(applied):
        return
    remaining = {name: pair for name, pair in held.changes.items() if name not in applied}
    if remaining:
        held.changes, held.flagged_phrases = remaining, flagged_phrases(remaining)
    else:
        held.status = ChangeStatus.SUPERSEDED


def _hold(clinic: Clinic, user: User, held_changes: dict[str, list]) -> ListingChange:
    """Keep one pending held edit per clinic: a later one takes over the earlier one's other fields."""
    earlier = pending_change(clinic.id, ChangeKind.EDIT)
    merged = dict(earlier.changes) if earlier is not None else {}
    merged.update(held_changes)
    if earlier is not None:
        earlier.status = ChangeStatus.SUPERSEDED
    change = ListingChange(
        clinic_id=clinic.id, author_id=user.id, kind=ChangeKind.EDIT, changes=merged,
        flagged_phrases=flagged_phrases(merged),
    )  # fmt: skip
    db.session.add(change)
    db.session.flush()
    log.record(user, "listing_edit_held", change.id, target_type=LISTING_CHANGE, clinic_id=clinic.id,
               changes=held_changes, note=", ".join(change.flagged_phrases))  # fmt: skip
    return change


def _refresh_new_listing(clinic: Clinic, changes: dict[str, list]) -> None:
    """Keep a draft's pending new-listing item in step with the draft (its version moves, so stale decisions fail)."""
    item = pending_change(clinic.id, ChangeKind.NEW_LISTING)
    if item is None or not changes:
        return
    merged = dict(item.changes)
    for name, (_, new) in changes.items():
        merged[name] = [None, new]
    item.changes, item.flagged_phrases = merged, flagged_phrases(merged)


_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def unique_slug(name: str, city: str, state: str) -> str:
    """Return an unused slug such as 'calm-mind-ketamine-denver-co' (with -2, -3... when taken)."""
    base = _SLUG_JUNK.sub("-", f"{name} {city} {state}".lower()).strip("-")[:100].strip("-") or "clinic"
    slug, n = base, 1
    while db.session.scalar(select(Clinic.id).where(Clinic.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_listing(user: User, name: str, values: dict, now: datetime | None = None) -> Clinic:
    """Create a draft listing owned by its creator, with a new-listing item for a moderator to publish."""
    now = now or utcnow()
    values = {name_: values[name_] for name_ in OWNER_FIELDS if name_ in values}
    latitude, longitude = place(values["city"], values["state"], values["zip_code"])
    clinic = Clinic(
        name=name.strip(), slug=unique_slug(name, values["city"], values["state"]), status=ClinicStatus.DRAFT,
        latitude=latitude, longitude=longitude, last_edited_at=now,
    )  # fmt: skip
    for key, value in values.items():
        setattr(clinic, key, value)
    _derive_hours(clinic, values)
    db.session.add(clinic)
    db.session.flush()
    changes = {key: [None, to_json(key, getattr(clinic, key))] for key in FIELD_LABELS}
    grant_ownership(user, clinic.id, actor=user)
    record_acceptance(user, clinic.id, now)
    item = ListingChange(
        clinic_id=clinic.id, author_id=user.id, kind=ChangeKind.NEW_LISTING, changes=changes,
        flagged_phrases=flagged_phrases(changes),
    )  # fmt: skip
    db.session.add(item)
    log.record(user, "listing_created", clinic.id, target_type=CLINIC, clinic_id=clinic.id, changes=changes)
    return clinic


def apply_held_edit(change: ListingChange) -> dict[str, list]:
    """Apply a held edit's values to its clinic; return {field: [old, new]} as applied."""
    clinic = change.clinic
    applied = {}
    for name, (_, new) in change.changes.items():
        if name not in OWNER_FIELDS:
            continue
        old = to_json(name, getattr(clinic, name))
        if old != new:
            setattr(clinic, name, from_json(name, new))
            applied[name] = [old, new]
    _derive_hours(clinic, applied)
    return applied
