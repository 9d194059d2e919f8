"""Anyone suggests a correction from a clinic's page: checked like the listing form, kept on error, changing nothing
until a moderator decides."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from provider_dir.corrections.models import ClinicCorrection
from provider_dir.corrections.vocab import CorrectionField, CorrectionStatus
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from tests.reviews.helpers import checked_values, input_value, text_of

SOON = (date.today() + timedelta(days=20)).isoformat()

VALID = {
    "phone": ({"phone": "(212) 555-0199"}, {"phone": "(212) 555-0199"}),
    "website": ({"website": "https://new-home.example/ketamine"}, {"website": "https://new-home.example/ketamine"}),
    "address": ({"street": "1600 Blake Street", "city": "Denver", "state": "CO", "zip_code": "80202"},
                {"street": "1600 Blake Street", "city": "Denver", "state": "CO", "zip_code": "80202"}),
    "hours": ({"hours": "Tue-Sat 9-17"}, {"hours": "Tue-Sat 9-17"}),
    "prices": ({"price_per_infusion_usd": "495", "series_infusions": "6"},
               {"price_per_infusion_usd": 495, "series_infusions": 6}),
    "routes": ({"routes": ["iv_infusion", "im_injection"]}, {"routes": ["iv_infusion", "im_injection"]}),
    "closed": ({"closure": "temporarily_closed", "reopens_on": SOON},
               {"closure": "temporarily_closed", "reopens_on": SOON}),
}  # fmt: skip


@pytest.fixture
def clinic(create_clinic):
    made = create_clinic(name="Harbor Ketamine", slug="harbor-ketamine", phone="(212) 555-0100",
                         website="https://harbor.example", hours="Mon-Fri 8-18")  # fmt: skip
    db.session.commit()
    return made


def corrections_of(clinic) -> list[ClinicCorrection]:
    return list(db.session.scalars(select(ClinicCorrection).where(ClinicCorrection.clinic_id == clinic.id)))


def test_the_clinic_page_links_to_the_form_which_shows_what_the_listing_says(client, clinic):
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert f'href="/clinics/{clinic.slug}/correction"' in page
    form = client.get(f"/clinics/{clinic.slug}/correction")
    text = text_of(form)
    assert form.status_code == 200
    assert "Suggest a correction to Harbor Ketamine" in text
    assert "(the listing says: (212) 555-0100)" in text and "(the listing says: Open)" in text
    assert checked_values(client.get(f"/clinics/{clinic.slug}/correction?field=closed").get_data(as_text=True),
                          "field") == {"closed"}  # fmt: skip


@pytest.mark.parametrize("field", list(VALID))
def test_a_valid_correction_waits_for_a_moderator_and_changes_nothing_yet(client, clinic, field):
    posted, proposed = VALID[field]
    before = {name: getattr(clinic, name) for name in ("phone", "website", "street", "hours", "routes_mask",
                                                       "price_per_infusion_usd", "closure")}  # fmt: skip
    response = client.post(f"/clinics/{clinic.slug}/correction",
                           data={"field": field, **posted, "source_url": "https://maps.example/harbor",
                                 "note": "I called them on Monday."})  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/clinics/{clinic.slug}")
    assert "A moderator will check your correction" in text_of(client.get(response.headers["Location"]))
    [correction] = corrections_of(clinic)
    assert correction.field == CorrectionField(field) and correction.status == CorrectionStatus.PENDING
    assert correction.proposed == proposed
    assert correction.source_url == "https://maps.example/harbor" and correction.note == "I called them on Monday."
    assert correction.submitter_id is None
    db.session.expire_all()
    after = db.session.get(Clinic, clinic.id)
    assert {name: getattr(after, name) for name in before} == before


def test_only_the_chosen_fact_is_checked_and_sent(client, clinic):
    response = client.post(f"/clinics/{clinic.slug}/correction",
                           data={"field": "hours", "hours": "Mon-Sat 7-19", "phone": "not a phone"})  # fmt: skip
    assert response.status_code == 302
    [correction] = corrections_of(clinic)
    assert correction.proposed == {"hours": "Mon-Sat 7-19"}


def test_a_signed_in_submitter_is_recorded(client, auth, clinic, create_user):
    patient = create_user()
    db.session.commit()
    auth.login(patient)
    assert client.post(f"/clinics/{clinic.slug}/correction", data={"field": "phone", "phone": "212 555 0111"}
                       ).status_code == 302  # fmt: skip
    [correction] = corrections_of(clinic)
    assert correction.submitter_id == patient.id


INVALID = [
    ({"field": "phone", "phone": "call us!"}, "phone", "Enter a phone number such as (212) 555-0147."),
    ({"field": "phone"}, "phone", "Enter the phone number the clinic uses now."),
    ({"field": "website", "website": "javascript:alert(1)"}, "website", "A “javascript:” link is not allowed."),
    ({"field": "address", "street": "1 Nowhere Road", "city": "Atlantis", "state": "NY", "zip_code": "00000"},
     "street", "We could not place this address"),
    ({"field": "address", "street": "1 Main St", "city": "Denver", "state": "CO", "zip_code": "8020"},
     "street", "Enter a 5-digit ZIP code such as 10001."),
    ({"field": "hours", "hours": "<script>alert(1)</script> Mon-Fri"}, "phone", "Write plain text, without HTML tags"),
    ({"field": "hours", "hours": "Mon\x00Fri"}, "phone", "Remove the invisible NUL characters"),
    ({"field": "prices", "price_per_infusion_usd": "-5"}, "price_per_infusion_usd",
     "Enter an amount in whole dollars."),
    ({"field": "prices"}, "price_per_infusion_usd", "Enter at least one price, in whole dollars."),
    ({"field": "routes"}, "source_url", "Tick each route the clinic offers."),
    ({"field": "closed", "closure": "temporarily_closed", "reopens_on": "2020-01-01"}, "source_url",
     "The reopening date must be after today."),
    ({"field": "closed", "closure": "permanently_closed", "reopens_on": SOON}, "source_url",
     "Only a temporarily closed clinic has a reopening date"),
    ({"field": "closed"}, "source_url", "Choose whether the clinic is open or closed."),
    ({"phone": "(212) 555-0199"}, "phone", "Choose what to correct."),
    ({"field": "sexiness", "phone": "(212) 555-0199"}, "phone", "Not a valid choice"),
    ({"field": "phone", "phone": "(212) 555-0199", "source_url": "data:text/html,hi"}, "phone",
     "Enter a full web address starting with https:// or http://, or leave it empty."),
    ({"field": "phone", "phone": "(212) 555-0199", "note": "x" * 1001}, "phone", "Field cannot be longer than 1000"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "kept", "message"), INVALID)
def test_a_bad_correction_is_refused_with_a_message_and_what_was_typed_kept(client, clinic, data, kept, message):
    data = {**data, "source_url": data.get("source_url", "https://typed.example/source")}
    response = client.post(f"/clinics/{clinic.slug}/correction", data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    html = response.get_data(as_text=True)
    if kept in data and kept != "note":
        assert input_value(html, kept) == data[kept]
    assert corrections_of(clinic) == []


def test_no_correction_to_a_clinic_that_is_not_published(client, create_clinic):
    from provider_dir.listings.vocab import ClinicStatus

    draft = create_clinic(status=ClinicStatus.DRAFT)
    db.session.commit()
    assert client.get(f"/clinics/{draft.slug}/correction").status_code == 404
    assert client.post(f"/clinics/{draft.slug}/correction", data={"field": "phone", "phone": "212 555 0101"}
                       ).status_code == 404  # fmt: skip
    assert client.get("/clinics/no-such-clinic/correction").status_code == 404
