"""Radius search at 10,000 / 100,000 / 1,000,000 synthetic clinics, against a full scan with geopy.

    .venv/bin/python benchmarks/search_bench.py                      # SQLite, 10k, 100k and 1M
    .venv/bin/python benchmarks/search_bench.py --sizes 10000 100000 # some sizes
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/search_bench.py --sizes 100000

Databases are built once with the synthetic generator (clustered like the US population) and kept:
SQLite files in benchmarks/out/, or the PostgreSQL database `provider_dir_geo_bench` (rebuilt when the size
changes). Searches run at real places: the most populous US places (dense metros) and a fixed random draw
of small towns. Each search is timed end to end through `search_clinics` (SQL and loading the 20 clinics),
after one untimed pass that warms the caches. The baseline reads every published clinic and computes each
distance with geopy's geodesic, then sorts: it is run at a few places only, since at a million clinics one
such search takes about a minute; the speed-up compares medians. Nothing here is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import click
from geopy.distance import geodesic
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import provider_dir.models.all  # noqa: E402, F401 - every mapper, for the ORM
from provider_dir.config import normalise_database_url  # noqa: E402
from provider_dir.geo.search import SearchQuery, SortOrder, search_clinics  # noqa: E402
from provider_dir.listings.models import Clinic  # noqa: E402
from provider_dir.listings.vocab import ClinicStatus, Condition  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
PLACES_CSV = ROOT / "seeds" / "geo" / "us_places.csv"
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "provider_dir_geo_bench")  # one per session on a shared server
RANDOM_SEED = 20261126
MIDTOWN = ("Midtown Manhattan", 40.7549, -73.9840)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["10000,100000,1000000"],
                        help="clinic counts, separated by spaces or commas")  # fmt: skip
    parser.add_argument("--metros", type=int, default=100, help="searches at the most populous places")
    parser.add_argument("--towns", type=int, default=100, help="searches at small towns (fewer than 5,000 people)")
    parser.add_argument("--baseline", type=int, default=0, help="full-scan runs (default: 5 up to 100k, 3 above)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if they exist")
    return parser.parse_args()


# --- databases -------------------------------------------------------------------------------------------


def backend_url(size: int) -> str:
    """Return the URL of the benchmark database for this size (SQLite unless DATABASE_URL is PostgreSQL)."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql")):
        url = make_url(normalise_database_url(given)).set(database=PG_DATABASE)
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{OUT / f'search_{size}.sqlite3'}"


