"""Time every bulk job at two sizes and print the ratio: work that grows linearly costs about the size ratio.

    .venv/bin/python benchmarks/bulk_bench.py                          # SQLite, 100,000 and 1,000,000 clinics
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/bulk_bench.py   # PostgreSQL, 100k and 300k
    .venv/bin/python benchmarks/bulk_bench.py --sizes 100000 --jobs ratings scores

Databases are built once by search_bench.py's builder and kept: on SQLite the very files search_bench.py uses
(benchmarks/out/search_N.sqlite3), on PostgreSQL one database per size, `provider_dir_bulk_bench_N`. The
synthetic seed is the build itself: its times are those recorded when the database was built (wall, and CPU of the
builder with its row-building processes for builds made since the build kept it; --rebuild to get it). Every other job
runs in one transaction that is rolled back after it is timed, so the databases stay as built and a second run
measures the same work. The jobs do what the command line does (without its per-batch commits); where a job
has nothing to do on a fresh database, it runs as of a later day so that dates have passed. The baseline is
the size ratio: ten times the clinics should cost about ten times the time (the target is at most 1.2 times
the size ratio, i.e. 12 for 100,000 -> 1,000,000). Nothing here is asserted: it prints figures.

CPU time is the figure to compare (other sessions on a shared machine inflate wall time): this process's, plus on
PostgreSQL the server backend's that served the job (read from /proc, the server being on this machine). "read" is
what the process read from the disk itself rather than the OS's page cache; on SQLite each job starts with the
database file read once into that cache (--cold to skip), so both sizes start alike. A virtual machine's host
may still take that cache back while a long job runs (its memory balloon does on the machine the README's figures
come from), and the job then reads the pages again from the disk and pays system time for it: "user" is the CPU
time without the kernel's part, the work the job itself does. The import imports a CSV of
one row per ten clinics (import_bench.py's rows); the registry jobs load an NPPES file of every staff NPI in the
database (registry_bench.py's writer) and check every staff member; the files are written once into benchmarks/out/.
JOBS below is the table of jobs: add a row to measure another (the exports, say). --repeat N runs each job N times
and keeps its run of least CPU: other work on the machine only ever adds time, so the least is the job's own.
"""

from __future__ import annotations

import argparse
import contextlib
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
from search_bench import disk_read_mb  # noqa: E402

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
    load: float = float("nan")  # the load average when it ended (other work on the machine inflates wall time)
    read_mb: float = float("nan")  # read from disk by this process (not the OS cache): SQLite's pages that missed
    user: float = float("nan")  # user CPU only: the work itself, without the kernel's time reading pages back


def warm(url: str) -> None:
    """Read a SQLite database file (and its write-ahead log) once, so each job starts with it in the OS's cache.

    Without it the two sizes start unequal: the 100,000-clinic file (0.9 GB) stays cached between jobs, while
    the machine reclaims the million's (9 GB) as it goes cold, and a job then pays for reading it back from the
    disk (the "read" column) on top of its work. --cold leaves the cache as it is.
    """
    database = make_url(url).database
    if not database:
        return
    warm_file(Path(database), Path(f"{database}-wal"))


def warm_file(*paths: Path) -> None:
    """Read files once (those that exist), so that a job finds them in the OS's cache."""
    started, total = time.perf_counter(), 0
    for path in paths:
        if path.exists():
            with path.open("rb", buffering=0) as file:
                while chunk := file.read(16 << 20):
                    total += len(chunk)
    print(f"warmed {total / 1e6:,.0f} MB in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=None,
                        help="two clinic counts (default 100000 1000000 on SQLite, 100000 300000 on PostgreSQL)")
    parser.add_argument("--jobs", nargs="+", default=None, help=f"some of: {', '.join(JOBS)}")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if they exist")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each job this many times and keep its run of least CPU (the machine's noise is "
                             "one-sided: other work only ever adds time)")
    parser.add_argument("--cold", action="store_true",
                        help="on SQLite, start each job without first reading the database file into the OS's cache")
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


