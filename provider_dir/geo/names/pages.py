"""A search with a name typed: the page's and the API's handling (the place, if any, is geocoded as usual)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from provider_dir.geo.names.search import NameResults, search_names
from provider_dir.geo.places.geocoding import Locator, Origin
from provider_dir.geo.search import SearchQuery
from provider_dir.geo.services import PlaceNotFound

# The origin of a nationwide name search: the geographic centre of the contiguous US (distances are not shown).
US_CENTRE = (39.83, -98.58)


@dataclass(frozen=True)
class NameOutcome:
    """Where a name search looked (origin None: the whole country) and what it found."""

    origin: Origin | None
    results: NameResults


def name_search(session: Session, locator: Locator, place: str | None, typed: str, **criteria) -> NameOutcome:
    """Find clinics by name, within the radius of the place if one is given, else anywhere (PlaceNotFound if
    the place is unknown)."""
    origin = None
    if place:
        origin = locator.locate(session, place)
        if origin is None:
            raise PlaceNotFound(place)
    latitude, longitude = (origin.latitude, origin.longitude) if origin else US_CENTRE
    query = SearchQuery(latitude=latitude, longitude=longitude, **criteria)
    return NameOutcome(origin, search_names(session, typed, query, nationwide=origin is None))