def published_count(url: str) -> int | None:
    """Return how many clinics the database holds, or None when it has no finished build."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            done = conn.execute(text("SELECT note FROM bench_build")).scalar()
            return int(done) if done else None
    except Exception:  # noqa: BLE001 - no database, no table: not built
        return None
    finally:
        engine.dispose()


def recreate(url: str) -> None:
    """Start from an empty database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    name = parsed.database  # ours: PG_DATABASE here, or bulk_bench.py's own
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def build(url: str, size: int) -> dict[str, float]:
    """Migrate an empty database and fill it with `size` synthetic clinics, with progress bars.

    Returns the seconds each phase took (also kept in the database's bench_phase table, for bulk_bench.py).
    """
    from flask_migrate import upgrade

    from provider_dir import create_app
    from provider_dir.extensions import db
    from provider_dir.reviews.figures.ratings import recompute_all as recompute_ratings
    from provider_dir.scoring.models import ScoreSnapshot
    from provider_dir.scoring.services import recompute_all as recompute_scores
    from provider_dir.seeding.bulk import indexes_built_after
    from provider_dir.seeding.synthetic import BATCH_TABLES, add_synthetic_clinics

    recreate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    started, cpu_started = time.perf_counter(), cpu_seconds()
    phases: dict[str, float] = {}
    clock: list[float] = []

    def start() -> None:
        clock[:] = [time.perf_counter(), cpu_seconds(), cpu_seconds(user_only=True), disk_read_mb()]

    def done(phase: str) -> None:
        """Keep the phase's wall seconds, and as "<phase> cpu", "<phase> user" and "<phase> read" its CPU and user
        CPU (with the row builders that finished) and the megabytes this process read from the disk itself."""
        phases[phase] = time.perf_counter() - clock[0]
        phases[f"{phase} cpu"] = cpu_seconds() - clock[1]
        phases[f"{phase} user"] = cpu_seconds(user_only=True) - clock[2]
        phases[f"{phase} read"] = disk_read_mb() - clock[3]

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        # A new database: the indexes not in load order are built once at the end (seeding/bulk.py).
        with indexes_built_after(db.session, (*BATCH_TABLES, ScoreSnapshot.__table__)):
            with click.progressbar(length=size, label=f"building {size:,} clinics", file=sys.stderr) as bar:
                start()
                # progress gets the clinics written by each chunk
                add_synthetic_clinics(db.session, size, RANDOM_SEED, progress=bar.update, commit=True)
                db.session.commit()
                done("seed")
            # Bulk inserts bypass the events that keep scores and ratings current: compute them as `flask seed` does.
            with click.progressbar(length=size, label="quality scores", file=sys.stderr) as bar:
                start()
                recompute_scores(db.session, after_batch=bar.update)
                db.session.commit()
                done("scores")
            start()
            recompute_ratings(db.session)
            db.session.commit()
            done("ratings")
            start()  # the deferred indexes are built as the block ends
        db.session.commit()
        done("indexes")
        with db.engine.connect() as conn:
            conn.execute(text("CREATE TABLE bench_phase (phase VARCHAR(40), seconds FLOAT)"))
            conn.execute(text("INSERT INTO bench_phase VALUES (:p, :s)"),
                         [{"p": phase, "s": seconds} for phase, seconds in phases.items()])
            conn.execute(text("CREATE TABLE bench_build (note VARCHAR(40))"))
            conn.execute(text("INSERT INTO bench_build VALUES (:n)"), {"n": str(size)})
            conn.commit()
        db.engine.dispose()
    analyse(url)
    phases["total"] = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_started
    print(f"built {size:,} clinics in {phases['total']:.0f} s ("
          + ", ".join(f"{k} {v:.0f} s" for k, v in phases.items() if k != "total" and " " not in k)
          + f"); CPU time of this process and its row builders {cpu:.0f} s, load average {os.getloadavg()[0]:.1f}",
          file=sys.stderr)
    return phases


def cpu_seconds(user_only: bool = False) -> float:
    """Return the CPU seconds (or user CPU seconds) of this process and its finished children (the row builders)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    if user_only:
        return own.ru_utime + children.ru_utime
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def disk_read_mb() -> float:
    """Return the megabytes this process has read from the disk itself (not from the OS's page cache); 0 off Linux."""
    try:
        with open("/proc/self/io", encoding="ascii") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("read_bytes")) / 1e6
    except OSError:
        return 0.0


def analyse(url: str) -> None:
    """Refresh the planner's statistics (and PostgreSQL's visibility map, for index-only scans)."""
    if make_url(url).get_backend_name() == "sqlite":
        # In a transaction that commits: the app's engine opens one (BEGIN IMMEDIATE) even under AUTOCOMMIT,
        # where SQLAlchemy then never commits it, so ANALYZE was rolled back and the statistics never kept.
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    else:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


# --- places ----------------------------------------------------------------------------------------------


def places(metros: int, towns: int) -> tuple[list[tuple], list[tuple]]:
    """Return (dense metros, small towns) as (name, lat, lon): the most populous places, and a fixed draw of towns."""
    with PLACES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [(f"{r['name']}, {r['state']}", float(r["latitude"]), float(r["longitude"]), int(r["population"]))
                for r in csv.DictReader(fh)]  # fmt: skip
    rows.sort(key=lambda r: -r[3])
    big = [r[:3] for r in rows[:metros]]
    small = [r[:3] for r in rows if 500 <= r[3] < 5000]
    return big, random.Random(RANDOM_SEED).sample(small, towns)


