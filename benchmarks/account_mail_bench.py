"""Measure whether the sign-up and reset answers take alike for addresses with and without an account.

Posts /reset and /register N times each way through the test client, with mail going to a local aiosmtpd
server (loopback), and prints the median and p90 of each, and the ratio of the medians. A ratio near 1 means
the timing does not tell an attacker which addresses have accounts.

Usage: python benchmarks/account_mail_bench.py [--n 30] (SQLite in a temporary directory;
--database-url postgresql+psycopg://... to measure PostgreSQL.)
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from provider_dir import create_app  # noqa: E402
from provider_dir.accounts import services  # noqa: E402
from provider_dir.config import PROJECT_ROOT  # noqa: E402
from provider_dir.extensions import db  # noqa: E402


class Sink:
    """Accept every message and keep none."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        return "250 OK"


def timed(client, path: str, forms: list[dict]) -> list[float]:
    """Return the seconds each POST took."""
    times = []
    for data in forms:
        start = time.perf_counter()
        response = client.post(path, data=data)
        times.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
    return times


def report(label: str, known: list[float], unknown: list[float]) -> None:
    """Print medians and p90s in milliseconds, and the ratio of the medians."""
    def p90(values):
        return sorted(values)[int(len(values) * 0.9) - 1]

    k, u = statistics.median(known), statistics.median(unknown)
    print(f"{label}: with an account median {k * 1000:.1f} ms (p90 {p90(known) * 1000:.1f}), "
          f"without {u * 1000:.1f} ms (p90 {p90(unknown) * 1000:.1f}); ratio {max(k, u) / min(k, u):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": url,
                          "MAIL_URL": f"smtp://127.0.0.1:{port}"})
        with app.app_context():
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
            services.create_user("known@bench.example", "a long bench passphrase", "bench_known")
            db.session.commit()
            client = app.test_client()
            timed(client, "/reset", [{"email": "warm-up@bench.example"}] * 3)
            # Interleaved, so that a change in the machine's load hits both sides alike.
            known, unknown = [], []
            for i in range(args.n):
                known += timed(client, "/reset", [{"email": "known@bench.example"}])
                unknown += timed(client, "/reset", [{"email": f"nobody{i}@bench.example"}])
            report("POST /reset", known, unknown)
            password = "tide pools at dusk"  # noqa: S105 - a throwaway bench account
            taken, new = [], []
            for i in range(args.n):
                taken += timed(client, "/register", [
                    {"email": "known@bench.example", "display_name": f"taken_{i}", "password": password}])
                new += timed(client, "/register", [
                    {"email": f"new{i}@bench.example", "display_name": f"new_{i}", "password": password}])
            report("POST /register", taken, new)
    controller.stop()


if __name__ == "__main__":
    main()
