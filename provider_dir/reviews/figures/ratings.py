"""Keep a clinic's denormalised rating figures (search sorts on them) and the site-wide prior current.

Decisions:
- The Bayesian prior is the site-wide mean of approved reviews. The site totals (count and sum of approved
  ratings) live in one row that every review change moves by its delta, in the same transaction
  (reviews/figures/sync.py), so a decision costs the same whether the site has a thousand reviews or ten million.
- Every commit that touches a review recomputes the touched clinics. The stored prior, and with it every clinic's
  rating_bayes, is refreshed only when the site mean has drifted by more than PRIOR_DRIFT or the configured weight
  changed, because moving it rewrites every rated clinic (one UPDATE statement).
- `flask reviews recompute` redoes everything from the reviews themselves, totals included: run it after
  loading reviews in bulk (bulk inserts bypass the session events).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import NamedTuple

from flask import current_app, has_app_context
from sqlalchemy import Float, case, cast, func, literal, or_, select, update
from sqlalchemy.orm import Session

from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.models.rewrites import bulk_page_cache, indexes_rebuilt_after_rewrite
from provider_dir.reviews.figures.aggregation import bayesian_average
from provider_dir.reviews.models import Review, SiteRatingPrior
from provider_dir.reviews.vocab import ReviewStatus

PRIOR_ID = 1
PRIOR_DRIFT = 0.01
DEFAULT_PRIOR_WEIGHT = 10
RATING_FIELDS = ("rating_count", "rating_avg", "rating_bayes")
PRIOR = SiteRatingPrior.__table__


class Prior(NamedTuple):
    """The site totals and the prior in use, as the database has them now."""

    review_count: int
    rating_sum: int
    mean: float | None
    weight: int

    @property
    def site_mean(self) -> float | None:
        """The current mean of every approved review."""
        return self.rating_sum / self.review_count if self.review_count else None


def configured_prior_weight() -> int:
    """Return REVIEW_PRIOR_WEIGHT from the app's config (the default outside an app)."""
    if has_app_context():
        return int(current_app.config.get("REVIEW_PRIOR_WEIGHT", DEFAULT_PRIOR_WEIGHT))
    return DEFAULT_PRIOR_WEIGHT


def site_totals(session: Session) -> tuple[int, int]:
    """Count the approved reviews on the site and sum their overall ratings (one pass over the table)."""
    # The status test sits inside the aggregates: given it in WHERE, SQLite reads the approved reviews through
    # the status index and looks each one up in the table at a random place (3.1 million look-ups, 12.9 s of
    # CPU at a million clinics); one pass in table order reads the same rows in 1.3 s.
    approved = Review.status == ReviewStatus.APPROVED
    count, total = session.execute(
        select(func.count(case((approved, 1))), func.coalesce(func.sum(case((approved, Review.rating_overall))), 0))
    ).one()
    return int(count), int(total)


def move_totals(session: Session, count_delta: int, sum_delta: int) -> None:
    """Add a change's delta to the site totals, atomically, in the current transaction."""
    session.connection().execute(
        PRIOR.update()
        .where(PRIOR.c.id == PRIOR_ID)
        .values(review_count=PRIOR.c.review_count + count_delta, rating_sum=PRIOR.c.rating_sum + sum_delta)
    )


def stored_prior(session: Session) -> Prior:
    """Read the prior row; a database built without the migration gets it, counted from the reviews."""
    row = session.connection().execute(
        select(PRIOR.c.review_count, PRIOR.c.rating_sum, PRIOR.c.mean, PRIOR.c.weight).where(PRIOR.c.id == PRIOR_ID)
    ).first()
    if row is None:
        count, total = site_totals(session)
        session.connection().execute(
            PRIOR.insert().values(
                id=PRIOR_ID, review_count=count, rating_sum=total, mean=None, weight=0, figures_token=""
            )
        )
        return Prior(count, total, None, 0)
    return Prior(int(row.review_count), int(row.rating_sum), row.mean, int(row.weight))


