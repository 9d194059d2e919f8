"""An install without `make assets` does not serve maps without their scripts: it refuses, naming the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from provider_dir import create_app
from provider_dir.config import PROJECT_ROOT
from provider_dir.core import assets
from provider_dir.core.assets import AssetsMissing, check_assets, missing_assets
from tests.conftest import TEST_CONFIG
from tests.served import NO_CONTROL_SOCKET, SECRET, free_port

STATIC = PROJECT_ROOT / "provider_dir" / "static"
NOT_INSTALLED = "vendor/not-installed/missing.js"


def test_the_installed_tree_has_every_vendor_file():
    assert missing_assets(STATIC) == []


def test_a_static_folder_without_vendor_files_is_refused_by_name(tmp_path):
    shutil.copytree(STATIC, tmp_path / "static", ignore=shutil.ignore_patterns("vendor"))
    with pytest.raises(AssetsMissing, match=r"make assets") as refused:
        check_assets(tmp_path / "static")
    assert "vendor/leaflet/leaflet.js" in str(refused.value)


def test_production_refuses_to_build_the_app_without_them(monkeypatch):
    monkeypatch.setattr(assets, "VENDOR_FILES", (*assets.VENDOR_FILES, NOT_INSTALLED))
    # Rate limits off: the limiter is shared by every app of the suite, and this app is not a test app.
    production = {"ENV_NAME": "production", "SECRET_KEY": "p" * 40, "RATELIMIT_ENABLED": False}
    with pytest.raises(AssetsMissing, match=NOT_INSTALLED):
        create_app(production)
    create_app({**TEST_CONFIG, **production})  # the test suite's apps may lack them; nothing is served


def test_readiness_says_what_is_missing(client, monkeypatch):
    monkeypatch.setattr(assets, "VENDOR_FILES", (*assets.VENDOR_FILES, NOT_INSTALLED))
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert "make assets" in answer.json["reason"] and answer.json["missing"] == [NOT_INSTALLED]


@pytest.mark.slow
def test_gunicorn_with_the_shipped_config_will_not_start_from_a_checkout_without_assets(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(PROJECT_ROOT / "provider_dir", checkout / "provider_dir",
                    ignore=shutil.ignore_patterns("vendor", "__pycache__"))  # fmt: skip
    for folder in ("templates", "migrations"):
        shutil.copytree(PROJECT_ROOT / folder, checkout / folder)
    env = {**os.environ, "PYTHONPATH": str(checkout), "SECRET_KEY": SECRET, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")}  # fmt: skip
    finished = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "gunicorn", "--config", "python:provider_dir.gunicorn_conf", "--bind",
         f"127.0.0.1:{free_port()}", *NO_CONTROL_SOCKET, "provider_dir:create_app()"],
        cwd=checkout, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert finished.returncode != 0
    assert "make assets" in finished.stderr and "vendor/leaflet/leaflet.js" in finished.stderr
