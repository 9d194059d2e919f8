"""Load the committed demo files from seeds/demo/ with Core bulk inserts (ids assigned in file order)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.passwords import hash_password
from provider_dir.config import PROJECT_ROOT
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.hours.services import hours_columns
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import Condition, Route
from provider_dir.models.base import to_mask
from provider_dir.moderation.models import ModerationLog
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import SideEffect
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.seeding.bulk import insert_rows, next_id, sync_id_sequences
from provider_dir.seeding.content.clinics import WHEELCHAIR
from provider_dir.seeding.denormalise import refresh_denormalised
from provider_dir.twofactor.codes import encrypt
from provider_dir.twofactor.models import SecondFactor
from provider_dir.twofactor.services import key_materials

SEEDS_DIR = PROJECT_ROOT / "seeds"
DEMO_DIR = SEEDS_DIR / "demo"
DEMO_ACCOUNTS_FILE = SEEDS_DIR / "demo_accounts.json"
TABLES = (User.__table__, Clinic.__table__, StaffMember.__table__, Credential.__table__, ChecklistAnswer.__table__,
          ClinicMembership.__table__, Review.__table__, ModerationLog.__table__, SecondFactor.__table__)


@dataclass
class DemoFiles:
    """The parsed demo files."""

    accounts: list[dict]
    users: list[dict]
    clinics: list[dict]
    memberships: list[dict]
    reviews: list[dict]

    def row_count(self) -> int:
        """Return how many rows loading will write (for a progress bar)."""
        staff = [m for c in self.clinics for m in c["staff"]]
        decided = sum(1 for r in self.reviews if r["moderated_at"])
        factors = sum(1 for a in self.accounts if a.get("totp_key"))
        return (len(self.accounts) + factors + len(self.users) + len(self.clinics) + len(staff)
                + sum(len(m["credentials"]) for m in staff) + sum(len(c["checklist"]) for c in self.clinics)
                + len(self.memberships) + len(self.reviews) + decided)


def read_demo_files(folder: Path = DEMO_DIR, accounts_file: Path = DEMO_ACCOUNTS_FILE) -> DemoFiles:
    """Read the demo JSON files and the named demo accounts."""

    def load(name: str):
        return json.loads((folder / name).read_text(encoding="utf-8"))

    accounts = json.loads(accounts_file.read_text(encoding="utf-8"))["accounts"]
    return DemoFiles(accounts, load("users.json"), load("clinics.json"), load("memberships.json"),
                     load("reviews.json"))


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_demo(session: Session, files: DemoFiles | None = None,
              progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Insert the demo data and fill the denormalised clinic columns; return counts per kind."""
    files = files or read_demo_files()
    tick = progress or (lambda n: None)
    created = min(_dt(c["created_at"]) for c in files.clinics)

    user_ids: dict[str, int] = {}
    user_rows = []
    first_user = next_id(session, User.__table__)
    for account in files.accounts:  # real argon2 hashes only for the few named accounts
        user_rows.append(dict(email=account["email"], display_name=account["display_name"], role=account["role"],
                              password_hash=hash_password(account["password"]), created_at=created))
    for user in files.users:
        user_rows.append(dict(email=user["email"], display_name=user["display_name"], role=user["role"],
                              password_hash=user["password_hash"], created_at=_dt(user["created_at"])))
    for offset, row in enumerate(user_rows):
        row.update(id=first_user + offset, active=True, session_token=secrets.token_urlsafe(32), last_login_at=None,
                   email_confirmed_at=row["created_at"])  # demo accounts need no confirmation mail
        user_ids[row["email"]] = row["id"]
    insert_rows(session, User.__table__, user_rows, progress=tick)
    # The demo moderator and admin have a second factor already, with the key the README publishes.
    insert_rows(session, SecondFactor.__table__, [
        dict(user_id=user_ids[a["email"]], secret_encrypted=encrypt(key_materials(), a["totp_key"]),
             created_at=created, confirmed_at=created, last_used_step=None)
        for a in files.accounts if a.get("totp_key")
    ], progress=tick)

    clinic_ids: dict[str, int] = {}
    clinic_rows, staff_rows, credential_rows, answer_rows = [], [], [], []
    clinic_id, staff_id = next_id(session, Clinic.__table__), next_id(session, StaffMember.__table__)
    for clinic in files.clinics:
        clinic_ids[clinic["slug"]] = clinic_id
        clinic_rows.append(clinic_row(clinic, clinic_id))
        for member in clinic["staff"]:
            staff_rows.append(dict(id=staff_id, clinic_id=clinic_id, full_name=member["full_name"],
                                   degree=member["degree"], role=member["role"], bio=member["bio"],
                                   sort_order=member["sort_order"], created_at=_dt(clinic["created_at"])))
            for cred in member["credentials"]:
                credential_rows.append(dict(
                    staff_member_id=staff_id, kind=cred["kind"], identifier=cred["identifier"],
                    issuer=cred["issuer"], expires_on=_d(cred["expires_on"]), status=cred["status"],
                    verified_by_id=user_ids.get(cred["verified_by"]), verified_at=_dt(cred["verified_at"]),
                    created_at=_dt(clinic["created_at"]),
                ))
            staff_id += 1
        for answer in clinic["checklist"]:
            answer_rows.append(dict(
                clinic_id=clinic_id, item_code=answer["item_code"], status=answer["status"],
                evidence_kind=answer["evidence_kind"], evidence_text=answer["evidence_text"],
                evidence_url=answer["evidence_url"], verified_by_id=user_ids.get(answer["verified_by"]),
                verified_at=_dt(answer["verified_at"]), expires_on=_d(answer["expires_on"]),
                created_at=_dt(clinic["created_at"]), updated_at=_dt(answer["verified_at"] or clinic["created_at"]),
            ))
        clinic_id += 1
    insert_rows(session, Clinic.__table__, clinic_rows, progress=tick)
    insert_rows(session, StaffMember.__table__, staff_rows, progress=tick)
    insert_rows(session, Credential.__table__, credential_rows, progress=tick)
    insert_rows(session, ChecklistAnswer.__table__, answer_rows, progress=tick)
    insert_rows(session, ClinicMembership.__table__, [
        dict(user_id=user_ids[m["email"]], clinic_id=clinic_ids[m["clinic"]], role=m["role"], created_at=created)
        for m in files.memberships
    ], progress=tick)

    review_rows, log_rows = [], []
    moderator_id = next((user_ids[a["email"]] for a in files.accounts if a["role"] == "moderator"), None)
    review_id = next_id(session, Review.__table__)
    for review in files.reviews:
        review_rows.append(review_row(review, review_id, clinic_ids[review["clinic"]], user_ids[review["author"]]))
        if review["moderated_at"] and review["status"] in ("approved", "rejected"):
            # The same action names the moderation feature writes for its decisions.
            log_rows.append(dict(actor_id=moderator_id, action=review["status"], target_type="review",
                                 target_id=review_id, reason=review["rejection_reason"], note="",
                                 created_at=_dt(review["moderated_at"])))
        review_id += 1
    insert_rows(session, Review.__table__, review_rows, progress=tick)
    insert_rows(session, ModerationLog.__table__, log_rows, progress=tick)
    sync_id_sequences(session, TABLES)
    refresh_denormalised(session, first_clinic_id=min(clinic_ids.values(), default=1))
    return {"users": len(user_rows), "clinics": len(clinic_rows), "staff": len(staff_rows),
            "credentials": len(credential_rows), "checklist answers": len(answer_rows), "reviews": len(review_rows)}


