"""A wheel holds the whole site: built, installed in a fresh virtualenv and served from outside the repository.

The wheel is built from a copy of the source tree with `pip wheel --no-deps` (pip fetches setuptools for its
isolated build environment from the index pip is configured with; where that fails the test builds with
`--no-build-isolation`, which needs setuptools and wheel in the project virtualenv). The fresh virtualenv gets
only the wheel (`--no-deps`); its dependencies are seen through a .pth file naming the project virtualenv's
site-packages.
Directories named in a .pth file are not scanned for .pth files themselves, so the project's editable install
(a .pth hook) stays inactive there and `import provider_dir` can only find the installed wheel.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
from pathlib import Path

import pytest

from provider_dir.config import PACKAGE_DIR

pytestmark = pytest.mark.slow

SOURCE = PACKAGE_DIR.parent
TREE = ("provider_dir", "templates", "migrations", "seeds", "pyproject.toml", "setup.py", "README.md")
VENDOR = SOURCE / "provider_dir" / "static" / "vendor"


def copy_tree(into: Path, with_vendor: bool = True) -> Path:
    """Copy what a build reads into a fresh folder (optionally without the npm assets)."""
    skip = ["__pycache__", "*.pyc", "*.egg-info"] + ([] if with_vendor else ["vendor"])
    for name in TREE:
        path = SOURCE / name
        if path.is_dir():
            shutil.copytree(path, into / name, ignore=shutil.ignore_patterns(*skip))
        else:
            shutil.copy2(path, into / name)
    return into


def build_wheel(tree: Path, out: Path) -> subprocess.CompletedProcess:
    """Run pip wheel on the tree in pip's isolated build environment (setuptools from the configured index).

    Where that index cannot be reached, build with the project virtualenv's own setuptools and wheel instead.
    """
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."]
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, timeout=300)  # noqa: S603
    if done.returncode != 0 and "make assets" not in done.stdout + done.stderr:
        offline = subprocess.run([*command, "--no-build-isolation"], cwd=tree, capture_output=True, text=True,  # noqa: S603
                                 timeout=300)  # fmt: skip
        if offline.returncode == 0 or "make assets" in offline.stdout + offline.stderr:
            return offline
    return done


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - loopback only
        return answer.status, answer.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel, install it alone into a fresh virtualenv; return (the venv's python, the run folder)."""
    if not (VENDOR / "leaflet" / "leaflet.js").is_file():
        pytest.fail("provider_dir/static/vendor is empty: run `make assets` before the tests")
    root = tmp_path_factory.mktemp("wheel")
    tree = copy_tree(root / "src")
    built = build_wheel(tree, root / "dist")
    assert built.returncode == 0, built.stderr
    (wheel,) = (root / "dist").glob("provider_dir-*.whl")

    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],  # noqa: S603
                                        text=True).strip())  # fmt: skip
    (site / "project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)]
    done = subprocess.run(pip, capture_output=True, text=True, timeout=300)  # noqa: S603
    assert done.returncode == 0, done.stderr
    run_dir = root / "run"  # outside the repository: nothing can come from the source tree
    run_dir.mkdir()
    return python, run_dir


def run_env(run_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL", "FLASK_APP")}
    env.update(DATABASE_URL=f"sqlite:///{run_dir / 'site.sqlite3'}", FLASK_APP="provider_dir")
    return env


def test_the_installed_package_is_the_wheel_not_the_source_tree(installed):
    python, run_dir = installed
    where = subprocess.check_output(  # noqa: S603
        [python, "-c", "import provider_dir.config as c; print(c.PACKAGE_DIR); print(c.PROJECT_ROOT)"],
        cwd=run_dir, env=run_env(run_dir), text=True,
    ).split()  # fmt: skip
    assert all(str(SOURCE) not in path for path in where), where
    assert where[1].endswith("provider_dir/site")


def test_the_installed_wheel_migrates_seeds_and_serves_the_search_page_with_its_map(installed):
    python, run_dir = installed
    env = run_env(run_dir)
    for command in (["db", "upgrade"], ["seed", "--if-empty"]):
        done = subprocess.run([python, "-m", "flask", *command], cwd=run_dir, env=env,  # noqa: S603
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr
    port = free_port()
    # Its log to a file: a pipe nobody reads fills up with a failing page's tracebacks and stops the server.
    log = run_dir / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603
            [python, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "provider_dir:create_app()"],
            cwd=run_dir, env=env, stdout=subprocess.DEVNULL, stderr=log_file, text=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                status, html = fetch(f"{base}/search?location=10001")
                break
            except urllib.error.HTTPError as error:  # it answered, with an error: no point in waiting
                pytest.fail(f"the search page answered {error.code}: {log.read_text()[-4000:]}")
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"gunicorn stopped: {log.read_text()[-4000:]}")
                time.sleep(0.5)
        else:
            pytest.fail("the installed app did not answer")
        assert status == 200 and "result-card" in html
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
        assert "/static/vendor/leaflet/leaflet.js" in assets and "/static/vendor/leaflet/leaflet.css" in assets
        assert any("leaflet.markercluster" in a for a in assets)
        for asset in assets:
            assert fetch(base + asset)[0] == 200, asset
        assert fetch(f"{base}/compare?c=new-york-ketamine-center")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_build_without_the_npm_assets_refuses_and_says_what_to_run(tmp_path):
    tree = copy_tree(tmp_path / "src", with_vendor=False)
    built = build_wheel(tree, tmp_path / "dist")
    assert built.returncode != 0
    said = built.stdout + built.stderr
    assert "front-end libraries from npm are missing" in said and "make assets" in said
    assert not list((tmp_path / "dist").glob("*.whl")) if (tmp_path / "dist").exists() else True
