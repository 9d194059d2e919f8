"""The shipped nginx site in front of a real gunicorn with TRUSTED_PROXIES=1: per-client log-in limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provider_dir.extensions import db
from tests.databases import database_url
from tests.deploy.nginx import NGINX, OPENSSL, HttpsClient, Nginx
from tests.served import PASSWORD, Gunicorn, add_patients, migrated_app

pytestmark = pytest.mark.slow
LIMIT = 3


@pytest.fixture
def patients(tmp_path):
    """A migrated database with three patient accounts; return (its URL, their emails)."""
    if not (Path(NGINX).is_file() and Path(OPENSSL).is_file()):
        pytest.skip("nginx or openssl is not installed (apt-get install nginx openssl); .ci/run installs them")
    url = database_url("nginx", tmp_path)
    app = migrated_app(url)
    with app.app_context():
        emails = add_patients(3, prefix="proxied")
        db.engine.dispose()
    return url, emails


def test_two_clients_behind_the_proxy_have_separate_limits_and_a_forged_address_buys_nothing(patients, tmp_path):
    url, emails = patients
    # One worker, so that its in-memory counters are the only ones (tests/ratelimits shows Redis sharing them).
    config = {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": f"{LIMIT} per minute", "TRUSTED_PROXIES": 1}
    with Gunicorn(url, workers=1, **config) as server, Nginx(tmp_path / "nginx", server.port) as nginx:
        first, second = HttpsClient(nginx, "127.0.0.1"), HttpsClient(nginx, "127.0.0.2")

        # The first client uses up its log-in attempts with a wrong password, then is refused.
        assert [first.log_in(emails[0], "wrong password") for _ in range(LIMIT)] == [422] * LIMIT
        assert first.log_in(emails[0], "wrong password") == 429

        # A forged X-Forwarded-For does not make it someone else: nginx replaces the header with the real address.
        for forged in ("203.0.113.9", "127.0.0.2", "198.51.100.1, 127.0.0.2"):
            assert first.log_in(emails[0], PASSWORD, headers={"X-Forwarded-For": forged}) == 429

        # The other client, at another address behind the same proxy, still logs in.
        assert second.log_in(emails[1], "wrong password") == 422
        assert second.log_in(emails[1], PASSWORD) == 302
        status, headers, page = second.request("GET", "/account/")
        assert status == 200 and emails[1] in page
        # nginx's request id reaches the app, which answers with it.
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
        # The scheme and host the app builds URLs from are the ones the visitor used, not gunicorn's.
        status, headers, _ = second.request("GET", "/account")
        assert status == 308 and headers["Location"].startswith("https://clinics.example.org/account/")

        # The tokens of e-mailed links stay out of nginx's access log.
        for path in ("/reset/SECRET-reset-token", "/account/email/undo/SECRET-undo-token?x=SECRET-query"):
            first.request("GET", path)

    access = (tmp_path / "nginx" / "access.log").read_text()
    assert "127.0.0.2" in access and "127.0.0.1" in access
    assert "/reset/[token]" in access and "/account/email/undo/[token]" in access and "SECRET" not in access
