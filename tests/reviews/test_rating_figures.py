"""Clinics' stored rating figures stay current by themselves: approve, withdraw, remove, delete, edit."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.moderation import services as moderation
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.reviews import services
from provider_dir.reviews.figures.ratings import PRIOR_ID
from provider_dir.reviews.models import SiteRatingPrior
from provider_dir.reviews.vocab import ReviewStatus

SENTINEL = 1.2345


def stored(clinic: Clinic) -> tuple[int, float | None, float | None]:
    db.session.expire_all()
    fresh = db.session.get(Clinic, clinic.id)
    return fresh.rating_count, fresh.rating_avg, fresh.rating_bayes


def prior() -> SiteRatingPrior:
    db.session.expire_all()
    return db.session.get(SiteRatingPrior, PRIOR_ID)


def test_a_committed_approved_review_updates_its_clinic_without_being_asked(app, create_clinic, add_review):
    clinic = create_clinic()
    add_review(clinic, rating=5)
    add_review(clinic, rating=4)
    add_review(clinic, rating=2, status=ReviewStatus.PENDING)
    add_review(clinic, rating=1, status=ReviewStatus.REJECTED)
    db.session.commit()
    count, avg, bayes = stored(clinic)
    assert (count, avg) == (2, 4.5)
    # The prior is the site mean of approved reviews (4.5 here): the Bayesian figure equals it.
    assert bayes == pytest.approx(4.5)
    assert prior().mean == pytest.approx(4.5)


def test_moderator_approval_and_rejection_update_the_figures(app, create_user, create_clinic, add_review):
    clinic = create_clinic()
    moderator = create_user(role=UserRole.MODERATOR)
    waiting = [add_review(clinic, rating=r, status=ReviewStatus.PENDING) for r in (5, 3)]
    db.session.commit()
    assert stored(clinic)[0] == 0
    moderation.decide(waiting[0], moderator, waiting[0].version, approve=True)
    db.session.commit()
    assert stored(clinic)[:2] == (1, 5.0)
    moderation.decide(waiting[1], moderator, waiting[1].version, approve=False, reason=RejectionReason.SPAM)
    db.session.commit()
    assert stored(clinic)[:2] == (1, 5.0)


def test_withdrawing_removing_editing_and_deleting_update_the_figures(app, create_user, create_clinic, add_review):
    clinic = create_clinic()
    moderator = create_user(role=UserRole.MODERATOR)
    a, b, c, d = (add_review(clinic, rating=r) for r in (5, 4, 3, 2))
    db.session.commit()
    assert stored(clinic)[:2] == (4, 3.5)

    services.withdraw_review(a)
    db.session.commit()
    assert stored(clinic)[:2] == (3, 3.0)

    from provider_dir.moderation.reports.services import file_report

    file_report(b, None, RejectionReason.HARASSMENT)
    db.session.commit()
    assert stored(clinic)[:2] == (3, 3.0)  # a report alone changes nothing
    moderation.decide(b, moderator, b.version, approve=False, reason=RejectionReason.HARASSMENT)
    db.session.commit()
    assert stored(clinic)[:2] == (2, 2.5)

    services.edit_review(c, {"rating_overall": 5})
    db.session.commit()
    assert stored(clinic)[:2] == (1, 2.0)  # back in the queue, so it no longer counts

    db.session.delete(d)
    db.session.commit()
    assert stored(clinic) == (0, None, None)


def test_a_review_moved_to_another_clinic_updates_both(app, create_clinic, add_review):
    first, second = create_clinic(), create_clinic()
    review = add_review(first, rating=4)
    db.session.commit()
    review.clinic = second
    db.session.commit()
    assert stored(first)[0] == 0
    assert stored(second)[:2] == (1, 4.0)


def test_a_rolled_back_change_leaves_the_figures_alone(app, create_clinic, add_review):
    clinic = create_clinic()
    add_review(clinic, rating=3)
    db.session.commit()
    add_review(clinic, rating=5)
    db.session.rollback()
    add_review(create_clinic(), rating=1, status=ReviewStatus.PENDING)
    db.session.commit()
    assert stored(clinic)[:2] == (1, 3.0)


def test_few_perfect_reviews_rank_below_many_good_ones(app, create_clinic, add_review):
    few, many, background = create_clinic(), create_clinic(), create_clinic()
    for rating in [5] * 2:
        add_review(few, rating=rating)
    for rating in [5] * 28 + [4] * 12:  # mean 4.7
        add_review(many, rating=rating)
    for _ in range(30):
        add_review(background, rating=3)
    db.session.commit()
    assert stored(few)[1] == 5.0 and stored(many)[1] == pytest.approx(4.7)
    assert stored(many)[2] > stored(few)[2]
    ranked = db.session.scalars(
        select(Clinic.id).where(Clinic.id.in_([few.id, many.id])).order_by(Clinic.rating_bayes.desc())
    ).all()
    assert ranked == [many.id, few.id]


def _plant_sentinel(clinic: Clinic) -> None:
    db.session.execute(update(Clinic).where(Clinic.id == clinic.id).values(rating_bayes=SENTINEL))
    db.session.commit()


def test_every_clinic_is_refreshed_only_when_the_site_mean_drifts(app, create_clinic, add_review):
    busy, quiet = create_clinic(), create_clinic()
    for _ in range(4):
        add_review(busy, rating=4)
    add_review(quiet, rating=4)
    db.session.commit()
    assert prior().mean == pytest.approx(4.0)
    _plant_sentinel(quiet)

    add_review(busy, rating=4)  # the site mean stays 4.0: only the touched clinic is recomputed
    db.session.commit()
    assert stored(quiet)[2] == SENTINEL

    add_review(busy, rating=1)  # the site mean drops by 0.5: every clinic moves to the new prior
    db.session.commit()
    new_prior = prior()
    assert new_prior.mean == pytest.approx(25 / 7)
    assert stored(quiet)[2] == pytest.approx((10 * new_prior.mean + 4) / 11)


def test_a_new_prior_weight_refreshes_every_clinic(app, create_clinic, add_review, monkeypatch):
    busy, quiet = create_clinic(), create_clinic()
    add_review(busy, rating=5)
    add_review(quiet, rating=3)
    db.session.commit()
    _plant_sentinel(quiet)
    monkeypatch.setitem(app.config, "REVIEW_PRIOR_WEIGHT", 2)
    add_review(busy, rating=4, status=ReviewStatus.PENDING)
    db.session.commit()
    assert prior().weight == 2
    assert stored(quiet)[2] == pytest.approx((2 * 4.0 + 3) / 3)


def test_flask_reviews_recompute_rebuilds_every_figure(app, runner, create_clinic, add_review):
    clinic, empty = create_clinic(), create_clinic()
    add_review(clinic, rating=5)
    add_review(clinic, rating=2)
    db.session.commit()
    db.session.execute(update(Clinic).values(rating_count=99, rating_avg=1.0, rating_bayes=1.0))
    db.session.commit()
    result = runner.invoke(args=["reviews", "recompute"])
    assert result.exit_code == 0, result.output
    assert "Recomputed the ratings of" in result.output
    assert stored(clinic)[:2] == (2, 3.5)
    assert stored(empty) == (0, None, None)


def _live_totals() -> tuple[int, int]:
    row = prior()
    return row.review_count, row.rating_sum


@pytest.mark.parametrize("seed", range(4))
def test_the_site_totals_follow_every_kind_of_change(app, create_user, create_clinic, add_review, seed):
    """Random sequences of writes, decisions, edits, withdrawals, deletions and rollbacks keep the totals exact."""
    import random

    from provider_dir.reviews.figures.ratings import site_totals

    rng = random.Random(seed)
    clinics = [create_clinic() for _ in range(3)]
    moderator = create_user(role=UserRole.MODERATOR)
    reviews = []
    db.session.commit()
    for _ in range(40):
        action = rng.choice(["add", "add", "decide", "edit", "withdraw", "delete", "rate", "savepoint", "rollback"])
        live = [r for r in reviews if r in db.session]
        if action == "add" or not live:
            status = rng.choice([ReviewStatus.APPROVED, ReviewStatus.PENDING])
            reviews.append(add_review(rng.choice(clinics), rating=rng.randint(1, 5), status=status))
        elif action == "decide":
            queued = [r for r in live if r.status == ReviewStatus.PENDING]
            if queued:
                review = rng.choice(queued)
                approve = rng.random() < 0.7
                moderation.decide(review, moderator, review.version, approve, None if approve else RejectionReason.SPAM)
        elif action == "edit":
            services.edit_review(rng.choice(live), {"rating_overall": rng.randint(1, 5)})
        elif action == "withdraw":
            services.withdraw_review(rng.choice(live))
        elif action == "delete":
            db.session.delete(rng.choice(live))
        elif action == "rate":  # a direct change of a published review's rating, as a data fix would do
            rng.choice(live).rating_overall = rng.randint(1, 5)
        elif action == "savepoint":
            with db.session.begin_nested() as nested:
                add_review(rng.choice(clinics), rating=5)
                nested.rollback()
        else:
            add_review(rng.choice(clinics), rating=1)
            db.session.rollback()
            continue
        db.session.commit()
        assert _live_totals() == site_totals(db.session)
        for clinic in clinics:
            count, avg, _ = stored(clinic)
            approved = [r.rating_overall for r in reviews if r in db.session and r.clinic_id == clinic.id
                        and r.status == ReviewStatus.APPROVED]
            assert count == len(approved)
            assert avg == (pytest.approx(sum(approved) / len(approved)) if approved else None)
