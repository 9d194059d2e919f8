"""Measure the transparency report and pages of the public moderation log at scale, beside /healthz in the same run.

Builds N synthetic clinics with their staff, checklist answers and reviews (`flask seed --synthetic N`'s loader),
then a year of synthetic decisions (transparency/synthetic.py: the public log rows and monthly totals `record`
keeps), and times each page through the test client, uncached (the page cache is off): p50 and p95 of R requests.

Usage: python benchmarks/transparency_bench.py [--clinics 100000] [--requests 30]
(SQLite in a temporary directory; --database-url postgresql+psycopg://... to measure PostgreSQL.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import click
from flask_migrate import upgrade
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from provider_dir import create_app  # noqa: E402
from provider_dir.config import PROJECT_ROOT  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.listings.models import Clinic  # noqa: E402
from provider_dir.seeding.synthetic import add_synthetic_clinics  # noqa: E402
from provider_dir.transparency.models import DecisionTally, PublicDecision  # noqa: E402
from provider_dir.transparency.report.data import current_month, previous_months  # noqa: E402
from provider_dir.transparency.synthetic import add_synthetic_decisions  # noqa: E402


def timed(client, url: str, count: int) -> list[float]:
    """Return the seconds each of `count` GETs took (after one warm-up), failing on anything but 200."""
    assert client.get(url).status_code == 200, url
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return times


def ms(values: list[float], q: int) -> float:
    """Return the q-th percentile in milliseconds."""
    return 1000 * statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def build(clinics: int) -> None:
    """Add the synthetic clinics and a year of decisions about them."""
    start = time.perf_counter()
    with click.progressbar(length=clinics, label="synthetic clinics", file=sys.stderr) as bar:
        add_synthetic_clinics(db.session, clinics, 7, progress=bar.update, commit=True)
    built = time.perf_counter() - start
    start = time.perf_counter()
    with click.progressbar(length=0, label="a year of decisions", file=sys.stderr) as bar:
        decisions = add_synthetic_decisions(db.session, months=12, seed=7, progress=bar.update)
    db.session.commit()
    print(f"built {clinics:,} clinics in {built:.0f} s and {decisions:,} decisions in "
          f"{time.perf_counter() - start:.0f} s", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--measure-only", action="store_true",
                        help="measure a database an earlier run built (give its --database-url)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "TESTING": True,
                          "PAGE_CACHE_ENABLED": False, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
            if not args.measure_only:
                build(args.clinics)
            clinics = db.session.scalar(select(func.count()).select_from(Clinic))
            tallies = db.session.scalar(select(func.count()).select_from(DecisionTally))
            stored = db.session.scalar(select(func.count()).select_from(PublicDecision))
            busy = db.session.scalar(select(PublicDecision.clinic_id).group_by(PublicDecision.clinic_id)
                                     .order_by(func.count().desc()).limit(1))
            slug = db.session.scalar(select(Clinic.slug).where(Clinic.id == busy))
        month = current_month()
        half_year = previous_months(month, 7)[0]
        pages = [
            ("/healthz (baseline)", "/healthz"),
            (f"report, this month ({month})", "/transparency"),
            (f"report, {half_year}", f"/transparency?month={half_year}"),
            ("report table as CSV (reasons)", f"/transparency/reasons.csv?month={half_year}"),
            ("log, first page", "/transparency/log"),
            ("log, page 40", "/transparency/log?page=40"),
            ("log, one clinic (the busiest)", f"/transparency/log?clinic={slug}"),
            ("log, kind=report outcome=upheld", "/transparency/log?kind=report&outcome=upheld"),
            (f"log, month={half_year} kind=credential", f"/transparency/log?month={half_year}&kind=credential"),
            ("log as JSON, outcome=refused", "/api/v1/transparency/log?outcome=refused"),
        ]
        client = app.test_client()
        print(f"database: {'PostgreSQL' if 'postgresql' in url else 'SQLite'}; {clinics:,} clinics, "
              f"{stored:,} decisions in the public log, {tallies:,} monthly total rows; {args.requests} requests each")
        print(f"{'page (uncached)':48} {'p50 ms':>9} {'p95 ms':>9}")
        for label, path in pages:
            times = timed(client, path, args.requests)
            print(f"{label:48} {ms(times, 50):9.2f} {ms(times, 95):9.2f}")


if __name__ == "__main__":
    main()
