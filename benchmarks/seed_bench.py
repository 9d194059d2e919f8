"""Time `flask seed --synthetic N` on a fresh database against a simple ORM baseline; print figures only.

    .venv/bin/python benchmarks/seed_bench.py                 # 100,000 clinics on a fresh SQLite file
    .venv/bin/python benchmarks/seed_bench.py --n 20000
    DATABASE_URL=postgresql+psycopg://postgres:postgres@127.0.0.1:5432/provider_dir_seed \\
        .venv/bin/python benchmarks/seed_bench.py             # uses sibling databases <name>_bench_*

The baseline builds the same rows for a few thousand clinics but writes them the plain way, one ORM object
per row with `session.add()`, and its time per clinic is extrapolated to N. It never asserts a time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from provider_dir import create_app  # noqa: E402
from provider_dir.accounts.models import User  # noqa: E402
from provider_dir.config import PROJECT_ROOT, normalise_database_url  # noqa: E402
from provider_dir.credentials.models import Credential, StaffMember  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.listings.models import Clinic  # noqa: E402
from provider_dir.reviews.models import Review  # noqa: E402
from provider_dir.scoring.models import ChecklistAnswer  # noqa: E402
from provider_dir.seeding.quickrandom import QuickRandom  # noqa: E402
from provider_dir.seeding.synthetic import SyntheticBuilder, reviewer_rows  # noqa: E402


def fresh_database(purpose: str, tmp: Path) -> str:
    """Return the URL of an empty database: a new SQLite file, or a recreated PostgreSQL sibling database."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp / f'{purpose}.sqlite3'}"
    url = make_url(normalise_database_url(base))
    name = f"{url.database}_bench_{purpose}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def migrated_app(url: str):
    """Return an app on the URL with the schema migrated to head."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    return app


def time_command(app, n: int, seed: int) -> float:
    """Run `flask seed --synthetic n` and return its wall time in seconds."""
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["seed", "--synthetic", str(n), "--random-seed", str(seed)])
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"seed failed: {result.output}\n{result.exception!r}")
    with app.app_context():
        counted = db.session.scalar(select(func.count()).select_from(Clinic))
        rows = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
                for m in (StaffMember, Credential, ChecklistAnswer, Review, User)}
    print(f"  wrote {counted:,} clinics, " + ", ".join(f"{v:,} {k}" for k, v in rows.items()))
    return elapsed


def time_orm_baseline(app, n: int, seed: int) -> float:
    """Write n clinics (same row builder) one ORM object at a time; return seconds."""
    rng = QuickRandom(seed)
    today = date.today()
    with app.app_context():
        started = time.perf_counter()
        users = []
        for row in reviewer_rows(rng, range(1, 2 + n // 2), datetime.now(UTC)):
            row.pop("id")
            users.append(User(**row))
            db.session.add(users[-1])
        db.session.flush()
        builder = SyntheticBuilder(seed, today=today, first_clinic_id=1, first_staff_id=1, first_review_id=1,
                                   reviewer_ids=range(users[1].id, users[-1].id + 1), moderator_id=users[0].id,
                                   chunk_size=n)
        batch = builder.chunk(0, n)
        for model, rows in ((Clinic, batch.clinics), (StaffMember, batch.staff), (Credential, batch.credentials),
                            (ChecklistAnswer, batch.answers), (Review, batch.reviews)):
            for row in rows:
                db.session.add(model(**row))
            db.session.flush()
        db.session.commit()
        return time.perf_counter() - started


def main() -> None:
    """Parse arguments, run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic clinics to add (default 100,000)")
    parser.add_argument("--baseline-n", type=int, default=2_000, help="clinics for the ORM baseline")
    parser.add_argument("--random-seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"seed benchmark on {backend}, {os.cpu_count()} CPUs, load average {load:.2f}")

        print(f"flask seed --synthetic {args.n:,} --random-seed {args.random_seed}:")
        fast = time_command(migrated_app(fresh_database("fast", tmp)), args.n, args.random_seed)
        print(f"  {fast:.1f} s in total, {args.n / fast:,.0f} clinics/s")

        print(f"baseline: ORM session.add() per object, {args.baseline_n:,} clinics:")
        slow = time_orm_baseline(migrated_app(fresh_database("baseline", tmp)), args.baseline_n, args.random_seed)
        per_clinic = slow / args.baseline_n
        print(f"  {slow:.1f} s, {args.baseline_n / slow:,.0f} clinics/s; "
              f"extrapolated to {args.n:,} clinics: {per_clinic * args.n:.0f} s")
        print(f"speed-up of the seed command over the baseline: {per_clinic * args.n / fast:.1f}x")
        if backend == "SQLite":
            with create_engine(f"sqlite:///{tmp / 'fast.sqlite3'}").connect() as conn:
                pages = conn.execute(text("PRAGMA page_count")).scalar() * conn.execute(
                    text("PRAGMA page_size")).scalar()
            print(f"database size after the seed command: {pages / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
