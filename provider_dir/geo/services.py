"""Find clinics near what a person typed: geocode the place, then search around it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from provider_dir.geo.filters.counts import FilterCounts, filter_counts
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
    counts: FilterCounts | None = None  # beside each filter, when asked for


def search_near(session: Session, locator: Locator, place: str, with_counts: bool = False,
                **criteria) -> SearchOutcome:
    """Geocode the place and return the page of clinics around it that meet the criteria (SearchQuery fields).

    with_counts adds the counts beside the filters; the search's own total then comes from the same statement
    when it can (no language or way to pay chosen), which saves counting the circle twice.
    """
    origin = locator.locate(session, place)
    if origin is None:
        raise PlaceNotFound(place)
    query = SearchQuery(latitude=origin.latitude, longitude=origin.longitude, **criteria)
    counts = filter_counts(session, query) if with_counts else None
    results = search_clinics(session, query, counts.total_for(query) if counts else None,
                             counts.page_for(query) if counts else None)
    if results.total:
        return SearchOutcome(origin, results, counts=counts)
    # Only an empty search pays for these: the nearest match, and whether closed clinics were left out.
    closed_within = 0
    if not query.include_closed:
        closed_within = search_clinics(session, replace(query, include_closed=True, page=1, per_page=1)).total
    return SearchOutcome(origin, results, nearest_match(session, query), closed_within, counts)
