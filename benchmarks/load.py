"""Throughput at 100,000 clinics under gunicorn (2 workers): the search page, a clinic page, the search API, /healthz.

    .venv/bin/pip install -e '.[bench]'          # locust
    .venv/bin/python benchmarks/load.py          # SQLite, 100,000 clinics, 20 s per endpoint, 8 users
    .venv/bin/python benchmarks/load.py --seconds 30 --users 16 --profile

The database is built once by benchmarks/search_bench.py's code (the synthetic seeder, then scores and
ratings) and kept in benchmarks/out/search_100000.sqlite3 (or search_bench's PostgreSQL database when
DATABASE_URL is PostgreSQL; configure the server as deploy/postgresql/provider_dir.conf says, whose buffers hold
the database, which the run reads into them first with pg_prewarm, as a server that has served a while holds it:
the run prints how much was read and warns when the buffers are too small; SQLite's file is read through the OS's
cache before each phase, for the same reason: see page_profile.cache_sqlite_file). gunicorn serves it on a loopback
port with rate limits off (create_app gets RATELIMIT_ENABLED=False through gunicorn's factory call; the search page
is otherwise limited to 60 a minute per address, and all the client's connections share one address).

Each phase runs for --seconds with --users connections that send their next request as soon as the last
one answers (no think time), after a warm-up, driven by wrk (C, benchmarks/wrk_driver.py) when it is installed,
or by locust (its library API, FastHttpUser, in this one process; --driver locust chooses it). The machine has
2 cores and the client shares them with the server: locust spends 0.5-0.8 ms of CPU per request, which the
workers cannot have, and wrk 0.08-0.3 ms, as a client on another machine costs the server nothing.
/healthz, answered without touching the database, comes first: it is the ceiling this machine, gunicorn and the
client reach together, and the baseline the other figures are read against; it runs again
after each phase of new URLs, whose server CPU per request is read against the /healthz phases just before and
after it (this machine's speed drifts within a run). Public
pages are kept per worker for visitors who are not signed in (provider_dir/pagecache), so each page phase is
run twice: over a set of URLs every worker has already seen (warmed first: popular searches and clinics),
and with a URL never asked before on every request (a radius to one decimal at one of 200 places, or one of
the 100,000 clinics), which is rendered every time; a kept answer there counts as a failure.
Each phase prints the CPU used by the client and by the gunicorn workers, and server CPU per request, which does
not depend on how much CPU the client took. --profile then profiles the search page in process (cProfile) and
prints where
the time goes. Nothing is asserted.

--repeat N runs all of it N times, each time on a gunicorn started afresh (so no URL is ever kept from an earlier
run), and ends with each page's ratio to /healthz over the N runs: their median, their range, and in how many runs
the target was met. The same code's ratio moved by a quarter between runs an hour apart on this project's virtual
machines (issue 18's eighteenth round), more than a round of changes moves it, so one run says little on its own.
So after the phases each kind of new page also takes --slices turns with /healthz, a second each, on URLs kept
apart from its phase (benchmarks/interleaved_cpu.py): their ratio is read under the same drift, and printed beside
the phases' own.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import interleaved_cpu  # noqa: E402
import page_profile  # noqa: E402 - the slugs URLs are drawn from, a process's CPU from /proc
import search_bench  # noqa: E402 - reuse its database build and its places
import wrk_driver  # noqa: E402

from tests.served import Gunicorn  # noqa: E402

SIZE = 100_000
TARGET_RPS, TARGET_P99_MS, TARGET_RATIO = 300, 100, 3
# Issue 18: server CPU per request of a page rendered anew, at most this many times /healthz's in the same run.
CPU_TARGETS = {"/clinics/<slug>, a new one each": 8, "/search, a new query each": 6, "/api/v1/suggest, a new q each": 3}
SUGGEST_PATH = "/api/v1/suggest"
HEALTHZ_AGAIN = "/healthz, again at the end"
HEALTHZ_BESIDE = "/healthz, beside the last"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each phase")
    parser.add_argument("--users", type=int, default=8, help="concurrent users (connections)")
    parser.add_argument("--driver", choices=("wrk", "locust"), default="wrk" if wrk_driver.executable() else "locust",
                        help="the load's client: wrk (the default when installed) or locust")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--profile", action="store_true", help="profile the search page in process afterwards")
    parser.add_argument("--ab", action="store_true",
                        help="cross-check with ApacheBench (apt-get install apache2-utils), one URL per endpoint")
    parser.add_argument("--repeat", type=int, default=1,
                        help="whole runs, each on a fresh gunicorn, summed up by each target's median ratio")
    parser.add_argument("--slices", type=int, default=8,
                        help="turns of one-second slices of /healthz and of each kind of new page after the phases "
                             "(benchmarks/interleaved_cpu.py; wrk only; 0: none)")
    return parser.parse_args()


def database_url() -> str:
    """Return the benchmark database's URL, building it first when it is missing."""
    url = search_bench.backend_url(SIZE)
    if search_bench.published_count(url) != SIZE:
        # In a process of its own: this one is monkey-patched by gevent, under which the build stalls.
        build = "import sys, search_bench; search_bench.build(sys.argv[1], int(sys.argv[2]))"
        subprocess.run([sys.executable, "-c", build, url, str(SIZE)], cwd=ROOT / "benchmarks", check=True)  # noqa: S603
    return url


