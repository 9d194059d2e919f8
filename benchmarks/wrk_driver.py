"""One load phase driven by wrk (apt-get install wrk): a client in C that takes a small part of a core.

load.py's server and its client share this machine's two cores. locust spent 0.5-0.8 ms of CPU per request (about
what gunicorn spent answering /healthz), which the server's workers could not have; wrk spends 0.08-0.3 ms (its
Lua per request and reading the answer), nearer to a client on another machine, which costs the server nothing.
benchmarks/wrk_paths.lua asks for each request's path from a file and counts what load.py counts as a failure.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk_paths.lua")
RESULT_PREFIX = "wrk-result "


@dataclass
class WrkPhase:
    """What wrk measured in one run, and the CPU it used."""

    requests: int
    seconds: float
    failures: int  # not 200, a new URL answered from the page store, a new URL asked again, a socket error
    p50_ms: float
    p99_ms: float
    client_cpu: float
    detail: dict


def executable() -> str | None:
    """Return wrk's path, or None when it is not installed."""
    return shutil.which("wrk")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(base_url: str, paths: list[str], *, fresh: bool, connections: int, seconds: float) -> WrkPhase:
    """Ask base_url for the paths (each once in order when fresh, else at random) for whole seconds."""
    wrk = executable()
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    try:
        argv = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
                "-s", str(SCRIPT), base_url, "--", listing.name, "fresh" if fresh else "any"]  # fmt: skip
        cpu0 = children_cpu_seconds()
        done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120, check=False)  # noqa: S603
        client_cpu = children_cpu_seconds() - cpu0
    finally:
        Path(listing.name).unlink()
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith(RESULT_PREFIX)), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {(done.stderr or done.stdout)[-1000:]}")
    figures = json.loads(line[len(RESULT_PREFIX):])
    failures = figures["not_ok"] + figures["kept"] + figures["exhausted"] + figures["socket_errors"]
    return WrkPhase(figures["requests"], figures["seconds"], failures, figures["p50_ms"], figures["p99_ms"],
                    client_cpu, figures)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", type=Path, help="a file of paths, one a line")
    parser.add_argument("--fresh", action="store_true", help="each path once, in order (else at random)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    paths = args.paths.read_text().split()
    phase = run(args.base_url, paths, fresh=args.fresh, connections=args.connections, seconds=args.seconds)
    print(f"{phase.requests} requests in {phase.seconds:.1f} s ({phase.requests / phase.seconds:.1f}/s), "
          f"{phase.failures} failures, p50 {phase.p50_ms:.1f} ms, p99 {phase.p99_ms:.1f} ms, "
          f"client CPU {phase.client_cpu:.2f} s")


if __name__ == "__main__":
    main()
