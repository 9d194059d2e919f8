"""With CSRF protection on (as in production), the listing, claim and queue forms carry and need their token."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import utcnow
from provider_dir.portal.listings.edit import create_listing
from provider_dir.portal.models import ClinicClaim, ListingChange
from tests.conftest import test_password_hash as hashed_password
from tests.mailbox import draining
from tests.moderation.test_csrf import csrf_token_from, login
from tests.portal.conftest import listing_form
from tests.reviews.helpers import isolated_app
from tests.second_factor import give_second_factor


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory, smtp_server):
    with isolated_app(tmp_path_factory, "portal_csrf", WTF_CSRF_ENABLED=True, MAIL_URL=smtp_server.url,
                      UPLOAD_FOLDER=str(tmp_path_factory.mktemp("csrf_uploads"))) as app:  # fmt: skip
        with app.app_context():
            clinic = Clinic(name="Token Clinic", slug="token-clinic", street="1 Main St", city="Austin", state="TX",
                            zip_code="78701", latitude=30.27, longitude=-97.74, status=ClinicStatus.PUBLISHED,
                            website="https://token.example")  # fmt: skip
            users = [
                User(email=f"{name}@portal-csrf.test", display_name=f"pcsrf_{name}", role=role,
                     password_hash=hashed_password(), email_confirmed_at=utcnow())
                for name, role in (("owner", UserRole.CLINIC_OWNER), ("claimant", UserRole.PATIENT),
                                   ("moderator", UserRole.MODERATOR))
            ]  # fmt: skip
            db.session.add_all([clinic, *users])
            db.session.add(ClinicMembership(user=users[0], clinic=clinic, role=MembershipRole.OWNER))
            db.session.flush()
            give_second_factor(users[2].id)
            db.session.commit()
            db.session.remove()
        with draining(smtp_server.mailbox, app):
            yield app


def token_of(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    assert 'name="csrf_token"' in html
    return csrf_token_from(html)


def test_the_edit_form_needs_its_token(csrf_app):
    client = csrf_app.test_client()
    login(client, "owner@portal-csrf.test")
    url = "/portal/clinics/token-clinic/edit"
    data = listing_form(city="Austin", state="TX", zip_code="78701", website="https://token.example")
    assert client.post(url, data=data).status_code == 400
    assert client.post(url, data={**data, "csrf_token": token_of(client, url)}).status_code == 302


def test_the_new_listing_and_claim_forms_need_their_tokens(csrf_app, mailbox):
    client = csrf_app.test_client()
    login(client, "claimant@portal-csrf.test")
    new = listing_form(name="Token Two", accept_terms="y")
    assert client.post("/portal/new", data=new).status_code == 400
    assert client.post("/portal/new", data={**new, "csrf_token": token_of(client, "/portal/new")}).status_code == 302
    claim = {"role_at_clinic": "Manager", "method": "domain_email", "proof_email": "m@token.example",
             "accept_terms": "y"}  # fmt: skip
    url = "/portal/claim/token-clinic"
    assert client.post(url, data=claim).status_code == 400
    assert client.post(url, data={**claim, "csrf_token": token_of(client, url)}).status_code == 302
    with csrf_app.app_context():
        claim_id = db.session.scalar(select(ClinicClaim.id).where(ClinicClaim.proof_email == "m@token.example"))
    code_url = f"/portal/claims/{claim_id}/code"
    token = token_of(client, code_url)
    assert client.post(code_url, data={"code": "12345678"}).status_code == 400
    assert client.post(f"/portal/claims/{claim_id}/withdraw").status_code == 400
    assert client.post(f"/portal/claims/{claim_id}/resend").status_code == 400
    assert client.post(f"/portal/claims/{claim_id}/withdraw", data={"csrf_token": token}).status_code == 302


def test_the_queue_decisions_need_their_tokens(csrf_app):
    with csrf_app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@portal-csrf.test"))
        address = {"street": "2 Main St", "city": "Austin", "state": "TX", "zip_code": "78701"}
        clinic = create_listing(owner, "Token Three", address)
        db.session.commit()
        change = db.session.scalar(select(ListingChange).where(ListingChange.clinic_id == clinic.id))
        change_id, version = change.id, change.version
        db.session.remove()
    client = csrf_app.test_client()
    login(client, "moderator@portal-csrf.test")
    url = f"/moderation/listings/{change_id}/decision"
    data = {"version": version, "approve": "Approve", "basis": "meets_policy"}
    assert client.post(url, data=data).status_code == 400
    token = token_of(client, "/moderation/listings/")
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
