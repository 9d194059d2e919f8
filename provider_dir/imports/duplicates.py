"""Likely duplicates: same phone, same website domain, or a close name within half a mile.

The index is built once per import from every listing (id, slug, name, phone, website, position) and grows as
the import creates listings, so a file's second copy of a clinic is caught too. Look-ups are dictionary probes
plus a fuzzy comparison against the few listings in the neighbouring grid cells.

Names: the words every clinic shares ("ketamine", "clinic", "wellness", "LLC"...) are dropped before comparing,
because "Nova Ketamine Clinic" and "Mesa Ketamine Clinic" differ only in the word that names them. What is left is
compared with rapidfuzz's token_sort_ratio; NAME_THRESHOLD = 85 was chosen on tests/imports/test_duplicates.py:
typos and reordering ("Serenity" / "Serentiy" 88, "Restore" / "Restored" 93, "Calm Mind" / "Mind Calm" 100) pass,
different clinics ("Ascend" / "Ascent" 83, "Mindful" / "Mindset" 57, "Nova" / "Mesa" 25) do not. A name made only of
shared words ("Ketamine Clinic") is compared whole, at the same threshold.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import NamedTuple
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from provider_dir.imports.formats.rows import phone_key

NAME_THRESHOLD = 85
HALF_MILE_KM = 0.804672
# 0.02 degrees is 2.2 km of latitude and, even at 65 degrees north, 0.94 km of longitude: more than half a mile,
# so a half-mile circle always lies within a cell and its 8 neighbours.
CELL_DEGREES = 0.02
EARTH_KM = 6371.0088
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
    """A listing as the index holds it (a tuple: 100,000 of them must stay small)."""

    clinic_id: int
    slug: str
    key: str
    latitude: float
    longitude: float


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return int(math.floor(latitude / CELL_DEGREES)), int(math.floor(longitude / CELL_DEGREES))


def _cell_key(ci: int, cj: int) -> int:
    """One int per grid cell (a tuple key would cost 64 bytes more per cell)."""
    return ci * 100_000 + cj


class DuplicateIndex:
    """Phones, domains and a lat/lon grid of names, for every listing seen so far."""

    def __init__(self) -> None:
        # Keyed by ints (the phone's digits, the domain's hash): 100,000 strings would cost 13 MB more.
        self.phones: dict[int, Known] = {}
        self.domains: dict[int, Known] = {}
        self.grid: dict[int, list[Known]] = defaultdict(list)

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
        self.grid[_cell_key(*_cell(latitude, longitude))].append(known)

    def find(self, name: str, phone: str, website: str, latitude: float, longitude: float,
             ignore: int | None = None) -> tuple[Known, str] | None:
        """Return (listing, why) for the first likely duplicate, or None."""
        return self.find_keys(self.keys(name, phone, website), latitude, longitude, ignore, phone)

    def find_keys(self, keys: tuple[str, str, str], latitude: float, longitude: float,
                  ignore: int | None = None, phone_text: str = "") -> tuple[Known, str] | None:
        """Return (listing, why) for the first likely duplicate of a row's keys, or None."""
        phone, domain, wanted = keys
        if phone and (known := self.phones.get(int(phone))) and known.clinic_id != ignore:
            return known, f"same phone {phone_text or phone}"
        if domain and (known := self.domains.get(hash(domain))) and known.clinic_id != ignore:
            return known, f"same website domain {domain}"
        ci, cj = _cell(latitude, longitude)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for known in self.grid.get(_cell_key(ci + di, cj + dj), ()):
                    if known.clinic_id == ignore:
                        continue
                    score = fuzz.token_sort_ratio(wanted, known.key, score_cutoff=NAME_THRESHOLD)
                    if score and distance_km(latitude, longitude, known.latitude, known.longitude) <= HALF_MILE_KM:
                        return known, f"similar name ({score:.0f}% alike) within half a mile"
        return None
