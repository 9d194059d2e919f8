"""Time every bulk job at two sizes and print the ratio: work that grows linearly costs about the size ratio.

    .venv/bin/python benchmarks/bulk_bench.py                          # SQLite, 100,000 and 1,000,000 clinics
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/bulk_bench.py   # PostgreSQL, 100k and 300k
    .venv/bin/python benchmarks/bulk_bench.py --sizes 100000 --jobs ratings scores

Databases are built once by search_bench.py's builder and kept: on SQLite the very files search_bench.py uses
(benchmarks/out/search_N.sqlite3), on PostgreSQL one database per size, `provider_dir_bulk_bench_N`. The
synthetic seed is the build itself: its time is the one recorded when the database was built. Every other job
runs in one transaction that is rolled back after it is timed, so the databases stay as built and a second run
measures the same work. The jobs do what the command line does (without its per-batch commits); where a job
has nothing to do on a fresh database, it runs as of a later day so that dates have passed. The baseline is
the size ratio: ten times the clinics should cost about ten times the time (the target is at most 1.2 times
the size ratio, i.e. 12 for 100,000 -> 1,000,000). Nothing here is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import search_bench  # noqa: E402

import provider_dir.models.all  # noqa: E402, F401 - every mapper, for the ORM
from provider_dir.config import normalise_database_url  # noqa: E402

PG_PREFIX = "provider_dir_bulk_bench"
LATER = timedelta(days=365)  # "a year on": credentials and evidence dates have passed, so there is work
INSERTED = 10_000  # clinics inserted without their search columns (the triggers fill them)


@dataclass
class Figure:
    """One job's time at one size, with what it did."""

    seconds: float
    cpu: float
    note: str


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=None,
                        help="two clinic counts (default 100000 1000000 on SQLite, 100000 300000 on PostgreSQL)")
    parser.add_argument("--jobs", nargs="+", default=None, help=f"some of: {', '.join(JOBS)}")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if they exist")
    parser.add_argument("--reuse", action="store_true",
                        help="take a size's figures from its last run (benchmarks/out/bulk_*.json) where they exist")
    return parser.parse_args()


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))


def url_for(size: int) -> str:
    """Return the kept database for this size: search_bench's SQLite file, or our own PostgreSQL database."""
    if on_postgres():
        url = make_url(normalise_database_url(os.environ["DATABASE_URL"])).set(database=f"{PG_PREFIX}_{size}")
        return url.render_as_string(hide_password=False)
    return search_bench.backend_url(size)


def recorded_phases(app) -> dict[str, float]:
    """Return the build's phase times kept in the database (empty for a database built before they were kept)."""
    from provider_dir.extensions import db

    try:
        with db.engine.connect() as conn:
            return {phase: seconds for phase, seconds in conn.execute(text("SELECT phase, seconds FROM bench_phase"))}
    except Exception:  # noqa: BLE001 - an older build without the table
        return {}


# --- the jobs ---------------------------------------------------------------------------------------------
# Each takes the session and returns a short note of what it did; it runs inside an app context.


def job_ratings(session) -> str:
    from provider_dir.reviews.figures.ratings import recompute_all

    clinics = recompute_all(session)
    return f"{clinics:,} clinics, figures already right"


def job_ratings_rewrite(session) -> str:
    from flask import current_app

    from provider_dir.reviews.figures.ratings import recompute_all, stored_prior

    # A new prior weight changes every rated clinic's Bayesian rating: every one of those rows is rewritten.
    current_app.config["REVIEW_PRIOR_WEIGHT"] = stored_prior(session).weight + 1
    try:
        recompute_all(session)
    finally:
        current_app.config.pop("REVIEW_PRIOR_WEIGHT")
    from provider_dir.listings.models import Clinic

    rated = session.scalar(select(func.count()).where(Clinic.rating_count > 0))
    return f"{rated:,} rated clinics rewritten (prior weight +1)"


def job_scores(session) -> str:
    from provider_dir.scoring import services

    stats = services.recompute_all(session, services.today())
    return f"{stats.clinics:,} clinics, {stats.totals_changed:,} totals changed"


def job_scores_due(session) -> str:
    from provider_dir.scoring import services

    on = services.today() + LATER
    ids = services.due_clinic_ids(session, on)
    stats = services.recompute_all(session, on, only=ids)
    return f"{len(ids):,} due a year on, {stats.snapshots_written:,} snapshots written"


def job_lapsed(session) -> str:
    from provider_dir.credentials import lapsed
    from provider_dir.scoring import services

    on = services.today() + LATER
    ids = lapsed.lapsed_flag_clinic_ids(session, on)
    cleared = sum(lapsed.clear_lapsed_flags(session, ids[i : i + services.BATCH_SIZE], on)
                  for i in range(0, len(ids), services.BATCH_SIZE))  # fmt: skip
    return f"{cleared:,} flags cleared a year on"


def job_search_columns(session) -> str:
    from provider_dir.listings.models import Clinic
    from provider_dir.seeding.bulk import next_id

    # Copies of existing listings under new ids, without their derived columns: as an import writes them.
    table = Clinic.__table__
    derived = {"geo_cell", "geo_x", "geo_y", "geo_z"}
    columns = [c for c in table.columns if c.key not in derived and c.key != "id"]
    first = next_id(session, table)
    rows = [dict(row._mapping) for row in session.execute(select(*columns).order_by(table.c.id).limit(INSERTED))]
    for offset, row in enumerate(rows):
        row["id"], row["slug"] = first + offset, f"bulk-bench-{first + offset}"
    session.execute(insert(table), rows)
    filled = session.scalar(select(func.count()).where(table.c.id >= first, table.c.geo_x.is_not(None)))
    return f"{len(rows):,} clinics inserted, {filled:,} filled by the triggers"


