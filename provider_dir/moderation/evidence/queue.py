"""The moderators' queue of checklist evidence: pending answers oldest first, and verifying or refusing each one.

A decision, its audit-log row, the clinic's "last verified" date and the owners' in-app notices go into the caller's
one transaction; the stored score follows on commit (scoring/events.py). Email goes after the commit (notices/).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.moderation.decisions.services import StaleDecision, ensure_can_decide
from provider_dir.moderation.services import STALE_MESSAGE, member_clinic_ids
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason
from provider_dir.notices.services import notify_owners_decision
from provider_dir.scoring.answers import TARGET_TYPE, is_pending
from provider_dir.scoring.checklist.items import ITEMS_BY_CODE
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind

# The grounds that make sense for a piece of checklist evidence, from the closed lists.
VERIFY_BASES = (ApprovalBasis.DOCUMENT_MATCH, ApprovalBasis.REGISTRY_MATCH, ApprovalBasis.MEETS_POLICY)
REFUSAL_REASONS = (
    RefusalReason.NOT_SHOWN,
    RefusalReason.UNREADABLE,
    RefusalReason.NO_MATCH,
    RefusalReason.EXPIRED,
    RefusalReason.INCOMPLETE,
)


class CannotVerify(ValueError):
    """The evidence cannot be verified as it stands (no document for a document match, no or a past expiry)."""


def _pending_condition():
    return ChecklistAnswer.status == AnswerStatus.SELF_REPORTED, ChecklistAnswer.submitted_at.is_not(None)


def pending_for_clinic(clinic_id: int) -> int:
    """Return how many of one clinic's checklist answers wait for a moderator (for its owners' dashboard)."""
    return db.session.scalar(
        select(func.count()).select_from(ChecklistAnswer)
        .where(*_pending_condition(), ChecklistAnswer.clinic_id == clinic_id)
    )  # fmt: skip


def pending(moderator: User) -> Select:
    """Return pending answers, oldest first, leaving out clinics the moderator belongs to."""
    query = (
        select(ChecklistAnswer)
        .where(*_pending_condition())
        .options(selectinload(ChecklistAnswer.clinic), selectinload(ChecklistAnswer.document))
        .order_by(ChecklistAnswer.submitted_at, ChecklistAnswer.id)
    )
    own = member_clinic_ids(moderator)
    if own:
        query = query.where(ChecklistAnswer.clinic_id.not_in(own))
    return query


def pending_count(moderator: User) -> int:
    """Return how many answers wait for this moderator (not counting clinics they belong to)."""
    return db.session.scalar(select(func.count()).select_from(pending(moderator).order_by(None).subquery()))


def left_for_others(moderator: User) -> int:
    """Return how many pending answers concern clinics the moderator belongs to."""
    own = member_clinic_ids(moderator)
    if not own:
        return 0
    return db.session.scalar(
        select(func.count()).select_from(ChecklistAnswer).where(*_pending_condition(),
                                                                ChecklistAnswer.clinic_id.in_(own))
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """What was decided, and what the clinic's owners are told."""

    action: str
    subject: str
    text: str


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)


def _change(answer: ChecklistAnswer, changes: dict, name: str, value) -> None:
    old = getattr(answer, name)
    if old != value:
        changes[name] = [_plain(old), _plain(value)]
        setattr(answer, name, value)


def decide(
    answer: ChecklistAnswer,
    moderator: User,
    seen_version: int,
    verify: bool,
    basis: ApprovalBasis | None = None,
    reason: RefusalReason | None = None,
    note: str = "",
    today: date | None = None,
) -> Decision:
    """Verify or refuse one pending answer as the moderator saw it; raise ConflictOfInterest, StaleDecision or
    CannotVerify. Owners are told in the same transaction (the email leaves after the commit)."""
    ensure_can_decide(moderator, answer.clinic_id, answer.version, seen_version)
    if not is_pending(answer):
        raise StaleDecision(STALE_MESSAGE)
    item = ITEMS_BY_CODE[answer.item_code]
    today = today or date.today()
    now = utcnow()
    changes: dict = {}
    if verify:
        if basis is None:
            raise ValueError("a verification needs a basis from the closed list")
        if basis == ApprovalBasis.DOCUMENT_MATCH and answer.document_id is None:
            raise CannotVerify("There is no document to match: choose another basis, or refuse the evidence.")
        if item.expires and answer.expires_on is None:
            raise CannotVerify("This item's evidence needs an expiry date and none was given: refuse it as incomplete.")
        if answer.expires_on is not None and answer.expires_on < today:
            raise CannotVerify("The expiry date given has passed: refuse it as expired.")
        _change(answer, changes, "status", AnswerStatus.VERIFIED)
        _change(answer, changes, "evidence_kind", EvidenceKind.DOC if answer.document_id else EvidenceKind.MOD)
        _change(answer, changes, "verified_by_id", moderator.id)
        answer.verified_by = moderator
        changes["verified_at"] = [_plain(answer.verified_at), now.isoformat()]
        answer.verified_at = now
        _change(answer, changes, "decision_reason", None)
        answer.clinic.last_verified_on = today
        action, chosen = "evidence_verified", basis
        subject = f"Evidence verified: {item.title}"
        text = (f"A moderator verified your evidence for checklist item {item.code} ({item.title}) at "
                f"{answer.clinic.name}: {basis.label}. It now counts as verified in your score.")
    else:
        if reason is None:
            raise ValueError("a refusal needs a reason from the closed list")
        _change(answer, changes, "status", AnswerStatus.REFUSED)
        _change(answer, changes, "decision_reason", reason.value)
        _change(answer, changes, "verified_by_id", None)
        answer.verified_by = None
        _change(answer, changes, "verified_at", None)
        action, chosen = "evidence_refused", reason
        subject = f"Evidence refused: {item.title}"
        text = (f"A moderator refused your evidence for checklist item {item.code} ({item.title}) at "
                f"{answer.clinic.name}: {reason.label}. It counts nothing in your score until you give new "
                "evidence in the clinic portal.")
    log.record(moderator, action, answer.id, reason=chosen, note=note, target_type=TARGET_TYPE,
               clinic_id=answer.clinic_id, changes=changes)
    notify_owners_decision(answer.clinic, subject, text, "portal_evidence.item", slug=answer.clinic.slug,
                           code=answer.item_code)
    return Decision(action, subject, text)
