"""Error pages that carry this feature's own messages (the site-wide handler shows generic ones for 403/404/429)."""

from __future__ import annotations

from flask import Blueprint
from flask_limiter import RateLimitExceeded
from werkzeug.exceptions import Forbidden, NotFound

from provider_dir.core.errors import error_response


def explain_errors(bp: Blueprint) -> None:
    """Show the specific message given to abort(403/404) and to a rate limit, on this blueprint's pages."""

    @bp.errorhandler(Forbidden)
    def forbidden(exc: Forbidden):
        custom = exc.description if exc.description != Forbidden.description else None
        return error_response(403, custom)

    @bp.errorhandler(NotFound)
    def not_found(exc: NotFound):
        custom = exc.description if exc.description != NotFound.description else None
        return error_response(404, custom)

    @bp.errorhandler(RateLimitExceeded)
    def too_many(exc: RateLimitExceeded):
        return error_response(429, exc.description)