def prior_needs_refresh(prior: Prior, weight: int) -> bool:
    """Return True when the prior in use no longer describes the site closely enough."""
    mean = prior.site_mean
    if prior.weight != weight or (prior.mean is None) != (mean is None):
        return True
    return mean is not None and abs(mean - prior.mean) > PRIOR_DRIFT


def sync_prior(session: Session, weight: int, force: bool = False) -> tuple[Prior, bool]:
    """Move the prior in use to the site mean when it has drifted; return it and whether it moved."""
    prior = stored_prior(session)
    moved = force or prior_needs_refresh(prior, weight)
    if moved:
        prior = prior._replace(mean=prior.site_mean, weight=weight)
        session.connection().execute(
            PRIOR.update()
            .where(PRIOR.c.id == PRIOR_ID)
            .values(mean=prior.mean, weight=weight, refreshed_at=utcnow())
        )
    return prior, moved


def clinic_totals(session: Session, clinic_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Return {clinic_id: (approved count, rating sum)} for the clinics that have approved reviews."""
    rows = session.execute(
        select(Review.clinic_id, func.count(), func.sum(Review.rating_overall))
        .where(Review.clinic_id.in_(list(clinic_ids)), Review.status == ReviewStatus.APPROVED)
        .group_by(Review.clinic_id)
    )
    return {clinic_id: (int(count), int(total)) for clinic_id, count, total in rows}


def figures_changed(session: Session) -> None:
    """Record that some clinic's rating figures changed (it invalidates cached rating histograms)."""
    session.connection().execute(
        PRIOR.update().where(PRIOR.c.id == PRIOR_ID).values(figures_token=uuid.uuid4().hex)
    )


def _expire_ratings(session: Session, clinic_ids: set[int] | None = None) -> None:
    # Rows were changed with UPDATE statements; make loaded clinics read the new values.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Clinic) and (clinic_ids is None or obj.id in clinic_ids):
            session.expire(obj, list(RATING_FIELDS))


def refresh_clinics(session: Session, clinic_ids: Iterable[int]) -> None:
    """Recompute count, mean and Bayesian rating of these clinics (and every clinic if the prior moved)."""
    ids = {i for i in clinic_ids if i is not None}
    if not ids:
        return
    prior, moved = sync_prior(session, configured_prior_weight())
    totals = clinic_totals(session, ids)
    for clinic_id in ids:
        count, total = totals.get(clinic_id, (0, 0))
        session.execute(
            update(Clinic)
            .where(Clinic.id == clinic_id)
            # updated_at is not named, so it stays: a new review does not change the listing itself.
            .values(
                rating_count=count,
                rating_avg=total / count if count else None,
                rating_bayes=bayesian_average(total, count, prior.mean, prior.weight),
            )
            .execution_options(synchronize_session=False)
        )
    _expire_ratings(session, ids)
    figures_changed(session)
    if moved:
        refresh_all_bayes(session, prior)


def refresh_all_bayes(session: Session, prior: Prior) -> None:
    """Rewrite every clinic's rating_bayes from its stored count and mean with the given prior, in one statement."""
    if prior.mean is None or prior.weight <= 0:
        shrunk = Clinic.rating_avg
    else:
        weight, mean = literal(float(prior.weight)), literal(float(prior.mean))
        shrunk = (weight * mean + Clinic.rating_avg * Clinic.rating_count) / (weight + Clinic.rating_count)
    session.execute(
        update(Clinic)
        .where(Clinic.rating_count > 0)
        .values(rating_bayes=shrunk)
        .execution_options(synchronize_session=False)
    )
    _expire_ratings(session)
    figures_changed(session)


def id_bounds(session: Session) -> tuple[int | None, int | None]:
    """Return the lowest and highest clinic id, each read from the end of the primary key."""
    # Asked as two subqueries: min and max in one SELECT make SQLite scan a whole index instead.
    return session.execute(
        select(select(func.min(Clinic.id)).scalar_subquery(), select(func.max(Clinic.id)).scalar_subquery())
    ).one()


def _clear_unrated(start: int, end: int):
    """UPDATE: clinics in [start, end) with no approved review and figures still set get them cleared."""
    approved = select(Review.id).where(Review.clinic_id == Clinic.id, Review.status == ReviewStatus.APPROVED)
    return (
        update(Clinic)
        .where(Clinic.id >= start, Clinic.id < end, ~approved.exists(),
               or_(Clinic.rating_count != 0, Clinic.rating_avg.is_not(None)))
        .values(rating_count=0, rating_avg=None, rating_bayes=None)
        .execution_options(synchronize_session=False)
    )


def range_figures(start: int, end: int):
    """Subquery: (clinic_id, n, s) approved count and rating sum of the clinics in [start, end) with any."""
    # The status test sits inside the aggregates, not in WHERE: given both, SQLite's planner (without
    # statistics, as after a bulk load) reads every approved review on the site through the status index
    # for each range, which made the recompute quadratic. With only the clinic_id range it reads this
    # range's reviews through an index that starts with clinic_id.
    approved = Review.status == ReviewStatus.APPROVED
    n = func.count(case((approved, 1)))
    return (
        select(Review.clinic_id, n.label("n"), func.sum(case((approved, Review.rating_overall))).label("s"))
        .where(Review.clinic_id >= start, Review.clinic_id < end)
        .group_by(Review.clinic_id)
        .having(n > 0)
        .subquery()
    )


def _rated_update(start: int, end: int, prior: Prior):
    """UPDATE: clinics in [start, end) with approved reviews get their figures, unless already right."""
    stats = range_figures(start, end)
    rating_sum = cast(stats.c.s, Float)
    if prior.mean is None or prior.weight <= 0:
        shrunk = rating_sum / stats.c.n
    else:
        shrunk = (literal(prior.weight * prior.mean) + rating_sum) / (literal(float(prior.weight)) + stats.c.n)
    average = rating_sum / stats.c.n
    return (
        update(Clinic)
        .where(
            # The range on the clinic side too: joined on clinic_id alone, a planner may read the whole clinic
            # table for each range (PostgreSQL's hash join does); with it, both sides are index ranges.
            Clinic.id >= start,
            Clinic.id < end,
            Clinic.id == stats.c.clinic_id,
            # Rows whose figures are already right are not rewritten (on PostgreSQL each write is a new row version).
            or_(
                Clinic.rating_count.is_distinct_from(stats.c.n),
                Clinic.rating_avg.is_distinct_from(average),
                Clinic.rating_bayes.is_distinct_from(shrunk),
            ),
        )
        .values(rating_count=stats.c.n, rating_avg=average, rating_bayes=shrunk)
        .execution_options(synchronize_session=False)
    )


def recompute_all(session: Session, batch_size: int = 20_000, progress=None) -> int:
    """Recompute the site totals, the prior and every clinic's rating figures from the reviews themselves.

    Set-based, one range of clinic ids at a time; progress(n) is called with the ids covered by each range.
    """
    count, total = site_totals(session)
    before = stored_prior(session)
    session.connection().execute(
        PRIOR.update().where(PRIOR.c.id == PRIOR_ID).values(review_count=count, rating_sum=total)
    )
    prior, _ = sync_prior(session, configured_prior_weight(), force=True)
    low, high = id_bounds(session)
    # A new prior changes every rated clinic's rating_bayes: on SQLite the two indexes holding it (search's
    # covering index and the rating walk) are then built again after the ranges rather than moved row by row.
    rewrite = (before.mean, before.weight) != (prior.mean, prior.weight)
    with (
        bulk_page_cache(session),
        indexes_rebuilt_after_rewrite(session, Clinic.__tablename__, "rating_bayes", rewrite),
    ):
        for start in range(low or 0, (high or -1) + 1, batch_size):
            end = start + batch_size
            session.execute(_clear_unrated(start, end))
            session.execute(_rated_update(start, end, prior))
            if progress is not None:
                progress(min(end, high + 1) - start)
    _expire_ratings(session)
    figures_changed(session)
    return session.scalar(select(func.count()).select_from(Clinic))
