"""Closures: temporarily closed clinics leave search unless asked for, permanently closed ones always do, and each
clinic's page says so while it and its reviews stay reachable; owners set it, with an audit row."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.geo.search import SearchQuery, SortOrder, search_clinics
from provider_dir.listings.closures import ClosureError, set_closure
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import Closure
from provider_dir.moderation.models import ModerationLog
from tests.portal.conftest import listing_form
from tests.reviews.helpers import checked_values, input_value, text_of

TODAY = date.today()


@pytest.fixture
def four(create_clinic):
    """Four clinics near ZIP 10001: open, temporarily closed, closed until yesterday, permanently closed."""
    clinics = {
        "open": create_clinic(name="Open Infusions", slug="open-infusions", score_total=50, rating_bayes=4.0),
        "temporary": create_clinic(name="Paused Infusions", slug="paused-infusions", score_total=60,
                                   rating_bayes=4.2, latitude=40.752),
        "reopened": create_clinic(name="Reopened Infusions", slug="reopened-infusions", score_total=70,
                                  rating_bayes=4.4, latitude=40.754),
        "permanent": create_clinic(name="Gone Infusions", slug="gone-infusions", score_total=80, rating_bayes=4.6,
                                   latitude=40.756),
    }  # fmt: skip
    set_closure(clinics["temporary"], Closure.TEMPORARY, TODAY + timedelta(days=30))
    set_closure(clinics["reopened"], Closure.TEMPORARY, TODAY - timedelta(days=1), source="import")
    set_closure(clinics["permanent"], Closure.PERMANENT)
    db.session.commit()
    return clinics


def names(results) -> set[str]:
    return {hit.clinic.slug for hit in results.hits}


@pytest.mark.parametrize("sort", list(SortOrder))
def test_search_leaves_closed_clinics_out_unless_asked_in_every_order(app, four, sort):
    query = SearchQuery(latitude=40.7506, longitude=-73.9972, radius_miles=5, sort=sort)
    assert names(search_clinics(db.session, query)) == {"open-infusions", "reopened-infusions"}
    wider = SearchQuery(latitude=40.7506, longitude=-73.9972, radius_miles=5, sort=sort, include_closed=True)
    assert names(search_clinics(db.session, wider)) == {"open-infusions", "reopened-infusions", "paused-infusions"}


def test_a_temporary_closure_ends_by_itself_on_its_reopening_date(app, four):
    paused = four["temporary"]
    query = dict(latitude=40.7506, longitude=-73.9972, radius_miles=5)
    assert "paused-infusions" not in names(search_clinics(db.session, SearchQuery(**query)))
    on_the_day = SearchQuery(**query, today=paused.reopens_on)
    assert "paused-infusions" in names(search_clinics(db.session, on_the_day))
    assert paused.effective_closure(paused.reopens_on) == Closure.OPEN
    assert paused.effective_closure(paused.reopens_on - timedelta(days=1)) == Closure.TEMPORARY


def test_the_search_page_shows_the_checkbox_and_labels_temporary_closures(client, four):
    html = unescape(client.get("/search?location=10001&radius=5").get_data(as_text=True))
    assert "Include temporarily closed clinics" in html and checked_values(html, "include_closed") == set()
    assert "Open Infusions" in html and "Reopened Infusions" in html
    assert "Paused Infusions" not in html and "Gone Infusions" not in html

    html = unescape(client.get("/search?location=10001&radius=5&include_closed=1").get_data(as_text=True))
    assert "Paused Infusions" in html and "Gone Infusions" not in html
    reopens = four["temporary"].reopens_on
    assert f"Temporarily closed; reopens {reopens:%B} {reopens.day}, {reopens.year}" in html
    assert checked_values(html, "include_closed") == {"1"}  # the box stays ticked


def test_the_api_leaves_closed_clinics_out_unless_include_closed_and_says_why(client, four):
    body = client.get("/api/v1/search?location=10001&radius_mi=5").json
    assert {r["slug"] for r in body["results"]} == {"open-infusions", "reopened-infusions"}
    assert {r["closure"] for r in body["results"]} == {"open"}

    body = client.get("/api/v1/search?location=10001&radius_mi=5&include_closed=1").json
    by_slug = {r["slug"]: r for r in body["results"]}
    assert set(by_slug) == {"open-infusions", "reopened-infusions", "paused-infusions"}
    assert by_slug["paused-infusions"]["closure"] == "temporarily_closed"
    assert by_slug["paused-infusions"]["reopens_on"] == four["temporary"].reopens_on.isoformat()
    assert by_slug["reopened-infusions"]["closure"] == "open" and by_slug["reopened-infusions"]["reopens_on"] is None


def test_the_openapi_document_describes_include_closed_and_the_closure(client):
    doc = client.get("/api/v1/openapi.json").json
    params = {p["name"] for p in doc["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert "include_closed" in params
    for schema in ("SearchHit", "Clinic"):
        props = doc["components"]["schemas"][schema]["properties"]
        assert props["closure"]["enum"] == ["open", "temporarily_closed", "permanently_closed"]
        assert "reopens_on" in props


def test_a_permanently_closed_clinic_keeps_its_page_and_reviews(client, four, add_review):
    gone = four["permanent"]
    add_review(gone, title="They were careful with my blood pressure")
    db.session.commit()
    response = client.get(f"/clinics/{gone.slug}")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Permanently closed." in html and "left out of search" in html
    assert "They were careful with my blood pressure" in html
    detail = client.get(f"/api/v1/clinics/{gone.slug}").json
    assert (detail["closure"], detail["reopens_on"]) == ("permanently_closed", None)


def test_the_page_of_a_temporarily_closed_clinic_says_when_it_reopens(client, four):
    paused, reopened = four["temporary"], four["reopened"]
    html = text_of(client.get(f"/clinics/{paused.slug}"))
    assert "Temporarily closed." in html
    assert f"expects to reopen on {paused.reopens_on:%B} {paused.reopens_on.day}, {paused.reopens_on.year}" in html
    html = unescape(client.get(f"/clinics/{reopened.slug}").get_data(as_text=True))
    assert "Temporarily closed" not in html and "Permanently closed" not in html


def test_the_directory_labels_closed_clinics(client, four):
    html = unescape(client.get("/clinics").get_data(as_text=True))
    assert "Permanently closed" in html and "Temporarily closed; reopens" in html


def test_set_closure_refuses_a_reopening_date_without_a_temporary_closure(app, create_clinic):
    clinic = create_clinic()
    with pytest.raises(ClosureError, match="Only a temporarily closed clinic"):
        set_closure(clinic, Closure.PERMANENT, TODAY + timedelta(days=3))
    with pytest.raises(ClosureError, match="Unknown closure"):
        set_closure(clinic, "on_holiday")
    assert clinic.closure == Closure.OPEN
    assert set_closure(clinic, Closure.OPEN) == {}  # nothing changed, nothing logged


def test_set_closure_writes_the_audit_log_with_its_source(app, create_clinic, create_user):
    clinic = create_clinic()
    admin = create_user()
    changes = set_closure(clinic, "temporarily_closed", date(2031, 1, 2), actor=admin, source="import")
    db.session.commit()
    assert changes == {"closure": ["open", "temporarily_closed"], "reopens_on": [None, "2031-01-02"]}
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.clinic_id == clinic.id)).one()
    assert (entry.action, entry.actor_id, entry.changes, entry.note) == ("closure_set", admin.id, changes,
                                                                         "set by import")


@pytest.fixture
def owned(create_clinic, make_owner, auth):
    clinic = create_clinic(name="Owner Infusions", slug="owner-infusions", latitude=40.7506)
    owner = make_owner(clinic)
    auth.login(owner)
    db.session.commit()
    return clinic, owner


def test_an_owner_closes_the_clinic_for_a_while_and_it_leaves_search(client, owned):
    clinic, owner = owned
    reopens = TODAY + timedelta(days=14)
    form = listing_form(street=clinic.street, city="New York", state="NY", zip_code="10001",
                        closure="temporarily_closed", reopens_on=reopens.isoformat())  # fmt: skip
    response = client.post(f"/portal/clinics/{clinic.slug}/edit", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    clinic = db.session.get(Clinic, clinic.id)
    assert (clinic.closure, clinic.reopens_on) == (Closure.TEMPORARY, reopens)
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.clinic_id == clinic.id,
                                                           ModerationLog.action == "closure_set")).one()
    assert entry.actor_id == owner.id and entry.note == "set by owner"
    body = client.get("/api/v1/search?location=10001&radius_mi=5").json
    assert "owner-infusions" not in {r["slug"] for r in body["results"]}
    html = client.get(f"/portal/clinics/{clinic.slug}/edit").get_data(as_text=True)
    assert input_value(html, "reopens_on") == reopens.isoformat()


@pytest.mark.parametrize(
    ("closure", "reopens_on", "message"),
    [
        ("temporarily_closed", (TODAY - timedelta(days=1)).isoformat(), "must be after today"),
        ("open", (TODAY + timedelta(days=5)).isoformat(), "Only a temporarily closed clinic has a reopening date"),
        ("temporarily_closed", "next spring", "Enter the reopening date as a date"),
        ("on_holiday", "", "Not a valid choice"),
    ],
)
def test_a_bad_closure_is_refused_with_the_form_kept(client, owned, closure, reopens_on, message):
    clinic, _ = owned
    form = listing_form(street=clinic.street, city="New York", state="NY", zip_code="10001", closure=closure,
                        reopens_on=reopens_on, hours="Tue-Sat 9-17")  # fmt: skip
    response = client.post(f"/portal/clinics/{clinic.slug}/edit", data=form)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert message in html
    assert input_value(html, "hours") == "Tue-Sat 9-17"
    db.session.expire_all()
    assert db.session.get(Clinic, clinic.id).closure == Closure.OPEN


def test_set_closure_works_on_a_clinic_not_yet_flushed_as_an_importer_adds_it(app):
    clinic = Clinic(name="Fresh Import", slug="fresh-import", street="1 Main St", city="New York", state="NY",
                    zip_code="10001", latitude=40.75, longitude=-73.99)  # fmt: skip
    db.session.add(clinic)
    changes = set_closure(clinic, Closure.PERMANENT, source="import")
    db.session.commit()
    assert changes == {"closure": ["open", "permanently_closed"]}
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.clinic_id == clinic.id)).one()
    assert entry.note == "set by import" and entry.actor_id is None


def test_an_empty_search_says_when_temporarily_closed_clinics_were_left_out(client, create_clinic):
    paused = create_clinic(name="Only Paused", slug="only-paused", latitude=35.2271, longitude=-80.8431,
                           zip_code="28202", city="Charlotte", state="NC")  # fmt: skip
    set_closure(paused, Closure.TEMPORARY)
    db.session.commit()
    text = text_of(client.get("/search?location=28202&radius=5"))
    assert "No clinics within 5 miles match" in text
    assert "1 temporarily closed clinic within 5 miles matches this search. Include temporarily closed clinics" in text
    html = client.get("/search?location=28202&radius=5").get_data(as_text=True)
    assert "include_closed=1" in html
    assert "Only Paused" in text_of(client.get("/search?location=28202&radius=5&include_closed=1"))
