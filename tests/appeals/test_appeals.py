"""Appeals of every kind, upheld and reversed by a second moderator; the window, the one-appeal rule, conflicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.appeals import services
from provider_dir.appeals.vocab import AppealReason, AppealStatus
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.extensions import db
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.moderation.models import ModerationLog, Notification
from provider_dir.moderation.services import ConflictOfInterest
from provider_dir.portal.vocab import ChangeStatus, ClaimStatus
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.scoring.vocab import AnswerStatus

KINDS = ["review", "report", "claim", "credential", "evidence", "listing"]


def _state(decided) -> str:
    item = decided.item
    db.session.refresh(item)
    if decided.kind == "review":
        return item.status.value
    if decided.kind == "report":
        return item.status.value
    if decided.kind == "claim":
        owner = db.session.scalar(select(ClinicMembership.id).where(
            ClinicMembership.user_id == item.user_id, ClinicMembership.clinic_id == item.clinic_id,
            ClinicMembership.role == MembershipRole.OWNER))  # fmt: skip
        return f"{item.status.value}:{'owner' if owner else 'not owner'}"
    if decided.kind == "listing":
        return f"{item.status.value}:{item.clinic.status.value}"
    return item.status.value


REFUSED_STATE = {"review": "rejected", "report": "approved", "claim": "rejected:not owner",
                 "credential": "refused", "evidence": "refused", "listing": "rejected:draft"}
REVERSED_STATE = {"review": ReviewStatus.APPROVED.value, "report": ReviewStatus.REJECTED.value,
                  "claim": f"{ClaimStatus.APPROVED.value}:owner", "credential": CredentialStatus.VERIFIED.value,
                  "evidence": AnswerStatus.VERIFIED.value,
                  "listing": f"{ChangeStatus.APPROVED.value}:{ClinicStatus.PUBLISHED.value}"}


@pytest.mark.parametrize("kind", KINDS)
def test_an_upheld_appeal_leaves_the_decision_standing_and_tells_the_appellant(kind, decide_one, second_moderator):
    decided = decide_one(kind)
    before = _state(decided)
    assert before == REFUSED_STATE[kind]
    assert [d.entry.id for d in services.open_to(decided.appellant)] == [decided.entry.id]
    appeal = services.file_appeal(services.load_decision(decided.entry.id), decided.appellant, "Please look again.")
    services.decide(appeal, second_moderator, appeal.version, AppealReason.RULE_APPLIED)
    db.session.commit()
    assert appeal.status == AppealStatus.UPHELD
    assert _state(decided) == before
    told = db.session.scalars(select(Notification.message).where(Notification.user_id == decided.appellant.id)).all()
    assert any("upheld" in message and "last step" in message for message in told)


@pytest.mark.parametrize("kind", KINDS)
def test_a_reversed_appeal_carries_the_opposite_decision_through_its_queue(kind, decide_one, second_moderator):
    decided = decide_one(kind)
    appeal = services.file_appeal(services.load_decision(decided.entry.id), decided.appellant, "You misread it.")
    services.decide(appeal, second_moderator, appeal.version, AppealReason.MISREAD,
                    note="Registry look-up 2026-12-04, licence MD123456 active")
    db.session.commit()
    assert appeal.status == AppealStatus.REVERSED
    assert _state(decided) == REVERSED_STATE[kind]
    # The reversal was logged by the item's own queue, as the second moderator, and the appeal's outcome too.
    actions = db.session.execute(select(ModerationLog.action, ModerationLog.actor_id)
                                 .where(ModerationLog.id > decided.entry.id)).all()  # fmt: skip
    assert ("appeal_reversed", second_moderator.id) in actions
    assert any(actor == second_moderator.id and action != "appeal_reversed" for action, actor in actions)


def test_the_moderator_who_decided_cannot_decide_the_appeal(decide_one, first_moderator, second_moderator):
    decided = decide_one("review")
    appeal = services.file_appeal(services.load_decision(decided.entry.id), decided.appellant, "Look again.")
    assert appeal not in db.session.scalars(services.queue(first_moderator)).all()
    assert appeal in db.session.scalars(services.queue(second_moderator)).all()
    with pytest.raises(ConflictOfInterest):
        services.decide(appeal, first_moderator, appeal.version, AppealReason.MISREAD)


def test_a_moderator_who_belongs_to_the_clinic_cannot_decide_the_appeal(decide_one, create_user):
    decided = decide_one("credential")
    staff_moderator = create_user(role=UserRole.MODERATOR)
    db.session.add(ClinicMembership(user=staff_moderator, clinic_id=decided.clinic_id, role=MembershipRole.STAFF))
    db.session.flush()
    appeal = services.file_appeal(services.load_decision(decided.entry.id), decided.appellant, "Look again.")
    assert appeal not in db.session.scalars(services.queue(staff_moderator)).all()
    with pytest.raises(ConflictOfInterest):
        services.decide(appeal, staff_moderator, appeal.version, AppealReason.MISREAD)


def test_an_appeal_is_possible_for_30_days_only(decide_one):
    decided = decide_one("review")
    decision = services.load_decision(decided.entry.id)
    late = decided.entry.created_at + timedelta(days=30, minutes=1)
    with pytest.raises(services.AppealRefused, match="30 days"):
        services.file_appeal(decision, decided.appellant, "Too late?", now=late)
    assert services.open_to(decided.appellant, now=late) == []
    on_time = decided.entry.created_at + timedelta(days=29, hours=23)
    assert [d.entry.id for d in services.open_to(decided.appellant, now=on_time)] == [decided.entry.id]
    services.file_appeal(decision, decided.appellant, "Just in time.", now=on_time)


def test_a_decision_is_appealed_once(decide_one):
    decided = decide_one("report")
    decision = services.load_decision(decided.entry.id)
    services.file_appeal(decision, decided.appellant, "First.")
    with pytest.raises(services.AppealRefused, match="once"):
        services.file_appeal(decision, decided.appellant, "Second.")


def test_only_the_person_the_decision_is_about_can_appeal(decide_one, create_user):
    decided = decide_one("review")
    with pytest.raises(services.AppealRefused, match="Only the person"):
        services.file_appeal(services.load_decision(decided.entry.id), create_user(), "Me too.")


def test_an_appeal_is_at_most_2000_characters(decide_one):
    decided = decide_one("review")
    decision = services.load_decision(decided.entry.id)
    with pytest.raises(services.AppealRefused, match="2,000"):
        services.file_appeal(decision, decided.appellant, "x" * 2001)
    services.file_appeal(decision, decided.appellant, "x" * 2000)


def test_an_approval_is_not_appealable(add_review, create_clinic, second_moderator):
    from provider_dir.moderation import services as moderation

    review = add_review(create_clinic(), status=ReviewStatus.PENDING)
    moderation.decide(review, second_moderator, review.version, approve=True)
    db.session.flush()
    entry = db.session.scalars(select(ModerationLog).order_by(ModerationLog.id.desc()).limit(1)).one()
    assert entry.action == "approved" and services.load_decision(entry.id) is None
