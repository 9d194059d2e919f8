"""Place an imported address with the configured geocoder; an address nothing can place is refused.

With the offline geocoder (the default) a row is placed by its ZIP code's centroid, else its city and state, the
way an owner's listing is; the ZIP code must lie in the row's state. With an online geocoder the whole address goes
to the service (through provider_dir.geo.places.geocoding, cached and rate-limited) and falls back to the same offline
placement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from provider_dir.geo.places.gazetteer import gazetteer, normalise
from provider_dir.geo.places.geocoding import OFFLINE, locator_from_config

Placer = Callable[[str, str, str, str], "tuple[float, float] | str"]


def offline_place(street: str, city: str, state: str, zip_code: str) -> tuple[float, float] | str:
    """Return (latitude, longitude) from the shipped gazetteer, or the reason the address cannot be placed."""
    source = gazetteer()
    centroid = source.zip_centroid(zip_code[:5])
    if centroid is not None:
        if centroid.state != state:
            return f"zip: ZIP code {zip_code[:5]} is in {centroid.state}, not {state}."
        return centroid.latitude, centroid.longitude
    places = source.places(normalise(city), state)
    if places:
        return places[0].latitude, places[0].longitude
    return (f"address: cannot be placed on the map (neither ZIP code {zip_code} nor {city}, {state} "
            "is known to the geocoder).")


def placer_from_config(config: Mapping, session: Session) -> Placer:
    """Return the placing function the configuration asks for (GEOCODER)."""
    if str(config.get("GEOCODER") or OFFLINE).strip().lower() == OFFLINE:
        return offline_place
    locator = locator_from_config(config)

    def online_place(street: str, city: str, state: str, zip_code: str) -> tuple[float, float] | str:
        found = locator.locate(session, f"{street}, {city}, {state} {zip_code}")
        if found is not None and found.source not in ("fallback", OFFLINE):
            return found.latitude, found.longitude
        return offline_place(street, city, state, zip_code)

    return online_place
