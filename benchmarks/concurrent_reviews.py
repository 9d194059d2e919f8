"""Nothing lost under load: 20 processes post 100 reviews each at once through the real form, under gunicorn.

    .venv/bin/python benchmarks/concurrent_reviews.py                       # SQLite file in benchmarks/out/
    DATABASE_URL=postgresql+psycopg://u:p@127.0.0.1/mydb .venv/bin/python benchmarks/concurrent_reviews.py
                                                                            # PostgreSQL database mydb_reviews_bench

Each run starts from a fresh database with 100 clinics and patient accounts (by default one per client
process, which reviews each of the 100 clinics once: one review per account per clinic is the rule, so 2,000
distinct legal reviews; `--accounts-per-process 100` gives 2,000 accounts posting one review each, and then
argon2 log-ins dominate the time), then serves the app with gunicorn (4 workers) on a loopback port. Rate
limits are off for the run (create_app gets RATELIMIT_ENABLED=False through gunicorn's factory call): the
per-account posting limit (5 an hour) and the per-address log-in limit would otherwise refuse the burst.
CSRF stays on: each visitor GETs the log-in page and the review form for their tokens, as a browser does.

Each account logs in once through the form (GET, POST /login); each review is GET /clinics/<slug>/review,
then POST of the form. A review is acknowledged when its POST answers 2xx or 3xx. Afterwards the database is
read: stored = rows written by the run's accounts, lost = acknowledged reviews with no row, duplicated =
(author, clinic) pairs with more than one row, failed = reviews not acknowledged; server errors count every
5xx answer to any of the requests.
The baseline is one process posting its reviews serially against the same server, before the burst.
Bounded: every request times out after 60 s and each process stops starting reviews after --time-limit.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from provider_dir.accounts.models import User  # noqa: E402
from provider_dir.config import normalise_database_url  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.listings.models import Clinic  # noqa: E402
from provider_dir.reviews.models import Review  # noqa: E402
from tests.databases import recreate_postgres_database  # noqa: E402
from tests.reviews.helpers import review_form  # noqa: E402
from tests.served import PASSWORD, Gunicorn, Visitor, add_clinics, add_patients, migrated_app  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
# A few sentences mixed by the review's number, so that reviews differ as real ones do.
OPENINGS = ("The nurse checked my blood pressure", "Staff measured my oxygen", "A doctor watched my vitals",
            "They explained every step", "The room was quiet and private")  # fmt: skip
MIDDLES = ("before and during every infusion", "every fifteen minutes", "from start to finish",
           "while the infusion ran", "and again before I left")  # fmt: skip
ENDINGS = ("and a friend drove me home.", "and the price matched the quote.", "and follow-up calls came.",
           "and the intake took an hour.", "and I felt safe throughout.")  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=20, help="client processes posting at once")
    parser.add_argument("--per-process", type=int, default=100, help="reviews each process posts")
    parser.add_argument("--clinics", type=int, default=100)
    parser.add_argument("--accounts-per-process", type=int, default=1, help="accounts sharing a process's reviews")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--baseline", type=int, default=100, help="reviews the serial baseline posts")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds after which no review starts")
    return parser.parse_args()


def fresh_database() -> str:
    """Return the URL of an empty database: a SQLite file, or <DATABASE_URL's database>_reviews_bench."""
    given = os.environ.get("DATABASE_URL")
    if given:
        url = make_url(normalise_database_url(given))
        name = f"{url.database}_reviews_bench"
        recreate_postgres_database(url, name)
        return url.set(database=name).render_as_string(hide_password=False)
    path = OUT / "concurrent_reviews.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def review_data(n: int) -> dict:
    """Return a complete review form, its text varied by n."""
    body = f"{OPENINGS[n % 5]} {MIDDLES[n // 5 % 5]}, {ENDINGS[n // 25 % 5]} Visit number {n}."
    return review_form(title=f"Visit {n}: careful monitoring", body=body)


@dataclass
class Tally:
    """What one client process saw."""

    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (email, slug)
    failed: list[str] = field(default_factory=list)
    server_errors: int = 0
    requests: int = 0
    not_started: int = 0


def post_reviews(base_url: str, jobs: list[tuple[int, str, str]], deadline: float) -> Tally:
    """Post each (n, account, clinic) review through the form, logging each account in first; tally the answers."""
    tally = Tally()
    visitors: dict[str, Visitor] = {}
    for n, email, slug in jobs:
        if time.time() > deadline:
            tally.not_started += 1
            continue
        visitor = visitors.get(email)
        answers = []
        try:
            if visitor is None:
                visitor = Visitor(base_url)
                answers.append(visitor.log_in(email, PASSWORD))
                if answers[-1].status < 400:
                    visitors[email] = visitor
            if email in visitors:
                answers.append(visitor.post_form(f"/clinics/{slug}/review", review_data(n)))
        except OSError as exc:
            tally.failed.append(f"{email} {slug}: {exc}")
            continue
        finally:
            tally.server_errors += sum(1 for a in answers if a.status >= 500)
        if email in visitors and answers[-1].status < 400:
            tally.acknowledged.append((email, slug))
        else:
            tally.failed.append(f"{email} {slug}: answers {[a.status for a in answers]}")
    tally.requests = sum(v.requests for v in visitors.values())
    return tally