JOBS: dict[str, tuple[str, Callable]] = {
    "seed": ("synthetic seed (the build; recorded)", None),
    "scores-build": ("scores, first run writing every one (recorded)", None),
    "ratings-build": ("reviews recompute after the load (recorded)", None),
    "ratings": ("reviews recompute (ratings)", job_ratings),
    "ratings-rewrite": ("reviews recompute, every rated row rewritten", job_ratings_rewrite),
    "scores": ("scores recompute (all)", job_scores),
    "scores-due": ("scores recompute --due, a year on", job_scores_due),
    "lapsed": ("lapsed-credential flags, a year on", job_lapsed),
    "search-columns": (f"derived search columns ({INSERTED:,} inserts)", job_search_columns),
}


RECORDED = {"seed": "seed", "scores-build": "scores", "ratings-build": "ratings"}  # job: phase of the build


def run_size(size: int, jobs: list[str], rebuild: bool) -> dict[str, Figure]:
    from provider_dir import create_app
    from provider_dir.extensions import db

    url = url_for(size)
    if rebuild or search_bench.published_count(url) != size:
        search_bench.build(url, size)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    figures: dict[str, Figure] = {}
    with app.app_context():
        phases = recorded_phases(app)
        for name in jobs:
            label, job = JOBS[name]
            if job is None:
                phase = RECORDED[name]
                if phase in phases:
                    figures[name] = Figure(phases[phase], float("nan"), "recorded when the database was built")
                continue
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                note = job(db.session)
                db.session.flush()
                figures[name] = Figure(time.perf_counter() - wall, time.process_time() - cpu, note)
            finally:
                db.session.rollback()
            print(f"{db.engine.dialect.name} {size:>9,}  {label:<46} {figures[name].seconds:8.1f} s  "
                  f"({figures[name].note})", file=sys.stderr)  # fmt: skip
        db.session.remove()
        db.engine.dispose()
    return figures


def saved_path(size: int) -> Path:
    return search_bench.OUT / f"bulk_{'postgresql' if on_postgres() else 'sqlite'}_{size}.json"


def figures_for(size: int, jobs: list[str], args: argparse.Namespace) -> dict[str, Figure]:
    """Run the jobs at this size and keep the figures; with --reuse, take those kept from the last run."""
    path = saved_path(size)
    if args.reuse and path.exists():
        saved = {name: Figure(**values) for name, values in json.loads(path.read_text()).items()}
        if all(name in saved for name in jobs):
            print(f"{size:,}: figures of the last run ({path.name})", file=sys.stderr)
            return saved
    figures = run_size(size, jobs, args.rebuild)
    kept = json.loads(path.read_text()) if path.exists() else {}
    kept.update({name: asdict(figure) for name, figure in figures.items()})
    path.write_text(json.dumps(kept, indent=1))
    return figures


def main() -> None:
    args = parse_args()
    postgres = on_postgres()
    sizes = [int(part) for given in (args.sizes or []) for part in given.split(",") if part] or \
        ([100_000, 300_000] if postgres else [100_000, 1_000_000])
    jobs = args.jobs or list(JOBS)
    unknown = [j for j in jobs if j not in JOBS]
    if unknown:
        raise SystemExit(f"unknown job(s): {', '.join(unknown)}; choose from {', '.join(JOBS)}")
    search_bench.OUT.mkdir(parents=True, exist_ok=True)
    results = {size: figures_for(size, jobs, args) for size in sizes}
    small, large = sizes[0], sizes[-1]
    bound = 1.2 * large / small
    print(f"\n{'postgresql' if postgres else 'sqlite'}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"linear work: ratio about {large / small:.0f}, target at most {bound:.0f}")  # fmt: skip
    # On SQLite every step runs in this process, so its CPU time is the figure that other work on the machine
    # does not inflate; PostgreSQL works in its server, so there only wall time is shown.
    cpu = not postgres
    head = f"| job {'':<44} | {small:>11,} (s) | {large:>11,} (s) | ratio |"
    rule = f"|:{'-' * 48}|{'-' * 16}:|{'-' * 16}:|------:|"
    if cpu:
        head += f" CPU {small:>9,} (s) | CPU {large:>9,} (s) | CPU ratio |"
        rule += f"{'-' * 18}:|{'-' * 18}:|----------:|"
    print(head)
    print(rule)
    for name in jobs:
        label = JOBS[name][0]
        a, b = results[small].get(name), results[large].get(name)
        if a is None or b is None:
            print(f"| {label:<48} | {'n/a':>15} | {'n/a':>15} |   n/a |")
            continue
        line = f"| {label:<48} | {a.seconds:>15.1f} | {b.seconds:>15.1f} | {ratio(a.seconds, b.seconds)} |"
        if cpu:
            line += f" {a.cpu:>17.1f} | {b.cpu:>17.1f} | {ratio(a.cpu, b.cpu):>9} |"
        print(line)


def ratio(small: float, large: float) -> str:
    """Return large / small for the table ("-" where not measured)."""
    if not small or small != small or large != large:  # zero or NaN (a recorded phase has no CPU time)
        return "    -"
    return f"{large / small:>5.1f}"


if __name__ == "__main__":
    main()
