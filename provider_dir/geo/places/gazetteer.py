"""The shipped gazetteer: every US ZIP centroid (the `zipcodes` package) and US places with their population
(GeoNames, CC BY 4.0, in seeds/geo/us_places.csv), indexed for look-ups that cost microseconds."""

from __future__ import annotations

import csv
import logging
import math
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from provider_dir.config import PROJECT_ROOT
from provider_dir.geo.distance import distance_km
from provider_dir.geo.places.states import STATE_ALIASES, STATE_NAMES

log = logging.getLogger(__name__)

US_PLACES_CSV = PROJECT_ROOT / "seeds" / "geo" / "us_places.csv"
US_ZIP_CENTROIDS_CSV = PROJECT_ROOT / "seeds" / "geo" / "us_zip_centroids.csv"

# Words people abbreviate either way ("Saint Louis" / "St. Louis", "Fort Worth" / "Ft Worth").
SHORT_FORMS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft", "point": "pt"}
# Names that people type for a place the gazetteer spells differently.
PLACE_ALIASES = {("new york", "NY"): ("new york city", "NY"), ("nyc", "NY"): ("new york city", "NY")}
# Reverse look-ups search a fine grid near towns, and a coarse one where ZIP codes are far apart.
FINE_DEGREES, FINE_RINGS = 0.05, 12
COARSE_DEGREES, COARSE_RINGS = 1.0, 8
REVERSE_MAX_KM = 300.0  # reverse look-ups farther than this from any ZIP centroid find nothing


@lru_cache(maxsize=100_000)  # place names repeat across ZIP codes and queries
def normalise(text: str) -> str:
    """Fold case, accents, punctuation and common abbreviations so that spellings of a name compare equal."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("'", "").replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(SHORT_FORMS.get(word, word) for word in words)


@dataclass(frozen=True, slots=True)
class ZipCentroid:
    """A ZIP code's centroid and its postal city."""

    code: str
    city: str
    state: str
    latitude: float
    longitude: float
    standard: bool  # an active street-delivery ZIP (reverse look-ups answer with these)
    postal_town: bool  # its city is a real town (standard or PO box ZIPs, not a company's own ZIP)


@dataclass(frozen=True, slots=True)
class Place:
    """A named place in a state, with its population (0 when only postal data knows it)."""

    name: str
    state: str
    latitude: float
    longitude: float
    population: int


class Gazetteer:
    """ZIP centroids and places, indexed by code, by (name, state), by name, and on a grid for reverse look-ups."""

    def __init__(self, zips: Iterable[ZipCentroid], places: Iterable[Place]):
        self.zips: dict[str, ZipCentroid] = {z.code: z for z in zips}
        self._by_name: dict[str, list[Place]] = {}
        for place in sorted(places, key=lambda p: -p.population):
            self._by_name.setdefault(normalise(place.name), []).append(place)
        for (alias, state), (name, _) in PLACE_ALIASES.items():
            target = next((p for p in self._by_name.get(name, []) if p.state == state), None)
            if target is not None:
                self._by_name.setdefault(alias, []).insert(0, target)
        standard = [z for z in self.zips.values() if z.standard]
        self._fine = _grid(standard, FINE_DEGREES)
        self._coarse = _grid(standard, COARSE_DEGREES)
        self._states = {normalise(name): code for code, name in STATE_NAMES.items()}
        self._states.update({code.lower(): code for code in STATE_NAMES})
        self._states.update(STATE_ALIASES)

    def __len__(self) -> int:
        return len(self.zips) + sum(len(v) for v in self._by_name.values())

    def zip_centroid(self, code: str) -> ZipCentroid | None:
        """Return the centroid of a five-digit ZIP code, or None."""
        return self.zips.get(code)

    def state_code(self, text: str) -> str | None:
        """Return the postal code of a state written as a code or a name (already normalised), or None."""
        return self._states.get(text)

    def places(self, name: str, state: str | None = None) -> list[Place]:
        """Return places with this (normalised) name, in the state if given, most populous first."""
        found = self._by_name.get(name, [])
        return [p for p in found if p.state == state] if state else list(found)

    def nearest_zips(self, latitude: float, longitude: float, limit: int = 1) -> list[tuple[ZipCentroid, float]]:
        """Return the nearest standard ZIP centroids (within REVERSE_MAX_KM) with their distance in km."""
        keep = limit + 4  # a few spares: the cheap ranking below is flat, the final one is on the ellipsoid
        ranked, settled = _nearest_on(self._fine, FINE_DEGREES, FINE_RINGS, latitude, longitude, keep)
        if not settled:  # far from town: a coarser grid reaches further for the same work
            ranked, _ = _nearest_on(self._coarse, COARSE_DEGREES, COARSE_RINGS, latitude, longitude, keep)
        measured = sorted(
            ((z, distance_km((latitude, longitude), (z.latitude, z.longitude))) for z in ranked),
            key=lambda pair: pair[1],
        )
        return [pair for pair in measured if pair[1] <= REVERSE_MAX_KM][:limit]


