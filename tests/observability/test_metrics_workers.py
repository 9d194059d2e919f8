"""Under gunicorn with the shipped config, the figures of every worker add up, and survive a worker's death."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.databases import database_url
from tests.observability.helpers import samples, value
from tests.served import Gunicorn, migrated_app

pytestmark = pytest.mark.slow
TOKEN = "multi-process-scrape-token"
ABOUT = {"endpoint": "core.about", "method": "GET", "status": "200"}


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the redirect back as it is


def scrape(base_url: str) -> str:
    request = urllib.request.Request(f"{base_url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our loopback server
        return response.read().decode()


def visit(base_url: str, times: int) -> None:
    """Fetch /about `times` times from 8 threads at once, so that both workers answer some."""

    def one(_):
        with urllib.request.urlopen(f"{base_url}/about", timeout=30) as response:  # noqa: S310
            assert response.status == 200

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(times)))


def test_counts_add_up_across_workers_and_a_killed_worker_keeps_its_share(tmp_path):
    url = database_url("metrics", tmp_path)
    migrated_app(url)
    folder = tmp_path / "prometheus"
    folder.mkdir()
    options = ("--config", "python:provider_dir.gunicorn_conf")
    log = tmp_path / "gunicorn.log"
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder), "LOG_FORMAT": "json"}
    with Gunicorn(url, workers=2, options=options, env=env, log_path=log, METRICS_TOKEN=TOKEN) as server:
        visit(server.base_url, 40)
        pids = {int(path.stem.rsplit("_", 1)[1]) for path in folder.glob("counter_*.db")}
        assert pids >= set(server.worker_pids()) and len(pids) >= 2  # both workers counted something
        # Every scrape, whichever worker answers it, reports the sum over both.
        for _ in range(4):
            text = scrape(server.base_url)
            assert value(text, "provider_dir_http_requests_total", **ABOUT) == 40
            assert value(text, "provider_dir_http_request_duration_seconds_count",
                         endpoint="core.about", status="200") == 40  # fmt: skip
            # Queue gauges come from the database once per scrape, not once per worker.
            assert len(samples(text, "provider_dir_moderation_queue_items")) == 9  # one per queue, not per worker

        # TRUSTED_PROXIES is 0 here, and the shipped config stops gunicorn reading X-Forwarded-Proto itself:
        # a client on loopback cannot make the app think it came over https.
        forged = urllib.request.Request(f"{server.base_url}/account", headers={"X-Forwarded-Proto": "https",  # noqa: S310
                                                                               "X-Forwarded-Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirects).open(forged, timeout=30)
        assert redirect.value.code == 308
        assert redirect.value.headers["Location"].startswith(f"http://127.0.0.1:{server.port}/account/")

        # A worker killed outright is replaced; what it counted is still counted.
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while victim in server.worker_pids() or len(server.worker_pids()) < 2:
            assert time.monotonic() < deadline, "gunicorn did not replace the killed worker"
            time.sleep(0.2)
        server.wait_until_serving(len_workers=2)
        visit(server.base_url, 10)
        for _ in range(4):
            assert value(scrape(server.base_url), "provider_dir_http_requests_total", **ABOUT) == 50

    # With LOG_FORMAT=json, gunicorn's own lines and the app's are all JSON objects.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    assert sum(line["path"] == "/about" and line["status"] == 200 for line in lines) == 50
