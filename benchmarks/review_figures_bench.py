"""Measure what keeping clinics' rating figures current costs, on a database of synthetic clinics and reviews.

Prints, for N clinics and their reviews:
- the commit of one moderation decision with the session events (recompute the touched clinic and check the
  site mean), against the same commit with the events switched off (the baseline);
- `flask reviews recompute` (every clinic from scratch), and the one-statement refresh of every clinic's
  Bayesian rating that runs when the site mean drifts by more than 0.01;
- the clinic page's rating panel (aggregates, transparency counts, percentile among all clinics), against
  reading the same clinic's approved reviews alone (the baseline).

Usage: python benchmarks/review_figures_bench.py [--clinics 100000] [--reviews-per-clinic 5] [--decisions 40]
(SQLite in a temporary directory; --database-url postgresql+psycopg://... to measure PostgreSQL.)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from provider_dir import create_app  # noqa: E402
from provider_dir.accounts.models import User  # noqa: E402
from provider_dir.accounts.vocab import UserRole  # noqa: E402
from provider_dir.config import PROJECT_ROOT  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.listings.models import Clinic  # noqa: E402
from provider_dir.listings.vocab import ClinicStatus  # noqa: E402
from provider_dir.models.base import utcnow  # noqa: E402
from provider_dir.moderation import services as moderation  # noqa: E402
from provider_dir.reviews.figures import sync
from provider_dir.reviews.figures.charts import clinic_figures, facts_and_transparency  # noqa: E402
from provider_dir.reviews.figures.ratings import recompute_all, refresh_all_bayes, stored_prior  # noqa: E402
from provider_dir.reviews.models import Review  # noqa: E402
from provider_dir.reviews.vocab import ReviewStatus  # noqa: E402

BATCH = 20_000


def build(clinics: int, per_clinic: int, rng: random.Random) -> None:
    """Insert clinics, authors and reviews (about 8 % pending) with bulk statements."""
    now = utcnow()
    authors = per_clinic * 2
    db.session.execute(
        insert(User),
        [
            {"email": f"bench{i}@example.test", "display_name": f"bench{i}", "password_hash": "x",
             "role": UserRole.PATIENT, "session_token": f"t{i}", "created_at": now}
            for i in range(authors + 1)
        ],
    )
    rows = []
    for i in range(clinics):
        rows.append({"slug": f"bench-{i}", "name": f"Bench {i}", "street": "1 Main St", "city": "Town", "state": "TX",
                     "zip_code": "78701", "latitude": 30 + rng.random(), "longitude": -97 - rng.random(),
                     "status": ClinicStatus.PUBLISHED, "created_at": now, "updated_at": now})
        if len(rows) == BATCH:
            db.session.execute(insert(Clinic), rows)
            rows = []
    if rows:
        db.session.execute(insert(Clinic), rows)
    ids = db.session.scalars(select(Clinic.id)).all()
    user_ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    rows = []
    for clinic_id in ids:
        for author in rng.sample(user_ids[1:], rng.randint(0, per_clinic * 2)):
            rows.append({
                "clinic_id": clinic_id, "author_id": author, "rating_overall": rng.choice((5, 5, 5, 4, 4, 3, 2, 1)),
                "status": ReviewStatus.PENDING if rng.random() < 0.08 else ReviewStatus.APPROVED,
                "title": "t", "body": "b", "side_effects_mask": 0, "verified_patient": False, "version": 1,
                "created_at": now, "updated_at": now, "queued_at": now,
            })
            if len(rows) == BATCH:
                db.session.execute(insert(Review), rows)
                rows = []
    if rows:
        db.session.execute(insert(Review), rows)
    db.session.execute(
        insert(User), [{"email": "mod@example.test", "display_name": "bench_mod", "password_hash": "x",
                        "role": UserRole.MODERATOR, "session_token": "mod", "created_at": now}]
    )
    db.session.commit()


def decision_commits(count: int) -> list[float]:
    """Approve `count` pending reviews, one commit each; return each commit's seconds."""
    moderator = db.session.scalar(select(User).where(User.email == "mod@example.test"))
    pending = db.session.scalars(
        select(Review.id).where(Review.status == ReviewStatus.PENDING).limit(count)
    ).all()
    times = []
    for review_id in pending:
        review = db.session.get(Review, review_id)
        moderation.decide(review, moderator, review.version, approve=True)
        start = time.perf_counter()
        db.session.commit()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=100_000)
    parser.add_argument("--reviews-per-clinic", type=int, default=5, help="average approved reviews per clinic")
    parser.add_argument("--decisions", type=int, default=40)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "TESTING": True})
        with app.app_context():
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
            rng = random.Random(7)
            start = time.perf_counter()
            build(args.clinics, args.reviews_per_clinic, rng)
            reviews = db.session.query(Review).count()
            print(f"built {args.clinics:,} clinics and {reviews:,} reviews in {time.perf_counter() - start:.1f} s",
                  file=sys.stderr)

            start = time.perf_counter()
            written = recompute_all(db.session)
            db.session.commit()
            recompute = time.perf_counter() - start
            start = time.perf_counter()
            recompute_all(db.session)
            db.session.commit()
            recompute_again = time.perf_counter() - start

            with_events = decision_commits(args.decisions)
            for name, listener in sync.LISTENERS:
                event.remove(Session, name, listener)
            baseline = decision_commits(args.decisions)
            sync.install()

            start = time.perf_counter()
            refresh_all_bayes(db.session, stored_prior(db.session))
            db.session.commit()
            refresh = time.perf_counter() - start

            sample = rng.sample(db.session.scalars(select(Clinic.id).where(Clinic.rating_count > 0)).all(), 40)
            panel, facts = [], []
            for clinic_id in sample:
                clinic = db.session.get(Clinic, clinic_id)
                start = time.perf_counter()
                clinic_figures(clinic)
                panel.append(time.perf_counter() - start)
                start = time.perf_counter()
                facts_and_transparency(clinic_id)
                facts.append(time.perf_counter() - start)

        def ms(values: list[float], q: float) -> float:
            return 1000 * statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else 1000 * values[0]

        print(f"database: {'PostgreSQL' if 'postgresql' in url else 'SQLite'}; {args.clinics:,} clinics, "
              f"{reviews:,} reviews")
        print(f"{'measure':58} {'p50 ms':>9} {'p95 ms':>9}")
        print(f"{'decision commit, with rating events':58} {ms(with_events, 50):9.2f} {ms(with_events, 95):9.2f}")
        print(f"{'decision commit, events off (baseline)':58} {ms(baseline, 50):9.2f} {ms(baseline, 95):9.2f}")
        print(f"{'recompute every clinic (flask reviews recompute)':58} {1000 * recompute:9.0f}"
              f"   ({written:,} clinics)")
        print(f"{'recompute again, figures already current':58} {1000 * recompute_again:9.0f}")
        print(f"{'refresh every rating_bayes after a prior drift':58} {1000 * refresh:9.0f}")
        print(f"{'clinic page rating panel (figures and percentile)':58} {ms(panel, 50):9.2f} {ms(panel, 95):9.2f}")
        print(f"{'read the clinic reviews only (baseline)':58} {ms(facts, 50):9.2f} {ms(facts, 95):9.2f}")


if __name__ == "__main__":
    main()
