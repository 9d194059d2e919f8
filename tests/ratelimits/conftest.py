"""A real redis-server on a free loopback port, and apps built from the environment's rate-limit settings."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

from provider_dir import create_app
from provider_dir.extensions import db, limiter
from tests.conftest import TEST_CONFIG

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """Start redis-server on loopback with persistence off, yield its URL, stop it afterwards."""
    if not shutil.which(REDIS_SERVER):
        pytest.skip("redis-server is not installed (apt-get install redis-server); the shared-store test needs it")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not answer within 5 seconds")
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def reset_counters() -> None:
    """Clear the shared limiter's counters, wherever it keeps them (a test may have pointed it at a dead Redis)."""
    with contextlib.suppress(redis.ConnectionError):
        limiter.reset()


@pytest.fixture
def app_from_env(base_app, monkeypatch):
    """Return a factory: an app whose rate limits come from the given environment variables (on by default)."""
    made = []
    was_enabled = limiter.enabled
    # TEST_CONFIG switches limits off; here the environment decides.
    config = {k: v for k, v in TEST_CONFIG.items() if k != "RATELIMIT_ENABLED"}

    def make(**env: str):
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        app = create_app({**config, "SQLALCHEMY_DATABASE_URI": base_app.config["SQLALCHEMY_DATABASE_URI"]})
        reset_counters()
        made.append(app)
        return app

    yield make
    reset_counters()
    limiter.enabled = was_enabled
    limiter._storage_dead = False  # a test may have left the shared limiter on its fallback store
    for app in made:
        with app.app_context():
            db.engine.dispose()
