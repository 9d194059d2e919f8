"""Owners edit opening hours with a widget per weekday that works without JavaScript, checked on the server."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.hours.services import set_hours_from_text
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import ModerationLog
from provider_dir.portal.models import ListingChange
from tests.portal.conftest import listing_form
from tests.reviews.helpers import checked_values, input_value, text_of


def week(**days) -> dict:
    """Post the widget: days given as mon="09:00-17:00", tue="09:00-12:00,13:00-19:00", sat="closed"; others empty."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    data = {}
    for number, name in enumerate(names):
        spans = days.get(name, "")
        if spans == "closed":
            data[f"opening_hours-{number}-closed"] = "y"
            spans = ""
        pairs = [span.split("-") for span in spans.split(",") if span]
        for slot in range(3):
            opens, closes = pairs[slot] if slot < len(pairs) else ("", "")
            data[f"opening_hours-{number}-opens-{slot}"] = opens
            data[f"opening_hours-{number}-closes-{slot}"] = closes
    return data


def fresh(clinic: Clinic) -> Clinic:
    db.session.expire_all()
    return db.session.get(Clinic, clinic.id)


@pytest.fixture
def owned(create_clinic, make_owner, auth):
    clinic = create_clinic()
    set_hours_from_text(clinic, "Mon-Fri 09:00-17:00; By appointment on Saturdays")
    owner = make_owner(clinic)
    auth.login(owner)
    db.session.commit()
    return clinic


def test_the_form_shows_a_fieldset_per_day_with_the_stored_times_and_the_note(client, owned):
    html = client.get(f"/portal/clinics/{owned.slug}/edit").text
    days = re.findall(r'<fieldset class="hours-day[^"]*"[^>]*>\s*<legend>(\w+)', html)
    assert days == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert input_value(html, "opening_hours-0-opens-0") == "09:00"
    assert input_value(html, "opening_hours-4-closes-0") == "17:00"
    assert input_value(html, "opening_hours-0-opens-1") == ""
    assert checked_values(html, "opening_hours-5-closed") == {"y"}  # Saturday
    assert checked_values(html, "opening_hours-0-closed") == set()
    assert html.count('type="time"') == 7 * 3 * 2
    assert input_value(html, "hours") == "By appointment on Saturdays"


def test_an_owner_saves_a_week_with_a_lunch_break_and_a_late_day(client, owned):
    form = listing_form(hours="Closed on public holidays", zip_code="10001", city="New York", state="NY",
                        **week(mon="09:00-17:00", tue="09:00-12:00,13:00-19:00", fri="16:00-00:00", sat="closed"))
    response = client.post(f"/portal/clinics/{owned.slug}/edit", data=form)
    assert response.status_code == 302
    clinic = fresh(owned)
    assert clinic.opening_hours == [
        {"day": 0, "opens": "09:00", "closes": "17:00"}, {"day": 1, "opens": "09:00", "closes": "12:00"},
        {"day": 1, "opens": "13:00", "closes": "19:00"}, {"day": 4, "opens": "16:00", "closes": "24:00"}]
    assert clinic.hours == "Closed on public holidays"
    assert (clinic.open_evenings, clinic.open_weekends) == (True, False)
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.action == "listing_edited")).one()
    assert entry.changes["opening_hours"] == ["Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; "
                                              "Fri 09:00-17:00",
                                              "Mon 09:00-17:00; Tue 09:00-12:00,13:00-19:00; Fri 16:00-24:00"]
    page = client.get(f"/clinics/{clinic.slug}").text
    assert "4:00 pm to midnight" in page and "Closed on public holidays" in page


