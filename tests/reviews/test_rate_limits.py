"""Posting and reporting are rate limited, with a 429 and a message a person can act on."""

from __future__ import annotations

import pytest

from provider_dir.accounts.models import User
from provider_dir.extensions import db, limiter
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_password
from tests.reviews.helpers import isolated_app, review_form, text_of


@pytest.fixture(scope="module")
def limited_app(tmp_path_factory):
    with isolated_app(tmp_path_factory, "ratelimit", RATELIMIT_ENABLED=True) as app:
        yield app


@pytest.fixture
def fresh_limits(limited_app):
    limiter.reset()
    yield


def make_clinics(app, prefix: str, count: int) -> list[str]:
    with app.app_context():
        clinics = [
            Clinic(
                name=f"{prefix} {i}",
                slug=f"{prefix}-{i}",
                street="1 Main St",
                city="Denver",
                state="CO",
                zip_code="80202",
                latitude=39.75,
                longitude=-104.99,
                status=ClinicStatus.PUBLISHED,
            )
            for i in range(count)
        ]
        db.session.add_all(clinics)
        db.session.flush()
        slugs = [c.slug for c in clinics]
        db.session.commit()
        db.session.remove()
    return slugs


def make_patient(app, name: str) -> str:
    with app.app_context():
        db.session.add(User(email=f"{name}@limits.test", display_name=name, password_hash=hashed_password()))
        db.session.commit()
        db.session.remove()
    return f"{name}@limits.test"


def test_posting_reviews_is_limited_per_account(limited_app, fresh_limits):
    slugs = make_clinics(limited_app, "posting", 7)
    client = limited_app.test_client()
    client.post("/login", data={"email": make_patient(limited_app, "prolific"), "password": TEST_PASSWORD})
    # Forms sent back with errors do not count; accepted reviews do.
    for _ in range(3):
        assert client.post(f"/clinics/{slugs[0]}/review", data=review_form(body="short")).status_code == 422
    for slug in slugs[:5]:
        assert client.post(f"/clinics/{slug}/review", data=review_form()).status_code == 302
    refused = client.post(f"/clinics/{slugs[5]}/review", data=review_form())
    assert refused.status_code == 429
    assert "paused posting from your account" in text_of(refused)
    assert "try again in an hour" in text_of(refused)
    with limited_app.app_context():
        assert db.session.query(Review).join(Clinic).filter(Clinic.slug == slugs[5]).count() == 0
    # Another account is not held back by the first one's limit.
    other = limited_app.test_client()
    other.post("/login", data={"email": make_patient(limited_app, "unrelated"), "password": TEST_PASSWORD})
    assert other.post(f"/clinics/{slugs[6]}/review", data=review_form()).status_code == 302


def test_reporting_is_limited_for_anonymous_visitors(limited_app, fresh_limits):
    [slug] = make_clinics(limited_app, "reporting", 1)
    with limited_app.app_context():
        author = User(email="reported@limits.test", display_name="reported", password_hash=hashed_password())
        clinic = db.session.query(Clinic).filter_by(slug=slug).one()
        reviews = [
            Review(
                clinic=clinic, author=author, rating_overall=3, title="t", body="b" * 40, status=ReviewStatus.APPROVED
            )
        ]
        db.session.add_all(reviews)
        db.session.flush()
        review_id = reviews[0].id
        db.session.commit()
        db.session.remove()
    client = limited_app.test_client()
    for _ in range(10):
        assert client.post(f"/reviews/{review_id}/report", data={"reason": "spam_duplicate"}).status_code == 302
    refused = client.post(f"/reviews/{review_id}/report", data={"reason": "spam_duplicate"})
    assert refused.status_code == 429
    assert "paused reporting from here" in text_of(refused)
