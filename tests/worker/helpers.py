"""A real `flask worker` process on its own database, for the tests that stop, kill and race workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.served import SECRET

WORKER = [sys.executable, "-m", "flask", "--app", "provider_dir", "worker"]


def start_worker(url: str, smtp_port: int, log: Path, *args: str, **env: str) -> subprocess.Popen:
    """Start `flask worker` against the database at url, mailing to a loopback port; its log goes to log."""
    environ = {
        **os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "MAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "WORKER_POLL_SECONDS": "0.2", "WORKER_JOBS": "", "MAIL_SMTP_TIMEOUT": "2", "MAIL_LEASE_SECONDS": "8",
        "MAIL_RETRY_SECONDS": "0.2", "MAIL_RETRY_MAX_SECONDS": "0.5", **env,
    }  # fmt: skip
    handle = log.open("ab")
    return subprocess.Popen([*WORKER, *args], env=environ, stdout=handle, stderr=subprocess.STDOUT)  # noqa: S603


def wait_for(condition, timeout: float = 60.0, what: str = "the condition") -> None:
    """Poll condition() until it is true; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def stop(process: subprocess.Popen, timeout: float = 30.0) -> int:
    """Ask a worker to stop with SIGTERM and return its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)
