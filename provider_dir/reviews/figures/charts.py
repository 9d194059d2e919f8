"""Queries behind what the clinic page and the methodology page show about reviews."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Numeric, bindparam, cast, func, select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition
from provider_dir.models.prefetch import Read
from provider_dir.models.reads import driver_rows
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.pagecache.memo import per_version
from provider_dir.reviews.figures.aggregation import (
    STARS,
    RatingSummary,
    ReviewFacts,
    Share,
    percentile_from_counts,
    summarise,
)
from provider_dir.reviews.figures.ratings import PRIOR_ID, stored_prior
from provider_dir.reviews.forms import ANSWER_FIELDS
from provider_dir.reviews.models import Review, SiteRatingPrior
from provider_dir.reviews.vocab import Answer, ReviewStatus, SideEffect, TimeToRelief

# Bayesian ratings are ranked in steps of this size (ratings within one step count as ties).
BUCKET = 0.001
PRIOR = SiteRatingPrior.__table__
_HISTOGRAMS: dict[str, tuple[str, list[tuple[float, int]]]] = {}
_RANKS: dict[int, tuple[list[tuple[float, int]], list[float], list[int]]] = {}  # id(histogram) -> prefix sums


@dataclass(frozen=True)
class Transparency:
    """How many of a clinic's reviews were submitted, published and withheld, and why."""

    submitted: int
    published: int
    pending: int
    withdrawn: int
    withheld: int
    withheld_by_reason: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ClinicFigures:
    """Everything the clinic page's rating panel shows."""

    summary: RatingSummary
    percentile: float | None
    rated_clinics: int
    transparency: Transparency
    prior_mean: float | None
    prior_weight: int
    # The conditions named in its published reviews, in the vocabulary's order (the review filter offers them).
    reviewed_conditions: list[Condition] = field(default_factory=list)
    # How its published reviews answered each structured question (reviews.forms.ANSWER_FIELDS): (yes, no, not sure).
    answer_counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class StarApproval:
    """For one star rating: how many reviews were decided, and the share approved."""

    star: int
    submitted: int
    approved: int
    rejected: int

    @property
    def rate(self) -> Share:
        """Approved out of decided (approved + withheld); pending and withdrawn reviews are not decided."""
        return Share(self.approved, self.approved + self.rejected)


FACT_COLUMNS = (Review.rating_overall, Review.rating_staff, Review.rating_safety, Review.rating_value,
                Review.would_recommend, Review.side_effects_mask, Review.time_to_relief, Review.condition)


ANSWER_COLUMNS = tuple(getattr(Review, name) for name, _question in ANSWER_FIELDS)


@cache
def _clinic_review_facts():
    return select(Review.status, Review.rejection_reason, *FACT_COLUMNS, *ANSWER_COLUMNS).where(
        Review.clinic_id == bindparam("clinic_id"))  # built once: the clinic page runs it for every clinic


def _answer_counts(rows) -> dict[str, tuple[int, int, int]]:
    """Return (yes, no, not sure) per structured question over these reviews."""
    counts = {}
    for name, _question in ANSWER_FIELDS:
        answers = Counter(getattr(row, name) for row in rows)
        counts[name] = (answers[Answer.YES], answers[Answer.NO], answers[Answer.NOT_SURE])
    return counts


def _facts(rows) -> list[ReviewFacts]:
    order = list(SideEffect)
    return [
        ReviewFacts(
            rating=row.rating_overall,
            staff=row.rating_staff,
            safety=row.rating_safety,
            value=row.rating_value,
            would_recommend=row.would_recommend,
            side_effects=frozenset(m.value for i, m in enumerate(order) if (row.side_effects_mask or 0) & (1 << i)),
            time_to_relief=row.time_to_relief.value if row.time_to_relief else None,
            condition=row.condition.value if row.condition else None,
        )
        for row in rows
    ]


def _transparency(counts) -> Transparency:
    by_status: dict[ReviewStatus, int] = {}
    by_reason: dict[RejectionReason | None, int] = {}
    for status, reason, count in counts:
        by_status[status] = by_status.get(status, 0) + count
        if status == ReviewStatus.REJECTED:
            by_reason[reason] = by_reason.get(reason, 0) + count
    reasons = [(r.label, by_reason[r]) for r in RejectionReason if by_reason.get(r)]
    if by_reason.get(None):
        reasons.append(("No reason recorded", by_reason[None]))
    return Transparency(
        submitted=sum(by_status.values()),
        published=by_status.get(ReviewStatus.APPROVED, 0),
        pending=by_status.get(ReviewStatus.PENDING, 0),
        withdrawn=by_status.get(ReviewStatus.WITHDRAWN, 0),
        withheld=by_status.get(ReviewStatus.REJECTED, 0),
        withheld_by_reason=reasons,
    )


