"""The duplicate index's grid: half a mile exactly, across cell boundaries and far north; which listing wins."""

from __future__ import annotations

import math
import random

import pytest

from provider_dir.imports.duplicates import (
    CELL_DEGREES,
    EARTH_KM,
    HALF_MILE_KM,
    NAME_THRESHOLD,
    DuplicateIndex,
    distance_km,
    names_match,
)
from tests.imports.test_duplicates import NAME_CASES

INSIDE_KM, OUTSIDE_KM = HALF_MILE_KM - 0.002, HALF_MILE_KM + 0.002  # 2 m either side of half a mile


def moved(latitude: float, longitude: float, km: float, bearing_degrees: float) -> tuple[float, float]:
    """Return the point km away on the sphere distance_km uses, at the bearing (0 north, 90 east)."""
    d, bearing = km / EARTH_KM, math.radians(bearing_degrees)
    p1, l1 = math.radians(latitude), math.radians(longitude)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
    l2 = l1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), math.degrees(l2)


def index_of(*listings: tuple[int, str, float, float]) -> DuplicateIndex:
    """Return an index of (id, name, latitude, longitude) listings, each slug being 'c<id>'."""
    index = DuplicateIndex()
    for clinic_id, name, latitude, longitude in listings:
        index.add(clinic_id, f"c{clinic_id}", name, "", "", latitude, longitude)
    return index


def slug_found(index: DuplicateIndex, name: str, latitude: float, longitude: float, **kwargs) -> str | None:
    found = index.find(name, "", "", latitude, longitude, **kwargs)
    return None if found is None else found[0].slug


def just_before_a_boundary(degrees: float) -> float:
    """Return a coordinate a tenth of a metre short of the cell boundary nearest to the given one."""
    return round(degrees / CELL_DEGREES) * CELL_DEGREES - 1e-6


# Just south-west of a cell corner near Denver, just west of a boundary far north in Alaska (Utqiagvik, where 0.8 km
# east spans more than a cell), and a southern point (Key West).
PLACES = [(just_before_a_boundary(40.0), just_before_a_boundary(-105.0)),
          (71.2906, just_before_a_boundary(-156.7886)), (24.5551, -81.7800)]


@pytest.mark.parametrize(("latitude", "longitude"), PLACES)
@pytest.mark.parametrize("bearing", [0, 45, 90, 135, 180, 225, 270, 315])
def test_a_close_name_counts_just_inside_half_a_mile_and_not_just_outside(latitude, longitude, bearing):
    index = index_of((1, "Calm Mind Ketamine", latitude, longitude))

    near, far = moved(latitude, longitude, INSIDE_KM, bearing), moved(latitude, longitude, OUTSIDE_KM, bearing)

    assert distance_km(latitude, longitude, *near) < HALF_MILE_KM < distance_km(latitude, longitude, *far)
    assert slug_found(index, "Calm Mind Ketamine Clinic", *near) == "c1"
    assert slug_found(index, "Calm Mind Ketamine Clinic", *far) is None


def test_the_rows_just_inside_lie_in_other_cells_than_the_listing():
    """The places above put the row across one or more cell boundaries (else the test would prove nothing)."""
    def cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)

    for latitude, longitude in PLACES[:2]:
        east = moved(latitude, longitude, INSIDE_KM, 90)
        north = moved(latitude, longitude, INSIDE_KM, 0)
        assert cell(*east)[1] != cell(latitude, longitude)[1]
        assert cell(*north)[0] != cell(latitude, longitude)[0] or latitude > 70
    far_north_east = moved(*PLACES[1], INSIDE_KM, 90)
    assert cell(*far_north_east)[1] - cell(*PLACES[1])[1] >= 2  # two boundaries crossed in Alaska


@pytest.mark.parametrize(("a", "b", "same"), NAME_CASES)
def test_the_index_scores_names_as_names_match_does(a, b, same):
    index = index_of((1, a, 39.75, -104.99))

    found = index.find(b, "", "", 39.7505, -104.99)

    assert (found is not None) is same
    if same:
        assert found[1] == f"similar name ({names_match(a, b):.0f}% alike) within half a mile"
        assert names_match(a, b) >= NAME_THRESHOLD


