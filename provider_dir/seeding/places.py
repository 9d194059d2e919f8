"""Real places to put clinics at: ZIP centroids from `zipcodes`, US places weighted by population."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

from provider_dir.config import PROJECT_ROOT
from provider_dir.seeding.quickrandom import QuickRandom

US_PLACES_CSV = PROJECT_ROOT / "seeds" / "geo" / "us_places.csv"
# GeoNames lists New York City as a whole *and* its five boroughs; counting both would double its weight.
DOUBLE_COUNTED = frozenset({("New York City", "NY")})
KM_PER_DEGREE_LAT = 111.32


@dataclass(frozen=True, slots=True)
class Zip:
    """A ZIP code centroid."""

    code: str
    city: str
    state: str
    latitude: float
    longitude: float
    area_code: str


@dataclass(frozen=True, slots=True)
class Place:
    """A populated place with the ZIP nearest to its centre."""

    name: str
    state: str
    latitude: float
    longitude: float
    population: int


@lru_cache(maxsize=1)
def standard_zips() -> tuple[Zip, ...]:
    """Return every active standard ZIP with a real centroid (entries at 0,0 are skipped)."""
    result = []
    for entry in zipcodes.list_all():
        if entry["zip_code_type"] != "STANDARD" or not entry["active"]:
            continue
        lat, lon = float(entry["lat"]), float(entry["long"])
        if lat == 0 and lon == 0:
            continue
        area_codes = entry.get("area_codes") or ["555"]
        result.append(Zip(entry["zip_code"], entry["city"], entry["state"], lat, lon, area_codes[0]))
    return tuple(result)


def zips_of_city(city: str, state: str) -> list[Zip]:
    """Return the standard ZIPs whose postal city is this one, in ZIP order."""
    return sorted((z for z in standard_zips() if z.city == city and z.state == state), key=lambda z: z.code)


@lru_cache(maxsize=1)
def us_places() -> tuple[Place, ...]:
    """Return the shipped US places (GeoNames, CC BY 4.0) with their population."""
    with US_PLACES_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(
            Place(row["name"], row["state"], float(row["latitude"]), float(row["longitude"]), int(row["population"]))
            for row in csv.DictReader(fh)
            if (row["name"], row["state"]) not in DOUBLE_COUNTED and int(row["population"]) > 0
        )


class ZipIndex:
    """Nearest-ZIP look-up over a grid of 0.2-degree cells (good enough for placing synthetic clinics)."""

    CELL = 0.2

    def __init__(self, zips: tuple[Zip, ...]):
        self._cells: dict[tuple[int, int], list[Zip]] = {}
        for z in zips:
            self._cells.setdefault(self._cell(z.latitude, z.longitude), []).append(z)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.CELL), math.floor(lon / self.CELL)

    def nearest(self, lat: float, lon: float, state: str | None = None) -> Zip:
        """Return the ZIP centroid nearest to a point (in the given state, if any), widening the search ring."""
        ci, cj = self._cell(lat, lon)
        coslat = math.cos(math.radians(lat))
        for radius in range(1, 200):
            candidates = [
                z
                for i in range(ci - radius, ci + radius + 1)
                for j in range(cj - radius, cj + radius + 1)
                for z in self._cells.get((i, j), ())
                if state is None or z.state == state
            ]
            if candidates:
                return min(
                    candidates,
                    key=lambda z: (z.latitude - lat) ** 2 + ((z.longitude - lon) * coslat) ** 2,
                )
        raise LookupError(f"no ZIP near {lat},{lon}")


@lru_cache(maxsize=1)
def zip_index() -> ZipIndex:
    """Return the grid index of standard ZIPs."""
    return ZipIndex(standard_zips())


class PopulationSampler:
    """Draw places in proportion to their population and scatter points around them."""

    def __init__(self, places: tuple[Place, ...]):
        self.places = places
        cumulative, total = [], 0
        for p in places:
            total += p.population
            cumulative.append(total)
        self._cumulative = cumulative
        # Bigger places sprawl further: about 1.5 km for a village, 9 km for a city of millions.
        self._spread_km = [1.0 + 2.0 * math.log10(max(p.population, 1000) / 1000) for p in places]
        self._zip_of: dict[int, Zip] = {}

    def draw(self, rng: QuickRandom, k: int) -> list[int]:
        """Return k place indices drawn with probability proportional to population."""
        return rng.choices(range(len(self.places)), cum_weights=self._cumulative, k=k)

    def jitter(self, rng: QuickRandom, index: int) -> tuple[float, float]:
        """Return a point scattered (normal, clipped at 3 sigma) around the place."""
        place, sigma = self.places[index], self._spread_km[index]
        dy = max(-3.0, min(3.0, rng.gauss(0.0, 1.0))) * sigma
        dx = max(-3.0, min(3.0, rng.gauss(0.0, 1.0))) * sigma
        lat = place.latitude + dy / KM_PER_DEGREE_LAT
        lon = place.longitude + dx / (KM_PER_DEGREE_LAT * max(0.2, math.cos(math.radians(place.latitude))))
        return round(lat, 6), round(lon, 6)

    def zip_of(self, index: int) -> Zip:
        """Return the ZIP nearest to the place's centre in its state (cached)."""
        found = self._zip_of.get(index)
        if found is None:
            place = self.places[index]
            try:
                found = zip_index().nearest(place.latitude, place.longitude, place.state)
            except LookupError:  # a place in a state without standard ZIPs nearby: take the nearest at all
                found = zip_index().nearest(place.latitude, place.longitude)
            self._zip_of[index] = found
        return found


@lru_cache(maxsize=1)
def population_sampler() -> PopulationSampler:
    """Return the sampler over the shipped US places."""
    return PopulationSampler(us_places())
