"""What an owner's dashboard shows for one clinic: completeness, what would raise the score, what is waiting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from provider_dir.corrections import services as correction_services
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.evidence import queue as evidence_queue
from provider_dir.portal.claims import services as claims
from provider_dir.portal.listings.edit import FIELD_LABELS, pending_change
from provider_dir.portal.models import ClinicReply, ListingChange
from provider_dir.portal.vocab import ChangeKind
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.scoring.score import ScoreResult

# The owner-settable fields that make a listing complete (address, insurance and the yes/no fields always have a
# value, so they are not counted).
COMPLETENESS_FIELDS = (
    "description", "phone", "website", "opening_hours", "routes", "conditions", "price_per_infusion_usd",
    "price_series_usd", "series_infusions", "languages", "accessibility",
)  # fmt: skip
TOP_GAINS = 5

# Other items of a clinic waiting for a moderator: (label, function(clinic_id) -> count).
EXTRA_PENDING_COUNTS: list[tuple[str, Callable[[int], int]]] = [
    ("Credentials waiting for a moderator's check", credential_queue.pending_for_clinic),
    ("Checklist answers waiting for a moderator's check", evidence_queue.pending_for_clinic),
    ("Corrections suggested by the public, waiting for a moderator", correction_services.pending_count_for_clinic),
]


@dataclass(frozen=True)
class Completeness:
    """Which of the listing's fields are filled."""

    filled: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Share of the fields filled, in whole percent."""
        total = len(self.filled) + len(self.missing)
        return round(100 * len(self.filled) / total) if total else 100

    @property
    def missing_labels(self) -> list[str]:
        """The missing fields, as the edit form names them."""
        return [FIELD_LABELS[name] for name in self.missing]


def completeness(clinic: Clinic) -> Completeness:
    """Return which completeness fields the listing has filled."""
    filled, missing = [], []
    for name in COMPLETENESS_FIELDS:
        value = getattr(clinic, name)
        (filled if value not in (None, "", []) else missing).append(name)
    return Completeness(tuple(filled), tuple(missing))


@dataclass(frozen=True)
class Gain:
    """A checklist item not yet earning all its points, and how many it would add if verified."""

    code: str
    title: str
    status_label: str
    points: float
    max_points: int
    safety_critical: bool

    @property
    def would_add(self) -> float:
        """Points the item would add when verified."""
        return self.max_points - self.points


def score_gains(result: ScoreResult, limit: int = TOP_GAINS) -> list[Gain]:
    """Return the unmet items, those that would add the most points first (safety-critical first on a tie)."""
    gains = [
        Gain(r.item.code, r.item.title, r.status_label, r.points, r.max_points, r.item.safety_critical)
        for r in result.items
        if r.points < r.max_points
    ]
    gains.sort(key=lambda g: (-g.would_add, not g.safety_critical, g.code))
    return gains[:limit]


@dataclass(frozen=True)
class Pending:
    """What about the clinic is waiting for a moderator."""

    claims: list
    held_edit: ListingChange | None
    new_listing: ListingChange | None
    others: list[tuple[str, int]]

    @property
    def total(self) -> int:
        """How many decisions are waiting."""
        return (len(self.claims) + (self.held_edit is not None) + (self.new_listing is not None)
                + sum(count for _, count in self.others))  # fmt: skip


def pending(clinic_id: int) -> Pending:
    """Return the clinic's claims, held edit, new-listing item and other items waiting for a moderator."""
    others = [(label, count(clinic_id)) for label, count in EXTRA_PENDING_COUNTS]
    return Pending(
        claims.pending_claims_on(clinic_id),
        pending_change(clinic_id, ChangeKind.EDIT),
        pending_change(clinic_id, ChangeKind.NEW_LISTING),
        [(label, n) for label, n in others if n],
    )


def _unanswered(clinic_id: int):
    return (
        select(Review)
        .outerjoin(ClinicReply, ClinicReply.review_id == Review.id)
        .where(Review.clinic_id == clinic_id, Review.status == ReviewStatus.APPROVED, ClinicReply.id.is_(None))
    )


def awaiting_reply(clinic_id: int, limit: int = 5) -> tuple[int, list[Review]]:
    """Return how many published reviews have no reply yet, and the newest of them."""
    query = _unanswered(clinic_id)
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    newest = list(db.session.scalars(query.order_by(Review.published_at.desc().nulls_last(), Review.id.desc())
                                      .limit(limit)))  # fmt: skip
    return int(count or 0), newest


def reply_count(clinic_id: int) -> int:
    """Return how many of the clinic's reviews have its reply."""
    return int(
        db.session.scalar(
            select(func.count()).select_from(ClinicReply).join(Review, Review.id == ClinicReply.review_id)
            .where(Review.clinic_id == clinic_id)
        ) or 0
    )  # fmt: skip
