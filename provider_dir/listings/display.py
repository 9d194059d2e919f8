"""How listing facts are shown to people: safe links, money, dates, state names. No Flask here."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from provider_dir.credentials.vocab import CredentialKind
from provider_dir.geo.places.states import STATE_NAMES

# DEA numbers let someone forge prescriptions, so the public sees only their last characters.
MASKED_KINDS = {CredentialKind.DEA: 4}


def state_name(code: str) -> str:
    """Return a state's full name, or the code itself when it is not a US state or territory."""
    return STATE_NAMES.get((code or "").upper(), code)


def safe_web_url(url: str | None) -> str | None:
    """Return the URL when it is an absolute http(s) address with a host, else None (never javascript:)."""
    if not url:
        return None
    url = url.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def web_label(url: str) -> str:
    """Return a URL without its scheme and trailing slash, as people read it."""
    parts = urlsplit(url)
    label = parts.netloc + (parts.path if parts.path not in ("", "/") else "")
    return label.removeprefix("www.")


def tel_href(phone: str | None) -> str | None:
    """Return a tel: link for a US phone number, or None when it has too few digits."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 10:
        return f"tel:+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"tel:+{digits}"
    return None


def usd(amount: int | float | None) -> str:
    """Return whole dollars with thousands separators, e.g. $2,400."""
    if amount is None:
        return ""
    return f"${amount:,.0f}"


def month_year(value: date | datetime | None) -> str:
    """Return e.g. 'March 2026'."""
    return value.strftime("%B %Y") if value else ""


# English month names, as the site is written: strftime's %B follows the process's locale, and cost a clinic
# page some 60 calls' worth of formatting.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def long_date(value: date | datetime | None) -> str:
    """Return e.g. 'March 7, 2026'."""
    return f"{MONTH_NAMES[value.month - 1]} {value.day}, {value.year}" if value else ""


def public_identifier(kind: CredentialKind, identifier: str) -> str:
    """Return the identifier as the public may see it (DEA numbers masked but their last 4 characters)."""
    shown = MASKED_KINDS.get(kind)
    if shown is None or not identifier:
        return identifier
    return "•" * max(len(identifier) - shown, 0) + identifier[-shown:]
