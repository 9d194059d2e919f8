"""Absolute links for emails: built on SITE_URL, never on the Host header a client sent."""

from __future__ import annotations

from flask import current_app, has_request_context, request, url_for

from provider_dir.mail.transport import MailError

DEVELOPMENT_SITE_URL = "http://127.0.0.1:5000"


def site_url() -> str:
    """Return the site's base URL for links in mail.

    SITE_URL when set. Without it, development and tests use the address the request came to (or the
    development server's); production refuses, since a forged Host header would put an attacker's site into a
    password-reset link.
    """
    configured = (current_app.config.get("SITE_URL") or "").rstrip("/")
    if configured:
        return configured
    if current_app.config.get("ENV_NAME") == "production":
        raise MailError("Set SITE_URL (for example https://clinics.example.org) so that emails can carry links.")
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEVELOPMENT_SITE_URL


def site_path(endpoint: str, **values) -> str:
    """Return the path of an endpoint, with or without a request (the CLI has none)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT")).build(
        endpoint, values
    )


def absolute_url(endpoint: str, **values) -> str:
    """Return the absolute URL of an endpoint for an email."""
    return site_url() + site_path(endpoint, **values)
