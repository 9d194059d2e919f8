"""Suggest, queue and decide corrections to listings. Plain functions on the session, no Flask.

A correction names one fact of a listing (vocab.ATTRIBUTES) and its proposed value. It changes nothing until a
moderator accepts it; then it is applied in the same transaction as its audit row and the owners' notices.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.corrections.models import ClinicCorrection
from provider_dir.corrections.vocab import (
    ATTRIBUTES,
    AcceptBasis,
    CorrectionField,
    CorrectionStatus,
    DeclineReason,
)
from provider_dir.extensions import db
from provider_dir.hours.services import hours_text, set_hours_from_text
from provider_dir.listings.closures import closure_values, set_closure
from provider_dir.listings.display import usd
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import Closure, Route
from provider_dir.moderation import log
from provider_dir.moderation.decisions.services import (
    STALE_MESSAGE,
    ConflictOfInterest,
    StaleDecision,
    ensure_can_decide,
)
from provider_dir.moderation.notifications import notify
from provider_dir.notices.services import notify_owners_decision
from provider_dir.portal.listings.edit import place, to_json

TARGET = "clinic_correction"


def current_values(clinic: Clinic, field: CorrectionField) -> dict:
    """Return what the listing says now about one kind of fact, as JSON (hours as one text: periods, then the note)."""
    if field == CorrectionField.HOURS:
        return {"hours": hours_text(clinic)}
    return {name: to_json(name, getattr(clinic, name)) for name in ATTRIBUTES[field]}


def suggest(clinic: Clinic, field: CorrectionField, proposed: dict, submitter: User | None,
            source_url: str = "", note: str = "") -> ClinicCorrection:
    """Queue a correction for a moderator (proposed: JSON values of the field's attributes); change nothing yet."""
    unknown = set(proposed) - set(ATTRIBUTES[field])
    if unknown:
        raise ValueError(f"{field.value} corrections cannot set {', '.join(sorted(unknown))}")
    correction = ClinicCorrection(
        clinic_id=clinic.id, field=field, proposed=proposed, current=current_values(clinic, field),
        source_url=source_url.strip(), note=note.strip(), submitter_id=submitter.id if submitter else None,
    )  # fmt: skip
    db.session.add(correction)
    return correction


OWN_SUGGESTION_MESSAGE = "You suggested this correction, so another moderator must decide it."


def _waiting(moderator: User):
    mine = select(ClinicMembership.clinic_id).where(ClinicMembership.user_id == moderator.id)
    return select(ClinicCorrection).where(
        ClinicCorrection.status == CorrectionStatus.PENDING, ClinicCorrection.clinic_id.not_in(mine),
        or_(ClinicCorrection.submitter_id.is_(None), ClinicCorrection.submitter_id != moderator.id),
    )


def queue(moderator: User) -> Select:
    """Return the pending corrections this moderator may decide (none about their own clinics), oldest first."""
    return (
        _waiting(moderator)
        .options(selectinload(ClinicCorrection.clinic))
        .order_by(ClinicCorrection.created_at, ClinicCorrection.id)
    )


def pending_count(moderator: User) -> int:
    """Return how many corrections wait for this moderator."""
    return int(db.session.scalar(select(func.count()).select_from(_waiting(moderator).subquery())) or 0)


def pending_for_clinic(clinic_id: int) -> list[ClinicCorrection]:
    """Return a clinic's corrections waiting for a moderator, oldest first (for its owners' dashboard)."""
    return list(
        db.session.scalars(
            select(ClinicCorrection)
            .where(ClinicCorrection.clinic_id == clinic_id, ClinicCorrection.status == CorrectionStatus.PENDING)
            .order_by(ClinicCorrection.created_at, ClinicCorrection.id)
        )
    )


def pending_count_for_clinic(clinic_id: int) -> int:
    """Return how many of a clinic's corrections wait for a moderator."""
    return len(pending_for_clinic(clinic_id))


def describe(field: CorrectionField, values: dict) -> str:
    """Return a correction's values in words, e.g. '$475 per infusion; $2,600 for a series of 6 infusions'."""
    if field == CorrectionField.ADDRESS:
        return f"{values.get('street', '')}, {values.get('city', '')}, {values.get('state', '')} " \
               f"{values.get('zip_code', '')}".strip()
    if field == CorrectionField.PRICES:
        parts = []
        if values.get("price_per_infusion_usd") is not None:
            parts.append(f"{usd(values['price_per_infusion_usd'])} per infusion")
        if values.get("price_series_usd") is not None:
            parts.append(f"{usd(values['price_series_usd'])} for a series")
        if values.get("series_infusions") is not None:
            parts.append(f"{values['series_infusions']} infusions in a series")
        return "; ".join(parts) or "no price given"
    if field == CorrectionField.ROUTES:
        return ", ".join(Route(value).label for value in values.get("routes") or []) or "none"
    if field == CorrectionField.CLOSED:
        closure = Closure(values.get("closure") or Closure.OPEN)
        reopens = values.get("reopens_on")
        if closure == Closure.TEMPORARY and reopens:
            day = date.fromisoformat(reopens)
            return f"Temporarily closed, reopening {day:%B} {day.day}, {day.year}"
        return closure.label
    name = ATTRIBUTES[field][0]
    return str(values.get(name) or "(empty)")


def apply(correction: ClinicCorrection, moderator: User) -> dict[str, list]:
    """Change the listing as the correction proposes; return {field: [old, new]} as applied.

    An address is placed again from the offline gazetteer (AddressNotPlaced when it cannot be); a closure goes
    through listings.closures.set_closure, which writes its own audit row.
    """
    clinic = correction.clinic
    proposed = correction.proposed
    if correction.field == CorrectionField.CLOSED:
        closure, reopens_on = closure_values(
            proposed.get("closure") or Closure.OPEN,
            date.fromisoformat(proposed["reopens_on"]) if proposed.get("reopens_on") else None,
        )
        return set_closure(clinic, closure, reopens_on, actor=moderator, source="correction",
                           note=f"correction {correction.id}")  # fmt: skip
    if correction.field == CorrectionField.HOURS:
        return _apply_hours(clinic, proposed.get("hours") or "")
    values = {name: proposed[name] for name in ATTRIBUTES[correction.field] if name in proposed}
    if correction.field == CorrectionField.ADDRESS:
        coordinates = place(values["city"], values["state"], values["zip_code"])
        clinic.latitude, clinic.longitude = coordinates
    applied = {}
    for name, new in values.items():
        old = to_json(name, getattr(clinic, name))
        if old != new:
            setattr(clinic, name, [Route(v) for v in new] if name == "routes" else new)
            applied[name] = [old, new]
    return applied


def _apply_hours(clinic: Clinic, text: str) -> dict[str, list]:
    """Read a suggested text of hours into periods and a note, as the portal and the import store them."""
    old = hours_text(clinic)
    set_hours_from_text(clinic, text)
    new = hours_text(clinic)
    return {"hours": [old, new]} if old != new else {}


def decide(correction: ClinicCorrection, moderator: User, seen_version: int, reason: AcceptBasis | DeclineReason,
           note: str, now: datetime) -> dict[str, list]:
    """Accept (apply it) or decline a correction; log it; tell the owners (accepted) and a signed-in submitter."""
    if correction.submitter_id == moderator.id:
        raise ConflictOfInterest(OWN_SUGGESTION_MESSAGE)
    ensure_can_decide(moderator, correction.clinic_id, correction.version, seen_version)
    if correction.status != CorrectionStatus.PENDING:
        raise StaleDecision(STALE_MESSAGE)
    accept = isinstance(reason, AcceptBasis)
    applied = apply(correction, moderator) if accept else {}
    correction.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.DECLINED
    correction.decision_reason, correction.decision_note = reason.value, note.strip()
    correction.decided_by_id, correction.decided_at = moderator.id, now
    log.record(moderator, f"correction_{'accepted' if accept else 'declined'}", correction.id, reason=reason,
               note=correction.decision_note, target_type=TARGET, clinic_id=correction.clinic_id,
               changes=applied or None)  # fmt: skip
    clinic = correction.clinic
    what = correction.field.label.lower()
    value = describe(correction.field, correction.proposed)
    if accept:
        text = (f"A moderator accepted a correction of the {what} of {clinic.name} that someone suggested "
                f"({reason.label}). The listing now shows: {value}. If this is wrong, edit the listing from the "
                "clinic portal.")  # fmt: skip
        if correction.decision_note:
            text += f" The moderator adds: {correction.decision_note}"
        notify_owners_decision(clinic, f"Correction accepted: {what} of {clinic.name}", text,
                               "portal_listing.dashboard", slug=clinic.slug)  # fmt: skip
    if correction.submitter_id is not None:
        outcome = "accepted; the listing now shows it" if accept else f"declined: {reason.label}"
        notify(correction.submitter_id, f"Your correction of the {what} of {clinic.name} was {outcome}.",
               f"/clinics/{clinic.slug}")  # fmt: skip
    return applied
