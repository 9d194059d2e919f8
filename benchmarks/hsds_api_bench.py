"""The HSDS API's list endpoints at 100,000 synthetic clinics: p50 and p95 per page of 50, beside baselines.

    .venv/bin/python benchmarks/hsds_api_bench.py                   # SQLite, 100,000 clinics
    .venv/bin/python benchmarks/hsds_api_bench.py --size 20000 --requests 100
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/hsds_api_bench.py

The database is built once with the synthetic generator and kept (benchmarks/out/hsds_api_<N>.sqlite3, or the
database named in DATABASE_URL, rebuilt when its clinic count differs). Every request goes through the whole
app (Flask's test client: routing, parameters, SQL, the HSDS mapping, JSON). The first request of each
endpoint is shown apart ("cold": it computes the page anchors, or the distances, that the process keeps until
the data changes), then an untimed warm-up, then the timed requests. Pages are drawn at random over the whole
list, so late pages (large offsets) count as often as early ones. Baselines in the same run: /healthz (the
app's floor) and /api/v1/search with 50 results near ZIP 10001 (served from the page cache after the first).
Nothing is asserted: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import click
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from provider_dir import create_app  # noqa: E402
from provider_dir.config import normalise_database_url  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.listings.models import Clinic  # noqa: E402
from provider_dir.listings.vocab import Condition, Route  # noqa: E402
from provider_dir.opendata.hsds import mapping  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
RANDOM_SEED = 20261204
PER_PAGE = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="synthetic clinics")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint")
    return parser.parse_args()


def database(size: int) -> str:
    """Return the benchmark database's URL, built with `size` synthetic clinics if it has not that many."""
    from flask_migrate import upgrade

    from provider_dir.seeding.synthetic import add_synthetic_clinics

    url = os.environ.get("DATABASE_URL")
    if url:
        url = normalise_database_url(url)
    else:
        OUT.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{OUT / f'hsds_api_{size}.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        count = db.session.scalar(select(func.count()).select_from(Clinic))
        if count != size:
            if count:
                sys.exit(f"{url} has {count:,} clinics, not {size:,}: remove it (or empty it) and run again.")
            with click.progressbar(length=size, label=f"building {size:,} clinics", file=sys.stderr) as bar:
                add_synthetic_clinics(db.session, size, RANDOM_SEED, progress=bar.update, commit=True)
                db.session.commit()
        db.engine.dispose()
    return url


def timed(client, paths: list[str]) -> list[float]:
    """Return the milliseconds each GET took (each must answer 200)."""
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        body = response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}: {body[:300]!r}")
    return times


def main() -> None:
    args = parse_args()
    url = database(args.size)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "RATELIMIT_ENABLED": False})
    draw = random.Random(RANDOM_SEED)
    with app.app_context():
        published = db.session.scalar(select(func.count()).select_from(Clinic).where(Clinic.status == "published"))
        ids = db.session.scalars(select(Clinic.id).where(Clinic.status == "published")).all()
    pages = max(1, -(-published // PER_PAGE))
    iv = mapping.taxonomy_term_id("route", Route.IV.value)
    ptsd = mapping.taxonomy_term_id("condition", Condition.PTSD.value)

    def pages_of(path: str, last: int = pages) -> list[str]:
        return [f"{path}{'&' if '?' in path else '?'}per_page={PER_PAGE}&page={draw.randint(1, last)}"
                for _ in range(args.requests)]

    cases = {
        "baseline /healthz": ["/healthz"] * args.requests,
        "baseline /api/v1/search (50 near 10001)": ["/api/v1/search?location=10001&per_page=50"] * args.requests,
        "/hsds/services": pages_of("/hsds/services"),
        "/hsds/organizations": pages_of("/hsds/organizations"),
        "/hsds/service_at_locations": pages_of("/hsds/service_at_locations"),
        "/hsds/services?taxonomy_term_id (IV)": pages_of(f"/hsds/services?taxonomy_term_id={iv}", 10),
        "/hsds/services?modified_after (2025-06-01)": pages_of(
            "/hsds/services?modified_after=2025-06-01T00:00:00Z", 10),
        "/hsds/service_at_locations?postcode=10001&proximity=40000": pages_of(
            f"/hsds/service_at_locations?postcode=10001&proximity=40000&taxonomy_term_id={ptsd}", 3),
        "/hsds/services/{id}": [f"/hsds/services/{mapping.service_id(type('C', (), {'id': draw.choice(ids)}))}"
                                for _ in range(args.requests)],
    }
    client = app.test_client()
    print(f"{published:,} published clinics of {args.size:,} ({url.split('://')[0]}), {pages:,} pages of {PER_PAGE}, "
          f"{args.requests} requests each, Flask test client, one process")
    first = time.perf_counter()
    timed(client, cases["/hsds/services/{id}"][:1])
    print(f"first /hsds/services/{{id}} in this process (builds the UUID table): "
          f"{(time.perf_counter() - first) * 1000:,.0f} ms")
    print(f"{'endpoint':<62} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, paths in cases.items():
        [cold] = timed(client, paths[:1])
        timed(client, paths[1: max(5, len(paths) // 10)])  # warm-up, untimed
        times = sorted(timed(client, paths))
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:<62} {cold:8.1f} {statistics.median(times):8.1f} {p95:8.1f}")
    started = time.perf_counter()
    lines = client.get("/hsds/services?format=ndjson").get_data().count(b"\n")
    print(f"/hsds/services?format=ndjson: {lines:,} services in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