# --- measuring -------------------------------------------------------------------------------------------


class Timings(list):
    """Wall-clock times in ms, with the process's CPU times alongside (the same on a quiet machine)."""

    def __init__(self):
        super().__init__()
        self.cpu: list[float] = []

    def part(self, start: int, stop: int) -> Timings:
        """Return the timings of searches start..stop-1."""
        piece = Timings()
        piece.extend(self[start:stop])
        piece.cpu.extend(self.cpu[start:stop])
        return piece


def timed_searches(session: Session, spots: list[tuple], **criteria) -> tuple[Timings, list]:
    """Run one search per place (a warm-up pass first); return the times in ms and the results."""
    queries = [SearchQuery(latitude=lat, longitude=lon, radius_miles=25, **criteria) for _, lat, lon in spots]
    for query in queries:
        search_clinics(session, query)
        session.expunge_all()
    times, results = Timings(), []
    for query in queries:
        wall, cpu = time.perf_counter(), time.process_time()
        found = search_clinics(session, query)
        times.cpu.append((time.process_time() - cpu) * 1000)
        times.append((time.perf_counter() - wall) * 1000)
        results.append(found)
        session.expunge_all()
    return times, results


def full_scan(session: Session, lat: float, lon: float, radius_miles: float = 25, limit: int = 20) -> list[int]:
    """The baseline: read every published clinic, geopy geodesic to each, keep the radius, sort, take 20."""
    rows = session.execute(
        select(Clinic.id, Clinic.latitude, Clinic.longitude).where(Clinic.status == ClinicStatus.PUBLISHED)
    )
    origin = (lat, lon)
    near = []
    for clinic_id, clat, clon in rows:
        miles = geodesic(origin, (clat, clon)).miles
        if miles <= radius_miles:
            near.append((miles, clinic_id))
    near.sort()
    return [clinic_id for _, clinic_id in near[:limit]]


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of the values."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def table_line(size: int, label: str, times: list[float], in_process: bool = True) -> str:
    """Return a table row; CPU time only where the database runs in this process (SQLite)."""
    cpu = getattr(times, "cpu", None) if in_process else None
    cpu_text = f"{statistics.median(cpu):>12.2f}" if cpu else f"{'':>12}"
    return (f"| {size:>9,} | {label:<44} | {len(times):>4} | {statistics.median(times):>9.2f} "
            f"| {percentile(times, 95):>9.2f} | {cpu_text} |")  # fmt: skip


def geocoder_figures() -> None:
    """Print what building the offline gazetteer costs once, and what a look-up costs after that."""
    from provider_dir.geo.places.gazetteer import gazetteer
    from provider_dir.geo.places.offline import OfflineGeocoder

    started = time.perf_counter()
    gazetteer()
    built = time.perf_counter() - started
    geocoder = OfflineGeocoder()
    for query in ("10001", "Chicago, IL", "springfield", "40.75,-73.99"):
        rounds = 20_000
        started = time.perf_counter()
        for _ in range(rounds):
            geocoder.geocode(query)
        each = (time.perf_counter() - started) / rounds * 1e6
        print(f"offline geocoder: {query!r:<16} {each:6.1f} µs per look-up")
    print(f"offline geocoder: gazetteer built once per process in {built:.2f} s")