def _grid(zips: Iterable[ZipCentroid], degrees: float) -> dict[tuple[int, int], list[ZipCentroid]]:
    grid: dict[tuple[int, int], list[ZipCentroid]] = {}
    for z in zips:
        grid.setdefault(_grid_key(z.latitude, z.longitude, degrees), []).append(z)
    return grid


def _grid_key(latitude: float, longitude: float, degrees: float) -> tuple[int, int]:
    return math.floor(latitude / degrees), math.floor(longitude / degrees)


def _nearest_on(grid, degrees: float, max_rings: int, latitude: float, longitude: float, keep: int):
    """Return up to `keep` centroids nearest by a flat-earth measure, searching rings of cells outwards,
    and whether the search settled (no unsearched ring could hold a nearer one)."""
    ci, cj = _grid_key(latitude, longitude, degrees)
    cos_lat = math.cos(math.radians(latitude))
    ranked: list[tuple[float, ZipCentroid]] = []
    for ring in range(max_rings + 1):
        # Everything in this ring lies at least (ring - 1) whole cells away, north-south or east-west.
        if len(ranked) >= keep and ((ring - 1) * degrees * cos_lat) ** 2 > ranked[keep - 1][0]:
            return [z for _, z in ranked], True
        for z in _ring_members(grid, ci, cj, ring):
            ranked.append(((z.latitude - latitude) ** 2 + ((z.longitude - longitude) * cos_lat) ** 2, z))
        ranked.sort(key=lambda pair: pair[0])
        del ranked[keep:]
    return [z for _, z in ranked], False


def _ring_members(grid: dict, ci: int, cj: int, ring: int) -> list[ZipCentroid]:
    """Return the centroids in the cells exactly `ring` steps from (ci, cj): the border of a square."""
    if ring == 0:
        return list(grid.get((ci, cj), ()))
    members: list[ZipCentroid] = []
    for j in range(cj - ring, cj + ring + 1):
        members.extend(grid.get((ci - ring, j), ()))
        members.extend(grid.get((ci + ring, j), ()))
    for i in range(ci - ring + 1, ci + ring):
        members.extend(grid.get((i, cj - ring), ()))
        members.extend(grid.get((i, cj + ring), ()))
    return members


def load_zip_centroids(path: Path = US_ZIP_CENTROIDS_CSV) -> list[ZipCentroid]:
    """Read the shipped ZIP centroids (seeds/geo/build_us_zip_centroids.py derives them from the zipcodes package)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            ZipCentroid(row["zip"], row["city"], row["state"], float(row["latitude"]), float(row["longitude"]),
                        row["standard"] == "1", row["postal_town"] == "1")
            for row in csv.DictReader(fh)
        ]  # fmt: skip


def load_places(path: Path = US_PLACES_CSV) -> list[Place]:
    """Read the shipped GeoNames table of US places of 500 people or more."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Place(row["name"], row["state"], float(row["latitude"]), float(row["longitude"]), int(row["population"]))
            for row in csv.DictReader(fh)
        ]


def postal_towns(zips: Iterable[ZipCentroid], known: set[tuple[str, str]]) -> list[Place]:
    """Return towns that only postal data names (mostly under 500 people), at the mean of their ZIP centroids."""
    sums: dict[tuple[str, str], list[float]] = {}
    names: dict[tuple[str, str], str] = {}
    for z in zips:
        key = (normalise(z.city), z.state)
        if key in known or not z.postal_town:
            continue
        acc = sums.setdefault(key, [0.0, 0.0, 0])
        acc[0] += z.latitude
        acc[1] += z.longitude
        acc[2] += 1
        names.setdefault(key, z.city.title())
    return [Place(names[k], k[1], lat / n, lon / n, 0) for k, (lat, lon, n) in sums.items()]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the gazetteer once per process (about a second) and return it."""
    started = time.perf_counter()
    zips = load_zip_centroids()
    places = load_places()
    known = {(normalise(p.name), p.state) for p in places} | set(PLACE_ALIASES)
    towns = postal_towns(zips, known)
    built = Gazetteer(zips, places + towns)
    log.info(
        "gazetteer built: %d ZIP centroids, %d places, %d postal towns in %.2f s",
        len(zips), len(places), len(towns), time.perf_counter() - started,
    )  # fmt: skip
    return built