def job_ratings(session, size: int) -> str:
    from provider_dir.reviews.figures.ratings import recompute_all

    clinics = recompute_all(session)
    return f"{clinics:,} clinics, figures already right"


def job_ratings_rewrite(session, size: int) -> str:
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


def job_scores(session, size: int) -> str:
    from provider_dir.scoring import services

    stats = services.recompute_all(session, services.today())
    return f"{stats.clinics:,} clinics, {stats.totals_changed:,} totals changed"


def job_scores_due(session, size: int) -> str:
    from provider_dir.scoring import services

    on = services.today() + LATER
    ids = services.due_clinic_ids(session, on)
    stats = services.recompute_all(session, on, only=ids)
    return f"{len(ids):,} due a year on, {stats.snapshots_written:,} snapshots written"


def job_lapsed(session, size: int) -> str:
    from provider_dir.credentials import lapsed
    from provider_dir.scoring import services

    cleared = lapsed.refresh_lapsed_flags(session, services.today() + LATER)
    return f"{cleared:,} flags cleared a year on"


def job_search_columns(session, size: int) -> str:
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


@contextlib.contextmanager
def commits_held(session):
    """Make the job's own commits flushes, so everything it writes stays in the transaction rolled back after it."""
    real = session.registry()  # the Session behind the scoped session
    real.commit = real.flush
    try:
        yield
    finally:
        del real.commit


IMPORT_SHARE = 10  # the file imported has one row per ten clinics in the database (10,000 rows at 100,000)