@dataclass
class Target:
    """One phase's URLs: drawn at random from a set every worker has already seen, or each one new."""

    name: str
    paths: list[str]
    fresh: bool = False  # every request a URL not asked before: the page is rendered, never served kept


def targets(url: str) -> list[Target]:
    """Return the phases in order: places from search_bench, clinics drawn at random."""
    metros, towns = search_bench.places(100, 100)
    places = [quote_plus(name) for name, _lat, _lon in metros + towns]
    slugs = page_profile.published_slugs(url)
    draw = random.Random(search_bench.RANDOM_SEED)
    popular = draw.sample(slugs, 200)
    slugs = sorted(set(slugs) - set(popular))
    draw.shuffle(slugs)
    # A radius to one decimal between 10 and 60 miles: 501 radii x 200 places, never repeated in a phase.
    new_searches = [f"/search?location={p}&radius={r / 10:.1f}" for r in range(100, 601) for p in places]
    draw.shuffle(new_searches)
    # Suggestions as typed: the first 3 to 12 letters of a clinic's name, as the box asks after each letter (never
    # repeated): some 44,000, enough for 3,000 a second over a phase and its warm-up.
    words = [slug.rsplit("-", 1)[0].replace("-", " ") for slug in slugs]
    typed = sorted({w[:n] for w in words for n in range(3, 13) if len(w) > n})
    draw.shuffle(typed)
    # Each page of new URLs is read against /healthz measured just before and just after it (a phase of /healthz
    # follows each): this machine's speed drifts by a third within the few minutes of a run (a virtual machine's
    # neighbours), so a baseline from the run's start and end alone moved the middle phases' ratios with it.
    return [
        Target("/healthz", ["/healthz"]),
        Target("/search?location=...", [f"/search?location={p}" for p in places]),
        Target("/search, a new query each", new_searches, fresh=True),
        Target(HEALTHZ_BESIDE, ["/healthz"]),
        Target("/clinics/<slug>", [f"/clinics/{s}" for s in popular]),
        Target("/clinics/<slug>, a new one each", [f"/clinics/{s}" for s in slugs], fresh=True),
        Target(HEALTHZ_BESIDE, ["/healthz"]),
        Target("/api/v1/search?location=...", [f"/api/v1/search?location={p}" for p in places]),
        Target("/api/v1/suggest, a new q each", [f"{SUGGEST_PATH}?q={quote_plus(q)}" for q in typed], fresh=True),
        Target(HEALTHZ_AGAIN, ["/healthz"]),
    ]


def has_route(server: Gunicorn, path: str) -> bool:
    """Return True when the app answers the path with anything but 404 (suggest comes with another branch)."""
    from urllib.error import HTTPError
    from urllib.request import urlopen

    try:
        with urlopen(server.base_url + path, timeout=60) as response:  # noqa: S310 - our loopback server
            response.read()
    except HTTPError as error:
        return error.code != 404
    return True


