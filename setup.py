"""Build step that makes a wheel hold the whole site (everything else is in pyproject.toml).

templates/, migrations/ and seeds/ stay at the top of the repository, where developers and Flask-Migrate
expect them; when a wheel is built they are copied into the package as provider_dir/site/, which
provider_dir.config finds at run time. The front-end libraries under provider_dir/static/vendor/ come
from npm (`make assets`) and are not committed, so a wheel built without them would serve a search page
with no map: the build refuses instead. Editable installs (`make install`) read the source tree directly
and skip both steps.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_DIRS = ("templates", "migrations", "seeds")
# Only what the app reads at run time: the generators of the shipped data stay in the repository.
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "generate_demo.py", "build_us_places.py")
VENDORED = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet.markercluster/MarkerCluster.css",
    "leaflet.markercluster/MarkerCluster.Default.css",
)


class BuildPyWithSite(build_py):
    """build_py that checks the npm assets and copies the top-level site folders into the package."""

    def run(self):
        if not self.editable_mode:
            vendor = ROOT / "provider_dir" / "static" / "vendor"
            missing = [name for name in VENDORED if not (vendor / name).is_file()]
            if missing:
                raise SystemExit(
                    "provider_dir: the front-end libraries from npm are missing from provider_dir/static/vendor/ "
                    f"({', '.join(missing)}). Run `make assets` (it needs npm), then build again."
                )
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "provider_dir" / "site"
        shutil.rmtree(target, ignore_errors=True)
        for name in SITE_DIRS:
            shutil.copytree(ROOT / name, target / name, ignore=SKIP)


setup(cmdclass={"build_py": BuildPyWithSite})
