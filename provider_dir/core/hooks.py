"""Security headers on every response."""

import functools

from flask import Flask

from provider_dir.core.tiles import tile_origin

CSP = (
    "default-src 'self'; img-src {images}; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@functools.lru_cache(maxsize=8)
def content_security_policy(tile_url: str) -> str:
    """Return the CSP, whose images come from the site itself and the map's tile server (MAP_TILE_URL) alone."""
    images = "'self' data:" + (f" {tile_origin(tile_url)}" if tile_url else "")
    return CSP.format(images=images)


def register(app: Flask) -> None:
    """Attach the security headers to every response."""

    @app.after_request
    def security_headers(response):
        csp = content_security_policy(app.config.get("MAP_TILE_URL", ""))
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("ENV_NAME") == "production":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
