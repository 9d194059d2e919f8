"""Rate limits on posting reviews and reporting them, keyed by account (or by address when anonymous)."""

from __future__ import annotations

from flask import Response
from flask_limiter.util import get_remote_address
from flask_login import current_user

from provider_dir.core.rate_limits import configured

# Posting: a patient has few clinics to review; a burst of submissions is a script or a review farm.
POSTING_LIMIT = configured("RATELIMIT_REVIEWS")  # default 5 per hour;20 per day
POSTING_MESSAGE = (
    "You have sent several reviews in a short time, so we paused posting from your account. "
    "Please try again in an hour; nothing you saved before was lost."
)
# Reporting: generous enough for a person, tight enough that nobody floods the queue.
REPORTING_LIMIT = configured("RATELIMIT_REPORTS")  # default 10 per hour;30 per day
REPORTING_MESSAGE = (
    "You have sent many reports in a short time, so we paused reporting from here. "
    "Please try again in an hour. Reports already sent are with the moderators."
)


def account_or_address() -> str:
    """Key a limit by the logged-in account, or by the client's address for anonymous visitors."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return f"address:{get_remote_address()}"


def succeeded(response: Response) -> bool:
    """Count only submissions that were accepted (answered with a redirect), not forms sent back with errors."""
    return response.status_code in (302, 303)
