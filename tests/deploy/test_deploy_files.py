"""deploy/: the environment file names every setting the app reads, and the systemd units are valid."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from provider_dir.config import PROJECT_ROOT, from_environment
from provider_dir.core.rate_limits import DEFAULT_LIMITS
from provider_dir.pagecache.settings import DEFAULTS as PAGE_CACHE_DEFAULTS

DEPLOY = PROJECT_ROOT / "deploy"
ENV_FILE = DEPLOY / "provider_dir.env"
READ = re.compile(r"""(?:env|environ)(?:\.get)?[(\[]\s*["']([A-Z][A-Z0-9_]+)["']""")
ASSIGNMENT = re.compile(r"^#?([A-Z][A-Z0-9_]*)=(.*)$")
# FLASK_ENV: the old spelling of APP_ENV; PGPASSWORD: set by `flask backup` for pg_dump, not read.
NOT_SETTINGS = {"FLASK_ENV", "PGPASSWORD"}


def settings_read_by_the_app() -> set[str]:
    """Every environment variable named in provider_dir's source, and every rate limit and page-cache setting."""
    names = set(DEFAULT_LIMITS) | set(PAGE_CACHE_DEFAULTS)
    for path in (PROJECT_ROOT / "provider_dir").rglob("*.py"):
        names.update(READ.findall(path.read_text()))
    return names - NOT_SETTINGS


def env_file_settings(uncomment: bool) -> dict[str, str]:
    """Parse the environment file as systemd does (quotes removed), the commented-out lines too if asked."""
    found = {}
    for line in ENV_FILE.read_text().splitlines():
        match = ASSIGNMENT.match(line)
        if match and (uncomment or not line.startswith("#")):
            value = match.group(2)
            found[match.group(1)] = shlex.split(value)[0] if value.strip() else ""
    return found


def test_the_environment_file_names_every_setting():
    missing = settings_read_by_the_app() - set(env_file_settings(uncomment=True))
    assert not missing, f"deploy/provider_dir.env does not mention {sorted(missing)}"


def test_every_value_in_the_environment_file_is_one_the_app_accepts():
    for uncomment in (False, True):
        settings = env_file_settings(uncomment)
        settings.pop("SECRET_KEY", None)  # empty on purpose: the operator must choose one
        config = from_environment(settings)
        assert config["TRUSTED_PROXIES"] == 1 and config["LOG_FORMAT"] == "json"


@pytest.mark.parametrize("unit", ["provider_dir-web.service", "provider_dir-worker@.service"])
def test_the_systemd_units_are_valid(unit, tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    bin_dir = Path(sys.executable).parent
    text = (DEPLOY / "systemd" / unit).read_text().replace("/srv/provider_dir/.venv/bin", str(bin_dir))
    name = unit.replace("@.", "@1.")  # verify an instance of the template
    (tmp_path / name).write_text(text)
    checked = subprocess.run([analyze, "verify", str(tmp_path / name)], capture_output=True, text=True,  # noqa: S603
                             timeout=60)  # fmt: skip
    problems = [line for line in (checked.stdout + checked.stderr).splitlines() if unit.split("@")[0] in line]
    assert checked.returncode == 0 and not problems, checked.stdout + checked.stderr