HERE = (39.7500, -104.9900)
SEVERAL = [
    (1, "Calm Mynd Ketamine", *moved(*HERE, 0.05, 0)),  # nearest, but a typo: less alike
    (2, "Calm Mind Ketamine", *moved(*HERE, 0.60, 90)),  # 100% alike, 600 m
    (3, "Calm Mind Ketamine Center", *moved(*HERE, 0.30, 200)),  # 100% alike, 300 m
    (4, "Calm Mind Ketamine", *moved(*HERE, 0.90, 0)),  # 100% alike but beyond half a mile
    (5, "Mind Calm Ketamine Clinic", *moved(*HERE, 0.30, 20)),  # 100% alike, 300 m too
]


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 4, 0, 3, 1]])
def test_among_several_matches_the_most_similar_then_nearest_then_lowest_id_wins(order):
    index = index_of(*(SEVERAL[i] for i in order))

    found = index.find("Calm Mind Ketamine Clinic", "", "", *HERE)

    # 3 and 5 are equally alike (100%) and equally near (300 m): the lower id, whatever the order they came in.
    assert found is not None and found[0].slug == "c3"
    assert found[1] == "similar name (100% alike) within half a mile"


def test_a_typo_nearby_wins_when_no_closer_name_is_within_half_a_mile():
    index = index_of(SEVERAL[0], SEVERAL[3])

    found = index.find("Calm Mind Ketamine Clinic", "", "", *HERE)

    alike = names_match("Calm Mynd Ketamine", "Calm Mind Ketamine Clinic")
    assert NAME_THRESHOLD <= alike < 100
    assert found is not None and found[0].slug == "c1"
    assert found[1] == f"similar name ({alike:.0f}% alike) within half a mile"


def test_the_ignored_listing_is_passed_over_on_every_rule():
    index = DuplicateIndex()
    index.add(1, "itself", "Calm Mind Ketamine", "(303) 555-0101", "https://calmmind.example", *HERE)
    row = ("Calm Mind Ketamine Clinic", "303-555-0101", "https://www.calmmind.example/about", *HERE)

    assert index.find(*row)[0].slug == "itself"
    assert index.find(*row, ignore=1) is None

    index.add(2, "twin", "Calm Mind Ketamine", "", "", *moved(*HERE, 0.2, 90))
    found = index.find(*row, ignore=1)
    assert found is not None and found[0].slug == "twin"
    assert found[1] == "similar name (100% alike) within half a mile"


def test_rows_added_during_an_import_are_found_by_the_next_rows():
    index = DuplicateIndex()
    keys = index.keys("Calm Mind Ketamine", "", "")
    assert index.find_keys(keys, *HERE) is None

    index.add_keys(7, "first-row", keys, *HERE)
    index.add_keys(8, "elsewhere", index.keys("Nova Ketamine", "", ""), *moved(*HERE, 0.1, 0))

    found = index.find_keys(index.keys("Calm Mind Ketamine LLC", "", ""), *moved(*HERE, 0.4, 300))
    assert found is not None and found[0].slug == "first-row"


@pytest.mark.parametrize(("centre", "seed"), [((39.75, -104.99), 1), ((64.84, -147.72), 2), ((71.29, -156.79), 3)])
def test_the_index_finds_what_comparing_every_listing_finds(centre, seed):
    """Many listings around a town (Denver, Fairbanks, Utqiagvik), few names: the grid loses and adds nothing."""
    rng = random.Random(seed)
    words = ["Calm Mind", "Mind Calm", "Calm Mynd", "Nova", "Novaa", "Serenity", "Serentiy", "Aspen Ridge"]
    spot = [moved(*centre, rng.uniform(0, 3.0), rng.uniform(0, 360)) for _ in range(400)]
    listings = [(i, f"{rng.choice(words)} Ketamine", *spot[i - 1]) for i in range(1, 401)]
    index = index_of(*listings)
    for _ in range(300):
        name = f"{rng.choice(words)} Ketamine Clinic"
        here = moved(*centre, rng.uniform(0, 3.0), rng.uniform(0, 360))
        ranked = [(names_match(name, n), -distance_km(*here, lat, lon), -i) for i, n, lat, lon in listings
                  if names_match(name, n) >= NAME_THRESHOLD and distance_km(*here, lat, lon) <= HALF_MILE_KM]
        expected = f"c{-max(ranked)[2]}" if ranked else None

        assert slug_found(index, name, *here) == expected
