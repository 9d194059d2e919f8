"""Put a verified credential back in the moderators' queue when a registry check stops matching."""

from __future__ import annotations

from datetime import datetime

from provider_dir.credentials.models import Credential
from provider_dir.credentials.services import CREDENTIAL, refresh_verified_flag
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.moderation import log
from provider_dir.notices.services import notify_owners


def requeue_credential(credential: Credential, reason: str, now: datetime) -> int:
    """Make the credential self-reported and pending again, log why, and tell the clinic's owners; return how many."""
    member = credential.staff_member
    clinic = member.clinic
    changes = {
        "status": [credential.status.value, CredentialStatus.SELF_REPORTED.value],
        "verification_reference": [credential.verification_reference or None, None],
    }
    credential.status = CredentialStatus.SELF_REPORTED
    credential.verified_by = None
    credential.verified_at = None
    credential.verification_method = None
    credential.verification_reference = ""
    credential.decision_reason = None
    credential.submitted_at = now
    refresh_verified_flag(clinic)
    log.record(None, "credential_requeued", credential.id, note=f"Registry check: {reason}"[:500],
               target_type=CREDENTIAL, clinic_id=clinic.id, changes=changes)
    text = (
        f"The {credential.kind.label} of {member.display_name} at {clinic.name} no longer matches the public "
        f"registry: {reason} It shows as self-reported again until a moderator checks it; you can correct it "
        "in the clinic portal under Staff and credentials."
    )
    return notify_owners(clinic, f"Credential to check again: {member.display_name}", text, "portal_staff.index",
                         slug=clinic.slug)
