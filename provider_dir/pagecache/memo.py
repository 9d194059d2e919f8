"""Site-wide figures kept per process while the content version stays the same (read once per request anyway).

A page nobody asked before still needs figures that are the same for every page (the rating prior, the token
of the ratings' distribution): each is read once per content version and process instead of once per page.
The content version is raised by every write to a public table (versioning.py), in the same transaction, so a
kept figure always belongs to the committed data of its version. Like the kept pages, the figures live in the
app's page store: off with PAGE_CACHE_ENABLED, forgotten with the pages, and never kept longer than
PAGE_CACHE_SECONDS (writes by other programs straight to the database are not seen).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy.orm import Session

from provider_dir.pagecache.versioning import PENDING, read_version

T = TypeVar("T")
_VERSION_KEY = "provider_dir.content_version"  # in the WSGI environ: one request, never shared


def remember_version(version: int | None) -> None:
    """Note the content version this request has read, so the figures below need not read it again."""
    if has_request_context():
        request.environ.setdefault(_VERSION_KEY, version)


def current_version(session: Session) -> int | None:
    """Return the content version this request sees (read once per request; outside a request, every time)."""
    if has_request_context() and _VERSION_KEY in request.environ:
        return request.environ[_VERSION_KEY]
    version = read_version(session.connection())
    remember_version(version)
    return version


def per_request(name: str, key: object, compute: Callable[[], T]) -> T:
    """Return compute()'s value, computed once per request for this name and key (every time outside a request).

    Kept in the WSGI environ, not in flask.g: g belongs to the app context, which a test (or a script) may hold
    open across several requests.
    """
    if not has_request_context():
        return compute()
    kept = request.environ.setdefault(f"provider_dir.{name}", {})
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def per_version(session: Session, name: str, compute: Callable[[], T]) -> T:
    """Return compute()'s value, computed at most once per content version in this process."""
    from provider_dir.pagecache.hooks import page_store  # hooks imports this module

    store = page_store(current_app) if has_app_context() else None
    if store is None or session.connection().info.get(PENDING):
        # No kept pages, or this transaction changed public rows: read them as it sees them.
        return compute()
    version = current_version(session)
    if version is None:  # a database without the version row: nothing can be kept safely
        return compute()
    now = time.monotonic()
    kept = store.figures.get(name)
    if kept is not None and kept[0] == version and now - kept[1] <= store.max_age:
        return kept[2]  # type: ignore[return-value]
    value = compute()
    store.figures[name] = (version, now, value)
    return value
