"""Shared helpers for the staff, credential and credential-queue tests."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from sqlalchemy import select

from provider_dir.credentials.models import Credential
from provider_dir.credentials.npi import make_npi
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NEXT_YEAR = date.today() + timedelta(days=365)
VALID_NPI = make_npi("123456789")  # 1234567893
VALID_DEA = "AB1234563"

# Valid form data for each kind of credential.
VALID = {
    "npi": {"identifier": VALID_NPI},
    "state_license": {"issuer": "NY", "identifier": "MD123456", "expires_on": NEXT_YEAR.isoformat()},
    "board_certification": {"issuer": "American Board of Anesthesiology", "identifier": "Anesthesiology"},
    "acls": {"issuer": "American Heart Association", "identifier": "12345", "expires_on": NEXT_YEAR.isoformat()},
    "bls": {"issuer": "American Red Cross", "identifier": "", "expires_on": NEXT_YEAR.isoformat()},
    "dea": {"identifier": VALID_DEA, "expires_on": NEXT_YEAR.isoformat()},
}


def staff_url(clinic, *parts) -> str:
    """Return a portal staff URL of the clinic."""
    return "/".join([f"/portal/clinics/{clinic.slug}/staff", *map(str, parts)])


def pdf_upload(name: str = "card.pdf", data: bytes = PDF):
    """Return a (stream, filename) pair the test client sends as a file."""
    return (BytesIO(data), name)


def log_rows(target_type: str, target_id: int) -> list[ModerationLog]:
    """Return an item's audit-log rows, oldest first."""
    return list(
        db.session.scalars(
            select(ModerationLog)
            .where(ModerationLog.target_type == target_type, ModerationLog.target_id == target_id)
            .order_by(ModerationLog.id)
        )
    )


def fresh(credential_id: int) -> Credential | None:
    """Return the credential as the database has it now."""
    db.session.expire_all()
    return db.session.get(Credential, credential_id)