def test_wrong_times_are_refused_with_a_message_per_day_and_everything_typed_is_kept(client, owned):
    form = listing_form(hours="Walk-ins welcome", **week(
        mon="17:00-09:00", tue="09:00-13:00,12:00-17:00", wed="25:00-26:00", thu="09:00-", fri="09:00-17:00",
        sun="closed"))
    form["opening_hours-4-closed"] = "y"
    response = client.post(f"/portal/clinics/{owned.slug}/edit", data=form)
    assert response.status_code == 422
    text = text_of(response)
    assert "Monday: period 1: the closing time (9:00 am) must be after the opening time (5:00 pm)" in text
    assert ("Tuesday: periods 1 and 2 overlap (9:00 am to 1:00 pm and 12:00 pm to 5:00 pm); make one end before the "
            "other begins.") in text
    assert "Wednesday: period 1: the opening time “25:00” is not a time; give it as 09:30 or 9:30 am." in text
    assert "Thursday: period 1: give both the opening and the closing time." in text
    assert "Friday: “Closed” is ticked but times are given; untick “Closed” or clear the times." in text
    html = response.text
    assert 'id="opening_hours-0-error"' in html and 'aria-describedby="opening_hours-0-error"' in html
    assert '<a href="#opening_hours">Opening hours:' in html  # the summary at the top links to the widget
    kept = {name: input_value(html, name) for name in ("opening_hours-0-opens-0", "opening_hours-0-closes-0",
                                                       "opening_hours-1-opens-1", "opening_hours-2-opens-0",
                                                       "opening_hours-3-opens-0", "opening_hours-4-opens-0")}
    assert kept == {"opening_hours-0-opens-0": "17:00", "opening_hours-0-closes-0": "09:00",
                    "opening_hours-1-opens-1": "12:00", "opening_hours-2-opens-0": "25:00",
                    "opening_hours-3-opens-0": "09:00", "opening_hours-4-opens-0": "09:00"}
    assert checked_values(html, "opening_hours-4-closed") == {"y"}
    assert checked_values(html, "opening_hours-6-closed") == {"y"}
    assert input_value(html, "hours") == "Walk-ins welcome"
    clinic = fresh(owned)
    assert len(clinic.opening_hours) == 5 and clinic.hours == "By appointment on Saturdays"  # nothing saved


def test_times_typed_the_american_way_are_understood_where_the_browser_has_no_time_picker(client, owned):
    form = listing_form(**week(mon="9:30 am-5 pm", sat="10am-2:30pm"))
    assert client.post(f"/portal/clinics/{owned.slug}/edit", data=form).status_code == 302
    assert fresh(owned).opening_hours == [{"day": 0, "opens": "09:30", "closes": "17:00"},
                                          {"day": 5, "opens": "10:00", "closes": "14:30"}]


def test_an_empty_week_with_a_note_that_is_only_hours_takes_its_periods(client, owned):
    form = listing_form(hours="Tue-Sat 9-17", **week())
    assert client.post(f"/portal/clinics/{owned.slug}/edit", data=form).status_code == 302
    clinic = fresh(owned)
    assert len(clinic.opening_hours) == 5 and clinic.hours == "" and clinic.open_weekends


def test_a_new_listing_gets_its_hours_from_the_widget(client, create_user, auth):
    auth.login(create_user(email_confirmed_at=utcnow()))
    form = listing_form(name="Calm Mind Ketamine", accept_terms="y", hours="",
                        **week(wed="08:00-20:00", sun="10:00-14:00"))
    assert client.post("/portal/new", data=form).status_code == 302
    clinic = db.session.scalars(select(Clinic).where(Clinic.name == "Calm Mind Ketamine")).one()
    assert clinic.opening_hours == [{"day": 2, "opens": "08:00", "closes": "20:00"},
                                    {"day": 6, "opens": "10:00", "closes": "14:00"}]
    assert (clinic.open_evenings, clinic.open_weekends) == (True, True)


def test_the_new_listing_form_keeps_wrong_hours_typed(client, create_user, auth):
    auth.login(create_user(email_confirmed_at=utcnow()))
    form = listing_form(name="Calm Mind Ketamine", accept_terms="y", **week(mon="18:00-08:00"))
    response = client.post("/portal/new", data=form)
    assert response.status_code == 422
    assert input_value(response.text, "opening_hours-0-opens-0") == "18:00"
    assert db.session.scalars(select(Clinic).where(Clinic.name == "Calm Mind Ketamine")).first() is None


def test_a_note_promising_results_waits_for_a_moderator_while_the_times_save_at_once(client, owned):
    form = listing_form(hours="Guaranteed relief after the first visit", **week(sat="10:00-14:00"))
    response = client.post(f"/portal/clinics/{owned.slug}/edit", data=form)
    assert response.status_code == 302
    clinic = fresh(owned)
    assert clinic.opening_hours == [{"day": 5, "opens": "10:00", "closes": "14:00"}] and clinic.open_weekends
    assert clinic.hours == "By appointment on Saturdays"  # the new note is held
    held = db.session.scalars(select(ListingChange).where(ListingChange.clinic_id == clinic.id)).one()
    assert held.changes == {"hours": ["By appointment on Saturdays", "Guaranteed relief after the first visit"]}