def client_process(base_url, jobs, deadline, barrier, results) -> None:
    barrier.wait()
    results.put(post_reviews(base_url, jobs, deadline))


def burst(base_url: str, shares: list[list], time_limit: float) -> tuple[Tally, float]:
    """Start one client process per share together; return their combined tally and the wall time of the burst."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(len(shares) + 1), ctx.Queue()
    deadline = time.time() + time_limit
    workers = [ctx.Process(target=client_process, args=(base_url, share, deadline, barrier, results))
               for share in shares]  # fmt: skip
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    total = Tally()
    for _ in workers:
        part = results.get(timeout=time_limit + 300)
        total.acknowledged += part.acknowledged
        total.failed += part.failed
        total.server_errors += part.server_errors
        total.requests += part.requests
        total.not_started += part.not_started
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join(timeout=30)
    return total, elapsed


def count_rows(app, emails: list[str], acknowledged: list[tuple[str, str]]) -> dict[str, int]:
    """Read the database: stored, duplicated and lost for these accounts."""
    with app.app_context():
        rows = db.session.execute(
            select(User.email, Clinic.slug, func.count(Review.id))
            .join(Review, Review.author_id == User.id)
            .join(Clinic, Clinic.id == Review.clinic_id)
            .where(User.email.in_(emails))
            .group_by(User.email, Clinic.slug)
        ).all()
    stored = {(email, slug): n for email, slug, n in rows}
    return {
        "stored": sum(stored.values()),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "lost": sum(1 for key in acknowledged if key not in stored),
    }


def plan(first: int, emails: list[str], slugs: list[str], count: int) -> list[tuple[int, str, str]]:
    """Return count (n, account, clinic) reviews spread over the accounts, no pair twice."""
    if -(-count // len(emails)) > len(slugs):
        raise SystemExit("more reviews per account than clinics: one review per account per clinic is the rule")
    return [(first + j, emails[j % len(emails)], slugs[j // len(emails)]) for j in range(count)]


def report(label: str, jobs: int, tally: Tally, counts: dict, elapsed: float) -> str:
    failed = len(tally.failed) + tally.not_started
    return (f"| {label:<38} | {jobs:>5} | {counts['stored']:>6} | {counts['duplicated']:>10} | {counts['lost']:>4} "
            f"| {failed:>6} | {tally.server_errors:>13} | {tally.requests / elapsed:>8.1f} "
            f"| {len(tally.acknowledged) / elapsed:>9.1f} | {elapsed:>7.1f} |")  # fmt: skip


def main() -> None:
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    url = fresh_database()
    total = args.processes * args.per_process
    app = migrated_app(url)
    per = args.accounts_per_process
    with app.app_context():
        slugs = add_clinics(args.clinics, prefix="bench")
        emails = add_patients(args.processes * per, prefix="burst")
        baseline_emails = add_patients(per, prefix="serial")
        db.session.remove()
    shares = [plan(p * args.per_process, emails[p * per:(p + 1) * per], slugs, args.per_process)
              for p in range(args.processes)]  # fmt: skip
    baseline_jobs = plan(total, baseline_emails, slugs, args.baseline)
    backend = make_url(url).get_backend_name()
    print(f"{backend}: {args.clinics} clinics, {len(emails) + per} patient accounts; gunicorn with "
          f"{args.workers} workers; rate limits off, CSRF on", file=sys.stderr)  # fmt: skip
    log_path = OUT / "concurrent_reviews_gunicorn.log"
    log_path.unlink(missing_ok=True)
    with Gunicorn(url, workers=args.workers, log_path=log_path) as server:
        started = time.perf_counter()
        serial = post_reviews(server.base_url, baseline_jobs, time.time() + args.time_limit)
        serial_elapsed = time.perf_counter() - started
        print(f"baseline done in {serial_elapsed:.1f} s; starting {args.processes} processes", file=sys.stderr)
        concurrent, elapsed = burst(server.base_url, shares, args.time_limit)
    logged_errors = sum(1 for line in log_path.read_text(errors="replace").splitlines() if " ERROR " in line)
    print(f"\n{backend}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"{per} account(s) per process, each logging in once; a review is GET + POST of the form")  # fmt: skip
    print("| run                                    | posts | stored | duplicated | lost | failed | server errors "
          "| req/s    | reviews/s | wall s  |")
    print("|:---------------------------------------|------:|-------:|-----------:|-----:|-------:|--------------:"
          "|---------:|----------:|--------:|")
    print(report("baseline: 1 process, serial", len(baseline_jobs), serial,
                 count_rows(app, baseline_emails, serial.acknowledged), serial_elapsed))  # fmt: skip
    print(report(f"{args.processes} processes x {args.per_process} at once", total, concurrent,
                 count_rows(app, emails, concurrent.acknowledged), elapsed))  # fmt: skip
    print(f"errors logged by the app (gunicorn log): {logged_errors}")
    for line in (serial.failed + concurrent.failed)[:10]:
        print(f"failed: {line}")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
