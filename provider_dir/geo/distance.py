"""Distances on the WGS84 ellipsoid and the grid that radius search reads: plain functions, no database.

A point is stored as its Earth-centred (ECEF) position on the ellipsoid, in km. The straight-line chord between
two such points differs from the geodesic along the surface by d^3 / (24 R^2): 0.07 % at 500 miles and
centimetres at 25 miles. So a database can test "within r" and order by distance with nothing but
subtraction and multiplication per row, and the distances it yields agree with geodesic ones to about 0.001 %.
"""

from __future__ import annotations

import math

WGS84_A_KM = 6378.137
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)
MEAN_RADIUS_KM = 6371.0088
# The shortest radius of curvature on the ellipsoid (meridional, at the equator): distances divided by it
# give angles that are never too small, so the bounding boxes below always contain the whole circle.
MIN_RADIUS_KM = WGS84_A_KM * (1 - WGS84_E2)
KM_PER_MILE = 1.609344

# Grid: bands of 0.02 degrees of latitude; within a band, cells of 0.02 degrees of longitude, numbered
# west to east, so that one band's stretch of longitude is one contiguous range of cell numbers.
CELLS_PER_DEGREE = 50
CELLS_PER_BAND = 20_000  # more than 360 * CELLS_PER_DEGREE
_LAST_COLUMN = 360 * CELLS_PER_DEGREE


def miles_to_km(miles: float) -> float:
    """Convert statute miles to kilometres."""
    return miles * KM_PER_MILE


def km_to_miles(km: float) -> float:
    """Convert kilometres to statute miles."""
    return km / KM_PER_MILE


def ecef_km(latitude: float, longitude: float) -> tuple[float, float, float]:
    """Return the Earth-centred x, y, z (km) of a point on the WGS84 ellipsoid's surface."""
    lat, lon = math.radians(latitude), math.radians(longitude)
    sin_lat = math.sin(lat)
    n = WGS84_A_KM / math.sqrt(1 - WGS84_E2 * sin_lat * sin_lat)
    return n * math.cos(lat) * math.cos(lon), n * math.cos(lat) * math.sin(lon), n * (1 - WGS84_E2) * sin_lat


def cell_of(latitude: float, longitude: float) -> int:
    """Return the grid cell number of a point (the same arithmetic as the database triggers)."""
    band = math.floor((latitude + 90) * CELLS_PER_DEGREE)
    return band * CELLS_PER_BAND + math.floor((longitude + 180) * CELLS_PER_DEGREE)


def search_point(latitude: float, longitude: float) -> dict[str, float | int]:
    """Return the clinic's derived search columns (geo_cell, geo_x, geo_y, geo_z) for a position."""
    x, y, z = ecef_km(latitude, longitude)
    return {"geo_cell": cell_of(latitude, longitude), "geo_x": x, "geo_y": y, "geo_z": z}


def chord_km_for(distance_km: float) -> float:
    """Return the chord length that corresponds to a distance along the surface."""
    return 2 * MEAN_RADIUS_KM * math.sin(min(distance_km, math.pi * MEAN_RADIUS_KM) / (2 * MEAN_RADIUS_KM))


def distance_km_for_chord(chord_km: float) -> float:
    """Return the distance along the surface that a chord length spans."""
    return 2 * MEAN_RADIUS_KM * math.asin(min(1.0, chord_km / (2 * MEAN_RADIUS_KM)))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the distance in km between two (latitude, longitude) points, within 0.01 % of the geodesic."""
    xa, ya, za = ecef_km(*a)
    xb, yb, zb = ecef_km(*b)
    return distance_km_for_chord(math.sqrt((xa - xb) ** 2 + (ya - yb) ** 2 + (za - zb) ** 2))


def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the distance in miles between two (latitude, longitude) points."""
    return km_to_miles(distance_km(a, b))


def covering_cells(latitude: float, longitude: float, radius_km: float) -> list[tuple[int, int]]:
    """Return ranges of cell numbers that hold every point within radius_km of the centre (and a little more).

    One range per band of latitude (two where the circle crosses the antimeridian), each as wide as the
    circle is within that band, so a search reads little outside the circle.
    """
    # Spherical trigonometry on geodetic coordinates is within 0.6 % of the ellipsoid: the angle is taken
    # generously (the smallest radius of curvature, plus 1 %) so that the ranges always cover the circle.
    angle = min(math.pi, radius_km / MIN_RADIUS_KM * 1.01)
    lat0 = math.radians(latitude)
    first_band = math.floor((max(-90.0, latitude - math.degrees(angle)) + 90) * CELLS_PER_DEGREE)
    last_band = math.floor((min(90.0, latitude + math.degrees(angle)) + 90) * CELLS_PER_DEGREE)
    # One pass with the circle's sines and cosines taken once and the arithmetic of _half_width_degrees and
    # _longitude_spans written out: a search's fifty to a hundred bands went through two calls each.
    cos_lat0, sin_lat0, cos_angle = math.cos(lat0), math.sin(lat0), math.cos(angle)
    cos, sin, acos, degrees, radians, floor = math.cos, math.sin, math.acos, math.degrees, math.radians, math.floor
    band_height, last_column = 1 / CELLS_PER_DEGREE, _LAST_COLUMN
    ranges: list[tuple[int, int]] = []
    append = ranges.append
    for band in range(first_band, last_band + 1):
        south = band / CELLS_PER_DEGREE - 90
        north = south + band_height
        # Where the circle is widest in this band.
        nearest_lat = radians(north if latitude > north else south if latitude < south else latitude)
        denominator = cos_lat0 * cos(nearest_lat)
        if denominator < 1e-9:
            delta = 180.0
        else:
            cos_delta = (cos_angle - sin_lat0 * sin(nearest_lat)) / denominator
            delta = 180.0 if cos_delta <= -1 else degrees(acos(min(1.0, cos_delta))) + band_height
        offset = band * CELLS_PER_BAND
        if delta >= 180.0:
            append((offset, offset + last_column))
            continue
        west, east = longitude - delta, longitude + delta
        if west < -180.0:
            append((offset, offset + floor((east + 180) * CELLS_PER_DEGREE)))
            append((offset + floor((west + 360 + 180) * CELLS_PER_DEGREE), offset + last_column))
        elif east > 180.0:
            append((offset + floor((west + 180) * CELLS_PER_DEGREE), offset + last_column))
            append((offset, offset + floor((east - 360 + 180) * CELLS_PER_DEGREE)))
        else:
            append((offset + floor((west + 180) * CELLS_PER_DEGREE), offset + floor((east + 180) * CELLS_PER_DEGREE)))
    return ranges

