"""Online geocoders by configuration: rate-limited, cached in the database, and the offline fall-back."""

from datetime import timedelta

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.geo.models import GeocodeCacheEntry
from provider_dir.geo.places.geocoding import CACHE_MAX_AGE_DAYS, Locator, locator_from_config, online_geocoder
from provider_dir.geo.views import LOCATOR_KEY


class FakeService:
    """Stands in for a geopy service: answers from a table, or raises the error it was given."""

    def __init__(self, answers=None, error: Exception | None = None):
        self.answers = answers or {}
        self.error = error
        self.calls = []

    def __call__(self, query, exactly_one=True, **kwargs):
        self.calls.append((query, kwargs))
        if self.error is not None:
            raise self.error
        found = self.answers.get(query)
        return None if found is None else Location(found[0], found[1:], {})


PORTLAND_ME = ("Portland, Cumberland County, Maine, United States", 43.6591, -70.2568)


def test_an_online_answer_is_used_and_then_served_from_the_database_cache(app):
    service = FakeService({"Portland, Maine": PORTLAND_ME})
    locator = Locator("nominatim", service, extra={"country_codes": "us"})

    first = locator.locate(db.session, "Portland, Maine")
    second = locator.locate(db.session, "  portland,   maine ")

    assert (first.latitude, first.longitude, first.source) == (43.6591, -70.2568, "nominatim")
    assert (second.latitude, second.longitude, second.source) == (43.6591, -70.2568, "cache")
    assert service.calls == [("Portland, Maine", {"country_codes": "us"})]
    cached = db.session.scalar(select(GeocodeCacheEntry).where(GeocodeCacheEntry.service == "nominatim"))
    assert cached.query == "portland, maine" and cached.label.startswith("Portland, Cumberland")


def test_a_stale_cache_entry_is_asked_again(app):
    service = FakeService({"Portland, Maine": PORTLAND_ME})
    locator = Locator("nominatim", service)
    locator.locate(db.session, "Portland, Maine")
    entry = db.session.scalar(select(GeocodeCacheEntry))
    entry.created_at -= timedelta(days=CACHE_MAX_AGE_DAYS + 1)
    db.session.flush()
    assert locator.locate(db.session, "Portland, Maine").source == "nominatim"
    assert len(service.calls) == 2


@pytest.mark.parametrize(
    "error",
    [GeocoderTimedOut("Service timed out"), GeocoderServiceError("HTTP 500"), GeocoderUnavailable("refused")],
)
def test_when_the_service_fails_the_offline_gazetteer_answers(app, error):
    locator = Locator("nominatim", FakeService(error=error))
    found = locator.locate(db.session, "Chicago, IL")
    assert (found.label, found.source) == ("Chicago, IL", "fallback")
    assert db.session.scalar(select(GeocodeCacheEntry)) is None


def test_when_the_service_knows_nothing_the_offline_gazetteer_is_asked(app):
    found = Locator("nominatim", FakeService()).locate(db.session, "Denver, CO")
    assert (found.label, found.source) == ("Denver, CO", "fallback")
    assert Locator("nominatim", FakeService()).locate(db.session, "qwertyuiop") is None


def test_zip_codes_and_coordinates_never_go_online(app):
    service = FakeService(error=AssertionError("should not be called"))
    locator = Locator("nominatim", service)
    assert locator.locate(db.session, "10001").label == "New York, NY 10001"
    assert locator.locate(db.session, "40.75,-73.99").source == "offline"
    assert service.calls == []


def test_configuration_picks_the_service_behind_a_one_per_second_rate_limiter(app):
    config = {"GEOCODER": "nominatim", "GEOCODER_USER_AGENT": "provider_dir tests", "GEOCODER_TIMEOUT": 2.5}
    locator = locator_from_config(config)
    assert locator.service == "nominatim" and locator.extra == {"country_codes": "us"}
    assert isinstance(locator.online, RateLimiter) and locator.online.min_delay_seconds == 1.0
    geocoder = locator.online.func.__self__
    assert (geocoder.headers["User-Agent"], geocoder.timeout) == ("provider_dir tests", 2.5)
    assert online_geocoder("nominatim", "provider_dir tests", 2.5) is locator.online  # one limiter per process
    assert locator_from_config({"GEOCODER": "offline"}).online is None


def test_an_unknown_service_name_fails_at_start_up(app):
    from geopy.exc import GeocoderNotFound

    with pytest.raises(GeocoderNotFound):
        locator_from_config({"GEOCODER": "no-such-service", "GEOCODER_USER_AGENT": "x", "GEOCODER_TIMEOUT": 1})


@pytest.mark.parametrize("error", [GeocoderTimedOut("timed out"), GeocoderServiceError("HTTP 503")])
def test_search_still_answers_during_an_outage(app, client, create_clinic, monkeypatch, error):
    create_clinic(name="Loop Clinic", latitude=41.8819, longitude=-87.6278)
    monkeypatch.setitem(app.extensions, LOCATOR_KEY, Locator("nominatim", FakeService(error=error)))

    page = client.get("/search?location=Chicago,+IL")
    api = client.get("/api/v1/search?location=Chicago,+IL")

    assert page.status_code == 200 and "Loop Clinic" in page.text
    assert "did not answer" in page.text
    assert api.status_code == 200
    assert api.json["origin"]["source"] == "fallback"
    assert [r["name"] for r in api.json["results"]] == ["Loop Clinic"]
