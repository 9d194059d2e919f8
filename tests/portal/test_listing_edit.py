"""An owner edits their own listing: only the owner fields, re-geocoded, audited, and screened for cure claims."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, InsuranceOption, Route
from provider_dir.moderation.models import ModerationLog
from provider_dir.portal.models import ListingChange
from provider_dir.portal.vocab import ChangeKind, ChangeStatus
from tests.portal.conftest import listing_form
from tests.reviews.helpers import input_value, text_of


def fresh(clinic: Clinic) -> Clinic:
    db.session.expire_all()
    return db.session.get(Clinic, clinic.id)


@pytest.fixture
def owned(create_clinic, make_owner, auth):
    clinic = create_clinic(score_total=31, rating_avg=3.2, has_verified_credentials=False,
                           last_verified_on=date(2026, 1, 2))  # fmt: skip
    owner = make_owner(clinic)
    auth.login(owner)
    return clinic, owner


def test_the_form_shows_the_listing(client, owned):
    clinic, _ = owned
    html = client.get(f"/portal/clinics/{clinic.slug}/edit").get_data(as_text=True)
    assert input_value(html, "street") == clinic.street
    assert input_value(html, "zip_code") == "10001"


def test_an_owner_saves_every_owner_field(client, owned):
    clinic, owner = owned
    response = client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form())
    assert response.status_code == 302
    clinic = fresh(clinic)
    assert clinic.description.startswith("Ketamine infusions with an anesthesiologist")
    assert (clinic.street, clinic.city, clinic.state, clinic.zip_code) == ("1600 Blake Street", "Denver", "CO", "80202")
    assert clinic.routes == [Route.IV, Route.ESKETAMINE]
    assert clinic.conditions == [Condition.DEPRESSION, Condition.PTSD]
    assert (clinic.price_per_infusion_usd, clinic.price_series_usd, clinic.series_infusions) == (475, 2600, 6)
    assert clinic.insurance == InsuranceOption.SUPERBILL
    assert clinic.languages == ["English", "Spanish"]
    assert clinic.accepting_new_patients is True and clinic.telehealth_intake is False
    assert clinic.last_edited_at is not None
    # Moving from New York to Denver re-geocoded the listing from the offline gazetteer.
    assert clinic.latitude == pytest.approx(39.7491) and clinic.longitude == pytest.approx(-104.9946)


def test_every_save_is_in_the_audit_log_with_old_and_new_values(client, owned):
    clinic, owner = owned
    client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form(phone="(303) 555-0199"))
    entry = db.session.scalars(
        select(ModerationLog).where(ModerationLog.clinic_id == clinic.id, ModerationLog.action == "listing_edited")
    ).one()
    assert entry.actor_id == owner.id
    assert entry.changes["phone"] == ["", "(303) 555-0199"]
    assert entry.changes["zip_code"] == ["10001", "80202"]
    assert entry.changes["routes"] == [["iv_infusion"], ["iv_infusion", "esketamine_nasal"]]


FORBIDDEN = {
    "status": "suspended",
    "score_total": "100",
    "rating_avg": "5",
    "rating_bayes": "5",
    "rating_count": "999",
    "has_verified_credentials": "y",
    "last_verified_on": "2030-01-01",
    "last_edited_at": "2001-01-01T00:00:00",
    "slug": "stolen-slug",
    "id": "999999",
    "name": "A Renamed Clinic",
    "latitude": "1.0",
    "longitude": "1.0",
    "verified": "y",
    "review_status": "rejected",
}


@pytest.mark.parametrize(("field", "value"), sorted(FORBIDDEN.items()))
def test_fields_an_owner_may_not_set_are_ignored(client, owned, field, value):
    clinic, _ = owned
    before = {c: getattr(clinic, c) for c in ("status", "score_total", "rating_avg", "rating_bayes", "rating_count",
                                               "has_verified_credentials", "last_verified_on", "slug", "id", "name")}
    response = client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form(**{field: value}))
    assert response.status_code == 302
    clinic = fresh(clinic)
    assert {c: getattr(clinic, c) for c in before} == before
    assert clinic.latitude == pytest.approx(39.7491)  # placed by the address, not by what was posted
    assert clinic.last_edited_at.year >= 2026


def test_another_clinics_id_in_the_form_changes_nothing_there(client, owned, create_clinic):
    clinic, _ = owned
    other = create_clinic(description="Untouched")
    response = client.post(
        f"/portal/clinics/{clinic.slug}/edit",
        data=listing_form(clinic_id=str(other.id), id=str(other.id), description="Ours now"),
    )
    assert response.status_code == 302
    assert fresh(other).description == "Untouched"
    assert db.session.get(Clinic, clinic.id).description == "Ours now"


def test_a_review_state_cannot_be_set_through_the_listing(client, owned, add_review):
    clinic, _ = owned
    review = add_review(clinic, rating=1)
    client.post(f"/portal/clinics/{clinic.slug}/edit",
                data=listing_form(**{"reviews-0-status": "rejected", "review_id": str(review.id)}))  # fmt: skip
    db.session.expire_all()
    assert db.session.get(type(review), review.id).status.value == "approved"


def test_an_unplaceable_address_is_refused_and_keeps_what_was_typed(client, owned):
    clinic, _ = owned
    response = client.post(
        f"/portal/clinics/{clinic.slug}/edit",
        data=listing_form(city="Nowhereville", state="NY", zip_code="00000", description="Kept text"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "We could not place this address" in text_of(response)
    assert input_value(html, "city") == "Nowhereville"
    assert input_value(html, "zip_code") == "00000"
    assert "Kept text" in html
    assert fresh(clinic).city == "New York"


@pytest.mark.parametrize(
    ("website", "message"),
    [
        ("javascript:alert(1)", "“javascript:” link is not allowed"),
        ("data:text/html,<script>alert(1)</script>", "“data:” link is not allowed"),
        ("ftp://files.example", "starting with https:// or http://"),
        ("calm-mind.example", "starting with https:// or http://"),
    ],
)
def test_a_website_must_be_http_or_https(client, owned, website, message):
    clinic, _ = owned
    response = client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form(website=website))
    assert response.status_code == 422
    assert message in text_of(response)
    assert unescape(input_value(response.get_data(as_text=True), "website")) == website
    assert fresh(clinic).website == ""


def test_bad_numbers_and_phone_get_messages(client, owned):
    clinic, _ = owned
    data = listing_form(price_per_infusion_usd="-5", phone="call us", zip_code="ABCDE")
    response = client.post(f"/portal/clinics/{clinic.slug}/edit", data=data)
    assert response.status_code == 422
    text = text_of(response)
    assert "Enter an amount in whole dollars." in text
    assert "Enter a phone number such as" in text
    assert "Enter a 5-digit ZIP code" in text


def test_a_cure_claim_is_held_while_the_rest_saves(client, owned):
    clinic, owner = owned
    response = client.post(
        f"/portal/clinics/{clinic.slug}/edit",
        data=listing_form(description="Ketamine cures depression, guaranteed.", phone="(303) 555-0111"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "A moderator will check this text before it appears" in text
    assert "Description (cure, guarantee)" in text
    clinic = fresh(clinic)
    assert clinic.phone == "(303) 555-0111"
    assert clinic.description == ""  # the held text is not shown yet
    change = db.session.scalars(select(ListingChange).where(ListingChange.clinic_id == clinic.id)).one()
    assert change.kind == ChangeKind.EDIT and change.status == ChangeStatus.PENDING
    assert change.changes == {"description": ["", "Ketamine cures depression, guaranteed."]}
    assert change.flagged_phrases == ["cure", "guarantee"]
    assert change.author_id == owner.id
    # The dashboard shows it waiting, with the reason.
    dashboard = text_of(client.get(f"/portal/clinics/{clinic.slug}"))
    assert "Held edit" in dashboard and "cure, guarantee" in dashboard


def test_a_second_held_edit_replaces_the_first(client, owned):
    clinic, _ = owned
    client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form(description="A miracle cure"))
    client.post(f"/portal/clinics/{clinic.slug}/edit",
                data=listing_form(description="A miracle cure", accessibility="Guaranteed parking"))  # fmt: skip
    changes = db.session.scalars(
        select(ListingChange).where(ListingChange.clinic_id == clinic.id).order_by(ListingChange.id)
    ).all()
    assert [c.status for c in changes] == [ChangeStatus.SUPERSEDED, ChangeStatus.PENDING]
    assert set(changes[1].changes) == {"description", "accessibility"}


def test_a_clean_save_of_a_held_field_drops_it_from_the_held_edit(client, owned):
    clinic, _ = owned
    client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form(description="A miracle cure"))
    client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form(description="Careful, monitored care."))
    change = db.session.scalars(select(ListingChange).where(ListingChange.clinic_id == clinic.id)).one()
    assert change.status == ChangeStatus.SUPERSEDED
    assert fresh(clinic).description == "Careful, monitored care."


def test_nothing_changed_writes_no_log(client, owned):
    clinic, _ = owned
    client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form())
    response = client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form(), follow_redirects=True)
    assert "Nothing changed." in text_of(response)
    assert db.session.scalars(select(ModerationLog).where(ModerationLog.clinic_id == clinic.id)).all().__len__() == 1


def test_the_public_page_shows_last_edited_and_the_claim_link(client, owned):
    clinic, _ = owned
    client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form())
    text = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert "Listing last edited by the clinic" in text
    assert "Manage this clinic? Claim it" in text


def test_a_draft_listing_edit_is_not_held_but_flags_the_new_listing(client, confirmed_user, auth):
    user = confirmed_user()
    auth.login(user)
    client.post("/portal/new", data=listing_form(name="Draft Clinic", accept_terms="y"))
    clinic = db.session.scalars(select(Clinic).where(Clinic.name == "Draft Clinic")).one()
    assert clinic.status == ClinicStatus.DRAFT
    client.post(f"/portal/clinics/{clinic.slug}/edit", data=listing_form(description="A miracle for everyone"))
    assert fresh(clinic).description == "A miracle for everyone"
    item = db.session.scalars(select(ListingChange).where(ListingChange.clinic_id == clinic.id)).one()
    assert item.kind == ChangeKind.NEW_LISTING and item.flagged_phrases == ["miracle"]
    assert item.changes["description"] == [None, "A miracle for everyone"]
