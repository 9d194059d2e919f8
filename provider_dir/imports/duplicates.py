"""Likely duplicates: same phone, same website domain, or a close name within half a mile.

The index is built once per import from every listing (id, slug, name, phone, website, position) and grows as
the import creates listings, so a file's second copy of a clinic is caught too. Look-ups are dictionary probes
plus one batch fuzzy comparison (rapidfuzz's C loop) against the listings in the grid cells that the half-mile
circle's bounding box touches; only the names that pass the threshold have their distance computed. Cells are
0.015 degrees (about 1.7 km by 1.3 km at 40 degrees north), so a look-up reads about 4 times the circle's area (the
old 0.02-degree cells and their 8 neighbours read 17 times it, each listing scored by a Python call). When several
listings qualify, the most similar name wins, then the nearest, then the lowest id.

Names: the words every clinic shares ("ketamine", "clinic", "wellness", "LLC"...) are dropped before comparing,
because "Nova Ketamine Clinic" and "Mesa Ketamine Clinic" differ only in the word that names them. What is left is
compared with rapidfuzz's token_sort_ratio (the index calls fuzz.ratio on the keys, which are already sorted words
joined by single spaces: the same score without re-sorting); NAME_THRESHOLD = 85 was chosen on
tests/imports/test_duplicates.py: typos and reordering ("Serenity" / "Serentiy" 88, "Restore" / "Restored" 93, "Calm
Mind" / "Mind Calm" 100) pass, different clinics ("Ascend" / "Ascent" 83, "Mindful" / "Mindset" 57, "Nova" / "Mesa"
25) do not. A name made only of shared words ("Ketamine Clinic") is compared whole, at the same threshold.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from provider_dir.imports.formats.rows import phone_key

NAME_THRESHOLD = 85
HALF_MILE_KM = 0.804672
# Cells about the size of the half-mile circle (whose bounding box is 1.45 by 1.9 hundredths of a degree at 40 degrees
# north): a look-up visits the 2 or 3 a side that the box touches. Measured at a million listings (duplicates_bench):
# 0.0075, 0.01 and 0.015 look up equally fast (more probes, each a cache miss there, or more names per probe); 0.015
# holds the fewest cells, so the least memory.
CELL_DEGREES = 0.015
# One int per cell (a tuple key would cost 64 bytes more per cell): ci * CELL_ROW + cj, |cj| <= 18,000 < CELL_ROW / 2.
CELL_ROW = 100_000
EARTH_KM = 6371.0088
# Half a mile as an angle on the sphere distance_km uses: the bounding box below is exact for it.
HALF_MILE_RADIANS = HALF_MILE_KM / EARTH_KM
HALF_MILE_LAT_DEGREES = math.degrees(HALF_MILE_RADIANS)
GENERIC_WORDS = frozenset({
    "ketamine", "clinic", "clinics", "center", "centers", "centre", "infusion", "infusions", "therapy", "therapies",
    "wellness", "health", "healthcare", "medical", "medicine", "institute", "treatment", "treatments", "care",
    "group", "associates", "partners", "services", "the", "of", "and", "at", "for", "llc", "inc", "pllc", "pc", "pa",
    "co", "ltd", "corp", "a", "an", "mental", "psychiatry", "psychiatric",
})
# Hosts that many unrelated clinics share: a match on them says nothing.
SHARED_HOSTS = frozenset({
    "facebook.com", "instagram.com", "linkedin.com", "twitter.com", "x.com", "google.com", "goo.gl",
    "business.site", "sites.google.com", "linktr.ee", "yelp.com", "wixsite.com", "squarespace.com",
    "godaddysites.com", "weebly.com", "wordpress.com", "square.site", "psychologytoday.com",
})
WORDS = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    """Return a name's distinctive words, sorted; the whole name's words when none is distinctive."""
    words = WORDS.findall((name or "").lower().replace("&", " and ").replace("'", ""))
    distinctive = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(sorted(distinctive or words))


def names_match(a: str, b: str) -> float:
    """Return the similarity (0-100) of two names' keys."""
    return fuzz.token_sort_ratio(name_key(a), name_key(b))


def domain_key(website: str) -> str:
    """Return a website's host without www., or '' when it is absent or a shared host."""
    if not website:
        return ""
    host = (urlsplit(website.strip()).hostname or "").lower().removeprefix("www.")
    parts = host.split(".")
    # The host itself or any parent domain (calm.business.site -> business.site) being a shared host.
    if not host or any(".".join(parts[i:]) in SHARED_HOSTS for i in range(len(parts) - 1)):
        return ""
    return host


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


class Known(NamedTuple):
    """A listing as the index holds it (a tuple: 1,000,000 of them must stay small)."""

    clinic_id: int
    slug: str
    key: str
    latitude: float
    longitude: float


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / CELL_DEGREES), math.floor(longitude / CELL_DEGREES)