def run_size(size: int, args: argparse.Namespace, metros: list, towns: list) -> list[str]:
    url = backend_url(size)
    if args.rebuild or published_count(url) != size:
        build(url, size)
    engine = create_engine(url)
    rows = []
    in_process = engine.dialect.name == "sqlite"

    def line(size: int, label: str, times: list[float]) -> str:
        return table_line(size, label, times, in_process)

    with Session(engine) as session:
        published = session.scalar(select(func.count()).where(Clinic.status == ClinicStatus.PUBLISHED))
        name, lat, lon = MIDTOWN
        within = sum(1 for _ in session.execute(
            select(Clinic.latitude, Clinic.longitude).where(
                Clinic.status == ClinicStatus.PUBLISHED, Clinic.latitude.between(lat - 0.37, lat + 0.37),
                Clinic.longitude.between(lon - 0.49, lon + 0.49))
        ) if geodesic((lat, lon), _).miles <= 25)  # fmt: skip
        print(f"\n{engine.dialect.name}, {size:,} clinics ({published:,} published); "
              f"{within:,} within 25 miles of {name}", file=sys.stderr)  # fmt: skip
        everywhere = metros + towns

        t_all, found = timed_searches(session, everywhere)
        t_metro, t_town = t_all.part(0, len(metros)), t_all.part(len(metros), len(t_all))
        rows.append(line(size, "nearest 20 within 25 mi, by distance: all", t_all))
        rows.append(line(size, "  ... at dense metros", t_metro))
        rows.append(line(size, "  ... at small towns", t_town))
        t_filtered, _ = timed_searches(session, everywhere, condition=Condition.PTSD, max_price_usd=500)
        rows.append(line(size, "same, with 2 filters (PTSD, <= $500)", t_filtered))
        dense = metros[: max(1, len(metros) // 2)]
        t_score, _ = timed_searches(session, dense, sort=SortOrder.SCORE)
        rows.append(line(size, f"by score, {len(dense)} densest metros", t_score))
        t_rating, _ = timed_searches(session, dense, sort=SortOrder.RATING)
        rows.append(line(size, f"by rating, {len(dense)} densest metros", t_rating))

        runs = args.baseline or (5 if size <= 100_000 else 3)
        alternating = [spot for pair in zip(metros[1:], towns, strict=False) for spot in pair]
        baseline_spots = [MIDTOWN, *alternating][:runs]
        t_base, agree = Timings(), 0
        for _name, blat, blon in baseline_spots:
            wall, cpu = time.perf_counter(), time.process_time()
            expected = full_scan(session, blat, blon)
            t_base.cpu.append((time.process_time() - cpu) * 1000)
            t_base.append((time.perf_counter() - wall) * 1000)
            got = search_clinics(session, SearchQuery(latitude=blat, longitude=blon, radius_miles=25))
            agree += [hit.clinic.id for hit in got.hits] == expected
            session.expunge_all()
        rows.append(line(size, "full scan with geopy geodesic (baseline)", t_base))
        speedup = statistics.median(t_base) / statistics.median(t_all)
        if engine.dialect.name == "sqlite":  # all the work is in this process: CPU time is the load-proof figure
            speedup_cpu = statistics.median(t_base.cpu) / statistics.median(t_all.cpu)
            rows.append(f"| {size:>9,} | speed-up in CPU time: {speedup_cpu:,.0f}x |")
        rows.append(f"| {size:>9,} | speed-up of the median search over the full scan: {speedup:,.0f}x; same 20 "
                    f"clinics in the same order at {agree}/{len(baseline_spots)} baseline places |")  # fmt: skip
        capped = sum(1 for r in found if not r.total_is_exact)
        print(f"totals capped at 1,000 at {capped} of {len(found)} places", file=sys.stderr)
    engine.dispose()
    return rows


def main() -> None:
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    metros, towns = places(args.metros, args.towns)
    geocoder_figures()
    header = [
        "| clinics   | search (radius 25 miles, 20 per page)        |    n |  p50 (ms) |  p95 (ms) | CPU p50 (ms) |",
        "|----------:|:---------------------------------------------|-----:|----------:|----------:|-------------:|",
    ]
    rows = []
    sizes = [int(part) for given in args.sizes for part in given.split(",") if part]
    for size in sizes:
        rows.extend(run_size(size, args, metros, towns))
    load = os.getloadavg()[0]
    print(f"\n{create_engine(backend_url(0)).dialect.name}, {os.cpu_count()} cores, load average {load:.1f}")
    print("\n".join(header + rows))


if __name__ == "__main__":
    main()
