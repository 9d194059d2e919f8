"""A clinic's hours, once stored, show in the JSON API as text and as periods, with the search flags set."""

from provider_dir.extensions import db
from provider_dir.hours.services import set_hours_from_text


def test_stored_hours_come_out_of_the_api_as_periods_and_as_text(client, create_clinic):
    clinic = create_clinic(name="Evening Clinic")
    assert not set_hours_from_text(clinic, "Mon-Fri 9:00 am-7:00 pm; Sat 10-2; by appointment on Sundays")
    db.session.commit()
    assert (clinic.open_evenings, clinic.open_weekends) == (True, True)

    body = client.get(f"/api/v1/clinics/{clinic.slug}").get_json()

    assert body["opening_hours"][0] == {"day": 0, "opens": "09:00", "closes": "19:00"}
    assert body["opening_hours"][-1] == {"day": 5, "opens": "10:00", "closes": "14:00"}
    assert body["hours"].startswith("Mon 09:00-19:00; Tue 09:00-19:00")
    assert body["hours"].endswith("Sat 10:00-14:00; by appointment on Sundays")


def test_a_clinic_without_hours_says_nothing_rather_than_closed(client, create_clinic):
    clinic = create_clinic(name="Quiet Clinic")
    set_hours_from_text(clinic, "")
    db.session.commit()

    body = client.get(f"/api/v1/clinics/{clinic.slug}").get_json()

    assert body["opening_hours"] == [] and body["hours"] is None
    assert (clinic.open_evenings, clinic.open_weekends) == (False, False)