def cpu_seconds(pids: list[int]) -> float:
    """Return the user + system CPU seconds the processes have used so far (those still running)."""
    # A database connection closed during the phase is left out: its CPU is not counted.
    return sum(seconds for seconds in map(page_profile.process_cpu_seconds, pids) if seconds is not None)


def database_pids(url: str) -> list[int]:
    """Return the PostgreSQL server processes serving the benchmark database (gunicorn's connections), if local."""
    if not url.startswith("postgresql"):
        return []
    engine = create_engine(url)
    with engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND pid <> pg_backend_pid()")).scalars().all()
    engine.dispose()
    return [pid for pid in pids if Path(f"/proc/{pid}/stat").exists()]


def cpu_meter(server: Gunicorn) -> Callable[[], tuple[float, float | None]]:
    """Start counting the CPU of the workers and of their PostgreSQL processes; the function returned gives what each
    used since (None for the database on SQLite or a remote server)."""
    workers = server.worker_pids()
    backends = database_pids(server.database_url)
    server0 = cpu_seconds(workers)
    database0 = cpu_seconds(backends) if backends else None

    def used() -> tuple[float, float | None]:
        database = cpu_seconds(backends) - database0 if database0 is not None else None
        return cpu_seconds(workers) - server0, database

    return used


def machine_idle_and_stolen() -> tuple[float, float]:
    """Return this machine's CPU seconds so far left idle (waiting on the disk included) and taken by the host
    (steal: the virtual CPU was ready to run and the hypervisor ran something else), summed over its CPUs."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = os.sysconf("SC_CLK_TCK")
    idle, iowait, steal = int(fields[3]), int(fields[4]), int(fields[7])
    return (idle + iowait) / ticks, steal / ticks


def machine_meter() -> Callable[[], tuple[float, float]]:
    """Start counting the machine's idle and stolen CPU seconds; the function returned gives those since."""
    idle0, stolen0 = machine_idle_and_stolen()

    def since() -> tuple[float, float]:
        idle, stolen = machine_idle_and_stolen()
        return idle - idle0, stolen - stolen0

    return since


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Phase:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p99: float
    client_cpu: float  # CPU seconds of the load's client (locust's process, or wrk)
    server_cpu: float
    seconds: float
    database_cpu: float | None = None  # PostgreSQL's server processes for gunicorn's connections
    idle: float = 0.0  # the machine's CPU seconds left idle during the phase, all its cores together
    stolen: float = 0.0  # and those the host took (steal)

    def line(self, ceiling: Phase | None) -> str:
        ratio = f"{ceiling.rps / self.rps:>6.2f}x" if ceiling and self.rps else f"{'':>7}"
        per_request = self.server_cpu / self.requests * 1000 if self.requests else 0
        database = f"{self.database_cpu / self.requests * 1000:>9.2f}" if self.database_cpu is not None \
            and self.requests else f"{'-':>9}"
        return (f"| {self.name:<32} | {self.requests:>7} | {self.failures:>4} | {self.rps:>7.1f} | {self.p50:>5.0f} "
                f"| {self.p99:>5.0f} | {ratio} | {self.client_cpu / self.seconds:>9.2f} "
                f"| {self.server_cpu / self.seconds:>9.2f} | {per_request:>10.2f} | {database} "
                f"| {self.idle / self.seconds:>4.2f} | {self.stolen / self.seconds:>6.2f} |")  # fmt: skip


def warm(server: Gunicorn, target: Target, args: argparse.Namespace) -> None:
    """Ask for every URL of the phase a few times in parallel, so that each worker has rendered (and kept) it.

    A phase of new URLs is warmed with others than it measures, for the gazetteer and the database's cache.
    """
    from concurrent.futures import ThreadPoolExecutor
    from urllib.request import urlopen

    def fetch(path: str) -> None:
        with urlopen(server.base_url + path, timeout=120) as response:  # noqa: S310 - our loopback server
            response.read()

    paths = target.paths[-args.workers * 8 :] if target.fresh else target.paths * (args.workers * 3)
    with ThreadPoolExecutor(args.workers * 2) as pool:
        list(pool.map(fetch, paths * (8 if len(paths) == 1 else 1)))


