"""Sign-up p50/p99 with the SMTP server up, down (connection refused) and hanging (accepts, never answers).

Each figure is measured twice in the same run: with this code (the request stores the email in the outbox; the
worker sends it) and with the code before the outbox (the request sends the email itself), taken from git with
`git archive` at --before (default: the last commit before the outbox) into a temporary folder. Each variant
runs in a child process of its own, on a fresh database, posting /register through Flask's test client.
After the outage the mail server "comes back": the outbox is delivered with the worker's own code and the
messages that reach the server are counted, so the table shows what each version lost.

Usage: python benchmarks/mail_outage.py [--n 20] [--n-hang 5] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "faa196d"  # the last commit on main before the outbox
PASSWORD = "tide pools at dusk"  # noqa: S105 - throwaway accounts of a throwaway database


# -- servers -------------------------------------------------------------------------------------------------


class Counting:
    """aiosmtpd handler that counts the messages it accepts."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.count += 1
        return "250 OK"


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hanging_server() -> int:
    """Listen on a loopback port, accept every connection and never answer; return the port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held = []

    def accept() -> None:
        while True:
            conn, _ = sock.accept()
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return sock.getsockname()[1]


# -- the child: one version, one mode ------------------------------------------------------------------------


def reset_database(url: str) -> None:
    """Leave a PostgreSQL database (created if missing) with an empty public schema (SQLite files start empty)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}):
            conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    admin.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def child(args) -> None:
    """Post /register n times against one mail server; then deliver what waits to the recovered server."""
    sys.path.insert(0, args.code)
    from flask_migrate import upgrade

    from provider_dir import create_app

    if args.database_url.startswith("postgresql"):
        reset_database(args.database_url)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": args.database_url, "MAIL_URL": f"smtp://127.0.0.1:{args.port}"})
    with app.app_context():
        upgrade(directory=str(Path(args.code) / "migrations"))
    client = app.test_client()
    client.get("/register")  # warm up templates and the engine
    times, statuses = [], []
    for i in range(args.n):
        form = {"email": f"bench-{args.mode}-{i}@example.com", "display_name": f"bench_{args.mode}_{i}",
                "password": PASSWORD}
        start = time.perf_counter()
        response = client.post("/register", data=form)
        times.append(time.perf_counter() - start)
        statuses.append(response.status_code)
    queued = 0
    try:
        from provider_dir.mail.services import deliver_pending
    except ImportError:
        deliver_pending = None  # the code before the outbox: nothing is kept to deliver later
    if deliver_pending is not None:
        app.config.update(MAIL_URL=f"smtp://127.0.0.1:{args.recovered_port}", MAIL_RETRY_SECONDS=0)
        with app.app_context():
            queued = deliver_pending().sent
    print(json.dumps({"times": times, "statuses": statuses, "delivered_after": queued}))


# -- the parent ----------------------------------------------------------------------------------------------


def before_tree(rev: str, folder: Path) -> Path:
    """Extract the code at rev (git archive) into folder and return it."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout  # noqa: S603,S607
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def run_child(code: Path, mode: str, n: int, port: int, recovered: int, url: str) -> dict:
    """Run one measurement in a child process and return its figures."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", "--code", str(code), "--mode", mode, "--n", str(n), "--port", str(port),
         "--recovered-port", str(recovered), "--database-url", url],
        env=env, check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(values: list[float], q: float) -> float:
    """Return the q-quantile (nearest rank) in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20, help="sign-ups per mode (up, down)")
    parser.add_argument("--n-hang", type=int, default=5, help="sign-ups with a hanging server (10 s each before)")
    parser.add_argument("--before", default=BEFORE, help="git revision of the code before the outbox")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied for each run); default SQLite")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--recovered-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    from aiosmtpd.controller import Controller

    up_handler = Counting()
    up = Controller(up_handler, hostname="127.0.0.1", port=free_port())
    up.start()
    recovered_handler = Counting()
    recovered = Controller(recovered_handler, hostname="127.0.0.1", port=free_port())
    recovered.start()
    ports = {"up": up.port, "down": free_port(), "hanging": hanging_server()}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        codes = {"before (sent in the request)": before_tree(args.before, Path(tmp) / "before"),
                 "after (outbox + worker)": ROOT}
        for mode in ("up", "down", "hanging"):
            n = args.n_hang if mode == "hanging" else args.n
            for label, code in codes.items():
                url = args.database_url or f"sqlite:///{tmp}/{mode}-{'b' if code != ROOT else 'a'}.sqlite3"
                sent_before = up_handler.count + recovered_handler.count
                figures = run_child(code, mode, n, ports[mode], recovered.port, url)
                arrived = up_handler.count + recovered_handler.count - sent_before
                ok = sum(1 for s in figures["statuses"] if s == 302)
                rows.append((mode, label, n, statistics.median(figures["times"]) * 1000, pct(figures["times"], 0.99),
                             ok, arrived, n - arrived))
    up.stop()
    recovered.stop()
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Sign-up (/register) on {database}; 'arrived' counts every confirmation email the mail server received, "
          "during the run or after it came back.")
    print(f"{'SMTP server':<10} {'code':<30} {'n':>3} {'p50 ms':>9} {'p99 ms':>9} {'accepted':>9} {'arrived':>8} "
          f"{'lost':>5}")
    for mode, label, n, p50, p99, ok, arrived, lost in rows:
        print(f"{mode:<10} {label:<30} {n:>3} {p50:>9.1f} {p99:>9.1f} {ok:>9} {arrived:>8} {lost:>5}")


if __name__ == "__main__":
    main()