def half_mile_cells(latitude: float, longitude: float) -> list[int]:
    """Return the keys of the cells that the half-mile circle's bounding box touches."""
    # A margin of 1e-9 degrees (0.1 mm) for rounding: never lose a listing exactly on the circle.
    lat_from = max(-90.0, latitude - HALF_MILE_LAT_DEGREES - 1e-9)
    lat_to = min(90.0, latitude + HALF_MILE_LAT_DEGREES + 1e-9)
    cos_lat = math.cos(math.radians(latitude))
    # The widest a circle of angular radius r around latitude phi reaches in longitude: asin(sin r / cos phi).
    ratio = math.sin(HALF_MILE_RADIANS) / cos_lat if cos_lat > 0 else 2.0
    lon_half = (math.degrees(math.asin(ratio)) if ratio < 1 else 180.0) + 1e-9
    ci_from, cj_from = _cell(lat_from, longitude - lon_half)
    ci_to, cj_to = _cell(lat_to, longitude + lon_half)
    return [ci * CELL_ROW + cj for ci in range(ci_from, ci_to + 1) for cj in range(cj_from, cj_to + 1)]


class DuplicateIndex:
    """Phones, domains and a lat/lon grid of names, for every listing seen so far."""

    def __init__(self) -> None:
        # Keyed by ints (the phone's digits, the domain's hash): 100,000 strings would cost 13 MB more.
        self.phones: dict[int, Known] = {}
        self.domains: dict[int, Known] = {}
        # Per cell: [its listings' name keys joined by newlines, listing, listing, ...]. One string per cell lets a
        # look-up read a cell's names from one place in memory (a key per listing would be a pointer to chase each,
        # and at a million listings those cache misses, not the scoring, were most of a look-up's time). The string
        # is made by the first look-up that reads the cell after a listing joined it (None until then), so loading a
        # million listings costs one append each and cells nobody looks near never get one.
        self.grid: dict[int, list] = {}

    @staticmethod
    def keys(name: str, phone: str, website: str) -> tuple[str, str, str]:
        """Return what the index compares: (phone key, domain key, name key), worked out once per row."""
        return phone_key(phone), domain_key(website), name_key(name)

    def add(self, clinic_id: int, slug: str, name: str, phone: str, website: str,
            latitude: float, longitude: float) -> None:
        """Remember a listing (the first one with a phone or domain keeps it)."""
        self.add_keys(clinic_id, slug, self.keys(name, phone, website), latitude, longitude)

    def add_keys(self, clinic_id: int, slug: str, keys: tuple[str, str, str], latitude: float,
                 longitude: float) -> None:
        """Remember a listing by its keys."""
        phone, domain, name = keys
        known = Known(clinic_id, slug, name, latitude, longitude)
        if phone:
            self.phones.setdefault(int(phone), known)
        if domain:
            self.domains.setdefault(hash(domain), known)
        ci, cj = _cell(latitude, longitude)
        cell = ci * CELL_ROW + cj
        if (listed := self.grid.get(cell)) is None:
            self.grid[cell] = [None, known]
        else:
            listed[0] = None
            listed.append(known)

    def find(self, name: str, phone: str, website: str, latitude: float, longitude: float,
             ignore: int | None = None) -> tuple[Known, str] | None:
        """Return (listing, why) for a likely duplicate, or None."""
        return self.find_keys(self.keys(name, phone, website), latitude, longitude, ignore, phone)

    def find_keys(self, keys: tuple[str, str, str], latitude: float, longitude: float,
                  ignore: int | None = None, phone_text: str = "") -> tuple[Known, str] | None:
        """Return (listing, why) for a likely duplicate of a row's keys, or None.

        Same phone first, then same domain, then the most similar name within half a mile (ties: the nearest,
        then the lowest id).
        """
        phone, domain, wanted = keys
        if phone and (known := self.phones.get(int(phone))) and known.clinic_id != ignore:
            return known, f"same phone {phone_text or phone}"
        if domain and (known := self.domains.get(hash(domain))) and known.clinic_id != ignore:
            return known, f"same website domain {domain}"
        # The name keys of every cell the circle's box touches, scored in one C loop; only the names that pass
        # have their listing and distance looked at.
        cells = [listed for cell in half_mile_cells(latitude, longitude) if (listed := self.grid.get(cell)) is not None]
        if not cells:
            return None
        for listed in cells:
            if listed[0] is None:  # keys are words of [a-z0-9] and spaces: never a newline
                listed[0] = "\n".join([known.key for known in listed[1:]])
        names = "\n".join([listed[0] for listed in cells]).split("\n")
        alike = process.extract(wanted, names, scorer=fuzz.ratio, score_cutoff=NAME_THRESHOLD, limit=None)
        if not alike:
            return None
        near: list[Known] = []
        for listed in cells:
            near += listed[1:]
        best: tuple[float, float, int] | None = None
        found: Known | None = None
        for _, score, i in alike:
            known = near[i]
            if known.clinic_id == ignore:
                continue
            km = distance_km(latitude, longitude, known.latitude, known.longitude)
            rank = (score, -km, -known.clinic_id)
            if km <= HALF_MILE_KM and (best is None or rank > best):
                best, found = rank, known
        if found is None:
            return None
        return found, f"similar name ({best[0]:.0f}% alike) within half a mile"
