"""Worker CPU per fresh page of two source trees, measured alternately in two processes (an A/B of a change).

    git worktree add ../before <commit>    # the tree to compare against: copy static/vendor in, link benchmarks/out
    .venv/bin/python benchmarks/fresh_pages_ab.py ../before . --kind search --rounds 20 --batch 60

This machine's speed drifts by more than a round of changes gains (the same code's clinic page took 4.9 and 6.7 ms
of CPU in two runs one after the other), so comparing two runs of benchmarks/load.py, or of anything run one after
the other, says little about a change of a few percent. Here each tree's app is loaded once in a process of its own,
on the same database (benchmarks/search_bench.py's 100,000 clinics: SQLite, or PostgreSQL when DATABASE_URL says
so), warmed as a gunicorn worker is (core.warmup.ready_worker), and then the two take turns: a batch of pages nobody
asked before in one, the same number in the other, the order swapped each round. Each process counts its own CPU
(time.process_time) over its batches only, through the test client (no HTTP), so drift falls on both alike. Printed:
each tree's ms per page, B/A over all rounds, and the median and range of the rounds' ratios. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

KINDS = ("search", "clinic", "suggest", "healthz")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree_a", help="the source tree to compare against")
    parser.add_argument("tree_b", help="the source tree with the change")
    parser.add_argument("--kind", choices=KINDS, default="search", help="which fresh page")
    parser.add_argument("--rounds", type=int, default=20, help="turns each tree takes")
    parser.add_argument("--batch", type=int, default=60, help="pages per turn")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def fresh_paths(kind: str, slugs: list[str], places: list[str]) -> list[str]:
    """Return URLs nobody asked before, in a fixed random order (as load.py's fresh phases ask them)."""
    draw = random.Random(7)
    if kind == "clinic":
        paths = [f"/clinics/{slug}" for slug in slugs]
    elif kind == "search":
        paths = [f"/search?location={place}&radius={tenths / 10:.1f}" for tenths in range(100, 601) for place in places]
    elif kind == "suggest":
        words = [slug.rsplit("-", 1)[0].replace("-", " ") for slug in slugs[:5000]]
        typed = sorted({word[:n] for word in words for n in (3, 5, 8, 12) if len(word) > n})
        paths = [f"/api/v1/suggest?q={quote_plus(text)}" for text in typed]
    else:
        return ["/healthz"] * 200_000
    draw.shuffle(paths)
    return paths


def child(tree: Path, kind: str) -> None:
    """Load the tree's app, warm it, then run a batch of fresh pages per line read ("go N"), printing CPU seconds."""
    sys.path[:0] = [str(tree), str(tree / "benchmarks")]
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp())
    import search_bench
    from sqlalchemy import create_engine, text

    from provider_dir import create_app
    from provider_dir.core.warmup import ready_worker

    url = search_bench.backend_url(100_000)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    logging.disable(logging.CRITICAL)
    engine = create_engine(url)
    with engine.connect() as conn:
        slugs = sorted(conn.execute(text("SELECT slug FROM clinic WHERE status = 'published'")).scalars())
    engine.dispose()
    random.Random(7).shuffle(slugs)
    metros, towns = search_bench.places(100, 100)
    paths = iter(fresh_paths(kind, slugs, [quote_plus(name) for name, _lat, _lon in metros + towns]))
    client = app.test_client()
    for _ in range(150):
        client.get(next(paths))
    ready_worker(app)
    print("ready", flush=True)
    for line in sys.stdin:
        started = time.process_time()
        for _ in range(int(line.split()[1])):
            client.get(next(paths))
        print(time.process_time() - started, flush=True)


def main() -> None:
    args = parse_args()
    if args.child:
        child(Path(args.tree_a).resolve(), args.kind)
        return
    trees = [str(Path(tree).resolve()) for tree in (args.tree_a, args.tree_b)]
    if not Path(trees[0], "benchmarks", "out").exists():
        print(f"{trees[0]}/benchmarks/out is missing: link it to this tree's (the database lives there)",
              file=sys.stderr)
    processes = [subprocess.Popen([sys.executable, __file__, tree, tree, "--kind", args.kind, "--child"],  # noqa: S603
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for tree in trees]
    for process in processes:
        if process.stdout.readline().strip() != "ready":
            sys.exit("a tree's app did not start (see above)")
    totals, ratios = [0.0, 0.0], []
    for turn in range(args.rounds):
        seconds = [0.0, 0.0]
        for which in ((0, 1) if turn % 2 == 0 else (1, 0)):
            processes[which].stdin.write(f"go {args.batch}\n")
            processes[which].stdin.flush()
            seconds[which] = float(processes[which].stdout.readline())
            totals[which] += seconds[which]
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


if __name__ == "__main__":
    main()
