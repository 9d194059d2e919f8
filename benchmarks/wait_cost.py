"""What a wait for another process costs the waiting one in CPU: why round trips to PostgreSQL cost the worker so much.

    .venv/bin/python benchmarks/wait_cost.py
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/wait_cost.py --reads 9

A client sends a byte over loopback TCP to a process that works (spins) for a given time before it answers, as
PostgreSQL works on a statement while the worker waits for its answer. Printed: the client's CPU per round trip (user
and system, from getrusage) and its wall time, beside the same with no work on the other side (the baseline). On a
machine that charges a blocked process for its wake-up (seen on this project's 2-core virtual machines: 0.2 to 0.9 ms
of system time per wait of half a millisecond or more, against 0.02 ms for an answer that comes at once) every round
trip in which the server works costs the worker more than psycopg's own Python does; on another machine the system
column stays flat.

With DATABASE_URL on PostgreSQL it also runs `--reads` small statements one by one and then in one psycopg pipeline
(models/prefetch.py's way), alternating, and prints the client's CPU per batch of each. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import time

WORK_MS = (0.0, 0.1, 0.5, 2.0)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trips", type=int, default=400, help="round trips per amount of work")
    parser.add_argument("--reads", type=int, default=9, help="statements per batch on PostgreSQL")
    parser.add_argument("--rounds", type=int, default=10, help="alternations of one by one and pipelined")
    return parser.parse_args()


def cpu() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def serve(listener: socket.socket) -> None:
    """Answer each request after spinning for the milliseconds it names (in a process of its own)."""
    conn, _address = listener.accept()
    while request := conn.recv(64):
        until = time.perf_counter() + float(request.decode()) / 1000
        while time.perf_counter() < until:
            pass
        conn.send(b"x")
    os._exit(0)


def socket_waits(trips: int) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    if os.fork() == 0:
        serve(listener)
    client = socket.create_connection(listener.getsockname())
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print("| server's work per trip | client user ms | client system ms | wall ms |")
    print("|--:|--:|--:|--:|")
    for work in WORK_MS:
        (user0, system0), wall0 = cpu(), time.perf_counter()
        for _ in range(trips):
            client.send(f"{work}".encode())
            client.recv(8)
        (user1, system1), wall = cpu(), time.perf_counter() - wall0
        label = "none (baseline)" if work == 0 else f"{work} ms"
        print(f"| {label} | {(user1 - user0) / trips * 1000:.3f} | {(system1 - system0) / trips * 1000:.3f} "
              f"| {wall / trips * 1000:.3f} |")
    client.close()
    os.wait()


def postgresql_batches(url: str, reads: int, rounds: int) -> None:
    import psycopg

    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    statement = "SELECT count(*) FROM generate_series(1, %s::int)"  # some 0.1 ms of the server's work
    cursors = [conn.cursor() for _ in range(reads)]

    def one_by_one() -> None:
        for cursor in cursors:
            cursor.execute(statement, (2000,))
            cursor.fetchall()
        conn.rollback()

    def pipelined() -> None:
        with conn.pipeline() as pipeline:
            for cursor in cursors:
                cursor.execute(statement, (2000,))
            pipeline.sync()
            for cursor in cursors:
                cursor.fetchall()
        conn.rollback()

    spent: dict[str, list[float]] = {"one by one": [], "one pipeline": []}
    for batch in (one_by_one, pipelined):  # warm: psycopg prepares a statement after five runs
        for _ in range(10):
            batch()
    for _ in range(rounds):
        for name, batch in (("one by one", one_by_one), ("one pipeline", pipelined)):
            started = time.process_time()
            for _ in range(100):
                batch()
            spent[name].append((time.process_time() - started) / 100 * 1000)
    print(f"\nPostgreSQL, {reads} statements a batch, client CPU ms per batch (median of {rounds} rounds of 100, "
          "range):")
    for name, figures in spent.items():
        print(f"- {name}: {statistics.median(figures):.3f} ({min(figures):.3f}-{max(figures):.3f})")
    conn.close()


def main() -> None:
    args = parse_args()
    socket_waits(args.trips)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        postgresql_batches(url, args.reads, args.rounds)


if __name__ == "__main__":
    main()
