"""Where a search starts: every geocoding goes through this module.

The default is the offline gazetteer. With GEOCODER set to a geopy service name (e.g. `nominatim`), free
text goes to that service behind geopy's RateLimiter (one request per second for the whole process), its
answers are cached in the database, and any failure (timeout, service error, no answer) falls back to the
offline gazetteer, so a search always gets an answer when the gazetteer knows the place. ZIP codes and
coordinates never need the network: the gazetteer answers them exactly.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import get_geocoder_for_service
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from provider_dir.geo.models import GeocodeCacheEntry
from provider_dir.geo.places.offline import COORDINATES_RE, ZIP_RE, OfflineGeocoder
from provider_dir.models.base import utcnow

log = logging.getLogger(__name__)

OFFLINE = "offline"
CACHE_MAX_AGE_DAYS = 90
MIN_DELAY_SECONDS = 1.0  # Nominatim's usage policy: at most one request per second
# Service-specific arguments that keep answers in the United States.
US_ONLY = {"nominatim": {"country_codes": "us"}}


@dataclass(frozen=True)
class Origin:
    """A geocoded starting point: where, what to call it, and who answered (offline, cache, a service)."""

    latitude: float
    longitude: float
    label: str
    source: str


class Locator:
    """Geocode free text with an optional online service, a cache in the database and the offline fall-back."""

    def __init__(
        self,
        service: str = OFFLINE,
        online: Callable | None = None,
        offline: OfflineGeocoder | None = None,
        extra: Mapping | None = None,
    ):
        self.service = service
        self.online = online
        self.offline = offline or shared_offline_geocoder()
        self.extra = dict(extra or {})

    def locate(self, session: Session, text: str) -> Origin | None:
        """Return the origin for what a person typed, or None when no geocoder knows it."""
        text = " ".join((text or "").split())
        if not text:
            return None
        if self.online is None or ZIP_RE.match(text) or COORDINATES_RE.match(text):
            return self._offline(text, OFFLINE)
        key = cache_key(text)
        cached = session.scalar(
            select(GeocodeCacheEntry).where(GeocodeCacheEntry.service == self.service, GeocodeCacheEntry.query == key)
        )
        if cached is not None and cached.is_fresh(utcnow(), CACHE_MAX_AGE_DAYS):
            return Origin(cached.latitude, cached.longitude, cached.label, "cache")
        try:
            found = self.online(text, exactly_one=True, **self.extra)
        except GeopyError as exc:
            log.warning("geocoder %s failed for %r (%s); using the offline gazetteer", self.service, text, exc)
            return self._offline(text, "fallback")
        if found is None:
            log.info("geocoder %s has no answer for %r; trying the offline gazetteer", self.service, text)
            return self._offline(text, "fallback")
        origin = Origin(found.latitude, found.longitude, found.address[:300], self.service)
        _remember(session, self.service, key, origin)
        return origin

    def _offline(self, text: str, source: str) -> Origin | None:
        found = self.offline.geocode(text)
        return None if found is None else Origin(found.latitude, found.longitude, found.address, source)


def cache_key(text: str) -> str:
    """Return the form under which a query is cached: lower case, single spaces, no trailing punctuation."""
    return re.sub(r"\s+", " ", text.strip().lower()).strip(" ,.;")[:200]


def _remember(session: Session, service: str, key: str, origin: Origin) -> None:
    """Cache an online answer in a session of its own, so the caller's transaction is left alone.

    A failure to write costs only a future request to the service, so it is logged, not raised.
    """
    try:
        with Session(bind=session.get_bind()) as writer:
            existing = writer.scalar(
                select(GeocodeCacheEntry).where(GeocodeCacheEntry.service == service, GeocodeCacheEntry.query == key)
            )
            if existing is None:
                existing = GeocodeCacheEntry(service=service, query=key)
                writer.add(existing)
            existing.latitude, existing.longitude, existing.label = origin.latitude, origin.longitude, origin.label
            existing.created_at = utcnow()
            writer.commit()
    except SQLAlchemyError as exc:
        log.warning("could not cache the geocoder's answer for %r: %s", key, exc)


_offline_lock = threading.Lock()
_offline_geocoder: OfflineGeocoder | None = None
_online_lock = threading.Lock()
_online_geocoders: dict[tuple, Callable] = {}


def shared_offline_geocoder() -> OfflineGeocoder:
    """Return the process's offline geocoder (its gazetteer is built on first use)."""
    global _offline_geocoder
    with _offline_lock:
        if _offline_geocoder is None:
            _offline_geocoder = OfflineGeocoder()
        return _offline_geocoder


def online_geocoder(service: str, user_agent: str, timeout: float) -> Callable:
    """Return the process-wide rate-limited geocode function of a geopy service (one limiter per service)."""
    key = (service, user_agent, timeout)
    with _online_lock:
        if key not in _online_geocoders:
            geocoder = get_geocoder_for_service(service)(user_agent=user_agent, timeout=timeout)
            _online_geocoders[key] = RateLimiter(
                geocoder.geocode, min_delay_seconds=MIN_DELAY_SECONDS, max_retries=0, swallow_exceptions=False
            )
        return _online_geocoders[key]


def locator_from_config(config: Mapping) -> Locator:
    """Build the Locator that the configuration asks for (GEOCODER, GEOCODER_USER_AGENT, GEOCODER_TIMEOUT)."""
    service = str(config.get("GEOCODER") or OFFLINE).strip().lower()
    if service == OFFLINE:
        return Locator()
    online = online_geocoder(service, config["GEOCODER_USER_AGENT"], float(config["GEOCODER_TIMEOUT"]))
    return Locator(service, online, extra=US_ONLY.get(service))
