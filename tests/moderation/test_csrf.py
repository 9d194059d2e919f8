"""With CSRF protection on (as in production), every state-changing form needs its token."""

from __future__ import annotations

import re

import pytest

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_password
from tests.reviews.helpers import isolated_app, review_form
from tests.second_factor import give_second_factor, log_in


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory):
    with isolated_app(tmp_path_factory, "csrf", WTF_CSRF_ENABLED=True) as app:
        yield app


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    return match.group(1)


def login(client, email: str) -> None:
    response = log_in(client, email, TEST_PASSWORD)
    assert response.status_code == 302


@pytest.fixture(scope="module")
def world(csrf_app):
    with csrf_app.app_context():
        clinic = Clinic(
            name="CSRF Clinic",
            slug="csrf-clinic",
            street="1 Main St",
            city="Austin",
            state="TX",
            zip_code="78701",
            latitude=30.27,
            longitude=-97.74,
            status=ClinicStatus.PUBLISHED,
        )
        users = {
            role: User(
                email=f"{role.value}@csrf.test",
                display_name=f"csrf_{role.value}",
                role=role,
                password_hash=hashed_password(),
            )
            for role in (UserRole.PATIENT, UserRole.MODERATOR, UserRole.CLINIC_OWNER)
        }
        db.session.add_all([clinic, *users.values()])
        db.session.add(ClinicMembership(user=users[UserRole.CLINIC_OWNER], clinic=clinic, role=MembershipRole.OWNER))
        author = User(email="author@csrf.test", display_name="csrf_author", password_hash=hashed_password())
        review = Review(clinic=clinic, author=author, rating_overall=2, title="Pending", body="x" * 40)
        db.session.add(review)
        db.session.flush()
        give_second_factor(users[UserRole.MODERATOR].id)
        ids = {"review": review.id, "slug": clinic.slug}
        db.session.commit()
        db.session.remove()
    return ids


def status_of(app, review_id: int) -> ReviewStatus:
    with app.app_context():
        return db.session.get(Review, review_id).status


def test_a_moderator_decision_needs_its_token(csrf_app, world):
    client = csrf_app.test_client()
    login(client, "moderator@csrf.test")
    with csrf_app.app_context():
        version = db.session.get(Review, world["review"]).version
    url = f"/moderation/reviews/{world['review']}/decision"
    refused = client.post(url, data={"version": version, "approve": "Publish"})
    assert refused.status_code == 400
    assert "security token" in refused.get_data(as_text=True)
    assert status_of(csrf_app, world["review"]) == ReviewStatus.PENDING
    html = client.get("/moderation/").get_data(as_text=True)
    accepted = client.post(url, data={"version": version, "approve": "Publish", "csrf_token": csrf_token_from(html)})
    assert accepted.status_code == 302
    assert status_of(csrf_app, world["review"]) == ReviewStatus.APPROVED


def test_writing_reporting_and_issuing_codes_need_their_tokens(csrf_app, world):
    patient, owner = csrf_app.test_client(), csrf_app.test_client()
    login(patient, "patient@csrf.test")
    login(owner, "clinic_owner@csrf.test")
    write = f"/clinics/{world['slug']}/review"
    assert patient.post(write, data=review_form()).status_code == 400
    html = patient.get(write).get_data(as_text=True)
    assert patient.post(write, data={**review_form(), "csrf_token": csrf_token_from(html)}).status_code == 302
    codes = f"/portal/clinics/{world['slug']}/invitations"
    assert owner.post(codes, data={"count": "1"}).status_code == 400
    html = owner.get(codes).get_data(as_text=True)
    assert owner.post(codes, data={"count": "1", "csrf_token": csrf_token_from(html)}).status_code == 200