def run_phase(server: Gunicorn, target: Target, args: argparse.Namespace) -> Phase:
    """Hammer one endpoint with args.users users for args.seconds; return what the client and /proc measured."""
    if args.driver == "wrk":
        return run_phase_wrk(server, target, args)
    chooser = random.Random(1)
    unseen = iter(target.paths)
    name = target.name

    def next_path() -> str:
        return next(unseen) if target.fresh else chooser.choice(target.paths)

    class Visitor(FastHttpUser):
        host = server.base_url
        wait_time = constant(0)

        @task
        def visit(self) -> None:
            with self.client.get(next_path(), name=name, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                elif target.fresh and response.headers.get("X-Page-Cache") == "hit":
                    response.failure("a new URL was answered from the page store")

    env = Environment(user_classes=[Visitor])
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)
    gevent.sleep(args.warmup)
    env.stats.reset_all()
    used = cpu_meter(server)
    client0, wall0, machine = own_cpu_seconds(), time.perf_counter(), machine_meter()
    gevent.sleep(args.seconds)
    entry = env.stats.get(name, "GET")
    requests, failures = entry.num_requests, entry.num_failures
    p50, p99 = entry.get_response_time_percentile(0.5), entry.get_response_time_percentile(0.99)
    seconds = time.perf_counter() - wall0
    client_cpu, (server_cpu, database_cpu), (idle, stolen) = own_cpu_seconds() - client0, used(), machine()
    runner.quit()
    for error in list(env.stats.errors.values())[:3]:
        print(f"  {name}: {error.occurrences} x {error.error}", file=sys.stderr)
    return Phase(name, requests, failures, requests / seconds, p50 or 0, p99 or 0, client_cpu, server_cpu, seconds,
                 database_cpu, idle, stolen)


def run_phase_wrk(server: Gunicorn, target: Target, args: argparse.Namespace) -> Phase:
    """The phase driven by wrk: a warm-up on URLs of its own, then the measured run on the others."""
    # New URLs: the warm-up takes the first quarter, so the measured run never asks for one it asked.
    split = len(target.paths) // 4 if target.fresh else 0
    warm_paths, paths = (target.paths[:split], target.paths[split:]) if target.fresh else (target.paths,) * 2
    if args.warmup >= 1:
        wrk_driver.run(server.base_url, warm_paths, fresh=target.fresh, connections=args.users, seconds=args.warmup)
    used, machine = cpu_meter(server), machine_meter()
    measured = wrk_driver.run(server.base_url, paths, fresh=target.fresh, connections=args.users,
                              seconds=args.seconds)
    (server_cpu, database_cpu), (idle, stolen) = used(), machine()
    if measured.failures:
        print(f"  {target.name}: {measured.failures} failures {measured.detail}", file=sys.stderr)
    return Phase(target.name, measured.requests, measured.failures, measured.requests / measured.seconds,
                 measured.p50_ms, measured.p99_ms, measured.client_cpu, server_cpu, measured.seconds, database_cpu,
                 idle, stolen)


AB_FIGURES = {
    "done": r"^Complete requests:\s+(\d+)",
    "failed": r"^Failed requests:\s+(\d+)",
    "non_2xx": r"^Non-2xx responses:\s+(\d+)",
    "rps": r"^Requests per second:\s+([\d.]+)",
    "p50": r"^\s+50%\s+(\d+)",
    "p99": r"^\s+99%\s+(\d+)",
}


