"""The moderation queue: one order for every rating, closed reasons, version checks, the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm.exc import StaleDataError

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.moderation import services
from provider_dir.moderation.models import ModerationLog, Notification
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from tests.reviews.helpers import reload, text_of


@pytest.fixture
def moderator(create_user):
    return create_user(role=UserRole.MODERATOR)


def pending(add_review, clinic, rating, minutes_ago, title):
    review = add_review(clinic, rating=rating, status=ReviewStatus.PENDING, title=title)
    review.queued_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    db.session.flush()
    return review


def log_rows(review) -> list[ModerationLog]:
    return list(db.session.scalars(select(ModerationLog).where(ModerationLog.target_id == review.id)))


@pytest.mark.parametrize("role", [UserRole.PATIENT, UserRole.CLINIC_OWNER])
def test_only_moderators_and_admins_see_the_queue(client, auth, create_user, role):
    assert client.get("/moderation/").headers["Location"].startswith("/login")
    auth.login(create_user(role=role))
    response = client.get("/moderation/")
    assert response.status_code == 403
    assert "for moderators only" in text_of(response)


@pytest.mark.parametrize("role", [UserRole.MODERATOR, UserRole.ADMIN])
def test_moderators_and_admins_work_the_queue(client, auth, create_user, role):
    auth.login(create_user(role=role))
    assert client.get("/moderation/").status_code == 200
    assert client.get("/moderation/log").status_code == 200


def test_one_queue_oldest_first_whatever_the_rating(client, auth, moderator, create_clinic, add_review):
    clinic = create_clinic()
    pending(add_review, clinic, 5, 10, "Newest five stars")
    pending(add_review, clinic, 1, 30, "Oldest one star")
    pending(add_review, clinic, 3, 20, "Middle three stars")
    auth.login(moderator)
    page = text_of(client.get("/moderation/"))
    positions = [page.index(t) for t in ("Oldest one star", "Middle three stars", "Newest five stars")]
    assert positions == sorted(positions)
    # The decision rests on the text: no stars and no "would recommend" in the queue.
    assert "★" not in page and "out of 5" not in page and "ecommend" not in page


def test_the_queue_accepts_no_rating_filter_or_sort(client, auth, moderator, create_clinic, add_review):
    clinic = create_clinic()
    pending(add_review, clinic, 5, 10, "Five")
    pending(add_review, clinic, 1, 20, "One")
    auth.login(moderator)
    client.get("/")  # shows (and so clears) the one-time "You are logged in." message
    plain = text_of(client.get("/moderation/"))
    for query in ("?rating=1", "?sort=rating", "?order=rating_overall", "?min_rating=5"):
        assert text_of(client.get(f"/moderation/{query}")) == plain


def test_approving_publishes_and_logs_in_one_go(client, auth, moderator, create_clinic, add_review):
    clinic = create_clinic()
    review = pending(add_review, clinic, 2, 5, "Honest two stars")
    db.session.commit()
    auth.login(moderator)
    response = client.post(
        f"/moderation/reviews/{review.id}/decision", data={"version": review.version, "approve": "Publish"}
    )
    assert response.status_code == 302
    review = reload(review)
    assert review.status == ReviewStatus.APPROVED and review.published_at is not None
    [entry] = [row for row in log_rows(review) if row.action == "approved"]
    assert entry.actor_id == moderator.id and entry.reason is None
    assert "Honest two stars" in text_of(client.get(f"/clinics/{clinic.slug}"))
    notes = db.session.scalars(select(Notification.message).where(Notification.user_id == review.author_id)).all()
    assert any("is published" in n for n in notes)


def test_rejecting_needs_a_reason_from_the_closed_list(client, auth, moderator, create_clinic, add_review):
    review = pending(add_review, create_clinic(), 5, 5, "Has a phone number")
    auth.login(moderator)
    url = f"/moderation/reviews/{review.id}/decision"
    missing = client.post(url, data={"version": review.version, "reject": "Withhold"})
    assert missing.status_code == 422
    assert "Choose the rule this review breaks" in text_of(missing)
    made_up = client.post(url, data={"version": review.version, "reject": "Withhold", "reason": "too_negative"})
    assert made_up.status_code == 422
    assert reload(review).status == ReviewStatus.PENDING
    ok = client.post(url, data={"version": review.version, "reject": "Withhold", "reason": "personal_info"})
    assert ok.status_code == 302
    review = reload(review)
    assert (review.status, review.rejection_reason) == (ReviewStatus.REJECTED, RejectionReason.PERSONAL_INFO)
    assert [r.reason for r in log_rows(review) if r.action == "rejected"] == ["personal_info"]


def test_the_closed_list_maps_to_the_content_neutral_grounds():
    assert {r.value for r in RejectionReason} == {
        "personal_info",
        "harassment",
        "obscene_discriminatory",
        "unrelated",
        "clearly_false",
        "conflict_of_interest",
        "spam_duplicate",
    }


def test_a_stale_decision_gets_409_and_changes_nothing(client, auth, create_user, create_clinic, add_review):
    review = pending(add_review, create_clinic(), 4, 5, "Decided twice")
    seen = review.version
    db.session.commit()
    first, second = create_user(role=UserRole.MODERATOR), create_user(role=UserRole.MODERATOR)
    auth.login(first)
    assert (
        client.post(
            f"/moderation/reviews/{review.id}/decision", data={"version": seen, "approve": "Publish"}
        ).status_code
        == 302
    )
    auth.login(second)
    late = client.post(
        f"/moderation/reviews/{review.id}/decision",
        data={"version": seen, "reject": "Withhold", "reason": "spam_duplicate"},
    )
    assert late.status_code == 409
    assert "changed after you opened it" in text_of(late)
    assert reload(review).status == ReviewStatus.APPROVED
    assert [r.action for r in log_rows(review)] == ["approved"]


def test_an_edit_by_the_author_makes_an_open_decision_stale(client, auth, moderator, create_clinic, add_review):
    review = pending(add_review, create_clinic(), 4, 5, "Before the edit")
    seen = review.version
    from provider_dir.reviews.services import edit_review

    edit_review(review, {"body": "The author rewrote the whole thing after the moderator opened it."})
    db.session.commit()
    auth.login(moderator)
    response = client.post(f"/moderation/reviews/{review.id}/decision", data={"version": seen, "approve": "Publish"})
    assert response.status_code == 409
    assert reload(review).status == ReviewStatus.PENDING


def test_a_concurrent_decision_fails_at_the_database(app, create_user, create_clinic, add_review):
    # Both moderators read version 1; the other one's decision reached the database first.
    review = pending(add_review, create_clinic(), 4, 5, "Raced")
    db.session.commit()
    moderator = create_user(role=UserRole.MODERATOR)
    seen = review.version
    db.session.execute(
        update(Review)
        .where(Review.id == review.id)
        .values(status=ReviewStatus.APPROVED, version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(StaleDataError):
        services.decide(review, moderator, seen, approve=False, reason=RejectionReason.SPAM)
        db.session.flush()
    db.session.rollback()
    assert not [row for row in log_rows(review) if row.action == "rejected"]


def test_a_failed_commit_rolls_back_the_decision_and_its_log_row(client, auth, moderator, create_clinic, add_review):
    review = pending(add_review, create_clinic(), 1, 5, "Survives the failure")
    db.session.commit()
    auth.login(moderator)

    def fail(*args):
        raise RuntimeError("disk full")

    event.listen(ModerationLog, "before_insert", fail)
    try:
        response = client.post(
            f"/moderation/reviews/{review.id}/decision", data={"version": review.version, "approve": "Publish"}
        )
    finally:
        event.remove(ModerationLog, "before_insert", fail)
    assert response.status_code == 500
    assert "Nothing you saved was lost" in text_of(response)
    assert reload(review).status == ReviewStatus.PENDING
    assert log_rows(review) == []


def test_a_moderator_cannot_moderate_a_clinic_they_belong_to(client, auth, moderator, create_clinic, add_review):
    own, other = create_clinic(), create_clinic()
    db.session.add(ClinicMembership(user=moderator, clinic=own, role=MembershipRole.STAFF))
    mine = pending(add_review, own, 5, 10, "About my own clinic")
    pending(add_review, other, 5, 5, "About another clinic")
    db.session.commit()
    auth.login(moderator)
    page = text_of(client.get("/moderation/"))
    assert "About my own clinic" not in page and "About another clinic" in page
    assert "1 more concern clinics you belong to" in page
    response = client.post(
        f"/moderation/reviews/{mine.id}/decision", data={"version": mine.version, "approve": "Publish"}
    )
    assert response.status_code == 403
    assert "cannot moderate its reviews" in text_of(response)
    assert reload(mine).status == ReviewStatus.PENDING


def test_moderators_cannot_edit_a_review(client, auth, moderator, create_clinic, add_review):
    review = pending(add_review, create_clinic(), 3, 5, "Original words")
    auth.login(moderator)
    client.post(
        f"/moderation/reviews/{review.id}/decision",
        data={"version": review.version, "approve": "Publish", "title": "Improved words", "body": "x" * 40},
    )
    assert reload(review).title == "Original words"
    assert client.post(f"/reviews/{review.id}/edit", data={"title": "Improved"}).status_code == 403


def test_the_item_page_shows_the_history(client, auth, moderator, create_user, create_clinic):
    clinic = create_clinic()
    patient = create_user()
    auth.login(patient)
    from tests.reviews.helpers import review_form

    client.post(f"/clinics/{clinic.slug}/review", data=review_form(title="With history"))
    review = db.session.scalar(select(Review).where(Review.author_id == patient.id))
    auth.login(moderator)
    client.post(f"/moderation/reviews/{review.id}/decision", data={"version": review.version, "approve": "Publish"})
    page = text_of(client.get(f"/moderation/reviews/{review.id}"))
    assert f"submitted by {patient.display_name}" in page
    assert f"approved by {moderator.display_name}" in page
    log_page = text_of(client.get("/moderation/log"))
    assert f"review {review.id}" in log_page
