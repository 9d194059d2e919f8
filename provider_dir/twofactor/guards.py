"""The check that keeps moderators and admins without a second factor out of the queues and admin pages."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from provider_dir.twofactor import services

SETUP_NEEDED = (
    "Moderator and admin accounts must use two-factor sign-in. Set it up here; then the queues and admin pages open."
)


def require_second_factor():
    """Send a logged-in moderator or admin without a confirmed second factor to its setup page (a before_request)."""
    if current_user.is_authenticated and services.required_for(current_user) and not services.is_on(current_user):
        flash(SETUP_NEEDED, "info")
        return redirect(url_for("two_factor.manage", next=request.path if request.method == "GET" else None))
    return None
