"""Where a page's time goes, in process: CPU per request, queries per page, SQL time, template time, top calls.

    .venv/bin/python benchmarks/page_profile.py                        # SQLite, load.py's 100,000 clinics
    .venv/bin/python benchmarks/page_profile.py --page clinic --n 300 --profile
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/page_profile.py

Uses load.py's database (built by search_bench.py's code when missing) and its URLs: a clinic page nobody
asked before, a new search (a radius to one decimal at one of 200 places), /healthz as the baseline, and
/api/v1/suggest when the app has that route. Each request goes through the test client (no HTTP, no
gunicorn), so the figures are the app's own work: CPU per request (time.process_time, which does not
count the database server's CPU on PostgreSQL), how many SQL statements each page sends (on SQLite every one
the driver runs; on PostgreSQL those sent through SQLAlchemy) and the wall time spent in those sent through
SQLAlchemy, and the time inside render_template. --profile adds cProfile's heaviest calls per page.
Nothing is asserted; it prints figures.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import search_bench  # noqa: E402
from flask import before_render_template, template_rendered  # noqa: E402
from sqlalchemy import create_engine, event, make_url, text  # noqa: E402

SIZE = 100_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="requests per page kind")
    parser.add_argument("--page", choices=("all", "healthz", "clinic", "search", "suggest"), default="all")
    parser.add_argument("--profile", action="store_true", help="print cProfile's heaviest calls per page kind")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile to print")
    parser.add_argument("--statements", action="store_true",
                        help="print each page's statements (their first words) with count and wall ms per request")
    return parser.parse_args()


def published_slugs(url: str) -> list[str]:
    """Return the published clinics' slugs in id order, for benchmarks to draw their URLs from.

    Here, not in search_bench: fresh_pages_ab.py runs this file against an older tree, whose search_bench it imports.

    In a set order: PostgreSQL's rows come in any order (a scan started while another reads the table joins it where
    it is), and two runs or two trees compared must draw the same URLs.
    """
    engine = create_engine(url)
    with engine.connect() as conn:
        slugs = list(conn.execute(text("SELECT slug FROM clinic WHERE status = 'published' ORDER BY id")).scalars())
    engine.dispose()
    return slugs


# Every table, index and materialized view of the schema, with the TOAST tables holding their long values and those
# tables' indexes.
_PREWARM = """
WITH own AS (SELECT oid, reltoastrelid FROM pg_class
             WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i', 'm'))
SELECT sum(pg_prewarm(r.oid)) FROM (
    SELECT oid FROM own
    UNION SELECT reltoastrelid FROM own WHERE reltoastrelid <> 0
    UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT reltoastrelid FROM own)
) AS r
"""


def prewarm_postgresql(url: str) -> str | None:
    """Read a PostgreSQL database's tables and indexes into the server's buffers; return what was read (None on SQLite).

    A server that has served the directory for a while holds its pages (deploy/postgresql/provider_dir.conf gives
    the buffers room for them); one just started reads each from the OS as a page first asks for it, and a run of
    fresh pages all over 100,000 clinics would then measure those reads, in the server and in the worker waiting for
    them (SQLite's file: cache_sqlite_file). Needs pg_prewarm
    (in PostgreSQL's contrib, which Debian's package ships) and a role that may create it.
    """
    engine = create_engine(url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        return None
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        pages = conn.exec_driver_sql(_PREWARM).scalar()
        block = int(conn.exec_driver_sql("SHOW block_size").scalar())
        buffers = int(conn.exec_driver_sql("SELECT setting::bigint FROM pg_settings WHERE name = 'shared_buffers'")
                      .scalar()) * block
        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
    engine.dispose()
    line = (f"PostgreSQL: {pages * block / 2**20:,.0f} MB of tables and indexes read into {buffers / 2**20:,.0f} MB of "
            f"shared buffers (database {size / 2**20:,.0f} MB)")
    if buffers < size:
        line += ("; the buffers cannot hold the database, so fresh pages read from the OS: see "
                 "deploy/postgresql/provider_dir.conf")
    return line


@dataclass(frozen=True)
class FileRead:
    """A SQLite database's files read through the OS's cache: their size and how much of it came from the disk."""

    size_mb: float
    from_disk_mb: float


CHUNK = 4 * 2**20


def cache_sqlite_file(url: str) -> FileRead | None:
    """Read a SQLite database's file and its write-ahead log through the OS's cache; None for another database.

    A server that has served the directory for a while finds the file's pages in the OS's cache. This project's
    virtual machines' host takes cached file pages back within minutes even with most of the memory free (the
    100,000-clinic file, 854 MB: 851 MB cached, then 524 MB 80 s later with nobody reading it), so a worker of a run
    read many of its pages from the disk, as the kernel's read-ahead does, in 128 KB reads: 660-690 MB in a phase of
    8 s of fresh clinic pages, with the CPU that costs in the worker. Read before each phase, as pg_prewarm reads
    PostgreSQL's (prewarm_postgresql), it is what a server that has served a while reads.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    disk0 = search_bench.disk_read_mb()
    size = 0
    buffer = bytearray(CHUNK)
    for path in (Path(parsed.database), Path(f"{parsed.database}-wal")):
        try:
            with path.open("rb", buffering=0) as file:
                while read := file.readinto(buffer):
                    size += read
        except FileNotFoundError:  # no write-ahead log while nobody has the database open
            continue
    return FileRead(size / 1e6, search_bench.disk_read_mb() - disk0)


