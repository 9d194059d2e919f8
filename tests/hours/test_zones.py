"""A clinic's zone comes from where it is, and from its state when the place says nothing."""

import pytest

from provider_dir.geo.places.states import STATE_NAMES
from provider_dir.hours.zones import STATE_ZONES, state_zone, zone_label, zone_name


@pytest.mark.parametrize(("latitude", "longitude", "state", "zone"), [
    (40.7506, -73.9972, "NY", "America/New_York"),
    (33.4484, -112.0740, "AZ", "America/Phoenix"),
    (21.3069, -157.8583, "HI", "Pacific/Honolulu"),
    (31.7619, -106.4850, "TX", "America/Denver"),  # El Paso keeps Mountain time; most of Texas is Central
    (30.4383, -84.2807, "FL", "America/New_York"),  # Tallahassee
    (30.4213, -87.2169, "FL", "America/Chicago"),  # Pensacola, in the Central panhandle
])
def test_the_zone_comes_from_the_coordinates(latitude, longitude, state, zone):
    assert zone_name(latitude, longitude, state) == zone


def test_without_coordinates_or_at_sea_the_state_decides():
    assert zone_name(None, None, "AZ") == "America/Phoenix"
    assert zone_name(35.0, -40.0, "HI") == "Pacific/Honolulu"  # mid-Atlantic: Etc/GMT+3 is no clinic's zone
    assert state_zone("TX") == "America/Chicago"


def test_every_state_the_site_knows_has_a_zone():
    assert set(STATE_NAMES) <= set(STATE_ZONES)


def test_zones_are_named_as_people_say_them():
    assert zone_label("America/New_York") == "Eastern Time"
    assert zone_label("America/Phoenix") == "Mountain Time, no daylight saving"
    assert zone_label("Pacific/Honolulu") == "Hawaii Time"
