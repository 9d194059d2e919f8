"""The clinic page's review filters (condition, verified patients only, stars) from GET arguments.

Parsing is a plain function with no Flask: it takes the query arguments as a mapping and returns the filters with a
message for each argument it could not use, so the page can say what was wrong and keep what was chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Select

from provider_dir.listings.vocab import Condition
from provider_dir.reviews.models import Review

STAR_CHOICES = (5, 4, 3, 2, 1)
_YES = {"1", "yes", "on", "true"}
_NO = {"", "0", "no", "off", "false"}


@dataclass(frozen=True)
class ReviewFilters:
    """Which of a clinic's published reviews to show."""

    condition: Condition | None = None
    verified_only: bool = False
    stars: int | None = None
    errors: dict[str, str] = field(default_factory=dict)
    # What was asked for, as typed, so the form can show it back.
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        """True when any filter narrows the list."""
        return self.condition is not None or self.verified_only or self.stars is not None


def parse_filters(args: Mapping[str, str]) -> ReviewFilters:
    """Read condition=, verified= and stars= from query arguments; a bad value is ignored with a message."""
    errors: dict[str, str] = {}
    raw = {name: (args.get(name) or "").strip() for name in ("condition", "verified", "stars")}
    condition = None
    if raw["condition"]:
        try:
            condition = Condition(raw["condition"])
        except ValueError:
            errors["condition"] = "Choose a condition from the list, or “Any condition”."
    verified_only = False
    if raw["verified"].lower() in _YES:
        verified_only = True
    elif raw["verified"].lower() not in _NO:
        errors["verified"] = "“Verified patients only” is either ticked or not; leave it empty or set it to 1."
    stars = None
    if raw["stars"]:
        if raw["stars"].isascii() and raw["stars"].isdigit() and int(raw["stars"]) in STAR_CHOICES:
            stars = int(raw["stars"])
        else:
            errors["stars"] = "Stars must be a whole number from 1 to 5, or “Any rating”."
    return ReviewFilters(condition, verified_only, stars, errors, raw)


def apply_filters(query: Select, filters: ReviewFilters) -> Select:
    """Narrow a select of reviews by the filters."""
    if filters.condition is not None:
        query = query.where(Review.condition == filters.condition)
    if filters.verified_only:
        query = query.where(Review.verified_patient.is_(True))
    if filters.stars is not None:
        query = query.where(Review.rating_overall == filters.stars)
    return query
