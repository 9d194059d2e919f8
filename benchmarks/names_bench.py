"""Name search and suggestions on a seeded directory: server CPU per request beside /healthz, and what the
name indexes cost the synthetic seed. Prints figures only; never asserts a time.

    .venv/bin/python benchmarks/names_bench.py --n 20000
    DATABASE_URL=postgresql+psycopg://postgres:postgres@127.0.0.1:5432/provider_dir_seed \\
        .venv/bin/python benchmarks/names_bench.py --n 20000     # uses sibling databases <name>_bench_*

Requests go through the app in process (Flask's test client) with kept pages off, each a query not asked before,
so every one runs its look-ups; CPU is this process's (the database's own on PostgreSQL is not counted).
The seed is timed twice: with the name indexes kept by their triggers, and (SQLite) with the triggers dropped
during the seed and the tables filled in one pass after it, the baseline for what the triggers cost.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402

from benchmarks.seed_bench import fresh_database, time_command  # noqa: E402
from provider_dir import create_app  # noqa: E402
from provider_dir.config import PROJECT_ROOT  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.geo.names import ddl  # noqa: E402

PREFIXES = ["as", "asc", "mil", "den", "bou", "gar", "mar", "joh", "sam", "new", "ket", "inf", "wel", "cal",
            "har", "pea", "sun", "blu", "riv", "oak", "pin", "cen", "sum", "lak", "bay", "par", "mou", "val", "spr",
            "gre"]  # fmt: skip


def app_on(url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "PAGE_CACHE_ENABLED": False,
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    return app


def cpu_per_request(client, paths: list[str]) -> tuple[float, float]:
    """Return (ms of CPU, ms of wall time) per request over the paths (each answered 200)."""
    cpu, wall = time.process_time(), time.perf_counter()
    for path in paths:
        reply = client.get(path)
        assert reply.status_code == 200, (path, reply.status_code)  # noqa: S101 - a benchmark, not a test
    return ((time.process_time() - cpu) * 1000 / len(paths), (time.perf_counter() - wall) * 1000 / len(paths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="synthetic clinics (default 20,000)")
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint")
    parser.add_argument("--no-baseline", action="store_true", help="skip the seed without triggers")
    args = parser.parse_args()
    backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    load = os.getloadavg()[0]
    print(f"name-search benchmark on {backend}, {args.n:,} clinics, {os.cpu_count()} CPUs, load average {load:.2f}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        app = app_on(fresh_database("names", tmp))
        seeded = time_command(app, args.n, 1)
        print(f"seed with the name indexes kept on every write: {seeded:.1f} s")
        if backend == "SQLite" and not args.no_baseline:
            bare = app_on(fresh_database("names_bare", tmp))
            with bare.app_context():
                ddl.uninstall(db.session.connection())
                db.session.commit()
            bare_seed = time_command(bare, args.n, 1)
            with bare.app_context():
                started = time.perf_counter()
                connection = db.session.connection()
                for statement in ddl.SQLITE_CREATE:
                    connection.exec_driver_sql(statement)
                ddl.refill(connection)
                db.session.commit()
                refill = time.perf_counter() - started
            print(f"baseline: seed without the triggers {bare_seed:.1f} s + filling the tables after it {refill:.1f} s")

        client = app.test_client()
        n = args.requests
        words = [f"{p}{chr(97 + i % 26)}" for i in range(n) for p in PREFIXES][:n]
        figures = {
            "/healthz": cpu_per_request(client, ["/healthz"] * n),
            "/api/v1/suggest (2-4 letters)": cpu_per_request(client, [f"/api/v1/suggest?q={w}" for w in words]),
            "/api/v1/suggest (misspelt)": cpu_per_request(
                client, [f"/api/v1/suggest?q=xq{w}zz" for w in words[: n // 3]]),
            "/api/v1/search?q= (nationwide)": cpu_per_request(
                client, [f"/api/v1/search?q={w}" for w in words[: n // 3]]),
            "/api/v1/search?q=&location= (25 mi)": cpu_per_request(
                client, [f"/api/v1/search?q={w}&location=Denver,+CO" for w in words[: n // 3]]),
        }  # fmt: skip
        health = figures["/healthz"][0]
        for name, (cpu, wall) in figures.items():
            print(f"  {name:38} {cpu:6.2f} ms CPU ({cpu / health:4.1f}x /healthz), {wall:6.2f} ms wall")


if __name__ == "__main__":
    main()
