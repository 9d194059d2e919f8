"""Fixtures of appeal tests: decisions of every appealable kind, made by a first moderator through its own queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.documents.services import save_upload
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import services
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.evidence import queue as evidence_queue
from provider_dir.moderation.models import ModerationLog
from provider_dir.moderation.portal import claims as claim_queue
from provider_dir.moderation.portal import listings as listing_queue
from provider_dir.moderation.reports import services as reports
from provider_dir.moderation.vocab import RefusalReason, RejectionReason
from provider_dir.portal.claims import services as claims
from provider_dir.portal.listings.edit import create_listing
from provider_dir.portal.models import ListingChange
from provider_dir.reviews.vocab import ReviewStatus
from tests.scoring.evidence_helpers import pending_answer

PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass
class Decided:
    """A logged decision, who may appeal it, and how to read the item's state afterwards."""

    kind: str
    entry: ModerationLog
    appellant: User
    item: object
    clinic_id: int


@pytest.fixture
def first_moderator(create_user):
    """The moderator whose decisions are appealed."""
    return create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow(), display_name="first-mod")


@pytest.fixture
def second_moderator(create_user):
    """A moderator with no tie to any clinic, who decides appeals."""
    return create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow(), display_name="second-mod")


def _last_entry() -> ModerationLog:
    db.session.flush()
    return db.session.scalars(select(ModerationLog).order_by(ModerationLog.id.desc()).limit(1)).one()


@pytest.fixture
def decide_one(create_clinic, make_owner, add_staff, add_review, create_user, first_moderator):
    """Return a factory: make one refused (or declined) decision of a kind and return it as Decided."""

    def make(kind: str) -> Decided:
        clinic = create_clinic(website="https://appeal-clinic.example")
        owner = make_owner(clinic)
        owner.email_confirmed_at = utcnow()
        if kind == "review":
            review = add_review(clinic, rating=2, status=ReviewStatus.PENDING)
            services.decide(review, first_moderator, review.version, approve=False, reason=RejectionReason.UNRELATED)
            return Decided(kind, _last_entry(), review.author, review, clinic.id)
        if kind == "report":
            review = add_review(clinic, rating=5)
            reporter = create_user(email_confirmed_at=utcnow())
            reports.file_report(review, reporter, RejectionReason.CONFLICT, "The owner wrote it.")
            db.session.flush()
            services.decide(review, first_moderator, review.version, approve=True)
            return Decided(kind, _last_entry(), reporter, review, clinic.id)
        if kind == "claim":
            claimant = create_user(email_confirmed_at=utcnow())
            document = save_upload(FileStorage(BytesIO(PDF), "proof.pdf"), clinic.id, claimant, DocumentPurpose.CLAIM)
            claim = claims.submit_document_claim(claimant, clinic, "Practice manager", document, utcnow())
            db.session.flush()
            claim_queue.decide(claim, first_moderator, claim.version, RefusalReason.NO_AUTHORITY, "", utcnow())
            return Decided(kind, _last_entry(), claimant, claim, clinic.id)
        if kind == "credential":
            credential = Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD123456", issuer="NY",
                                    expires_on=date.today() + timedelta(days=365),
                                    status=CredentialStatus.SELF_REPORTED,
                                    submitted_at=datetime.now(UTC) - timedelta(hours=5))  # fmt: skip
            add_staff(clinic, role=StaffRole.PSYCHIATRIST, full_name="Dr Ada Park", credentials=[credential])
            credential.document = save_upload(FileStorage(BytesIO(PDF), "licence.pdf"), clinic.id, owner,
                                              DocumentPurpose.CREDENTIAL)
            db.session.flush()
            credential_queue.refuse(credential, first_moderator, credential.version, RefusalReason.NO_MATCH)
            return Decided(kind, _last_entry(), owner, credential, clinic.id)
        if kind == "evidence":
            answer = pending_answer(clinic, "C07", owner, text="We watch the patient.")
            evidence_queue.decide(answer, first_moderator, answer.version, verify=False,
                                  reason=RefusalReason.NOT_SHOWN)
            return Decided(kind, _last_entry(), owner, answer, clinic.id)
        if kind == "listing":
            creator = create_user(email_confirmed_at=utcnow())
            new = create_listing(creator, "Quiet Pines", {"street": "1600 Blake Street", "city": "Denver",
                                                          "state": "CO", "zip_code": "80202",
                                                          "description": "Monitored infusions.",
                                                          "website": "https://pines.example"})  # fmt: skip
            change = db.session.scalars(select(ListingChange).where(ListingChange.clinic_id == new.id)).one()
            listing_queue.decide(change, first_moderator, change.version, RefusalReason.INCOMPLETE, "",
                                 utcnow(), date.today())
            return Decided(kind, _last_entry(), creator, change, new.id)
        raise AssertionError(kind)

    return make