def ab_phase(server: Gunicorn, name: str, path: str, args: argparse.Namespace) -> str:
    """Run ApacheBench (C, one thread, far less CPU per request than locust) on one URL; return a table row."""
    executable = shutil.which("ab")
    if executable is None:
        return f"| {name:<28} | ab is not installed (apt-get install apache2-utils) |"
    argv = [executable, "-q", "-n", str(max(200, int(args.seconds * 150))), "-c", str(args.users),
            "-t", str(int(args.seconds)), server.base_url + path]  # fmt: skip
    out = subprocess.run(argv, capture_output=True, text=True, timeout=args.seconds + 120).stdout  # noqa: S603
    found = {key: re.search(pattern, out, re.M) for key, pattern in AB_FIGURES.items()}
    fig = {key: float(match.group(1)) if match else 0.0 for key, match in found.items()}
    return (f"| {name:<28} | {fig['done']:>8.0f} | {fig['failed'] + fig['non_2xx']:>4.0f} | {fig['rps']:>7.1f} "
            f"| {fig['p50']:>5.0f} | {fig['p99']:>5.0f} | {path[:60]} |")  # fmt: skip


def profile_search(url: str, paths: list[str]) -> None:
    """Profile the search page in process (the test client, no HTTP) and print the heaviest calls."""
    import cProfile
    import pstats

    from provider_dir import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    for path in paths[:20]:
        client.get(path)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for path in paths:
        client.get(path)
    profiler.disable()
    each = (time.perf_counter() - started) / len(paths) * 1000
    print(f"\nsearch page in process: {each:.1f} ms per request (under cProfile), {len(paths)} places")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


@dataclass
class CpuVerdict:
    """One page's server CPU per request against /healthz's in the phases beside it, and whether its target is met."""

    name: str
    ms: float
    baseline_ms: float
    limit: int
    rps: float
    p99: float

    @property
    def ratio(self) -> float:
        return self.ms / self.baseline_ms

    @property
    def met(self) -> bool:
        return self.ratio <= self.limit and self.rps >= TARGET_RPS and self.p99 < TARGET_P99_MS


def cpu_verdicts(phases: list[Phase]) -> list[CpuVerdict]:
    """Return each new-URL page's figures, read against the /healthz phases just before and after it."""
    baseline = [i for i, p in enumerate(phases) if p.name.startswith("/healthz")]
    verdicts = []
    for i, phase in enumerate(phases):
        limit = CPU_TARGETS.get(phase.name)
        if limit is None or not phase.requests:
            continue
        beside = [phases[j] for j in (max((j for j in baseline if j < i), default=None),
                                      min((j for j in baseline if j > i), default=None)) if j is not None]
        requests = sum(p.requests for p in beside)
        if requests:
            verdicts.append(CpuVerdict(phase.name, phase.server_cpu / phase.requests * 1000,
                                       sum(p.server_cpu for p in beside) / requests * 1000, limit, phase.rps,
                                       phase.p99))
    return verdicts


def worker_cpu_meter(server: Gunicorn) -> interleaved_cpu.CpuMeter:
    """Return what starts counting the workers' CPU seconds (the function it returns gives those used since)."""
    workers = server.worker_pids()

    def start() -> Callable[[], float]:
        before = cpu_seconds(workers)
        return lambda: cpu_seconds(workers) - before

    return start


def measure_interleaved(server: Gunicorn, reserved: dict[str, list[str]], args: argparse.Namespace,
                        file_reads: list[page_profile.FileRead]) -> list[interleaved_cpu.Interleaved]:
    """Take each kind of new page in turns with /healthz, a second at a time, on the URLs kept for it."""
    def run_slice(paths: list[str], fresh: bool) -> tuple[int, int]:
        done = wrk_driver.run(server.base_url, paths, fresh=fresh, connections=args.users,
                              seconds=interleaved_cpu.SLICE_SECONDS)
        return done.requests, done.failures

    meter = worker_cpu_meter(server)
    found = []
    for name, paths in reserved.items():
        print(f"{name}: {args.slices} turns of a second with /healthz", file=sys.stderr)
        cache_file(server.database_url, file_reads)
        found.append(interleaved_cpu.measure(name, CPU_TARGETS[name], paths, args.slices, run_slice, meter))
    return found


def cache_file(url: str, file_reads: list[page_profile.FileRead]) -> None:
    """Read SQLite's file through the OS's cache (page_profile.cache_sqlite_file), noting what came from the disk."""
    if found := page_profile.cache_sqlite_file(url):
        file_reads.append(found)