def clinic_row(clinic: dict, clinic_id: int) -> dict:
    """Return the clinic table row for one demo clinic."""
    skip = {"staff", "checklist", "routes", "conditions", "last_verified_on", "created_at"}
    row = {k: v for k, v in clinic.items() if k not in skip}
    created = _dt(clinic["created_at"])
    row.update(
        id=clinic_id, routes_mask=to_mask(clinic["routes"], Route), conditions_mask=to_mask(clinic["conditions"],
                                                                                            Condition),
        last_verified_on=_d(clinic["last_verified_on"]), created_at=created, updated_at=created,
        score_total=None, rating_avg=None, rating_bayes=None, rating_count=0, has_verified_credentials=False,
        **hours_columns(clinic["hours"]),
        wheelchair_accessible=WHEELCHAIR.get(clinic["accessibility"]),
        offers_psychotherapy="oral_sublingual" in clinic["routes"]
        or any(member["role"] == "therapist" for member in clinic["staff"]),
    )
    return row


def review_row(review: dict, review_id: int, clinic_id: int, author_id: int) -> dict:
    """Return the review table row for one demo review."""
    skip = {"clinic", "author", "side_effects", "moderated_at", "created_at", "updated_at", "published_at"}
    row = {k: v for k, v in review.items() if k not in skip}
    row.update(id=review_id, clinic_id=clinic_id, author_id=author_id,
               side_effects_mask=to_mask(review["side_effects"], SideEffect),
               created_at=_dt(review["created_at"]), queued_at=_dt(review["created_at"]),
               updated_at=_dt(review["updated_at"]),
               published_at=_dt(review["published_at"]))
    return row
