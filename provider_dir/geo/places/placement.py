"""Coordinates on save: a clinic's position is computed when its address is saved, never at search time."""

from __future__ import annotations

import logging

from sqlalchemy import event, inspect

from provider_dir.geo.distance import search_point
from provider_dir.geo.places.gazetteer import Gazetteer, gazetteer, normalise
from provider_dir.listings.models import Clinic

log = logging.getLogger(__name__)

# The gazetteer places a ZIP code or a town, not a street: a new street in the same ZIP keeps the position.
ADDRESS_FIELDS = ("city", "state", "zip_code")
COORDINATE_FIELDS = ("latitude", "longitude")


class AddressNotLocated(ValueError):
    """Raised when neither a clinic's ZIP code nor its city and state can be found."""


def locate_address(city: str, state: str, zip_code: str, source: Gazetteer | None = None) -> tuple[float, float] | None:
    """Return (latitude, longitude) for an address: its ZIP centroid first, else its city; None if neither."""
    source = source or gazetteer()
    centroid = source.zip_centroid((zip_code or "").strip()[:5])
    if centroid is not None:
        return centroid.latitude, centroid.longitude
    places = source.places(normalise(city or ""), (state or "").strip().upper() or None)
    if places:
        return places[0].latitude, places[0].longitude
    return None


def fill_search_point(clinic: Clinic) -> None:
    """Set the clinic's derived search columns from its latitude and longitude."""
    for column, value in search_point(clinic.latitude, clinic.longitude).items():
        setattr(clinic, column, value)


def _changed(clinic: Clinic, fields: tuple[str, ...]) -> bool:
    state = inspect(clinic)
    return any(state.attrs[name].history.has_changes() for name in fields)


def place_clinic(clinic: Clinic, *, inserting: bool) -> None:
    """Geocode the address when coordinates are missing, or when the address moved and they were not given."""
    missing = clinic.latitude is None or clinic.longitude is None
    moved = not inserting and _changed(clinic, ADDRESS_FIELDS) and not _changed(clinic, COORDINATE_FIELDS)
    if missing or moved:
        found = locate_address(clinic.city, clinic.state, clinic.zip_code)
        if found is None:
            raise AddressNotLocated(
                f"Cannot place {clinic.name!r}: neither ZIP code {clinic.zip_code!r} nor "
                f"{clinic.city}, {clinic.state} is in the gazetteer."
            )
        clinic.latitude, clinic.longitude = found
        log.info("placed clinic %s at %.5f,%.5f from its address", clinic.slug, *found)
    if inserting or missing or moved or _changed(clinic, COORDINATE_FIELDS):
        fill_search_point(clinic)


@event.listens_for(Clinic, "before_insert")
def _before_insert(mapper, connection, clinic: Clinic) -> None:
    place_clinic(clinic, inserting=True)


@event.listens_for(Clinic, "before_update")
def _before_update(mapper, connection, clinic: Clinic) -> None:
    place_clinic(clinic, inserting=False)
