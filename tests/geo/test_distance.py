"""Distances on the ellipsoid, and the grid ranges that cover a search circle."""

import math

from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from provider_dir.geo.distance import (
    CELLS_PER_BAND,
    cell_of,
    chord_km_for,
    covering_cells,
    distance_km,
    distance_km_for_chord,
    distance_miles,
    km_to_miles,
    miles_to_km,
)

# The United States and its territories, Aleutians and Guam included.
us_latitudes = st.floats(min_value=13.0, max_value=71.5)
us_longitudes = st.floats(min_value=-179.9, max_value=-64.0)
bearings = st.floats(min_value=0, max_value=360)


@settings(max_examples=300, deadline=None)
@given(us_latitudes, us_longitudes, st.floats(min_value=0.05, max_value=900), bearings)
def test_distances_agree_with_geopy_geodesic_within_half_a_percent(lat, lon, km, bearing):
    there = geodesic(kilometers=km).destination((lat, lon), bearing)
    expected = geodesic((lat, lon), (there.latitude, there.longitude)).km
    assert math.isclose(distance_km((lat, lon), (there.latitude, there.longitude)), expected, rel_tol=0.005)


def test_a_known_distance_in_miles():
    # Midtown Manhattan to the Chicago Loop, 711.5 miles along the WGS84 geodesic.
    midtown, loop = (40.7549, -73.9840), (41.8781, -87.6298)
    assert math.isclose(distance_miles(midtown, loop), geodesic(midtown, loop).miles, rel_tol=0.0001)
    assert distance_miles(midtown, midtown) == 0


@given(st.floats(min_value=0, max_value=5000))
def test_chord_and_distance_convert_back_and_forth(km):
    assert math.isclose(distance_km_for_chord(chord_km_for(km)), km, rel_tol=1e-9, abs_tol=1e-9)


def test_units():
    assert miles_to_km(1) == 1.609344
    assert math.isclose(km_to_miles(miles_to_km(25)), 25)


def _covered(ranges, cell):
    return any(lo <= cell <= hi for lo, hi in ranges)


@settings(max_examples=400, deadline=None)
@given(
    st.floats(min_value=-85, max_value=85),
    st.floats(min_value=-180, max_value=180),
    st.floats(min_value=1.6, max_value=805),
    st.floats(min_value=0, max_value=1),
    bearings,
)
def test_the_covering_cells_hold_every_point_of_the_circle(lat, lon, radius_km, fraction, bearing):
    point = geodesic(kilometers=radius_km * fraction).destination((lat, lon), bearing)
    assert _covered(covering_cells(lat, lon, radius_km), cell_of(point.latitude, point.longitude))


def test_a_circle_across_the_antimeridian_gets_ranges_on_both_sides():
    ranges = covering_cells(51.9, 179.5, 100)  # the western Aleutians
    west_of_line = cell_of(51.9, -179.5)
    east_of_line = cell_of(51.9, 179.9)
    assert _covered(ranges, west_of_line) and _covered(ranges, east_of_line)


def test_the_ranges_are_one_per_band_and_stay_close_to_the_circle():
    ranges = covering_cells(40.75, -73.98, miles_to_km(25))
    bands = [lo // CELLS_PER_BAND for lo, _ in ranges]
    assert bands == sorted(set(bands))
    far_east = cell_of(40.75, -73.98 + 1.0)  # about 52 miles east
    assert not _covered(ranges, far_east)
