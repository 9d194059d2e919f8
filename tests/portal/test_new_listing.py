"""Creating a listing: a draft owned by its creator at once, placed offline, waiting for a moderator to publish."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.portal.models import ListingChange, OwnerTermsAcceptance
from provider_dir.portal.vocab import OWNER_TERMS_VERSION, ChangeKind, ChangeStatus
from tests.portal.conftest import listing_form
from tests.reviews.helpers import input_value, text_of


def new_form(**overrides) -> dict:
    return listing_form(**{"name": "Calm Mind Ketamine", "accept_terms": "y", **overrides})


def test_a_patient_creates_a_draft_and_owns_it(client, confirmed_user, auth):
    user = confirmed_user()
    auth.login(user)
    assert "Owner terms" in text_of(client.get("/portal/new"))
    response = client.post("/portal/new", data=new_form())
    assert response.status_code == 302
    clinic = db.session.scalars(select(Clinic).where(Clinic.name == "Calm Mind Ketamine")).one()
    assert response.headers["Location"].endswith(f"/portal/clinics/{clinic.slug}")
    assert clinic.slug == "calm-mind-ketamine-denver-co"
    assert clinic.status == ClinicStatus.DRAFT
    assert clinic.latitude == 39.7491 and clinic.city == "Denver"
    db.session.expire_all()
    assert user.role == UserRole.CLINIC_OWNER and user.belongs_to(clinic.id)
    item = db.session.scalars(select(ListingChange).where(ListingChange.clinic_id == clinic.id)).one()
    assert item.kind == ChangeKind.NEW_LISTING and item.status == ChangeStatus.PENDING
    assert item.changes["name"] == [None, "Calm Mind Ketamine"]
    terms = db.session.scalars(select(OwnerTermsAcceptance).where(OwnerTermsAcceptance.user_id == user.id)).one()
    assert terms.clinic_id == clinic.id and terms.terms_version == OWNER_TERMS_VERSION
    # The draft is not public, but its owner can see and edit it.
    assert client.get(f"/clinics/{clinic.slug}").status_code == 404
    dashboard = text_of(client.get(f"/portal/clinics/{clinic.slug}"))
    assert "This new listing" in dashboard and "Draft" in dashboard
    assert client.get(f"/portal/clinics/{clinic.slug}/edit").status_code == 200


def test_a_second_listing_with_the_same_name_gets_its_own_slug(client, confirmed_user, auth):
    auth.login(confirmed_user())
    client.post("/portal/new", data=new_form())
    client.post("/portal/new", data=new_form())
    slugs = db.session.scalars(select(Clinic.slug).where(Clinic.name == "Calm Mind Ketamine").order_by(Clinic.id))
    assert list(slugs) == ["calm-mind-ketamine-denver-co", "calm-mind-ketamine-denver-co-2"]


def test_an_unplaceable_address_keeps_what_was_typed(client, confirmed_user, auth):
    auth.login(confirmed_user())
    response = client.post("/portal/new", data=new_form(city="Nowhereville", zip_code="00000"))
    assert response.status_code == 422
    assert "We could not place this address" in text_of(response)
    html = response.get_data(as_text=True)
    assert input_value(html, "name") == "Calm Mind Ketamine"
    assert input_value(html, "city") == "Nowhereville"
    assert db.session.scalars(select(Clinic).where(Clinic.name == "Calm Mind Ketamine")).all() == []


def test_a_javascript_link_is_refused(client, confirmed_user, auth):
    auth.login(confirmed_user())
    response = client.post("/portal/new", data=new_form(website="javascript:alert(document.cookie)"))
    assert response.status_code == 422
    assert "“javascript:” link is not allowed" in text_of(response)


def test_the_terms_and_a_confirmed_address_are_required(client, confirmed_user, create_user, auth):
    auth.login(confirmed_user())
    response = client.post("/portal/new", data=new_form(accept_terms=None))
    assert response.status_code == 422 and "Please read and accept the owner terms." in text_of(response)
    client.post("/logout")
    auth.login(create_user())
    response = client.post("/portal/new", data=new_form())
    assert response.status_code == 403 and "Please confirm your email address first" in text_of(response)


def test_a_cure_claim_in_a_new_listing_is_flagged_for_the_moderator(client, confirmed_user, auth):
    auth.login(confirmed_user())
    client.post("/portal/new", data=new_form(description="The miracle cure for depression"))
    item = db.session.scalars(select(ListingChange)).one()
    assert item.flagged_phrases == ["cure", "miracle"]


@pytest.mark.parametrize("role", [UserRole.MODERATOR, UserRole.ADMIN])
def test_a_moderator_or_admin_account_cannot_create_a_listing(client, confirmed_user, auth, role):
    user = confirmed_user(role=role)
    auth.login(user)
    assert "separate account to manage your clinic" in text_of(client.get("/portal/new"))
    response = client.post("/portal/new", data=new_form())
    assert response.status_code == 403
    assert "cannot claim or create listings" in text_of(response)
    assert db.session.scalars(select(Clinic).where(Clinic.name == "Calm Mind Ketamine")).first() is None
    db.session.expire_all()
    assert user.role == role and not user.memberships
