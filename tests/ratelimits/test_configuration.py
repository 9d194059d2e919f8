"""Rate limits come from the environment: RATELIMIT_ENABLED and one variable per endpoint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provider_dir.config import PROJECT_ROOT, ConfigError, from_environment
from provider_dir.core.rate_limits import DEFAULT_LIMITS


def test_defaults_apply_without_settings():
    config = from_environment({})
    assert config["RATELIMIT_ENABLED"] is True
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["RATELIMIT_LOGIN"] == "10 per minute;50 per hour"
    assert config["RATELIMIT_SEARCH"] == "60 per minute"


def test_each_endpoint_limit_is_read_from_its_variable():
    env = {"RATELIMIT_LOGIN": "3/minute;20/hour", "RATELIMIT_REGISTER": "2/hour", "RATELIMIT_SEARCH": "100/minute",
           "RATELIMIT_REVIEWS": "1/hour", "RATELIMIT_REPORTS": "4 per day", "RATELIMIT_ENABLED": "false",
           "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}  # fmt: skip
    config = from_environment(env)
    assert {name: config[name] for name in env} == {**env, "RATELIMIT_ENABLED": False}


@pytest.mark.parametrize(("name", "value"), [("RATELIMIT_LOGIN", "lots"), ("RATELIMIT_SEARCH", "10 per fortnight"),
                                             ("RATELIMIT_ENABLED", "maybe")])
def test_a_value_that_is_not_a_limit_stops_the_app_with_a_clear_message(name, value):
    with pytest.raises(ConfigError, match=f"{name}='{value}'"):
        from_environment({name: value})


def test_every_limit_in_the_code_is_configurable():
    # A limit written as a literal string would escape the environment: every decorator names a variable.
    sources = [p for p in (PROJECT_ROOT / "provider_dir").rglob("*.py") if p.name != "rate_limits.py"]
    literal = re.compile(r"(?:limiter\.(?:shared_)?limit)\(\s*[\"']")
    offenders = [str(p.relative_to(PROJECT_ROOT)) for p in sources if literal.search(p.read_text(encoding="utf-8"))]
    assert offenders == [], "add the limit to DEFAULT_LIMITS in provider_dir/core/rate_limits.py and use configured()"
    used = {name for p in sources for name in re.findall(r'configured\("(RATELIMIT_\w+)"\)', p.read_text("utf-8"))}
    assert used == set(DEFAULT_LIMITS)


def test_the_readme_documents_every_variable():
    readme = Path(PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in ["RATELIMIT_ENABLED", "RATELIMIT_STORAGE_URI", *DEFAULT_LIMITS]:
        assert f"`{name}`" in readme, name
