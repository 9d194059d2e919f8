"""Reports about published reviews, their place in the queue, and the notifications page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog, ReviewReport
from provider_dir.moderation.vocab import RejectionReason, ReportStatus
from provider_dir.reviews.vocab import ReviewStatus
from tests.reviews.helpers import reload, text_of


@pytest.fixture
def moderator(create_user):
    return create_user(role=UserRole.MODERATOR)


def reports_of(review) -> list[ReviewReport]:
    db.session.expire_all()
    return list(db.session.scalars(select(ReviewReport).where(ReviewReport.review_id == review.id)))


def test_an_anonymous_visitor_reports_a_published_review(client, create_clinic, add_review):
    clinic = create_clinic()
    review = add_review(clinic, title="Names a nurse")
    db.session.commit()
    form = client.get(f"/reviews/{review.id}/report")
    assert form.status_code == 200
    assert "Consumer Review Fairness Act" in text_of(form)
    response = client.post(f"/reviews/{review.id}/report", data={"reason": "personal_info", "note": "Full name"})
    assert response.status_code == 302
    [report] = reports_of(review)
    assert (report.reporter_id, report.reason, report.status) == (
        None,
        RejectionReason.PERSONAL_INFO,
        ReportStatus.OPEN,
    )
    assert "Log in next time to be told the outcome" in text_of(client.get(response.headers["Location"]))


def test_a_reported_review_stays_visible_and_joins_the_queue(client, auth, moderator, create_clinic, add_review):
    clinic = create_clinic()
    review = add_review(clinic, title="Still visible")
    db.session.commit()
    client.post(f"/reviews/{review.id}/report", data={"reason": "harassment"})
    assert reload(review).status == ReviewStatus.APPROVED
    assert "Still visible" in text_of(client.get(f"/clinics/{clinic.slug}"))
    auth.login(moderator)
    queue = text_of(client.get("/moderation/"))
    assert "Still visible" in queue and "Reported 1 time" in queue and "Harassing or abusive" in queue


def test_a_report_needs_a_reason_from_the_list(client, create_clinic, add_review):
    review = add_review(create_clinic())
    missing = client.post(f"/reviews/{review.id}/report", data={"note": "I just dislike it"})
    assert missing.status_code == 422
    assert "Choose the rule this review breaks" in text_of(missing)
    assert "I just dislike it" in missing.get_data(as_text=True)
    assert client.post(f"/reviews/{review.id}/report", data={"reason": "negative"}).status_code == 422
    assert reports_of(review) == []


@pytest.mark.parametrize("status", [ReviewStatus.PENDING, ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN])
def test_only_published_reviews_can_be_reported(client, create_clinic, add_review, status):
    review = add_review(create_clinic(), status=status)
    assert client.get(f"/reviews/{review.id}/report").status_code == 404
    assert client.post(f"/reviews/{review.id}/report", data={"reason": "spam_duplicate"}).status_code == 404
    assert client.get("/reviews/999999/report").status_code == 404


def test_dismissing_keeps_the_review_and_tells_the_reporter(
    client, auth, create_user, moderator, create_clinic, add_review
):
    clinic = create_clinic()
    review = add_review(clinic, rating=1, title="Harsh but fair")
    reporter = create_user()
    db.session.commit()
    auth.login(reporter)
    client.post(f"/reviews/{review.id}/report", data={"reason": "clearly_false"})
    assert "a moderator will look at it" not in text_of(client.get("/notifications"))
    auth.login(moderator)
    response = client.post(
        f"/moderation/reviews/{review.id}/decision",
        data={"version": reload(review).version, "approve": "Keep published"},
    )
    assert response.status_code == 302
    assert reload(review).status == ReviewStatus.APPROVED
    assert [r.status for r in reports_of(review)] == [ReportStatus.DISMISSED]
    assert "Harsh but fair" not in text_of(client.get("/moderation/"))
    auth.login(reporter)
    assert "My reviews Notifications 1" in text_of(client.get("/"))  # the unread count in the navigation
    page = text_of(client.get("/notifications"))
    assert "it stays published" in page and "1 unread" in page
    client.post("/notifications/read")
    assert "0 unread" in text_of(client.get("/notifications"))


def test_upholding_withholds_the_review_and_tells_reporters(
    client, auth, create_user, moderator, create_clinic, add_review
):
    clinic = create_clinic()
    review = add_review(clinic, rating=5, title="Names my neighbour")
    db.session.commit()
    first, second = create_user(), create_user()
    for reporter in (first, second):
        auth.login(reporter)
        client.post(f"/reviews/{review.id}/report", data={"reason": "personal_info"})
    auth.logout()
    client.post(f"/reviews/{review.id}/report", data={"reason": "personal_info"})  # anonymous
    auth.login(moderator)
    queue = text_of(client.get("/moderation/"))
    assert queue.count("Names my neighbour") == 1  # one item per review, however many reports
    client.post(
        f"/moderation/reviews/{review.id}/decision",
        data={"version": reload(review).version, "reject": "Withhold", "reason": "personal_info"},
    )
    review = reload(review)
    assert (review.status, review.rejection_reason) == (ReviewStatus.REJECTED, RejectionReason.PERSONAL_INFO)
    assert {r.status for r in reports_of(review)} == {ReportStatus.UPHELD}
    assert "Names my neighbour" not in text_of(client.get(f"/clinics/{clinic.slug}"))
    for reporter in (first, second):
        auth.login(reporter)
        assert "It was withheld: Contains someone else's personal information" in text_of(client.get("/notifications"))
    actions = db.session.scalars(select(ModerationLog.action).where(ModerationLog.target_id == review.id)).all()
    assert actions.count("reported") == 3 and "removed_after_report" in actions


def test_a_second_open_report_from_one_account_is_not_stored(client, auth, create_user, create_clinic, add_review):
    review = add_review(create_clinic())
    auth.login(create_user())
    client.post(f"/reviews/{review.id}/report", data={"reason": "spam_duplicate"})
    response = client.post(f"/reviews/{review.id}/report", data={"reason": "spam_duplicate"}, follow_redirects=True)
    assert "already reported this review" in text_of(response)
    assert len(reports_of(review)) == 1


def test_withdrawing_a_reported_review_closes_its_reports(client, auth, create_user, create_clinic, add_review):
    review = add_review(create_clinic())
    reporter = create_user()
    db.session.commit()
    auth.login(reporter)
    client.post(f"/reviews/{review.id}/report", data={"reason": "unrelated"})
    auth.login(review.author)
    client.post(f"/reviews/{review.id}/withdraw")
    assert [r.status for r in reports_of(review)] == [ReportStatus.CLOSED]
    auth.login(reporter)
    assert "was withdrawn by its author" in text_of(client.get("/notifications"))


def test_the_author_is_told_when_a_review_is_withheld(client, auth, moderator, create_clinic, add_review):
    review = add_review(create_clinic(), status=ReviewStatus.PENDING)
    db.session.commit()
    auth.login(moderator)
    client.post(
        f"/moderation/reviews/{review.id}/decision",
        data={"version": review.version, "reject": "Withhold", "reason": "unrelated"},
    )
    auth.login(review.author)
    assert "was withheld: Unrelated to the clinic's services" in text_of(client.get("/notifications"))
    assert "Unrelated to the clinic's services" in text_of(client.get("/reviews/mine"))


def test_notifications_need_an_account(client):
    assert client.get("/notifications").headers["Location"].startswith("/login")
    assert client.post("/notifications/read").status_code == 302
