"""A clinic owner's answers to the checklist: which items they may answer, and saving an answer with its evidence.

Every save makes the answer self-reported and pending for a moderator, writes the audit log and marks the listing
edited, all in the caller's transaction; the stored score follows on commit (scoring/events.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.documents.models import Document
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.scoring.checklist.items import ITEMS, ChecklistItem
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind

TARGET_TYPE = "checklist_answer"
MAX_TEXT = 2000
MAX_URL = 300
LINK_MESSAGE = "Only web links that start with http:// or https:// are accepted"


class NothingNew(ValueError):
    """The owner sent the evidence a moderator already refused, unchanged."""


def owner_may_answer(item: ChecklistItem) -> bool:
    """Return True for items a clinic answers itself (not those read from credentials, nor moderator-only ones)."""
    return not item.from_credentials and item.self_report_counts


ANSWERABLE: tuple[ChecklistItem, ...] = tuple(item for item in ITEMS if owner_may_answer(item))
ANSWERABLE_CODES = frozenset(item.code for item in ANSWERABLE)


def link_problem(url: str) -> str | None:
    """Return why a typed evidence link is refused, or None when it is a plain http(s) web address."""
    if len(url) > MAX_URL:
        return f"The link is {len(url)} characters long; the limit is {MAX_URL}."
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "The link contains spaces or control characters; paste the address exactly as your browser shows it."
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"“{scheme}:” links are refused" if scheme else "this one has no http:// or https:// at the start"
        return f"{LINK_MESSAGE}; {shown}."
    if not parts.hostname or "." not in parts.hostname:
        return "The link has no web address after http:// or https:// (for example https://yourclinic.com/policy)."
    return None


def answers_by_code(clinic_id: int) -> dict[str, ChecklistAnswer]:
    """Return the clinic's stored answers by item code."""
    rows = db.session.scalars(select(ChecklistAnswer).where(ChecklistAnswer.clinic_id == clinic_id))
    return {row.item_code: row for row in rows}


def answer_for(clinic: Clinic, code: str) -> ChecklistAnswer | None:
    """Return the clinic's answer to one item, if any."""
    return db.session.scalar(
        select(ChecklistAnswer).where(ChecklistAnswer.clinic_id == clinic.id, ChecklistAnswer.item_code == code)
    )


def is_pending(answer: ChecklistAnswer) -> bool:
    """Return True when the answer waits for a moderator."""
    return answer.status == AnswerStatus.SELF_REPORTED and answer.submitted_at is not None


@dataclass(slots=True)
class EvidenceInput:
    """What the owner sent for one item."""

    text: str = ""
    url: str = ""
    expires_on: date | None = None
    new_document: Document | None = None
    remove_document: bool = False


def _plain(value):
    """Return a value the audit log's JSON column can hold."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _set(answer: ChecklistAnswer, changes: dict, name: str, value) -> None:
    old = getattr(answer, name)
    if old != value:
        changes[name] = [_plain(old), _plain(value)]
        setattr(answer, name, value)


def save_answer(clinic: Clinic, item: ChecklistItem, owner: User, given: EvidenceInput) -> ChecklistAnswer | None:
    """Save the owner's answer and evidence as self-reported and pending; return None when nothing changed.

    A change to a verified or refused answer makes it self-reported and pending again. Sending back, unchanged,
    evidence a moderator refused raises NothingNew.
    """
    if not owner_may_answer(item):
        raise ValueError(f"owners do not answer {item.code}")
    answer = answer_for(clinic, item.code)
    created = answer is None
    if created:
        answer = ChecklistAnswer(clinic=clinic, item_code=item.code, status=AnswerStatus.UNKNOWN, evidence_text="",
                                 evidence_url="")
        db.session.add(answer)
    document = given.new_document or (None if given.remove_document else answer.document)
    if document is not None and given.new_document is not None:
        db.session.flush()  # the new document's id, for the log
    evidence: dict = {}
    _set(answer, evidence, "evidence_text", given.text)
    _set(answer, evidence, "evidence_url", given.url)
    _set(answer, evidence, "expires_on", given.expires_on if item.expires else None)
    old_document = answer.document_id
    if (document.id if document is not None else None) != old_document:
        evidence["document_id"] = [old_document, document.id if document is not None else None]
        answer.document = document
    if not evidence and answer.status in (AnswerStatus.SELF_REPORTED, AnswerStatus.VERIFIED):
        return None
    if not evidence and answer.status == AnswerStatus.REFUSED:
        raise NothingNew(
            "A moderator refused this evidence as it is. Change it (new text, a new link or a new document) "
            "before sending it again."
        )
    now = utcnow()
    changes = dict(evidence)
    _set(answer, changes, "status", AnswerStatus.SELF_REPORTED)
    _set(answer, changes, "evidence_kind", EvidenceKind.SR)
    _set(answer, changes, "verified_by_id", None)
    answer.verified_by = None
    _set(answer, changes, "verified_at", None)
    _set(answer, changes, "decision_reason", None)
    answer.submitted_at = now
    clinic.last_edited_at = now
    db.session.flush()
    log.record(owner, "evidence_submitted", answer.id, target_type=TARGET_TYPE, clinic_id=clinic.id,
               changes=changes)
    return answer


def withdraw_answer(clinic: Clinic, item: ChecklistItem, owner: User) -> ChecklistAnswer | None:
    """Withdraw the owner's answer: the item is unknown again and its evidence is cleared; None if there was none."""
    answer = answer_for(clinic, item.code)
    if answer is None or answer.status == AnswerStatus.UNKNOWN or not owner_may_answer(item):
        return None
    changes: dict = {}
    for name, value in (("status", AnswerStatus.UNKNOWN), ("evidence_kind", None), ("evidence_text", ""),
                        ("evidence_url", ""), ("expires_on", None), ("document_id", None), ("verified_by_id", None),
                        ("verified_at", None), ("decision_reason", None)):
        _set(answer, changes, name, value)
    answer.document = None
    answer.verified_by = None
    answer.submitted_at = None
    clinic.last_edited_at = utcnow()
    log.record(owner, "evidence_withdrawn", answer.id, target_type=TARGET_TYPE, clinic_id=clinic.id, changes=changes)
    return answer
