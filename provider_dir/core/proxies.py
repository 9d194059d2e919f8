"""Trusted proxies: where the client's address, scheme and host come from (TRUSTED_PROXIES)."""

from __future__ import annotations

from collections.abc import Mapping
from hashlib import sha512

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

MAX_PROXIES = 5


def trusted_proxies_from(env: Mapping[str, str]) -> int:
    """Return TRUSTED_PROXIES as a count (0 unless set), raising ValueError with a clear message otherwise."""
    raw = env.get("TRUSTED_PROXIES", "").strip() or "0"
    if not raw.isdigit() or int(raw) > MAX_PROXIES:
        raise ValueError(
            f"TRUSTED_PROXIES={raw!r} is not a number of proxies: write 0 (no proxy, the default), "
            f"1 (one proxy such as nginx in front of gunicorn) or up to {MAX_PROXIES}."
        )
    return int(raw)


def install_proxy_fix(app: Flask) -> None:
    """Take the client's address, scheme and host from the last TRUSTED_PROXIES hops of X-Forwarded-*.

    With 0 the headers are ignored: request.remote_addr stays the connecting socket's address, so a
    visitor cannot pick the address their rate limits and sessions are counted under.
    """
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def session_identifier() -> str:
    """Fingerprint a session by the client's address and browser, as flask-login's 'strong' protection does.

    flask-login's own version reads the first X-Forwarded-For entry whoever sent it; this one reads
    request.remote_addr, which is the socket's address or the one the trusted proxies vouched for.
    """
    agent = request.headers.get("User-Agent", "")
    return sha512(f"{request.remote_addr}|{agent}".encode()).hexdigest()
