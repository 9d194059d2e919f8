"""Find clinics near what a person typed: geocode the place, then search around it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from provider_dir.geo.places.geocoding import Locator, Origin
from provider_dir.geo.search import SearchHit, SearchQuery, SearchResults, nearest_match, search_clinics

PLACE_HELP = "Try a 5-digit ZIP code such as 10001, or a city and state such as “Denver, CO”."


class PlaceNotFound(LookupError):
    """Raised when no geocoder knows the place a person typed."""

    def __init__(self, text: str):
        super().__init__(f"We could not find “{text}”. {PLACE_HELP}")
        self.text = text


@dataclass(frozen=True)
class SearchOutcome:
    """Where the search started and what it found."""

    origin: Origin
    results: SearchResults
    nearest: SearchHit | None = None  # when nothing is within the radius: the nearest clinic that matches
    # When nothing open is within the radius: how many temporarily closed clinics there match (up to the count cap).
    closed_within: int = 0


def search_near(session: Session, locator: Locator, place: str, **criteria) -> SearchOutcome:
    """Geocode the place and return the page of clinics around it that meet the criteria (SearchQuery fields)."""
    origin = locator.locate(session, place)
    if origin is None:
        raise PlaceNotFound(place)
    query = SearchQuery(latitude=origin.latitude, longitude=origin.longitude, **criteria)
    results = search_clinics(session, query)
    if results.total:
        return SearchOutcome(origin, results)
    # Only an empty search pays for these: the nearest match, and whether closed clinics were left out.
    closed_within = 0
    if not query.include_closed:
        closed_within = search_clinics(session, replace(query, include_closed=True, page=1, per_page=1)).total
    return SearchOutcome(origin, results, nearest_match(session, query), closed_within)