def facts_and_transparency(clinic_id: int) -> tuple[list[ReviewFacts], Transparency, dict[str, tuple[int, int, int]]]:
    """Return a clinic's approved reviews' facts, its counts by status and its approved reviews' answers to the
    structured questions, from one read of its reviews."""
    rows = driver_rows(db.session, *review_facts_read(clinic_id))
    counts = Counter((row.status, row.rejection_reason) for row in rows)
    approved = [row for row in rows if row.status == ReviewStatus.APPROVED]
    return (_facts(approved), _transparency((status, reason, n) for (status, reason), n in counts.items()),
            _answer_counts(approved))


def review_facts_read(clinic_id: int) -> Read:
    """Return facts_and_transparency's read of a clinic's reviews (for models.prefetch)."""
    return Read(_clinic_review_facts(), {"clinic_id": clinic_id})


def rating_histogram() -> list[tuple[float, int]]:
    """Return (Bayesian rating rounded to 0.001, clinics) for published rated clinics, lowest first.

    Counting every clinic per page view would cost a full scan (about 0.5 s at a million clinics), so each
    process keeps the histogram until some clinic's figures change (the prior row's figures_token).
    """
    connection = db.session.connection()
    token = per_version(db.session, "figures_token", lambda: connection.execute(
        select(PRIOR.c.figures_token).where(PRIOR.c.id == PRIOR_ID)).scalar())
    key = str(connection.engine.url)
    cached = _HISTOGRAMS.get(key)
    if cached is not None and token and cached[0] == token:
        return cached[1]
    bucket = func.round(cast(Clinic.rating_bayes, Numeric), 3)
    rows = connection.execute(
        select(bucket, func.count())
        .where(Clinic.rating_count > 0, Clinic.rating_bayes.is_not(None), Clinic.status == ClinicStatus.PUBLISHED)
        .group_by(bucket)
        .order_by(bucket)
    ).all()
    histogram = [(float(value), int(count)) for value, count in rows]
    _HISTOGRAMS[key] = (token, histogram)
    return histogram


def _prefix_sums(histogram: list[tuple[float, int]]) -> tuple[list[float], list[int]]:
    """Return the histogram's buckets and running counts (running[i]: clinics in buckets before i), kept per list."""
    kept = _RANKS.get(id(histogram))
    if kept is None or kept[0] is not histogram:
        running = [0]
        for _bucket, count in histogram:
            running.append(running[-1] + count)
        kept = (histogram, [bucket for bucket, _ in histogram], running)
        _RANKS.clear()  # one histogram per database is current; drop the others' sums
        _RANKS[id(histogram)] = kept
    return kept[1], kept[2]


def percentile(clinic: Clinic) -> tuple[float | None, int]:
    """Return the clinic's percentile by Bayesian rating among published rated clinics, and how many there are."""
    if not clinic.rating_count or clinic.rating_bayes is None:
        return None, 0
    histogram = rating_histogram()
    value = clinic.rating_bayes
    buckets, running = _prefix_sums(histogram)
    # Every bucket left of the window is below the clinic and every one right of it above; the window's few
    # buckets are compared exactly as a full pass over the histogram would.
    start, stop = bisect_left(buckets, value - BUCKET), bisect_right(buckets, value + BUCKET)
    window = histogram[start:stop]
    below = running[start] + sum(count for bucket, count in window if bucket < value - BUCKET / 2)
    equal = sum(count for bucket, count in window if abs(bucket - value) <= BUCKET / 2)
    total = running[-1]
    if equal == 0:  # the clinic itself is not published
        return None, total
    return percentile_from_counts(below, equal, total), total


def clinic_figures(clinic: Clinic) -> ClinicFigures:
    """Compute the rating panel of one clinic."""
    prior = per_version(db.session, "rating_prior", lambda: stored_prior(db.session))
    facts, counts, answers = facts_and_transparency(clinic.id)
    summary = summarise(
        facts,
        prior.mean,
        prior.weight,
        side_effect_categories=[s.value for s in SideEffect],
        relief_categories=[t.value for t in TimeToRelief],
    )
    rank, rated = percentile(clinic)
    named = {fact.condition for fact in facts}
    return ClinicFigures(
        summary=summary,
        percentile=rank,
        rated_clinics=rated,
        transparency=counts,
        prior_mean=prior.mean,
        prior_weight=prior.weight,
        reviewed_conditions=[condition for condition in Condition if condition.value in named],
        answer_counts=answers,
    )


def approval_by_star() -> list[StarApproval]:
    """Return, for each star rating, how many reviews were submitted, approved and withheld site-wide."""
    rows = db.session.execute(
        select(Review.rating_overall, Review.status, func.count()).group_by(Review.rating_overall, Review.status)
    ).all()
    counts: dict[tuple[int, ReviewStatus], int] = {(star, status): n for star, status, n in rows}
    return [
        StarApproval(
            star=star,
            submitted=sum(n for (s, _), n in counts.items() if s == star),
            approved=counts.get((star, ReviewStatus.APPROVED), 0),
            rejected=counts.get((star, ReviewStatus.REJECTED), 0),
        )
        for star in reversed(STARS)
    ]


def condition_label(value: str) -> str:
    """Return the human label of a stored condition value."""
    try:
        return Condition(value).label
    except ValueError:
        return value