def process_cpu_seconds(pid: int) -> float | None:
    """Return the user + system CPU seconds a process of this machine has used so far, None once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def urls(url: str, n: int) -> dict[str, list[str]]:
    """Return n fresh URLs per page kind, drawn as load.py draws them."""
    metros, towns = search_bench.places(100, 100)
    places = [quote_plus(name) for name, _lat, _lon in metros + towns]
    slugs = published_slugs(url)
    draw = random.Random(7)
    searches = [f"/search?location={p}&radius={r / 10:.1f}" for r in range(100, 601) for p in places]
    # As load.py types them: the first 3 to 12 letters of a clinic's name, each asked once (a handful of
    # words asked again and again would be answered from the kept pages, not looked up).
    typing = random.Random(11)  # its own draws: the other kinds' URLs stay the ones drawn before
    names = [slug.rsplit("-", 1)[0].replace("-", " ") for slug in typing.sample(slugs, min(len(slugs), n))]
    typed = sorted({name[:k] for name in names for k in range(3, 13) if len(name) > k})
    typing.shuffle(typed)
    return {
        "healthz": ["/healthz"] * n,
        "clinic": [f"/clinics/{s}" for s in draw.sample(slugs, n)],
        "search": draw.sample(searches, n),
        "suggest": [f"/api/v1/suggest?q={quote_plus(q)}" for q in typed[:n]],
    }


class Counters:
    """Statements, their wall time and template time, per request."""

    def __init__(self, engine, app):
        self.queries, self.sql, self.template = 0, 0.0, 0.0
        self._started: list[float] = []
        self.by_statement: dict[str, list[float]] = {}
        self._render: list[float] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        # On SQLite some hot statements go straight to the driver (BEGIN, the content version, the name look-ups),
        # past SQLAlchemy's events: sqlite3's trace callback counts every statement the driver runs.
        self.traced = engine.dialect.name == "sqlite"
        if self.traced:
            event.listen(engine, "connect", self._trace)
            engine.dispose()
        before_render_template.connect(self._render_start, app)
        template_rendered.connect(self._render_end, app)

    def _trace(self, dbapi_connection, connection_record) -> None:
        dbapi_connection.set_trace_callback(self._traced)

    def _traced(self, statement: str) -> None:
        if not statement.startswith("--"):  # not the statements inside a trigger
            self.queries += 1

    def _before(self, *args, **kwargs):
        if not self.traced:
            self.queries += 1
        self._started.append(time.perf_counter())

    def _after(self, conn, cursor, statement, *args, **kwargs):
        spent = time.perf_counter() - self._started.pop()
        self.sql += spent
        key = re.sub(r"VALUES (\(\?, \?\)(, )?)+", "VALUES (...)", " ".join(statement.split()))
        key = re.sub(r"SELECT (\w+\.\w+( AS \w+)?, )+", "SELECT ..., ", key)[:150]
        self.by_statement.setdefault(key, []).append(spent)

    def _render_start(self, *args, **kwargs):
        self._render.append(time.perf_counter())

    def _render_end(self, *args, **kwargs):
        self.template += time.perf_counter() - self._render.pop()

    def reset(self) -> None:
        self.queries, self.sql, self.template = 0, 0.0, 0.0


def measure(app, counters: Counters, kind: str, paths: list[str], profile: bool, top: int,
            statements: bool = False) -> dict:
    """Ask for every path once; return per-request figures (and print a profile when asked)."""
    client = app.test_client()
    counters.by_statement.clear()
    cpu, queries, sql, template, statuses = [], [], [], [], set()
    profiler = cProfile.Profile() if profile else None
    for path in paths:
        counters.reset()
        started = time.process_time()
        if profiler:
            profiler.enable()
        response = client.get(path)
        if profiler:
            profiler.disable()
        cpu.append(time.process_time() - started)
        statuses.add(response.status_code)
        queries.append(counters.queries)
        sql.append(counters.sql)
        template.append(counters.template)
    if statements:
        print(f"\n--- {kind}: statements, per request (count, wall ms) ---")
        spent = sorted(counters.by_statement.items(), key=lambda item: -sum(item[1]))
        for key, times in spent[:15]:
            print(f"{len(times) / len(paths):6.2f} x {sum(times) * 1000 / len(paths):7.3f} ms  {key}")
    if profiler:
        print(f"\n--- {kind}: cProfile, {len(paths)} requests, sorted by own time ---")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
        print(f"--- {kind}: sorted by cumulative time ---")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    return {"kind": kind, "cpu": statistics.mean(cpu) * 1000, "cpu_p50": statistics.median(cpu) * 1000,
            "queries": statistics.mean(queries), "sql": statistics.mean(sql) * 1000,
            "template": statistics.mean(template) * 1000, "statuses": sorted(statuses)}


def main() -> None:
    args = parse_args()
    import os

    from provider_dir import create_app
    from provider_dir.extensions import db

    url = search_bench.backend_url(SIZE)
    if search_bench.published_count(url) != SIZE:
        raise SystemExit(f"{url} is not built: run benchmarks/load.py once (it builds it)")
    if buffers := prewarm_postgresql(url):
        print(buffers)
    if file_read := cache_sqlite_file(url):
        print(f"SQLite: {file_read.size_mb:,.0f} MB read through the OS's cache, "
              f"{file_read.from_disk_mb:,.0f} MB of it from the disk")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})
    kinds = ["healthz", "clinic", "search", "suggest"] if args.page == "all" else [args.page]
    if "suggest" in kinds and not any(r.rule == "/api/v1/suggest" for r in app.url_map.iter_rules()):
        kinds.remove("suggest")
        print("(/api/v1/suggest is not in this app yet: skipped)")
    paths = urls(url, args.n + 20)
    with app.app_context():
        counters = Counters(db.engine, app)
    rows = []
    for kind in kinds:
        measure(app, counters, kind, paths[kind][-20:], False, 0)  # warm: imports, gazetteer, caches
        rows.append(measure(app, counters, kind, paths[kind][: args.n], args.profile, args.top, args.statements))
    backend = create_engine(url).dialect.name
    print(f"\n{backend}, {SIZE:,} clinics, in process (test client), {args.n} new URLs each, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| page    | CPU ms/req (mean) | p50 | x healthz | queries/req | SQL ms/req | template ms/req | status |")
    print("|:--------|------------------:|----:|----------:|------------:|-----------:|----------------:|:-------|")
    base = rows[0]["cpu"] if rows[0]["kind"] == "healthz" else None
    for row in rows:
        ratio = f"{row['cpu'] / base:.1f}x" if base else "-"
        print(f"| {row['kind']:<7} | {row['cpu']:>17.2f} | {row['cpu_p50']:>3.1f} | {ratio:>9} | "
              f"{row['queries']:>11.1f} | {row['sql']:>10.2f} | {row['template']:>15.2f} | {row['statuses']} |")


if __name__ == "__main__":
    main()
