"""A gunicorn worker with the shipped settings is ready before its first request, its long-lived heap frozen."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request

import pytest

from provider_dir.config import PROJECT_ROOT
from tests.databases import database_url
from tests.served import Gunicorn, add_clinics, migrated_app

pytestmark = pytest.mark.slow

READY = re.compile(r"worker (\d+) ready: (\d+) objects kept out of the garbage collector's walks")


def test_each_worker_builds_what_pages_need_and_freezes_it_before_its_first_request(tmp_path):
    url = database_url("ready", tmp_path)
    app = migrated_app(url)
    with app.app_context():
        add_clinics(3)
    log = tmp_path / "gunicorn.log"
    with Gunicorn(url, workers=2, options=("--config", "python:provider_dir.gunicorn_conf"), log_path=log) as server:
        ready = READY.findall(log.read_text())
        # Both workers said so before serving; the place gazetteer alone is some 100,000 objects.
        assert {int(pid) for pid, _count in ready} == set(server.worker_pids())
        assert all(int(count) > 150_000 for _pid, count in ready)
        with urllib.request.urlopen(f"{server.base_url}/search?location=10001&radius=5", timeout=30) as response:  # noqa: S310
            page = response.read().decode()
        assert "Served Clinic 0" in page


def test_a_readied_process_has_its_templates_compiled_and_collects_young_objects_less_often():
    probe = (
        "import gc\n"
        "from provider_dir import create_app\n"
        "from provider_dir.core.warmup import YOUNG_THRESHOLD, ready_worker\n"
        "app = create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "frozen = ready_worker(app)\n"
        "names = app.jinja_env.list_templates(extensions=('html', 'xml', 'txt'))\n"
        "compiled = {name for _loader, name in app.jinja_env.cache.keys()}\n"
        "assert set(names) <= compiled, set(names) - compiled\n"
        "assert gc.get_threshold()[0] == YOUNG_THRESHOLD and frozen == gc.get_freeze_count() > 150_000, frozen\n"
        "print(len(names), frozen)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    templates, frozen = map(int, done.stdout.split())
    assert templates > 50 and frozen > 150_000
