"""What the clinic page and the API say about an imported listing: where it came from, and other sites' ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Row, bindparam, exists, select
from sqlalchemy.orm import Session

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole
from provider_dir.imports.models import ListingSource, OutsideRating
from provider_dir.listings.display import safe_web_url
from provider_dir.models.prefetch import Read
from provider_dir.models.reads import driver_rows

# An outside rating older than this is no longer shown: a year-old star average says little about a clinic now.
RATING_SHOWN_DAYS = 365


@dataclass(frozen=True)
class Provenance:
    """Where a listing's facts came from, and whether the clinic has since taken it over."""

    source: str
    source_url: str | None
    source_id: str
    imported_on: date
    refreshed_on: date
    claimed: bool


def is_claimed(session: Session, clinic_id: int) -> bool:
    """Return True when a clinic owner manages the listing."""
    return bool(session.scalar(select(exists().where(
        ClinicMembership.clinic_id == clinic_id, ClinicMembership.role == MembershipRole.OWNER))))


# Built once (values as parameters): every clinic page asks both.
@cache
def _latest_source():
    L = ListingSource  # noqa: N806
    return (select(L.source, L.source_url, L.source_id, L.imported_on, L.refreshed_on)
            .where(L.clinic_id == bindparam("clinic_id")).order_by(L.refreshed_on.desc(), L.id.desc()).limit(1))


@cache
def _shown_ratings():  # the columns a page and the API show, as rows
    return select(OutsideRating.site, OutsideRating.stars, OutsideRating.rating_count, OutsideRating.url,
                  OutsideRating.rated_on).where(
        OutsideRating.clinic_id == bindparam("clinic_id"), OutsideRating.rated_on >= bindparam("oldest")
    ).order_by(OutsideRating.site)


def provenance_of(session: Session, clinic_id: int) -> Provenance | None:
    """Return the listing's most recently imported source, or None when it was never imported."""
    rows = driver_rows(session, *latest_source_read(clinic_id))
    if not rows:
        return None
    found = rows[0]
    return Provenance(found.source, safe_web_url(found.source_url), found.source_id, found.imported_on,
                      found.refreshed_on, is_claimed(session, clinic_id))


def shown_outside_ratings(session: Session, clinic_id: int, today: date) -> list[Row]:
    """Return the outside ratings a page shows (site, stars, rating_count, url, rated_on): one per site, none older
    than a year, by site name."""
    return driver_rows(session, *shown_ratings_read(clinic_id, today))


def latest_source_read(clinic_id: int) -> Read:
    """Return provenance_of's read of the latest source (for models.prefetch)."""
    return Read(_latest_source(), {"clinic_id": clinic_id})


def shown_ratings_read(clinic_id: int, today: date) -> Read:
    """Return shown_outside_ratings' read (for models.prefetch)."""
    return Read(_shown_ratings(), {"clinic_id": clinic_id, "oldest": today - timedelta(days=RATING_SHOWN_DAYS)})


def provenance_json(found: Provenance | None) -> dict | None:
    """Return the API's provenance object."""
    if found is None:
        return None
    return {
        "source": found.source,
        "source_url": found.source_url,
        "source_id": found.source_id,
        "imported_on": found.imported_on.isoformat(),
        "last_imported_on": found.refreshed_on.isoformat(),
        "confirmed_by_clinic": found.claimed,
        "statement": None if found.claimed else
        f"Compiled from public sources on {found.refreshed_on.isoformat()}, not yet confirmed by the clinic.",
    }


def outside_ratings_json(ratings: list[Row]) -> list[dict]:
    """Return the API's outside ratings (never part of our own rating)."""
    return [{"site": r.site, "stars": r.stars, "count": r.rating_count, "url": safe_web_url(r.url),
             "rated_on": r.rated_on.isoformat()} for r in ratings]