def measure(url: str, args: argparse.Namespace, file_reads: list[page_profile.FileRead]) -> tuple[
        list[Target], list[Phase], list[str], list[interleaved_cpu.Interleaved]]:
    """Start gunicorn on the database and run every phase; return the phases run, their figures, ab's rows and the
    slices taken in turns with /healthz. SQLite's file is read through the OS's cache before each phase and each kind
    of slices (noted in file_reads)."""
    phases_to_run = targets(url)
    reserved = {}
    if args.slices and args.driver == "wrk":
        for target in phases_to_run:
            if target.fresh and target.name in CPU_TARGETS:
                target.paths, reserved[target.name] = interleaved_cpu.reserve(target.paths, args.slices)
    log_path = search_bench.OUT / "load_gunicorn.log"
    log_path.unlink(missing_ok=True)
    phases = []
    # The shipped gunicorn settings, as a deployment runs them (each worker readied and its heap frozen first).
    with Gunicorn(url, workers=args.workers, log_path=log_path,
                  options=("--config", "python:provider_dir.gunicorn_conf")) as server:
        if not has_route(server, f"{SUGGEST_PATH}?q=asc"):
            print(f"{SUGGEST_PATH} is not in this app: its phase is skipped", file=sys.stderr)
            phases_to_run = [t for t in phases_to_run if not t.paths[0].startswith(SUGGEST_PATH)]
        for target in phases_to_run:
            print(f"{target.name}: warming, then {args.users} users for {args.seconds:.0f} s", file=sys.stderr)
            cache_file(url, file_reads)
            warm(server, target, args)
            phases.append(run_phase(server, target, args))
        reserved = {name: paths for name, paths in reserved.items() if any(t.name == name for t in phases_to_run)}
        interleaved = measure_interleaved(server, reserved, args, file_reads)
        kept = [t for t in phases_to_run if not t.fresh]
        ab_rows = [ab_phase(server, t.name, t.paths[0], args) for t in kept] if args.ab else []
    return phases_to_run, phases, ab_rows, interleaved


def report(url: str, args: argparse.Namespace, phases: list[Phase], ab_rows: list[str], load_before: float,
           buffers: str | None, interleaved: list[interleaved_cpu.Interleaved],
           file_reads: list[page_profile.FileRead]) -> list[CpuVerdict]:
    """Print one run's table and its verdicts; return the verdicts."""
    ceiling, search = phases[0], phases[1]
    backend = create_engine(url).dialect.name
    print(f"\n{backend}, {SIZE:,} clinics, gunicorn {args.workers} sync workers, {args.driver} "
          f"({args.users} users, no think time, {args.seconds:.0f} s each), {os.cpu_count()} cores, "
          f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after the run; "
          "rate limits off")  # fmt: skip
    if buffers:
        print(buffers)
    if file_reads:
        print(f"SQLite: its files ({file_reads[0].size_mb:,.0f} MB) read through the OS's cache before each phase and "
              f"each kind of slices, {len(file_reads)} times: {sum(r.from_disk_mb for r in file_reads):,.0f} MB came "
              f"from the disk ({file_reads[0].from_disk_mb:,.0f} MB the first time), the host having taken them back "
              "from the cache (page_profile.cache_sqlite_file)")
    print("| endpoint                         | requests | fail |   req/s | p50ms | p99ms | healthz/x | client CPU "
          "| server CPU | server ms/req | db ms/req | idle | stolen |")
    print("|:---------------------------------|---------:|-----:|--------:|------:|------:|----------:|-----------:"
          "|-----------:|--------------:|----------:|-----:|-------:|")
    for phase in phases:
        print(phase.line(None if phase is ceiling else ceiling))
    print(f"(client CPU ({args.driver}) and server CPU: cores busy on average during the phase; healthz/x: how many "
          "times faster /healthz answered; \"a new ... each\": every request a URL not asked before, so rendered, "
          "never kept; "
          "db ms/req: CPU of PostgreSQL's processes for gunicorn's connections, not in server ms/req; idle and "
          "stolen: the machine's cores left idle (waiting on the disk included) and taken by the host, on average: "
          "a phase of fewer requests a second with cores idle or stolen lost them to something else than its pages)")
    if ab_rows:
        print(f"\ncross-check with ApacheBench ({args.users} concurrent, one URL each, same server):")
        print("| endpoint                         | requests | fail |   req/s | p50ms | p99ms | URL |")
        print("|:---------------------------------|---------:|-----:|--------:|------:|------:|:----|")
        print("\n".join(ab_rows))
    verdicts = cpu_verdicts(phases)
    for v in verdicts:
        print(f"{v.name}: server CPU {v.ms:.2f} ms per request, {v.ratio:.1f}x /healthz's {v.baseline_ms:.2f} ms in "
              f"the phases just before and after it (target at most {v.limit}x), {v.rps:.0f} req/s, "
              f"p99 {v.p99:.0f} ms: {'met' if v.met else 'missed'}")
    if interleaved:
        print(f"\nthe same pages taken in turns with /healthz, {args.slices} slices of "
              f"{interleaved_cpu.SLICE_SECONDS} s each (server CPU per request, summed over the slices of each kind):")
        print(interleaved_cpu.TABLE_HEAD)
        print("\n".join(found.line() for found in interleaved))
    met = search.rps >= TARGET_RPS and search.p99 < TARGET_P99_MS and ceiling.rps <= TARGET_RATIO * search.rps
    print(f"search page target ({TARGET_RPS} req/s, p99 < {TARGET_P99_MS} ms, within {TARGET_RATIO}x of /healthz): "
          f"{'met' if met else 'missed'}")  # fmt: skip
    return verdicts


