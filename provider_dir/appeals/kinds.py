"""The decision kinds of this site, registered once: reviews, reports, claims, credentials, evidence, listings,
corrections, appeals.

Each reversal puts the item back where its queue expects it (pending) and calls that queue's own decision function as
the second moderator, so a reversed decision publishes, verifies, notifies and logs exactly as a first one would.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from provider_dir.appeals.models import Appeal
from provider_dir.corrections import services as corrections
from provider_dir.corrections.models import ClinicCorrection
from provider_dir.corrections.vocab import AcceptBasis, CorrectionStatus
from provider_dir.credentials.models import Credential
from provider_dir.credentials.services import CREDENTIAL
from provider_dir.credentials.vocab import CredentialStatus, VerificationMethod
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import services
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.evidence import queue as evidence_queue
from provider_dir.moderation.log import REVIEW
from provider_dir.moderation.models import ReviewReport
from provider_dir.moderation.portal import claims as claim_queue
from provider_dir.moderation.portal import listings as listing_queue
from provider_dir.moderation.vocab import ApprovalBasis, ReportStatus
from provider_dir.notices.services import owners_of
from provider_dir.portal.claims.services import CLAIM
from provider_dir.portal.listings.edit import LISTING_CHANGE
from provider_dir.portal.models import ClinicClaim, ListingChange
from provider_dir.portal.vocab import ChangeStatus, ClaimMethod, ClaimStatus
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.scoring.answers import TARGET_TYPE as EVIDENCE
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.vocab import AnswerStatus
from provider_dir.transparency.kinds import (
    APPROVED,
    DECLINED,
    MADE,
    REFUSED,
    REVERSED,
    UPHELD,
    Appealable,
    DecisionKind,
    register,
)

APPEAL = "appeal"


def _getter(model):
    return lambda target_id: db.session.get(model, target_id)


def _owners(entry, item) -> list[int]:
    return [owner.id for owner in owners_of(entry.clinic_id)] if entry.clinic_id else []


def _nobody(entry, item) -> list[int]:
    return []


def _reopen(item, status) -> int:
    """Put an item back to its queue's pending state and return the version its queue will check."""
    item.status = status
    db.session.flush()
    return item.version


# Reviews: the author appeals a withheld review; a reversal publishes it.
def _publish_review(entry, review: Review, moderator, note: str) -> None:
    services.decide(review, moderator, _reopen(review, ReviewStatus.PENDING), approve=True, note=note)


_REVIEW_APPEAL = Appealable(
    appellants=lambda entry, review: [review.author_id],
    stands=lambda review: review.status == ReviewStatus.REJECTED,
    reverse=_publish_review,
    other_side=_nobody,
    reversal_text="the review is published",
    targets_of=lambda user_id: select(Review.id).where(Review.author_id == user_id),
)

# Reports: a reporter appeals a declined report; a reversal withholds the review for the report's reason.
def _declined_reporters(entry, review: Review) -> list[int]:
    return list(db.session.scalars(
        select(ReviewReport.reporter_id).where(
            ReviewReport.review_id == review.id, ReviewReport.status == ReportStatus.DISMISSED,
            ReviewReport.decided_by_id == entry.actor_id, ReviewReport.reporter_id.is_not(None))
    ))  # fmt: skip


def _withhold_review(entry, review: Review, moderator, note: str) -> None:
    reports = list(db.session.scalars(
        select(ReviewReport).where(ReviewReport.review_id == review.id, ReviewReport.status == ReportStatus.DISMISSED,
                                   ReviewReport.decided_by_id == entry.actor_id)
        .order_by(ReviewReport.id)
    ))  # fmt: skip
    for report in reports:
        report.status = ReportStatus.OPEN
    db.session.flush()
    db.session.refresh(review, ["reports"])
    services.decide(review, moderator, review.version, approve=False, reason=reports[0].reason, note=note)


