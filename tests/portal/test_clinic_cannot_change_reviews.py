"""No route lets a clinic hide, edit or delete a review of its own clinic, whatever it sends."""

from __future__ import annotations

import pytest

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole
from provider_dir.extensions import db
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus

# Everything a clinic might try to send to change a review.
HOSTILE_FORM = {
    "status": "rejected",
    "approve": "Publish",
    "reject": "Withhold",
    "reason": "clearly_false",
    "rating_overall": "5",
    "would_recommend": "yes",
    "title": "Changed by the clinic",
    "body": "The clinic rewrote this review to say that everything was perfect in every way.",
    "no_connection": "y",
    "count": "1",
    "note": "remove it",
}


def visible_state(review: Review) -> tuple:
    db.session.expire_all()
    fresh = db.session.get(Review, review.id)
    return (fresh.status, fresh.title, fresh.body, fresh.rating_overall, fresh.published_at, fresh.rejection_reason)


def every_route(app, clinic, review):
    values = {"slug": clinic.slug, "review_id": review.id}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not set(rule.arguments) <= set(values):
            continue
        url = rule.build({k: values[k] for k in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


@pytest.mark.parametrize("membership", [MembershipRole.OWNER, MembershipRole.STAFF])
def test_no_route_changes_a_review_for_its_clinic(
    app, client, auth, create_user, create_clinic, make_owner, add_review, membership
):
    clinic = create_clinic()
    review = add_review(clinic, rating=1, title="A one-star review")
    if membership == MembershipRole.OWNER:
        insider = make_owner(clinic)
    else:
        insider = create_user()
        db.session.add(ClinicMembership(user=insider, clinic=clinic, role=membership))
    version = review.version
    db.session.commit()
    before = visible_state(review)
    auth.login(insider)
    tried = 0
    for method, url in every_route(app, clinic, review):
        if url == "/logout":
            continue
        data = {**HOSTILE_FORM, "version": str(version)}
        response = client.open(url, method=method, data=data if method == "POST" else None)
        assert response.status_code < 500, (method, url)
        assert visible_state(review) == before, (method, url)
        tried += 1
    assert tried >= 20
    assert before[0] == ReviewStatus.APPROVED
