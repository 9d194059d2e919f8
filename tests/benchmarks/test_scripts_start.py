"""Every benchmark script still starts: its imports match the code it measures (two had drifted unnoticed)."""

import importlib.util
import subprocess
import sys

import pytest

from provider_dir.config import PROJECT_ROOT
from tests.benchmarks.modules import benchmark_module

MODULES = sorted((PROJECT_ROOT / "benchmarks").glob("*.py"))
SCRIPTS = [path for path in MODULES if "__main__" in path.read_text()]
HELPERS = [path for path in MODULES if path not in SCRIPTS]  # imported by the scripts, not run on their own
NEEDS = {"load.py": "locust"}  # the bench extra, not installed to run or test the app


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_the_script_starts_and_explains_itself(script):
    needed = NEEDS.get(script.name)
    if needed and importlib.util.find_spec(needed) is None:
        pytest.skip(f"{script.name} needs {needed} (pip install -e '.[bench]')")
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120,  # noqa: S603 - our own scripts
                          cwd=PROJECT_ROOT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout


@pytest.mark.parametrize("module", HELPERS, ids=lambda path: path.name)
def test_a_helper_module_imports(module):
    done = subprocess.run([sys.executable, "-c", "import runpy, sys; runpy.run_path(sys.argv[1])", str(module)],  # noqa: S603 - our own module
                          capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_ab_script_loads_the_url_drawing_beside_it():
    # fresh_pages_ab.py loads page_profile.py by its path (the compared trees have their own): a dataclass there
    # needs the module registered while it runs.
    fresh_pages_ab = benchmark_module("fresh_pages_ab")
    assert fresh_pages_ab._page_profile().urls.__name__ == "urls"
