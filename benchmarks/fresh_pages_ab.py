"""Worker CPU per fresh page of two source trees, measured alternately in two processes (an A/B of a change).

    git worktree add ../before <commit>    # the tree to compare against: copy static/vendor in, link benchmarks/out
    .venv/bin/python benchmarks/fresh_pages_ab.py ../before . --kind search --rounds 20 --batch 60

This machine's speed drifts by more than a round of changes gains (the same code's clinic page took 4.9 and 6.7 ms
of CPU in two runs one after the other), so comparing two runs of benchmarks/load.py, or of anything run one after
the other, says little about a change of a few percent. Here each tree's app is loaded once in a process of its own,
on the same database (benchmarks/search_bench.py's 100,000 clinics: SQLite, or PostgreSQL when DATABASE_URL says
so), warmed as a gunicorn worker is (core.warmup.ready_worker), and then the two take turns: a batch of pages nobody
asked before in one, the same number in the other, the order swapped each round. Each process counts its own CPU
(time.process_time) over its batches only, through the test client (no HTTP), so drift falls on both alike. On a
local PostgreSQL each process also counts the CPU of the server processes serving its own connections (named by
PGAPPNAME, read from /proc): a change can move work between the worker and the database. Printed: each tree's ms per
page (worker, and database), B/A over all rounds, and the median and range of the rounds' ratios. Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

KINDS = ("search", "clinic", "suggest", "healthz")  # page_profile.urls' kinds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree_a", help="the source tree to compare against")
    parser.add_argument("tree_b", help="the source tree with the change")
    parser.add_argument("--kind", choices=KINDS, default="search", help="which fresh page")
    parser.add_argument("--rounds", type=int, default=20, help="turns each tree takes")
    parser.add_argument("--batch", type=int, default=60, help="pages per turn")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


WARM_PAGES = 150


def child(tree: Path, kind: str, pages: int) -> None:
    """Load the tree's app, warm it, then run a batch of fresh pages per line read ("go N"), printing CPU seconds."""
    sys.path[:0] = [str(tree), str(tree / "benchmarks")]
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp())
    os.environ["PGAPPNAME"] = application = f"fresh-pages-ab-{os.getpid()}"  # libpq's: names this process's connections
    import search_bench

    from provider_dir import create_app
    from provider_dir.core.warmup import ready_worker

    # The URLs as page_profile.py (beside this script) draws them, load.py's, the same for both trees.
    page_profile = _page_profile()
    url = search_bench.backend_url(100_000)
    paths = iter(page_profile.urls(url, WARM_PAGES + pages)[kind])
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    logging.disable(logging.CRITICAL)
    client = app.test_client()
    for _ in range(WARM_PAGES):
        client.get(next(paths))
    ready_worker(app)
    database = _DatabaseCPU(url, application)
    print("ready", flush=True)
    for line in sys.stdin:
        started, served = time.process_time(), database.seconds()
        for _ in range(int(line.split()[1])):
            client.get(next(paths))
        print(time.process_time() - started, database.used_since(served), flush=True)


class _DatabaseCPU:
    """CPU of the local PostgreSQL processes serving one program's connections (nothing on SQLite)."""

    def __init__(self, url: str, application: str) -> None:
        self.connection = None
        if url.startswith("postgresql"):
            from sqlalchemy import create_engine

            self.connection = create_engine(url).connect()  # its own server process is left out below
        self.application = application

    def seconds(self) -> dict[int, float]:
        """CPU seconds so far of each server process serving the program's connections, by process id."""
        if self.connection is None:
            return {}
        from sqlalchemy import text

        pids = self.connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE application_name = :name AND pid <> pg_backend_pid()"),
            {"name": self.application}).scalars().all()
        self.connection.rollback()
        used = {pid: _page_profile().process_cpu_seconds(pid) for pid in pids}
        return {pid: seconds for pid, seconds in used.items() if seconds is not None}  # not one closed meanwhile

    def used_since(self, before: dict[int, float]) -> float:
        """CPU seconds used since `before` (a connection opened meanwhile counts whole, one closed is lost)."""
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in self.seconds().items())


@cache
def _page_profile():
    """page_profile.py beside this script (not the compared tree's), loaded once."""
    name = "fresh_pages_ab_page_profile"  # its own name: the compared tree's page_profile may be imported too
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("page_profile.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the module runs
    spec.loader.exec_module(module)
    return module


def main() -> None:
    args = parse_args()
    if args.child:
        child(Path(args.tree_a).resolve(), args.kind, args.rounds * args.batch)
        return
    trees = [str(Path(tree).resolve()) for tree in (args.tree_a, args.tree_b)]
    if not Path(trees[0], "benchmarks", "out").exists():
        print(f"{trees[0]}/benchmarks/out is missing: link it to this tree's (the database lives there)",
              file=sys.stderr)
    # Both trees read the same database (this tree's search_bench names it): its pages in the server's buffers first.
    import search_bench

    profile, url = _page_profile(), search_bench.backend_url(100_000)
    if buffers := profile.prewarm_postgresql(url):
        print(buffers, file=sys.stderr)
    profile.cache_sqlite_file(url)  # as a server that has served a while holds it
    command = ["--kind", args.kind, "--rounds", str(args.rounds), "--batch", str(args.batch), "--child"]
    processes = [subprocess.Popen([sys.executable, __file__, tree, tree, *command],  # noqa: S603 - this script
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for tree in trees]
    for process in processes:
        if process.stdout.readline().strip() != "ready":
            sys.exit("a tree's app did not start (see above)")
    totals, database, ratios = [0.0, 0.0], [0.0, 0.0], []
    for turn in range(args.rounds):
        seconds = [0.0, 0.0]
        for which in ((0, 1) if turn % 2 == 0 else (1, 0)):
            processes[which].stdin.write(f"go {args.batch}\n")
            processes[which].stdin.flush()
            worker, server = map(float, processes[which].stdout.readline().split())
            seconds[which] = worker
            totals[which] += worker
            database[which] += server
        ratios.append(seconds[1] / seconds[0])
    for process in processes:
        process.stdin.close()
        process.wait()
    ratios.sort()
    pages = args.rounds * args.batch
    per_page = [1000 * total / pages for total in totals]
    print(f"{args.kind}, {pages} fresh pages each: A {per_page[0]:.3f} ms, B {per_page[1]:.3f} ms of CPU per page;"
          f" B/A {totals[1] / totals[0]:.3f} (rounds: median {ratios[len(ratios) // 2]:.3f},"
          f" {ratios[0]:.3f}-{ratios[-1]:.3f})")
    if any(database):
        served = [1000 * total / pages for total in database]
        print(f"  the database's own CPU per page: A {served[0]:.3f} ms, B {served[1]:.3f} ms"
              f" (B/A {database[1] / database[0]:.3f}); worker and database together:"
              f" A {per_page[0] + served[0]:.3f} ms, B {per_page[1] + served[1]:.3f} ms")


if __name__ == "__main__":
    main()
