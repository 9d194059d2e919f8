"""Serve marked public pages to visitors who are not signed in from the page store, while the data is unchanged.

A page is kept under its full URL, the content version and the date (a credential expires on its own date,
and pages say so). It is stored only from a request that arrived with an empty session and left it empty,
so a kept page can hold nothing of one visitor (no CSRF token, no flash, no name), and it is served only
to a visitor who is not signed in and has no message waiting. The check runs inside the view, under its
rate limit, so a kept page still counts against the limit.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Hashable
from datetime import date

from flask import Flask, current_app, g, request, session

from provider_dir.extensions import db
from provider_dir.observability.metrics import record_kept_page
from provider_dir.pagecache.memo import remember_version
from provider_dir.pagecache.store import PageStore, StoredPage
from provider_dir.pagecache.versioning import read_version

STORE_KEY = "page_cache"
CACHE_HEADER = "X-Page-Cache"
FRESH_FOR = "page_fresh_for"


def init_page_cache(app: Flask) -> None:
    """Give the app a page store, unless PAGE_CACHE_ENABLED is off."""
    # config.from_environment always sets all three (pagecache.settings holds their defaults).
    if app.config["PAGE_CACHE_ENABLED"]:
        app.extensions[STORE_KEY] = PageStore(
            max_bytes=int(float(app.config["PAGE_CACHE_MB"]) * 2**20),
            max_age=float(app.config["PAGE_CACHE_SECONDS"]),
        )


def page_store(app: Flask) -> PageStore | None:
    """Return the app's page store, or None when PAGE_CACHE_ENABLED is off."""
    return app.extensions.get(STORE_KEY)


def kept_for_visitors(view):
    """Wrap a view whose page depends only on its URL and the data, so visitors not signed in share it.

    Put it below any rate-limit decorator, so that the limit is counted first.
    """

    @functools.wraps(view)
    def serve(*args, **kwargs):
        store = page_store(current_app)
        key = _shared_key() if store is not None else None
        if key is None:
            return view(*args, **kwargs)
        page = store.get(key, time.monotonic())
        record_kept_page(hit=page is not None)
        if page is not None:
            response = current_app.response_class(page.body, status=page.status, content_type=page.content_type)
            response.headers[CACHE_HEADER] = "hit"
            return response
        response = current_app.make_response(view(*args, **kwargs))
        expires_at = _expires_at(g.pop(FRESH_FOR, None))
        if response.status_code == 200 and not response.direct_passthrough and not session and expires_at != 0:
            store.put(key, StoredPage(response.get_data(), 200, response.content_type, time.monotonic(), expires_at))
            response.headers[CACHE_HEADER] = "miss"
        return response

    return serve


def keep_for(seconds: float) -> None:
    """Say that the page being rendered is right only for `seconds` more, e.g. until a clinic opens or closes."""
    earlier = g.get(FRESH_FOR)
    setattr(g, FRESH_FOR, seconds if earlier is None else min(earlier, seconds))


def _expires_at(seconds: float | None) -> float | None:
    """Return the monotonic time a page stops being right, 0 when it already has, None when it does not age."""
    if seconds is None:
        return None
    return time.monotonic() + seconds if seconds > 0 else 0


def _shared_key() -> Hashable | None:
    """Return the key of this request's shared page, or None when its visitor may not share one."""
    # Only an empty session both may read and may write: a visitor with anything in it (signed in, a
    # message waiting, a CSRF token a page would print) gets a page of their own.
    if request.method != "GET" or session:
        return None
    version = read_version(db.session.connection())
    remember_version(version)
    if version is None:
        return None
    wsgi = request.environ
    # The URL as it arrived, in its parts: request.url would quote its path and query again on every request.
    url = request.scheme, request.host, request.root_path, wsgi.get("PATH_INFO", ""), wsgi.get("QUERY_STRING", "")
    return url, version, date.today().toordinal()