register(DecisionKind(
    name="review", label="Review", target_type=REVIEW, outcomes={"approved": APPROVED, "rejected": REFUSED},
    load=_getter(Review), clinic_id=lambda review: review.clinic_id,
    submitted_at=lambda review: review.queued_at or review.created_at, stars=lambda review: review.rating_overall,
    appeals={"rejected": _REVIEW_APPEAL},
))  # fmt: skip
register(DecisionKind(
    name="report", label="Report about a review", target_type=REVIEW,
    outcomes={"report_dismissed": DECLINED, "removed_after_report": UPHELD},
    load=_getter(Review), clinic_id=lambda review: review.clinic_id,
    submitted_at=lambda review: review.queued_at or review.created_at,
    appeals={
        "report_dismissed": Appealable(
            appellants=_declined_reporters, stands=lambda review: review.status == ReviewStatus.APPROVED,
            reverse=_withhold_review, other_side=lambda entry, review: [review.author_id],
            reversal_text="the review is withheld for the reason given in the report",
            targets_of=lambda user_id: select(ReviewReport.review_id).where(ReviewReport.reporter_id == user_id)),
        # The author of a review withheld after a report appeals as the author of any withheld review.
        "removed_after_report": _REVIEW_APPEAL,
    },
))  # fmt: skip


# Claims: the claimant appeals a refusal; a reversal makes them an owner.
def _approve_claim(entry, claim: ClinicClaim, moderator, note: str) -> None:
    basis = ApprovalBasis.DOCUMENT_MATCH if claim.method == ClaimMethod.DOCUMENT else ApprovalBasis.DOMAIN_EMAIL
    claim_queue.decide(claim, moderator, _reopen(claim, ClaimStatus.PENDING), basis, note, utcnow())


register(DecisionKind(
    name="claim", label="Listing claim", target_type=CLAIM,
    outcomes={"claim_approved": APPROVED, "claim_rejected": REFUSED},
    load=_getter(ClinicClaim), clinic_id=lambda claim: claim.clinic_id, submitted_at=lambda claim: claim.created_at,
    appeals={"claim_rejected": Appealable(
        appellants=lambda entry, claim: [claim.user_id], stands=lambda claim: claim.status == ClaimStatus.REJECTED,
        reverse=_approve_claim, other_side=_nobody, reversal_text="the claim is approved",
        targets_of=lambda user_id: select(ClinicClaim.id).where(ClinicClaim.user_id == user_id))},
))  # fmt: skip


# Credentials: the clinic's owners appeal a refusal; a reversal verifies it (by its document, or by the registry
# reference the second moderator gives in the note).
def _verify_credential(entry, credential: Credential, moderator, note: str) -> None:
    method = VerificationMethod.DOCUMENT if credential.document_id else VerificationMethod.REGISTRY
    version = _reopen(credential, CredentialStatus.SELF_REPORTED)
    credential_queue.verify(credential, moderator, version, method, reference=note, note=note)


register(DecisionKind(
    name="credential", label="Staff credential", target_type=CREDENTIAL,
    outcomes={"credential_verified": APPROVED, "credential_refused": REFUSED},
    load=_getter(Credential), clinic_id=lambda credential: credential.staff_member.clinic_id,
    submitted_at=lambda credential: credential.submitted_at,
    appeals={"credential_refused": Appealable(
        appellants=_owners, stands=lambda credential: credential.status == CredentialStatus.REFUSED,
        reverse=_verify_credential, other_side=_nobody, reversal_text="the credential is verified")},
))  # fmt: skip


# Checklist evidence: the owners appeal a refusal; a reversal verifies it.
def _verify_evidence(entry, answer: ChecklistAnswer, moderator, note: str) -> None:
    basis = ApprovalBasis.DOCUMENT_MATCH if answer.document_id else ApprovalBasis.MEETS_POLICY
    version = _reopen(answer, AnswerStatus.SELF_REPORTED)
    evidence_queue.decide(answer, moderator, version, verify=True, basis=basis, note=note)


