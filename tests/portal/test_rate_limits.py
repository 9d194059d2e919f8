"""Claims, emailed codes and new listings are rate-limited, with a clear 429."""

from __future__ import annotations

import pytest

from provider_dir.accounts.models import User
from provider_dir.extensions import db, limiter
from provider_dir.models.base import utcnow
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_password
from tests.mailbox import draining
from tests.reviews.helpers import isolated_app, text_of

LIMITS = [("/portal/claim/any-clinic", 10), ("/portal/new", 10), ("/portal/claims/1/code", 20),
          ("/portal/claims/1/resend", 10)]  # fmt: skip


@pytest.fixture(scope="module")
def limited_app(tmp_path_factory, smtp_server):
    with isolated_app(tmp_path_factory, "portal_limits", RATELIMIT_ENABLED=True, MAIL_URL=smtp_server.url) as app:
        with app.app_context():
            db.session.add(User(email="limits@portal.test", display_name="portal_limits",
                                password_hash=hashed_password(), email_confirmed_at=utcnow()))  # fmt: skip
            db.session.commit()
            db.session.remove()
        with draining(smtp_server.mailbox, app):
            yield app


@pytest.mark.parametrize(("url", "limit"), LIMITS)
def test_posts_are_limited(limited_app, url, limit):
    limiter.reset()
    client = limited_app.test_client()
    assert client.post("/login", data={"email": "limits@portal.test", "password": TEST_PASSWORD}).status_code == 302
    statuses = {client.post(url, data={}).status_code for _ in range(limit)}
    assert 429 not in statuses
    blocked = client.post(url, data={})
    assert blocked.status_code == 429
    assert "Too many attempts in a short time (the limit is" in text_of(blocked)
    assert client.get("/portal/claims").status_code == 200  # reading is never blocked