def summarise(runs: list[list[CpuVerdict]], turns: list[list[interleaved_cpu.Interleaved]]) -> None:
    """Print each page's ratio over the runs: median, range, and the runs that met its target; and the same for the
    slices taken in turns with /healthz."""
    print(f"\nover {len(runs)} runs, each on a fresh gunicorn (server CPU per request, x /healthz's beside it):")
    print("| page | ratios, run by run | median | target | met by the median | runs that met it (ratio, 300/s, p99) |")
    print("|:--|:--|--:|--:|:--|--:|")
    for name in CPU_TARGETS:
        each = [v for run in runs for v in run if v.name == name]
        if not each:
            continue
        middle = statistics.median(v.ratio for v in each)
        listed = ", ".join(f"{v.ratio:.1f}x" for v in each)
        print(f"| {name} | {listed} | {middle:.1f}x | {each[0].limit}x | {'yes' if middle <= each[0].limit else 'no'} "
              f"| {sum(v.met for v in each)} of {len(each)} |")
    if not any(turns):
        return
    print("\ntaken in turns with /healthz, a second at a time (each run's ratio of the sums):")
    print("| page | ratios, run by run | median | target | met by the median |")
    print("|:--|:--|--:|--:|:--|")
    for name, limit in CPU_TARGETS.items():
        each = [found.ratio for run in turns for found in run if found.name == name]
        if each:
            middle = statistics.median(each)
            print(f"| {name} | {', '.join(f'{r:.1f}x' for r in each)} | {middle:.1f}x | {limit}x "
                  f"| {'yes' if middle <= limit else 'no'} |")


def main() -> None:
    args = parse_args()
    search_bench.OUT.mkdir(parents=True, exist_ok=True)
    url = database_url()
    buffers = page_profile.prewarm_postgresql(url)  # as a server that has served a while holds them
    runs, turns, phases_to_run = [], [], []
    for run in range(1, args.repeat + 1):
        if args.repeat > 1:
            print(f"run {run} of {args.repeat}, on a fresh gunicorn", file=sys.stderr)
        load_before = os.getloadavg()[0]
        file_reads: list[page_profile.FileRead] = []
        phases_to_run, phases, ab_rows, interleaved = measure(url, args, file_reads)
        runs.append(report(url, args, phases, ab_rows, load_before, buffers, interleaved, file_reads))
        turns.append(interleaved)
    if args.repeat > 1:
        summarise(runs, turns)
    if args.profile:
        new_searches = next(t for t in phases_to_run if t.fresh)  # kept pages would profile the store, not the page
        profile_search(url, new_searches.paths[:300])

if __name__ == "__main__":
    main()
