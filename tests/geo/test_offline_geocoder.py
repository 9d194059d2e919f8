"""The offline geocoder: a geopy Geocoder over shipped ZIP centroids and GeoNames places."""

import pytest
from geopy.distance import geodesic
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from provider_dir.geo.places.gazetteer import normalise


def km_between(location: Location, point: tuple[float, float]) -> float:
    return geodesic((location.latitude, location.longitude), point).km


def test_it_is_a_geopy_geocoder_that_returns_locations(offline):
    found = offline.geocode("10001")
    assert isinstance(offline, Geocoder)
    assert isinstance(found, Location)
    assert found.raw["kind"] == "zip"


@pytest.mark.parametrize(
    "query, label, near",
    [
        ("10001", "New York, NY 10001", (40.7484, -73.9967)),
        ("10001-1234", "New York, NY 10001", (40.7484, -73.9967)),
        ("  60601 ", "Chicago, IL 60601", (41.8858, -87.6181)),
        ("Chicago, IL", "Chicago, IL", (41.85, -87.65)),
        ("Chicago, Illinois", "Chicago, IL", (41.85, -87.65)),
        ("chicago il", "Chicago, IL", (41.85, -87.65)),
        ("CHICAGO,IL", "Chicago, IL", (41.85, -87.65)),
        ("Chicago, IL 60601", "Chicago, IL 60601", (41.8858, -87.6181)),
        ("123 Main St, Boise, ID", "Boise, ID", (43.61, -116.20)),
        ("Saint Louis, MO", "St. Louis, MO", (38.63, -90.20)),
        ("ft worth tx", "Fort Worth, TX", (32.73, -97.32)),
        ("Winston Salem", "Winston-Salem, NC", (36.10, -80.24)),
        ("Washington, D.C.", "Washington, DC", (38.90, -77.04)),
        ("new york new york", "New York City, NY", (40.71, -74.01)),
        ("Bronx", "The Bronx, NY", (40.85, -73.87)),
    ],
)
def test_zip_codes_and_city_names_in_the_ways_people_type_them(offline, query, label, near):
    found = offline.geocode(query)
    assert found is not None, query
    assert found.address == label
    assert km_between(found, near) < 5


def test_coordinates_are_taken_as_they_are_and_named_after_the_nearest_zip(offline):
    found = offline.geocode("40.75,-73.99")
    assert (found.latitude, found.longitude) == (40.75, -73.99)
    assert found.raw["kind"] == "coordinates"
    assert "near New York, NY" in found.address


@pytest.mark.parametrize("query", ["40.75 -73.99", "40.75, -73.99", "+40.75;-73.99"])
def test_coordinates_with_other_separators(offline, query):
    found = offline.geocode(query)
    assert (found.latitude, found.longitude) == (40.75, -73.99)


def test_a_city_without_a_state_is_the_most_populous_of_that_name(offline):
    assert offline.geocode("Springfield").address == "Springfield, MO"
    assert offline.geocode("Portland").address == "Portland, OR"
    assert offline.geocode("Springfield, IL").address == "Springfield, IL"


def test_exactly_one_false_lists_every_candidate_most_populous_first(offline):
    found = offline.geocode("Springfield", exactly_one=False)
    assert isinstance(found, list) and len(found) > 10
    populations = [location.raw["population"] for location in found]
    assert populations == sorted(populations, reverse=True)
    assert {"Springfield, MO", "Springfield, MA", "Springfield, IL"} <= {loc.address for loc in found}
    assert [loc.address for loc in offline.geocode("10001", exactly_one=False)] == ["New York, NY 10001"]


def test_small_towns_only_postal_data_knows_are_found(offline):
    # Under 500 people, so not in the GeoNames table: placed at the mean of its ZIP centroids.
    found = offline.geocode("Lost Springs, WY")
    assert found is not None and found.address == "Lost Springs, WY"
    assert km_between(found, (42.77, -104.93)) < 50  # its ZIP covers a wide rural area


@pytest.mark.parametrize(
    "query", ["", "   ", "zzzz", "99999", "00000", "Texas", "Springfield, ZZ", "91.0,10.0", "45,200", "x" * 300, None]
)
def test_misses_return_none(offline, query):
    assert offline.geocode(query) is None
    assert offline.geocode(query, exactly_one=False) is None


def test_reverse_gives_the_nearest_zip(offline):
    found = offline.reverse("40.7506, -73.9935")
    assert found.raw["kind"] == "zip"
    assert found.raw["zip"].startswith("10")
    assert km_between(found, (40.7506, -73.9935)) < 1


def test_reverse_accepts_tuples_and_lists_the_nearest_in_order(offline):
    found = offline.reverse((64.84, -147.72), exactly_one=False)
    distances = [location.raw["distance_km"] for location in found]
    assert len(found) == 5 and distances == sorted(distances)
    assert all(location.address.startswith(("Fairbanks", "Fort Wainwright")) for location in found[:3])
    # Whatever the gazetteer holds, nothing is nearer than the first answer.
    nearest = min(offline.source.zips.values(), key=lambda z: geodesic((64.84, -147.72), (z.latitude, z.longitude)).km
                  if z.standard else 1e9)  # fmt: skip
    assert found[0].raw["zip"] == nearest.code


def test_reverse_far_from_any_zip_is_none(offline):
    assert offline.reverse((0.0, 0.0)) is None


@pytest.mark.parametrize(
    "a, b",
    [("St. Louis", "saint louis"), ("Coeur d'Alene", "coeur dalene"), ("Winston-Salem", "winston salem"),
     ("The Bronx", "bronx"), ("Mount Vernon", "Mt. Vernon"), ("Española", "espanola")],
)  # fmt: skip
def test_spellings_of_a_name_normalise_alike(a, b):
    assert normalise(a) == normalise(b)
