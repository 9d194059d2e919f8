"""Rate limits read from the environment (RATELIMIT_ENABLED, RATELIMIT_LOGIN, ...) and applied per request."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import current_app
from limits import parse_many

from provider_dir.core.switches import parse_switch

# Each endpoint's limit: its variable and its default, in the syntax of the `limits` library
# ("10/minute;50/hour" and "10 per minute; 50 per hour" mean the same).
DEFAULT_LIMITS = {
    "RATELIMIT_LOGIN": "10 per minute;50 per hour",  # log-in attempts per address
    "RATELIMIT_REGISTER": "10 per hour",  # sign-ups per address
    "RATELIMIT_SEARCH": "60 per minute",  # the search page and /api/v1/search per address
    "RATELIMIT_SUGGEST": "240 per minute",  # /api/v1/suggest per address (a request per pause in typing)
    "RATELIMIT_REVIEWS": "5 per hour;20 per day",  # accepted reviews per account
    "RATELIMIT_REPORTS": "10 per hour;30 per day",  # accepted reports per account or address
    "RATELIMIT_REGISTER_EMAIL": "10 per hour",  # sign-ups per email typed (one inbox cannot be flooded)
    "RATELIMIT_RESET_CLIENT": "20 per hour",  # password-reset requests per address
    "RATELIMIT_RESET_EMAIL": "5 per hour",  # password-reset requests per email typed
    "RATELIMIT_CONFIRM_RESEND": "3 per hour",  # "send the confirmation link again" per account
    "RATELIMIT_CLAIMS": "10 per hour",  # claims and new listings per address
    "RATELIMIT_CLAIM_CODES": "20 per hour",  # claim codes entered per address
    "RATELIMIT_CLAIM_CODE_RESEND": "10 per hour",  # new claim codes sent per address
    "RATELIMIT_CURRENT_PASSWORD": "10 per minute;50 per hour",  # password and address changes tried per account
    "RATELIMIT_EMAIL_CHANGE": "5 per hour",  # links to a new address sent per account
    "RATELIMIT_CORRECTIONS": "10 per hour;30 per day",  # suggested corrections per account or address
    "RATELIMIT_SECOND_FACTOR": "5 per minute;20 per hour;50 per day",  # wrong second-factor codes per account
}


class RateLimitConfigError(ValueError):
    """A rate-limit variable holds something that is not a limit."""


def enabled_from(env: Mapping[str, str]) -> bool:
    """Return RATELIMIT_ENABLED as a boolean (on unless switched off)."""
    try:
        return parse_switch("RATELIMIT_ENABLED", env.get("RATELIMIT_ENABLED", "true"))
    except ValueError as exc:
        raise RateLimitConfigError(str(exc)) from None


def limits_from(env: Mapping[str, str]) -> dict[str, str]:
    """Return every endpoint's limit, from the environment or the default, refusing any that does not parse."""
    chosen = {}
    for name, default in DEFAULT_LIMITS.items():
        value = env.get(name, "").strip() or default
        try:
            parse_many(value)
        except ValueError:
            raise RateLimitConfigError(
                f"{name}={value!r} is not a rate limit. Write it like '10/minute;50/hour'."
            ) from None
        chosen[name] = value
    return chosen


def configured(name: str) -> Callable[[], str]:
    """Return a limit provider for flask-limiter that reads the named limit from the running app's config."""
    if name not in DEFAULT_LIMITS:
        raise KeyError(name)

    def provider() -> str:
        return current_app.config.get(name) or DEFAULT_LIMITS[name]

    provider.__name__ = f"limit_{name.lower()}"
    return provider
