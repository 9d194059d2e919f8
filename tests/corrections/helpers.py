"""A correction suggested and declined through the corrections queue, for the appeals and transparency tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.corrections.models import ClinicCorrection
from provider_dir.corrections.services import decide, suggest
from provider_dir.corrections.vocab import CorrectionField, DeclineReason
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import ModerationLog

OLD_PHONE, NEW_PHONE = "(212) 555-0100", "(212) 555-0199"
SUGGESTER_NAME, SUGGESTER_EMAIL = "Suggester Marrowbright", "marrowbright-suggests@example.test"
SUGGESTER_NOTE = "I rang them on Tuesday, the quillmoss line is new"
MODERATOR_NOTE = "Checked the thornwick directory page"


@dataclass
class Declined:
    """A declined correction, its log row and the people around it."""

    clinic: Clinic
    owner: User
    suggester: User | None
    correction: ClinicCorrection
    entry: ModerationLog


def decline_one(create_clinic, make_owner, create_user, moderator, signed_in: bool = True) -> Declined:
    """Suggest a new phone number for a clinic (signed in or not) and have the moderator decline it."""
    clinic = create_clinic(name="Harbor Ketamine", phone=OLD_PHONE)
    owner = make_owner(clinic)
    owner.email_confirmed_at = utcnow()
    suggester = create_user(email_confirmed_at=utcnow(), display_name=SUGGESTER_NAME,
                            email=SUGGESTER_EMAIL) if signed_in else None  # fmt: skip
    correction = suggest(clinic, CorrectionField.PHONE, {"phone": NEW_PHONE}, suggester,
                         "https://source.example/page", SUGGESTER_NOTE)  # fmt: skip
    db.session.flush()
    decide(correction, moderator, correction.version, DeclineReason.NOT_SHOWN, MODERATOR_NOTE, utcnow())
    db.session.commit()
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.action == "correction_declined",
                                                           ModerationLog.target_id == correction.id)).one()
    return Declined(clinic, owner, suggester, correction, entry)
