"""A session cookie replayed from another address is logged out, whatever X-Forwarded-For it carries."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD


def log_in_from(client, user, address: str) -> None:
    answer = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD},
                         environ_base={"REMOTE_ADDR": address})  # fmt: skip
    assert answer.status_code == 302


def test_the_same_browser_at_the_same_address_stays_signed_in(client, create_user):
    user = create_user()
    log_in_from(client, user, "192.0.2.10")
    assert client.get("/account/", environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 200


def test_a_cookie_replayed_elsewhere_with_a_forged_forwarded_address_is_signed_out(client, create_user):
    user = create_user()
    log_in_from(client, user, "192.0.2.10")
    replay = client.get("/account/", headers={"X-Forwarded-For": "192.0.2.10"},
                        environ_base={"REMOTE_ADDR": "203.0.113.66"})  # fmt: skip
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]
