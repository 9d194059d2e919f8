"""Moderators' decisions: one-click verification of a matching credential, and confirming or dismissing exclusions."""

from __future__ import annotations

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import VerificationMethod
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.decisions.services import STALE_MESSAGE, StaleDecision, ensure_can_decide
from provider_dir.notices.services import notify_owners_decision
from provider_dir.registry.models import ExclusionMatch
from provider_dir.registry.services import (
    CONFIRMED,
    DISMISSED,
    PENDING,
    checks_by_credential,
    one_click_ready,
    reference_for,
)
from provider_dir.scoring.checklist.labels import exclusion_sentence

EXCLUSION = "exclusion_match"


def verify_by_registry(credential: Credential, moderator: User, seen_version: int, note: str = "") -> int:
    """Verify a credential whose registry check matches in every part, recording the registry and file date."""
    check = checks_by_credential([credential.id]).get(credential.id)
    if not one_click_ready(check):
        raise credential_queue.DecisionRefused(
            "The registry check of this credential does not match in every part; check it by hand instead.")
    # verify() clears the registry flags of the credential, as every decision does.
    return credential_queue.verify(credential, moderator, seen_version, VerificationMethod.REGISTRY,
                                   reference_for(credential, check), note)


def decide_exclusion(match: ExclusionMatch, moderator: User, confirm: bool, note: str = "") -> int:
    """Confirm a possible LEIE match against the OIG's record (it then shows publicly) or dismiss it."""
    clinic = match.staff_member.clinic
    ensure_can_decide(moderator, clinic.id, 0, 0)
    if match.state != PENDING:
        raise StaleDecision(STALE_MESSAGE)
    match.state = CONFIRMED if confirm else DISMISSED
    match.decided_by = moderator
    match.decided_at = utcnow()
    match.note = note[:500]
    log.record(moderator, "exclusion_confirmed" if confirm else "exclusion_dismissed", match.id, note=note,
               target_type=EXCLUSION, clinic_id=clinic.id,
               changes={"state": [PENDING, match.state]})
    from provider_dir.extensions import db
    from provider_dir.scoring.services import recompute_clinics

    db.session.flush()
    recompute_clinics(db.session, [clinic.id])
    if not confirm:
        return 0
    member = match.staff_member
    text = (f"A moderator confirmed that {member.display_name}, listed at {clinic.name}, is on the HHS Office of "
            f"Inspector General's exclusion list. {exclusion_sentence(match.exclusion_type, match.excluded_on)} "
            "The clinic page now says so beside them, and their credentials no longer count in the score.")
    return notify_owners_decision(clinic, f"Exclusion confirmed: {member.display_name}", text, "portal_staff.index",
                                  slug=clinic.slug)
