"""TRUSTED_PROXIES: X-Forwarded-* count only when a proxy the operator declared set them."""

from __future__ import annotations

import pytest

from provider_dir.config import ConfigError, from_environment
from provider_dir.core.proxies import trusted_proxies_from

WRONG = {"email": "someone@example.test", "password": "not the password"}


def post_from(client, address: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post("/login", data=WRONG, headers=headers, environ_base={"REMOTE_ADDR": address})


def test_without_trusted_proxies_a_forged_header_does_not_dodge_the_limit(app_from_env):
    client = app_from_env(RATELIMIT_LOGIN="2/minute").test_client()
    assert [post_from(client, "192.0.2.7", f"198.51.100.{n}").status_code for n in range(2)] == [422, 422]
    assert post_from(client, "192.0.2.7", "198.51.100.99").status_code == 429
    # Another connecting address has its own count.
    assert post_from(client, "192.0.2.8").status_code == 422


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_limit(app_from_env):
    client = app_from_env(RATELIMIT_LOGIN="2/minute", TRUSTED_PROXIES="1").test_client()
    proxy = "10.0.0.1"
    assert [post_from(client, proxy, "198.51.100.1").status_code for _ in range(2)] == [422, 422]
    assert post_from(client, proxy, "198.51.100.1").status_code == 429
    assert post_from(client, proxy, "198.51.100.2").status_code == 422
    # Only the hop the proxy added counts: a client's own entry in front of it is ignored.
    assert post_from(client, proxy, "203.0.113.5, 198.51.100.1").status_code == 429


@pytest.mark.parametrize("value", ["-1", "one", "1.5", "6"])
def test_a_trusted_proxies_value_that_is_not_a_small_count_is_refused_by_name(value):
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        from_environment({"TRUSTED_PROXIES": value})


def test_trusted_proxies_defaults_to_none():
    assert trusted_proxies_from({}) == 0 and trusted_proxies_from({"TRUSTED_PROXIES": " 2 "}) == 2
