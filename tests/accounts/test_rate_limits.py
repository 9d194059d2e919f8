"""Login and sign-up are throttled per client address with a clear 429 (ASVS 6.3.1, 2.4.1)."""


def test_login_attempts_are_limited_with_a_clear_message(limited_app):
    client = limited_app.test_client()
    wrong = {"email": "someone@example.test", "password": "not the password"}
    statuses = [client.post("/login", data=wrong).status_code for _ in range(10)]
    assert statuses == [422] * 10
    blocked = client.post("/login", data=wrong)
    assert blocked.status_code == 429
    assert "Too many attempts in a short time" in blocked.text
    assert "10 per 1 minute" in blocked.text
    assert "Please slow down" in blocked.text
    assert blocked.headers.get("Retry-After")
    # Reading the page is never blocked: only attempts count.
    assert client.get("/login").status_code == 200


def test_other_addresses_are_not_locked_out(limited_app):
    attacker = limited_app.test_client()
    wrong = {"email": "victim@example.test", "password": "guess guess guess"}
    for _ in range(11):
        attacker.post("/login", data=wrong, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    victim = limited_app.test_client()
    response = victim.post("/login", data=wrong, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 422


def test_sign_ups_are_limited(limited_app):
    client = limited_app.test_client()
    form = {"email": "new@example.com", "display_name": "newbie", "password": "short"}
    statuses = [client.post("/register", data=form).status_code for _ in range(10)]
    assert statuses == [422] * 10
    blocked = client.post("/register", data=form)
    assert blocked.status_code == 429
    assert "10 per 1 hour" in blocked.text


def test_health_checks_are_never_limited(limited_app):
    client = limited_app.test_client()
    assert all(client.get("/healthz").status_code == 200 for _ in range(30))


def test_sign_ups_for_one_address_are_limited_from_any_client(limited_app):
    form = {"email": "flooded@example.com", "display_name": "x", "password": "short"}
    statuses = [
        limited_app.test_client().post("/register", data=form, environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})
        .status_code
        for n in range(11)
    ]
    assert statuses == [422] * 10 + [429]
    other = limited_app.test_client().post("/register", data={**form, "email": "calm@example.com"})
    assert other.status_code == 422
