"""Who may open each listing, claim and queue route: a matrix of route x role with the expected status."""

from __future__ import annotations

import pytest

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.portal.claims import services as claims
from provider_dir.portal.listings.edit import save_owner_edit
from tests.portal.conftest import listing_form

ANON, PATIENT, OWNER, OTHER_OWNER = "anonymous", "patient", "owner", "other_owner"
MODERATOR, ADMIN = "moderator", "admin"


@pytest.fixture
def world(create_clinic, make_owner, create_user):
    clinic = create_clinic(website="https://a.example")
    other = create_clinic()
    owner, other_owner = make_owner(clinic), make_owner(other)
    claimant = create_user(email_confirmed_at=utcnow())
    claim, _ = claims.start_domain_claim(claimant, clinic, "Nurse", "n@a.example", "key", utcnow())
    held = save_owner_edit(clinic, owner, {"description": "A miracle cure"}).held
    users = {
        PATIENT: create_user(email_confirmed_at=utcnow()),
        OWNER: owner,
        OTHER_OWNER: other_owner,
        MODERATOR: create_user(role=UserRole.MODERATOR),
        ADMIN: create_user(role=UserRole.ADMIN),
    }
    db.session.commit()
    return {"clinic": clinic, "users": users, "claim": claim, "held": held}


def as_role(client, auth, world, role):
    if role != ANON:
        auth.login(world["users"][role])


OWNER_ROUTES = [("get", "/portal/clinics/{slug}"), ("get", "/portal/clinics/{slug}/edit"),
                ("post", "/portal/clinics/{slug}/edit")]  # fmt: skip
OWNER_EXPECTED = {ANON: 302, PATIENT: 403, OWNER: 200, OTHER_OWNER: 403, MODERATOR: 403, ADMIN: 403}


@pytest.mark.parametrize(("method", "url"), OWNER_ROUTES)
@pytest.mark.parametrize("role", list(OWNER_EXPECTED))
def test_owner_routes(client, auth, world, method, url, role):
    as_role(client, auth, world, role)
    data = listing_form() if method == "post" else None
    response = getattr(client, method)(url.format(slug=world["clinic"].slug), data=data)
    expected = OWNER_EXPECTED[role]
    if expected == 200 and method == "post":
        expected = 302
    assert response.status_code == expected
    if role == ANON:
        assert "/login" in response.headers["Location"]


def test_an_unknown_clinic_is_404_for_an_owner(client, auth, world):
    as_role(client, auth, world, OWNER)
    assert client.get("/portal/clinics/no-such-clinic").status_code == 404
    assert client.get("/portal/clinics/no-such-clinic/edit").status_code == 404


QUEUE_ROUTES = [
    ("get", "/moderation/claims/"),
    ("get", "/moderation/claims/{claim}"),
    ("post", "/moderation/claims/{claim}/decision"),
    ("get", "/moderation/listings/"),
    ("get", "/moderation/edits/"),
    ("get", "/moderation/edits/{held}"),
    ("post", "/moderation/edits/{held}/decision"),
]
QUEUE_EXPECTED = {ANON: 302, PATIENT: 403, OWNER: 403, OTHER_OWNER: 403, MODERATOR: 200, ADMIN: 200}


@pytest.mark.parametrize(("method", "url"), QUEUE_ROUTES)
@pytest.mark.parametrize("role", list(QUEUE_EXPECTED))
def test_queue_routes(client, auth, world, method, url, role):
    as_role(client, auth, world, role)
    path = url.format(claim=world["claim"].id, held=world["held"].id)
    # An empty decision: allowed roles reach the form's own check (422), never a decision.
    response = getattr(client, method)(path, data={} if method == "post" else None)
    expected = QUEUE_EXPECTED[role]
    if expected == 200 and method == "post":
        expected = 422
    assert response.status_code == expected


CLAIM_ROUTES = [("get", "/portal/claims"), ("get", "/portal/new"), ("get", "/portal/claim/{slug}"),
                ("get", "/portal/claims/{claim}/code")]  # fmt: skip


@pytest.mark.parametrize(("method", "url"), CLAIM_ROUTES)
def test_claim_routes_need_a_login(client, world, method, url):
    response = client.get(url.format(slug=world["clinic"].slug, claim=world["claim"].id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [PATIENT, OWNER, OTHER_OWNER, MODERATOR, ADMIN])
def test_any_signed_in_account_may_open_the_claim_pages(client, auth, world, role):
    as_role(client, auth, world, role)
    assert client.get("/portal/claims").status_code == 200
    assert client.get("/portal/new").status_code == 200
    assert client.get(f"/portal/claim/{world['clinic'].slug}").status_code == 200
    # Only the claimant sees their claim's code page.
    assert client.get(f"/portal/claims/{world['claim'].id}/code").status_code == 404
