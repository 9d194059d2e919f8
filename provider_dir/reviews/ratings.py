"""Keep a clinic's denormalised rating figures (search sorts on them) and the site-wide prior current.

Decision: the Bayesian prior is the site-wide mean of approved reviews. Every commit that touches a review
recomputes the touched clinics; the stored prior (and with it every clinic's rating_bayes) is refreshed only
when the site mean has drifted by more than PRIOR_DRIFT or the configured weight changed, because moving it
rewrites every rated clinic. `flask reviews recompute` redoes everything from scratch.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, has_app_context
from sqlalchemy import bindparam, func, literal, select, update
from sqlalchemy.orm import Session

from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.reviews.aggregation import bayesian_average
from provider_dir.reviews.models import Review, SiteRatingPrior
from provider_dir.reviews.vocab import ReviewStatus

PRIOR_ID = 1
PRIOR_DRIFT = 0.01
DEFAULT_PRIOR_WEIGHT = 10
RATING_FIELDS = ("rating_count", "rating_avg", "rating_bayes")


def configured_prior_weight() -> int:
    """Return REVIEW_PRIOR_WEIGHT from the app's config (the default outside an app)."""
    if has_app_context():
        return int(current_app.config.get("REVIEW_PRIOR_WEIGHT", DEFAULT_PRIOR_WEIGHT))
    return DEFAULT_PRIOR_WEIGHT


def site_totals(session: Session) -> tuple[int, int]:
    """Return the number of approved reviews on the site and the sum of their overall ratings."""
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(Review.rating_overall), 0)).where(
            Review.status == ReviewStatus.APPROVED
        )
    ).one()
    return int(count), int(total)


def stored_prior(session: Session) -> SiteRatingPrior:
    """Return the prior row (the migration creates it; databases built otherwise get it on first use)."""
    prior = session.get(SiteRatingPrior, PRIOR_ID)
    if prior is None:
        prior = SiteRatingPrior(id=PRIOR_ID, mean=None, weight=0, review_count=0)
        session.add(prior)
    return prior


def prior_needs_refresh(prior: SiteRatingPrior, mean: float | None, weight: int) -> bool:
    """Return True when the stored prior no longer describes the site closely enough."""
    if prior.weight != weight or (prior.mean is None) != (mean is None):
        return True
    return mean is not None and abs(mean - prior.mean) > PRIOR_DRIFT


def sync_prior(session: Session, weight: int, force: bool = False) -> tuple[SiteRatingPrior, bool]:
    """Move the stored prior to the current site mean when it has drifted; return it and whether it moved."""
    count, total = site_totals(session)
    mean = total / count if count else None
    prior = stored_prior(session)
    moved = force or prior_needs_refresh(prior, mean, weight)
    if moved:
        prior.mean, prior.weight, prior.review_count, prior.refreshed_at = mean, weight, count, utcnow()
        session.flush()
    return prior, moved


def clinic_totals(session: Session, clinic_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Return {clinic_id: (approved count, rating sum)} for the clinics that have approved reviews."""
    rows = session.execute(
        select(Review.clinic_id, func.count(), func.sum(Review.rating_overall))
        .where(Review.clinic_id.in_(list(clinic_ids)), Review.status == ReviewStatus.APPROVED)
        .group_by(Review.clinic_id)
    )
    return {clinic_id: (int(count), int(total)) for clinic_id, count, total in rows}


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
            # Keep updated_at: a new review does not change the listing itself.
            .values(
                rating_count=count,
                rating_avg=total / count if count else None,
                rating_bayes=bayesian_average(total, count, prior.mean, prior.weight),
                updated_at=Clinic.updated_at,
            )
            .execution_options(synchronize_session=False)
        )
    _expire_ratings(session, ids)
    if moved:
        refresh_all_bayes(session, prior)


def refresh_all_bayes(session: Session, prior: SiteRatingPrior) -> None:
    """Rewrite every clinic's rating_bayes from its stored count and mean with the given prior, in one statement."""
    if prior.mean is None or prior.weight <= 0:
        shrunk = Clinic.rating_avg
    else:
        weight, mean = literal(float(prior.weight)), literal(float(prior.mean))
        shrunk = (weight * mean + Clinic.rating_avg * Clinic.rating_count) / (weight + Clinic.rating_count)
    session.execute(
        update(Clinic)
        .where(Clinic.rating_count > 0)
        .values(rating_bayes=shrunk, updated_at=Clinic.updated_at)
        .execution_options(synchronize_session=False)
    )
    _expire_ratings(session)


def recompute_all(session: Session, batch_size: int = 2000, progress=None) -> int:
    """Recompute every clinic's rating figures and the prior from scratch; return how many clinics were written."""
    prior, _ = sync_prior(session, configured_prior_weight(), force=True)
    ids = list(session.scalars(select(Clinic.id).order_by(Clinic.id)))
    written = 0
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        totals = clinic_totals(session, batch)
        params = []
        for clinic_id in batch:
            count, total = totals.get(clinic_id, (0, 0))
            params.append(
                {
                    "clinic_id": clinic_id,
                    "count": count,
                    "avg": total / count if count else None,
                    "bayes": bayesian_average(total, count, prior.mean, prior.weight),
                }
            )
        _write_batch(session, params)
        written += len(batch)
        if progress is not None:
            progress(len(batch))
    _expire_ratings(session)
    return written


def _write_batch(session: Session, params: list[dict]) -> None:
    table = Clinic.__table__
    statement = (
        table.update()
        .where(table.c.id == bindparam("clinic_id"))
        .values(
            rating_count=bindparam("count"),
            rating_avg=bindparam("avg"),
            rating_bayes=bindparam("bayes"),
            updated_at=table.c.updated_at,
        )
    )
    session.connection().execute(statement, params)

