"""Checks views call before letting an account act for a clinic."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

UNCONFIRMED_MESSAGE = (
    "Please confirm your email address first: open the link we emailed you, or press "
    "\u201cSend the link again\u201d at the top of the page."
)


def require_confirmed_email() -> None:
    """Abort with 403 and a clear message unless the logged-in account has confirmed its address.

    Call it at the top of a view (after the login check) that claims a clinic or creates a listing.
    """
    if not current_user.is_authenticated or not current_user.email_confirmed:
        abort(403, description=UNCONFIRMED_MESSAGE)
