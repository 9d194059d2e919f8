"""With RATELIMIT_STORAGE_URI pointing at Redis, a limit holds across app instances (as under several workers).

Each instance is its own process that calls create_app() from the environment, as a gunicorn worker does;
within one process flask-limiter has a single Limiter, so two in-process apps would share counters anyway and
prove nothing. The same run on memory:// shows each process counting alone, so Redis is what makes it hold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from provider_dir.config import PROJECT_ROOT
from tests.ratelimits.conftest import free_port

LIMIT = 4
SEARCH = "/api/v1/search?location=10001&radius_mi=1"

pytestmark = pytest.mark.slow


def get(url: str, timeout: float = 30) -> tuple[int, dict, bytes]:
    """GET a loopback URL; return its status, headers and body (4xx and 5xx included)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - http://127.0.0.1 only
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()
    except (urllib.error.URLError, OSError):
        return 0, {}, b""


@contextmanager
def served_instances(count: int, database_url: str, storage_uri: str) -> Iterator[list[str]]:
    """Serve create_app() in count processes of their own on free loopback ports; yield their base URLs."""
    env = {**os.environ, "DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI": storage_uri,
           "RATELIMIT_ENABLED": "true", "RATELIMIT_SEARCH": f"{LIMIT}/minute", "FLASK_APP": "provider_dir"}  # fmt: skip
    ports = [free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(  # noqa: S603 - our own app, fixed arguments
            [sys.executable, "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(port), "--no-reload",
             "--no-debugger"],
            env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]  # fmt: skip
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 90
        for base, process in zip(bases, processes, strict=True):
            while get(f"{base}/healthz", timeout=2)[0] != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the app did not start on {base} (exit code {process.poll()})")
                time.sleep(0.2)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def alternate_searches(bases: list[str], count: int) -> list[int]:
    """Send count searches, alternating between the instances, and return the statuses."""
    return [get(bases[i % len(bases)] + SEARCH)[0] for i in range(count)]


def test_a_limit_holds_across_two_instances_sharing_redis(base_app, redis_url):
    database_url = base_app.config["SQLALCHEMY_DATABASE_URI"]
    with served_instances(2, database_url, redis_url) as bases:
        statuses = alternate_searches(bases, LIMIT + 2)
        assert statuses == [200] * LIMIT + [429, 429]
        status, headers, body = get(bases[0] + SEARCH)
        assert status == 429
        message = json.loads(body)["error"]["message"]
        assert f"the limit is {LIMIT} per 1 minute" in message and "Please wait and try again" in message
        assert int(headers["Retry-After"]) > 0


def test_with_memory_storage_each_instance_counts_alone(base_app):
    database_url = base_app.config["SQLALCHEMY_DATABASE_URI"]
    with served_instances(2, database_url, "memory://") as bases:
        assert alternate_searches(bases, 2 * LIMIT) == [200] * (2 * LIMIT)
        assert alternate_searches(bases, 2) == [429, 429]
