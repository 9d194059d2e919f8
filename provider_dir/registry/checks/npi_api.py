"""The NPI Registry API (version 2.1), asked one NPI at a time, with a timeout, a cache and a rate limit."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime

from provider_dir.registry.checks.rules import Registration

DEFAULT_URL = "https://npiregistry.cms.hhs.gov/api/"


class ApiUnavailable(Exception):
    """The API did not answer usably (timeout, refused connection, error status, not JSON)."""


def _api_date(value: str | None) -> date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def registration_from_api(result: dict) -> Registration:
    """Turn one `results[]` entry of the API's answer into a Registration."""
    basic = result.get("basic") or {}
    organisation = result.get("enumeration_type") == "NPI-2"
    location = next((a for a in result.get("addresses") or [] if a.get("address_purpose") == "LOCATION"), {})
    return Registration(
        npi=str(result.get("number", "")),
        entity_type=2 if organisation else 1,
        replacement_npi=str(basic.get("replacement_npi") or ""),
        last_name=basic.get("last_name", "") or "",
        first_name=basic.get("first_name", "") or "",
        middle_name=basic.get("middle_name", "") or "",
        name_suffix=basic.get("name_suffix", "") or "",
        credential_text=basic.get("credential", "") or "",
        organization_name=basic.get("organization_name", "") or "",
        city=location.get("city", "") or "",
        state=location.get("state", "") or "",
        deactivated_on=_api_date(basic.get("deactivation_date")),
        reactivated_on=_api_date(basic.get("reactivation_date")),
        last_update=_api_date(basic.get("last_updated")),
        taxonomies=tuple(
            (t.get("code", "") or "", t.get("license", "") or "", t.get("state", "") or "",
             "Y" if t.get("primary") else "N")
            for t in result.get("taxonomies") or []
        ),
    )


class NpiRegistryApi:
    """A client of the API: answers are cached for cache_seconds, calls are at least min_interval apart."""

    def __init__(self, url: str = DEFAULT_URL, timeout: float = 5.0, min_interval: float = 0.2,
                 cache_seconds: float = 86_400.0) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("NPI_REGISTRY_URL must be an http(s) URL")
        self.url, self.timeout, self.min_interval, self.cache_seconds = url, timeout, min_interval, cache_seconds
        self._cache: dict[str, tuple[float, Registration | None]] = {}
        self._lock = threading.Lock()
        self._last_call = 0.0
        self.calls = 0

    def _wait_turn(self) -> None:
        with self._lock:
            wait = self._last_call + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_call = time.monotonic()

    def lookup(self, npi: str) -> Registration | None:
        """Return the registration of an NPI, or None when the registry has no such NPI; raise ApiUnavailable."""
        cached = self._cache.get(npi)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        self._wait_turn()
        query = urllib.parse.urlencode({"version": "2.1", "number": npi})
        self.calls += 1
        try:
            with urllib.request.urlopen(f"{self.url}?{query}", timeout=self.timeout) as answer:  # noqa: S310  # nosec B310 # scheme checked in __init__
                body = json.loads(answer.read(2_000_000))
        except (OSError, ValueError) as exc:  # URLError, timeouts and bad JSON alike
            raise ApiUnavailable(f"The NPI Registry API did not answer usably: {exc}") from None
        if not isinstance(body, dict) or "Errors" in body:
            raise ApiUnavailable(f"The NPI Registry API refused the question: {str(body)[:200]}")
        results = [r for r in body.get("results") or [] if str(r.get("number")) == npi]
        record = registration_from_api(results[0]) if results else None
        self._cache[npi] = (time.monotonic() + self.cache_seconds, record)
        return record


_clients: dict[tuple, NpiRegistryApi] = {}


def client_for(url: str, timeout: float, min_interval: float) -> NpiRegistryApi:
    """Return the one client per configuration, so its cache and rate limit hold across calls."""
    key = (url, timeout, min_interval)
    if key not in _clients:
        _clients[key] = NpiRegistryApi(url, timeout, min_interval)
    return _clients[key]
