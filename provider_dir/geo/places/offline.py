"""The default geocoder: a geopy Geocoder over the shipped gazetteer that never touches the network."""

from __future__ import annotations

import re

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from provider_dir.geo.places.gazetteer import Gazetteer, Place, ZipCentroid, gazetteer, normalise

ZIP_RE = re.compile(r"^(\d{5})(?:[-\s]?\d{4})?$")
TRAILING_ZIP_RE = re.compile(r"^(.*?)[\s,]+(\d{5})(?:-\d{4})?$")
COORDINATES_RE = re.compile(r"^([-+]?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d{1,3}(?:\.\d+)?)$")
REVERSE_CANDIDATES = 5


class OfflineGeocoder(Geocoder):
    """Geocode US ZIP codes, "City, ST" / "City, State" / "city st" and "lat,lon" from shipped data.

    The gazetteer is built on first use and shared by the whole process; each look-up after that is a
    few dictionary probes. A city named without a state resolves to the most populous place of that name.
    """

    def __init__(self, source: Gazetteer | None = None, **kwargs):
        super().__init__(**kwargs)
        self._source = source

    @property
    def source(self) -> Gazetteer:
        """The gazetteer (built lazily, once per process)."""
        if self._source is None:
            self._source = gazetteer()
        return self._source

    def geocode(self, query, *, exactly_one: bool = True, timeout=None):
        """Return the Location of a place (a list of candidates if not exactly_one), or None on a miss."""
        found = self._candidates(str(query or "").strip(), 1 if exactly_one else None)
        if not found:
            return None
        return found[0] if exactly_one else found

    def reverse(self, query, *, exactly_one: bool = True, timeout=None):
        """Return the nearest ZIP centroid to a point (the nearest few if not exactly_one), or None."""
        point = Point(query)
        nearest = self.source.nearest_zips(point.latitude, point.longitude, 1 if exactly_one else REVERSE_CANDIDATES)
        found = [zip_location(z, distance_km=d) for z, d in nearest]
        if not found:
            return None
        return found[0] if exactly_one else found

    def _candidates(self, text: str, limit: int | None) -> list[Location]:
        if not text or len(text) > 200:
            return []
        if match := ZIP_RE.match(text):
            centroid = self.source.zip_centroid(match.group(1))
            return [zip_location(centroid)] if centroid else []
        if match := COORDINATES_RE.match(text):
            return self._coordinates(float(match.group(1)), float(match.group(2)))
        if match := TRAILING_ZIP_RE.match(text):
            centroid = self.source.zip_centroid(match.group(2))
            if centroid is not None:
                return [zip_location(centroid)]
            text = match.group(1)
        for name, state in self._readings(text):
            places = self.source.places(name, state)
            if places:
                return [place_location(p) for p in places[:limit]]
        return []

    def _coordinates(self, latitude: float, longitude: float) -> list[Location]:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return []
        label = f"{latitude:.4f}, {longitude:.4f}"
        nearest = self.source.nearest_zips(latitude, longitude, 1)
        if nearest and nearest[0][1] < 50:
            z = nearest[0][0]
            label += f" (near {z.city.title()}, {z.state} {z.code})"
        raw = {"kind": "coordinates", "latitude": latitude, "longitude": longitude}
        return [Location(label, (latitude, longitude), raw)]

    def _readings(self, text: str) -> list[tuple[str, str | None]]:
        """Return the ways to read text as (normalised city, state code or None), likeliest first."""
        parts = [p.strip() for p in text.split(",") if p.strip()]
        readings: list[tuple[str, str | None]] = []
        if len(parts) >= 2:
            state = self.source.state_code(normalise(parts[-1]))
            if state:
                readings.append((normalise(parts[-2]), state))
        words = normalise(" ".join(parts)).split()
        for size in (3, 2, 1):
            if len(words) > size:
                state = self.source.state_code(" ".join(words[-size:]))
                if state:
                    readings.append((" ".join(words[:-size]), state))
        readings.append((" ".join(words), None))
        return readings


def zip_location(centroid: ZipCentroid, distance_km: float | None = None) -> Location:
    """Return a ZIP centroid as a geopy Location."""
    raw = {"kind": "zip", "zip": centroid.code, "city": centroid.city, "state": centroid.state}
    if distance_km is not None:
        raw["distance_km"] = distance_km
    label = f"{centroid.city.title()}, {centroid.state} {centroid.code}"
    return Location(label, (centroid.latitude, centroid.longitude), raw)


def place_location(place: Place) -> Location:
    """Return a gazetteer place as a geopy Location."""
    raw = {"kind": "place", "city": place.name, "state": place.state, "population": place.population}
    return Location(f"{place.name}, {place.state}", (place.latitude, place.longitude), raw)