def import_file(size: int) -> Path:
    """Write (once) import_bench.py's CSV of size / IMPORT_SHARE realistic rows, plus 1% duplicates and 1% bad."""
    import import_bench

    path = search_bench.OUT / f"bulk_import_{size // IMPORT_SHARE}.csv"
    if not path.exists():
        import_bench.write_file(path, size // IMPORT_SHARE, seed=15)
    return path


def setup_import(session, size: int) -> None:
    from provider_dir.geo.places.gazetteer import gazetteer

    import_file(size)
    gazetteer()  # built once per process, whatever the size: not the import's work


def job_import(session, size: int) -> str:
    from provider_dir.imports.formats.reading import open_source
    from provider_dir.imports.importer import Importer

    report = Importer(session, "bulk-bench").run(open_source(import_file(size)))
    return f"{size // IMPORT_SHARE:,}-row file: {report.counts_line}"


def registry_files(session, size: int) -> tuple[Path, Path]:
    """Write (once) an NPPES file listing every staff NPI of the database, and a 70,000-row LEIE file.

    registry_bench.py's writer: a few NPIs deactivated, replaced, under another first name or licensed in another
    state; no strangers, so the file grows with the staff (about 2.5 rows per clinic).
    """
    import registry_bench

    from provider_dir.credentials.models import Credential, StaffMember
    from provider_dir.credentials.vocab import CredentialKind
    from provider_dir.listings.models import Clinic

    folder = search_bench.OUT / f"bulk_registry_{'postgresql' if on_postgres() else 'sqlite'}_{size}"
    nppes, leie = folder / "npidata_pfile_20261102-20261108.csv", folder / "UPDATED-20261101.csv"
    if nppes.exists() and leie.exists():
        return nppes, leie
    folder.mkdir(parents=True, exist_ok=True)
    npis = dict(session.execute(select(Credential.staff_member_id, Credential.identifier)
                                .where(Credential.kind == CredentialKind.NPI)).all())
    licences = {s: (i, st) for s, i, st in session.execute(
        select(Credential.staff_member_id, Credential.identifier, Credential.issuer)
        .where(Credential.kind == CredentialKind.STATE_LICENSE))}
    staff = [(name, state, npis[sid], *licences.get(sid, ("", "")))
             for sid, name, state in session.execute(
                 select(StaffMember.id, StaffMember.full_name, Clinic.state).join(Clinic)) if sid in npis]
    return registry_bench.write_files(folder, len(staff), staff, seed=7)


def setup_registry_load(session, size: int) -> None:
    """Read the NPPES file once into the OS's cache, as warm() does the database: both sizes start alike."""
    warm_file(registry_files(session, size)[0])


def job_registry_load(session, size: int) -> str:
    from provider_dir.registry.files.loading import load_nppes

    with commits_held(session):
        summary = load_nppes(session, registry_files(session, size)[0])
    return f"NPPES file of {summary.rows_read:,} rows, {summary.rows_kept:,} kept"


def setup_registry_checks(session, size: int) -> None:
    from provider_dir.registry.files.loading import load_leie, load_nppes

    nppes, leie = registry_files(session, size)
    with commits_held(session):
        load_nppes(session, nppes)
        load_leie(session, leie)


def job_registry_checks(session, size: int) -> str:
    from flask import current_app

    from provider_dir.registry.checks.runner import run_all_checks

    with commits_held(session):
        stats = run_all_checks(session, current_app.config)
    return f"{sum(stats.checked.values()):,} checks, {stats.possible_exclusions:,} possible exclusions"


def _export(write, session) -> str:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bulk-export-") as folder:
        result = write(session, Path(folder))
        written = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
    counts = getattr(result, "counts", {}) or {}
    return f"{sum(counts.values()):,} records, {written / 1e6:,.0f} MB"


def job_export_hsds(session, size: int) -> str:
    from provider_dir.opendata.hsds.export import export_hsds

    return _export(export_hsds, session)


def job_export_fhir(session, size: int) -> str:
    from provider_dir.opendata.fhir.export import write_fhir

    return _export(write_fhir, session)


@dataclass(frozen=True)
class Job:
    """A bulk job: what it is called in the table, and what runs it (or which phase of the build it is)."""

    label: str
    run: Callable[..., str] | None = None  # (session, size) -> a note of what it did; timed
    setup: Callable[..., None] | None = None  # (session, size), before it, untimed, in the same transaction
    recorded: str | None = None  # a phase search_bench.py's build timed (bench_phase), for the build's own jobs


# The table of bulk jobs. To add one (say an export): write job_x(session, size) returning a short note, doing what
# its command does over the whole database (its per-batch commits are held by commits_held), and add a row here;
# `--jobs x` then runs it at both sizes and the table shows its ratio.
JOBS: dict[str, Job] = {
    "seed": Job("synthetic seed (the build; recorded)", recorded="seed"),
    "scores-build": Job("scores, first run writing every one (recorded)", recorded="scores"),
    "ratings-build": Job("reviews recompute after the load (recorded)", recorded="ratings"),
    "indexes-build": Job("indexes built after the load (recorded)", recorded="indexes"),
    "ratings": Job("reviews recompute (ratings)", job_ratings),
    "ratings-rewrite": Job("reviews recompute, every rated row rewritten", job_ratings_rewrite),
    "scores": Job("scores recompute (all)", job_scores),
    "scores-due": Job("scores recompute --due, a year on", job_scores_due),
    "lapsed": Job("lapsed-credential flags, a year on", job_lapsed),
    "search-columns": Job(f"derived search columns ({INSERTED:,} inserts)", job_search_columns),
    "import": Job(f"import clinics (1 row per {IMPORT_SHARE} clinics)", job_import, setup_import),
    "registry-load": Job("registry load nppes (every staff NPI)", job_registry_load, setup_registry_load),
    "registry-checks": Job("registry check (every staff member)", job_registry_checks, setup_registry_checks),
    "export-hsds": Job("export hsds (JSON and the data package)", job_export_hsds),
    "export-fhir": Job("export fhir (Plan-Net NDJSON)", job_export_fhir),
}


def measure_job(job: Job, size: int, url: str, cold: bool) -> Figure:
    """Run one job once in a transaction rolled back after it, and return its figures."""
    from provider_dir.extensions import db

    try:
        if job.setup is not None:
            job.setup(db.session, size)
        if not cold and not on_postgres():
            warm(url)
        server = ServerClock(db.session)
        wall, cpu, user, read = time.perf_counter(), time.process_time(), os.times().user, disk_read_mb()
        note = job.run(db.session, size)
        db.session.flush()
        return Figure(time.perf_counter() - wall, time.process_time() - cpu + server.seconds(), note,
                      os.getloadavg()[0], disk_read_mb() - read,
                      os.times().user - user + server.seconds(user_only=True))
    finally:
        db.session.rollback()


def run_size(size: int, jobs: list[str], rebuild: bool, cold: bool = False, repeat: int = 1) -> dict[str, Figure]:
    """Run the jobs at one size; with repeat > 1, run each that many times and keep its run of least CPU."""
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
            job = JOBS[name]
            if job.run is None:
                if job.recorded in phases:  # CPU, user CPU and disk reads too where the build kept them
                    kept = {part: phases.get(f"{job.recorded} {part}", float("nan"))
                            for part in ("cpu", "user", "read")}
                    figures[name] = Figure(phases[job.recorded], kept["cpu"], "recorded when the database was built",
                                           read_mb=kept["read"], user=kept["user"])
                continue
            for attempt in range(repeat):
                figure = measure_job(job, size, url, cold)
                if name not in figures or figure.cpu < figures[name].cpu:
                    figures[name] = figure
                print(f"{db.engine.dialect.name} {size:>9,}  {job.label:<46} {figure.seconds:8.1f} s, "
                      f"CPU {figure.cpu:8.1f} s (user {figure.user:.1f}), load {figure.load:.1f}, "
                      f"read {figure.read_mb:,.0f} MB ({figure.note})"
                      + (f" [run {attempt + 1} of {repeat}]" if repeat > 1 else ""),
                      file=sys.stderr)  # fmt: skip
        db.session.remove()
        db.engine.dispose()
    return figures


class ServerClock:
    """CPU seconds used by the PostgreSQL backend serving this session (0 on SQLite, which works in-process).

    Read from /proc, so only where the server runs on this machine (as in the benchmarks); elsewhere 0.
    """

    def __init__(self, session):
        self.stat = None
        if session.get_bind().dialect.name == "postgresql":
            pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            self.stat = Path(f"/proc/{pid}/stat")
        self.start = self._read()

    def _read(self) -> tuple[float, float]:
        if self.stat is None or not self.stat.exists():
            return 0.0, 0.0
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick  # utime, stime

    def seconds(self, user_only: bool = False) -> float:
        """Return the backend's CPU seconds (or its user seconds only) since this clock was made."""
        (user, system), (user0, system0) = self._read(), self.start
        return user - user0 + (0.0 if user_only else system - system0)


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
    figures = run_size(size, jobs, args.rebuild, args.cold, args.repeat)
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
    # CPU time is the figure that other work on the machine does not inflate: on SQLite every step runs in this
    # process; on PostgreSQL it is this process plus the server backend that served the job (read from /proc).
    head = f"| job {'':<44} | {small:>11,} (s) | {large:>11,} (s) | ratio |"
    rule = f"|:{'-' * 48}|{'-' * 16}:|{'-' * 16}:|------:|"
    head += f" CPU {small:>9,} (s) | CPU {large:>9,} (s) | CPU ratio | load |"
    rule += f"{'-' * 18}:|{'-' * 18}:|----------:|-----:|"
    head += " user ratio |"
    rule += "-----------:|"
    print(head)
    print(rule)
    for name in jobs:
        label = JOBS[name].label
        a, b = results[small].get(name), results[large].get(name)
        if a is None or b is None:
            print(f"| {label:<48} | {'n/a':>15} | {'n/a':>15} |   n/a |")
            continue
        line = f"| {label:<48} | {a.seconds:>15.1f} | {b.seconds:>15.1f} | {ratio(a.seconds, b.seconds)} |"
        line += f" {a.cpu:>17.1f} | {b.cpu:>17.1f} | {ratio(a.cpu, b.cpu):>9} | {a.load:.0f}, {b.load:.0f} |"
        line += f" {ratio(a.user, b.user):>10} |"
        print(line)


def ratio(small: float, large: float) -> str:
    """Return large / small for the table ("-" where not measured)."""
    if not small or small != small or large != large:  # zero or NaN (a recorded phase has no CPU time)
        return "    -"
    return f"{large / small:>5.1f}"


if __name__ == "__main__":
    main()
