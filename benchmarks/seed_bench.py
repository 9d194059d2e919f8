"""Time `flask seed --synthetic N` on fresh databases against a simple ORM baseline; print figures only.

    .venv/bin/python benchmarks/seed_bench.py                 # 100,000 clinics on a fresh SQLite file
    .venv/bin/python benchmarks/seed_bench.py --n 20000
    DATABASE_URL=postgresql+psycopg://postgres:postgres@127.0.0.1:5432/provider_dir_seed \\
        .venv/bin/python benchmarks/seed_bench.py             # SQLite, then PostgreSQL (sibling databases
                                                              # <name>_bench_*), in the same run
    DATABASE_URL=... .venv/bin/python benchmarks/seed_bench.py --databases postgresql --previous

The baseline builds the same rows for a few thousand clinics but writes them the plain way, one ORM object
per row with `session.add()`, and its time per clinic is extrapolated to N. --previous also times, on
PostgreSQL, the path used before the COPY module (the INSERT path's row-by-row `copy.write_row` from one
process, with keys and indexes in place), at full N. Besides wall time each run prints the CPU seconds of
this process, its row-building processes and (on a local PostgreSQL) the server process that loaded the
rows: on a shared machine the wall time depends on the other load, the CPU seconds hardly. It never
asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
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
from provider_dir.models.collector import collector_paused  # noqa: E402
from provider_dir.reviews.models import Review  # noqa: E402
from provider_dir.scoring.models import ChecklistAnswer  # noqa: E402
from provider_dir.seeding.quickrandom import QuickRandom  # noqa: E402
from provider_dir.seeding.synthetic import SyntheticBuilder, reviewer_rows  # noqa: E402


def fresh_database(purpose: str, tmp: Path, backend: str) -> str:
    """Return the URL of an empty database: a new SQLite file, or a recreated PostgreSQL sibling database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'{purpose}.sqlite3'}"
    url = make_url(normalise_database_url(os.environ["DATABASE_URL"]))
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


def own_and_children_cpu() -> float:
    """Return the CPU seconds of this process and its finished children (the forked row builders)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def server_cpu(app) -> float | None:
    """Return the CPU seconds of the app's PostgreSQL server process so far (local servers), else None."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return None
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_command(app, n: int, seed: int, previous: bool = False) -> float:
    """Run `flask seed --synthetic n` (or the previous PostgreSQL path) and return its wall time in seconds."""
    cpu0, server0 = own_and_children_cpu(), server_cpu(app)
    started = time.perf_counter()
    if previous:  # the INSERT path, which on PostgreSQL wrote each row with copy.write_row from this process
        from provider_dir.seeding.synthetic import _add_synthetic_clinics

        with app.app_context(), collector_paused():
            _add_synthetic_clinics(db.session, n, seed, None, today=date.today(), commit=True, chunk=2_000,
                                   workers=None)
    else:
        result = app.test_cli_runner().invoke(args=["seed", "--synthetic", str(n), "--random-seed", str(seed)])
        if result.exit_code != 0:
            raise SystemExit(f"seed failed: {result.output}\n{result.exception!r}")
    elapsed = time.perf_counter() - started
    cpu, server1 = own_and_children_cpu() - cpu0, server_cpu(app)
    server = f", database server {server1 - server0:.0f} s" if server0 is not None and server1 is not None else ""
    load = os.getloadavg()[0]
    with app.app_context():
        counted = db.session.scalar(select(func.count()).select_from(Clinic))
        rows = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
                for m in (StaffMember, Credential, ChecklistAnswer, Review, User)}
    print(f"  wrote {counted:,} clinics, " + ", ".join(f"{v:,} {k}" for k, v in rows.items()))
    print(f"  CPU: this process and its row builders {cpu:.0f} s{server}; load average {load:.1f} at the end")
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
    """Parse arguments, run the measurements on each database and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic clinics to add (default 100,000)")
    parser.add_argument("--baseline-n", type=int, default=2_000, help="clinics for the ORM baseline")
    parser.add_argument("--random-seed", type=int, default=1)
    given = os.environ.get("DATABASE_URL", "").startswith("postgres")
    parser.add_argument("--databases", nargs="+", choices=("sqlite", "postgresql"),
                        default=["sqlite", "postgresql"] if given else ["sqlite"],
                        help="default: both when DATABASE_URL names a PostgreSQL server, else SQLite")
    parser.add_argument("--previous", action="store_true",
                        help="also time the PostgreSQL path used before COPY from the row builders, at full N")
    args = parser.parse_args()
    if "postgresql" in args.databases and not given:
        raise SystemExit("set DATABASE_URL to a PostgreSQL server for --databases postgresql")
    print(f"seed benchmark, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for backend in args.databases:
            run_backend(backend, args, tmp)


def run_backend(backend: str, args: argparse.Namespace, tmp: Path) -> None:
    """Print the seed command's figures on one database, beside the ORM baseline (and the previous path)."""
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
    print(f"\n{name}: flask seed --synthetic {args.n:,} --random-seed {args.random_seed}:")
    fast = time_command(migrated_app(fresh_database("fast", tmp, backend)), args.n, args.random_seed)
    print(f"  {fast:.1f} s in total, {args.n / fast:,.0f} clinics/s")
    if args.previous and backend == "postgresql":
        print(f"{name}, the previous path (INSERT path, write_row per row from one process), {args.n:,} clinics:")
        before = time_command(migrated_app(fresh_database("previous", tmp, backend)), args.n, args.random_seed,
                              previous=True)
        print(f"  {before:.1f} s in total; the seed command is {before / fast:.1f}x faster")
    print(f"{name} baseline: ORM session.add() per object, {args.baseline_n:,} clinics:")
    slow = time_orm_baseline(migrated_app(fresh_database("baseline", tmp, backend)), args.baseline_n,
                             args.random_seed)
    per_clinic = slow / args.baseline_n
    print(f"  {slow:.1f} s, {args.baseline_n / slow:,.0f} clinics/s; "
          f"extrapolated to {args.n:,} clinics: {per_clinic * args.n:.0f} s")
    print(f"  speed-up of the seed command over the baseline: {per_clinic * args.n / fast:.1f}x")
    if backend == "sqlite":
        with create_engine(f"sqlite:///{tmp / 'fast.sqlite3'}").connect() as conn:
            pages = conn.execute(text("PRAGMA page_count")).scalar() * conn.execute(
                text("PRAGMA page_size")).scalar()
        print(f"  database size after the seed command: {pages / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