register(DecisionKind(
    name="evidence", label="Checklist evidence", target_type=EVIDENCE,
    outcomes={"evidence_verified": APPROVED, "evidence_refused": REFUSED},
    load=_getter(ChecklistAnswer), clinic_id=lambda answer: answer.clinic_id,
    submitted_at=lambda answer: answer.submitted_at,
    appeals={"evidence_refused": Appealable(
        appellants=_owners, stands=lambda answer: answer.status == AnswerStatus.REFUSED,
        reverse=_verify_evidence, other_side=_nobody, reversal_text="the evidence is verified")},
))  # fmt: skip


# New listings and held listing edits: the owners appeal a refusal; a reversal publishes the listing or the edit.
def _approve_change(entry, change: ListingChange, moderator, note: str) -> None:
    version = _reopen(change, ChangeStatus.PENDING)
    listing_queue.decide(change, moderator, version, ApprovalBasis.MEETS_POLICY, note, utcnow(), date.today())


_LISTING_APPEAL = Appealable(
    appellants=_owners, stands=lambda change: change.status == ChangeStatus.REJECTED,
    reverse=_approve_change, other_side=_nobody, reversal_text="the listing or its edit is published",
)
register(DecisionKind(
    name="listing", label="New listing or held edit", target_type=LISTING_CHANGE,
    outcomes={"new_listing_approved": APPROVED, "new_listing_rejected": REFUSED,
              "edit_approved": APPROVED, "edit_rejected": REFUSED},
    load=_getter(ListingChange), clinic_id=lambda change: change.clinic_id,
    submitted_at=lambda change: change.created_at,
    appeals={"new_listing_rejected": _LISTING_APPEAL, "edit_rejected": _LISTING_APPEAL},
))  # fmt: skip

# Corrections: the signed-in person who suggested it and the clinic's owners appeal a decline; a reversal accepts it
# through the corrections queue, which applies it to the listing, logs it and tells the owners and the suggester.
def _correction_appellants(entry, correction: ClinicCorrection) -> list[int]:
    suggester = [correction.submitter_id] if correction.submitter_id is not None else []
    return suggester + [owner for owner in _owners(entry, correction) if owner not in suggester]


def _accept_correction(entry, correction: ClinicCorrection, moderator, note: str) -> None:
    # The closed list needs a ground: the source given when there is one; otherwise the listing's own clinic (the
    # second moderator names what they checked in the note, which the decision keeps).
    basis = AcceptBasis.SOURCE_SHOWS if correction.source_url else AcceptBasis.CLINIC_CONFIRMED
    version = _reopen(correction, CorrectionStatus.PENDING)
    corrections.decide(correction, moderator, version, basis, note, utcnow())


register(DecisionKind(
    name="correction", label="Correction to a listing", target_type=corrections.TARGET,
    outcomes={"correction_accepted": APPROVED, "correction_declined": REFUSED},
    load=_getter(ClinicCorrection), clinic_id=lambda correction: correction.clinic_id,
    submitted_at=lambda correction: correction.created_at,
    appeals={"correction_declined": Appealable(
        appellants=_correction_appellants, stands=lambda correction: correction.status == CorrectionStatus.DECLINED,
        reverse=_accept_correction, other_side=_nobody, reversal_text="the correction is applied to the listing",
        targets_of=lambda user_id: select(ClinicCorrection.id).where(ClinicCorrection.submitter_id == user_id))},
))  # fmt: skip

# Appeals themselves: decided once, by a second moderator; not appealable on the site.
register(DecisionKind(
    name="appeal", label="Appeal", target_type=APPEAL,
    outcomes={"appeal_made": MADE, "appeal_upheld": UPHELD, "appeal_reversed": REVERSED},
    load=_getter(Appeal), clinic_id=lambda appeal: appeal.clinic_id, submitted_at=lambda appeal: appeal.created_at,
))  # fmt: skip
