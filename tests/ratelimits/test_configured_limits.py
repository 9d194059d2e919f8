"""Each configured limit holds at its endpoint with a 429 and a clear message; RATELIMIT_ENABLED=false lifts them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.extensions import db, limiter
from provider_dir.listings.models import Clinic
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_password
from tests.ratelimits.conftest import free_port
from tests.reviews.helpers import isolated_app, review_form, text_of
from tests.reviews.test_rate_limits import make_clinics, make_patient

WRONG = {"email": "someone@example.test", "password": "not the password"}


def test_the_login_limit_comes_from_the_environment(app_from_env):
    client = app_from_env(RATELIMIT_LOGIN="3/minute").test_client()
    assert [client.post("/login", data=WRONG).status_code for _ in range(3)] == [422] * 3
    blocked = client.post("/login", data=WRONG)
    assert blocked.status_code == 429
    assert "the limit is 3 per 1 minute" in blocked.text


def test_the_sign_up_limit_comes_from_the_environment(app_from_env):
    client = app_from_env(RATELIMIT_REGISTER="2/hour").test_client()
    form = {"email": "new@example.com", "display_name": "newbie", "password": "short"}
    assert [client.post("/register", data=form).status_code for _ in range(2)] == [422, 422]
    blocked = client.post("/register", data=form)
    assert blocked.status_code == 429 and "2 per 1 hour" in blocked.text


def test_the_search_limit_comes_from_the_environment_for_the_page_and_the_api(app_from_env):
    client = app_from_env(RATELIMIT_SEARCH="2/minute").test_client()
    for path in ("/api/v1/search?location=10001", "/search?location=10001"):
        assert [client.get(path).status_code for _ in range(2)] == [200, 200]
        blocked = client.get(path)
        assert blocked.status_code == 429, path
    api = client.get("/api/v1/search?location=10001")
    assert api.json["error"] == {"status": 429, "message": api.json["error"]["message"]}
    assert "the limit is 2 per 1 minute" in api.json["error"]["message"]


def test_an_unreachable_store_falls_back_to_per_process_limits_not_errors(app_from_env):
    client = app_from_env(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0",
                          RATELIMIT_SEARCH="2/minute").test_client()  # fmt: skip
    assert [client.get("/api/v1/search?location=10001").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/healthz").status_code == 200


def test_switching_limits_off(app_from_env):
    client = app_from_env(RATELIMIT_ENABLED="false", RATELIMIT_LOGIN="1/minute").test_client()
    assert {client.post("/login", data=WRONG).status_code for _ in range(5)} == {422}


def test_a_flood_from_one_address_leaves_the_victim_free_to_log_in_from_another(app_from_env, base_app):
    """Limits are per address, never a per-account lockout (ASVS 6.3.1)."""
    app = app_from_env(RATELIMIT_LOGIN="5/minute")
    with app.app_context():
        victim = User(email="flooded.victim@example.test", display_name="flooded_victim",
                      password_hash=hashed_password())  # fmt: skip
        db.session.add(victim)
        db.session.commit()
        victim_id = victim.id
    try:
        attacker = app.test_client()
        guesses = {"email": "flooded.victim@example.test", "password": "guess guess guess"}
        flood = [attacker.post("/login", data=guesses, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code
                 for _ in range(20)]  # fmt: skip
        assert flood[:5] == [422] * 5 and set(flood[5:]) == {429}
        victim_browser = app.test_client()
        response = victim_browser.post("/login", data={"email": "flooded.victim@example.test",
                                                        "password": TEST_PASSWORD},
                                       environ_base={"REMOTE_ADDR": "198.51.100.7"})  # fmt: skip
        assert response.status_code == 302
        assert "flooded_victim" in victim_browser.get("/about", environ_base={"REMOTE_ADDR": "198.51.100.7"}).text
    finally:
        with app.app_context():
            db.session.delete(db.session.get(User, victim_id))
            db.session.commit()


@pytest.fixture(scope="module")
def tight_app(tmp_path_factory):
    """An app on its own database with one accepted review and one report allowed per hour."""
    with isolated_app(tmp_path_factory, "tight_limits", RATELIMIT_ENABLED=True, RATELIMIT_REVIEWS="1/hour",
                      RATELIMIT_REPORTS="1 per hour") as app:  # fmt: skip
        limiter.reset()
        yield app


def test_the_review_and_report_limits_come_from_the_config(tight_app):
    slugs = make_clinics(tight_app, "tight", 2)
    client = tight_app.test_client()
    client.post("/login", data={"email": make_patient(tight_app, "tight_patient"), "password": TEST_PASSWORD})
    assert client.post(f"/clinics/{slugs[0]}/review", data=review_form()).status_code == 302
    refused = client.post(f"/clinics/{slugs[1]}/review", data=review_form())
    assert refused.status_code == 429 and "paused posting from your account" in text_of(refused)

    with tight_app.app_context():
        review_id = db.session.scalar(select(Review.id).join(Clinic).where(Clinic.slug == slugs[0]))
        db.session.get(Review, review_id).status = ReviewStatus.APPROVED
        db.session.commit()
    reporter = tight_app.test_client()
    assert reporter.post(f"/reviews/{review_id}/report", data={"reason": "spam_duplicate"}).status_code == 302
    refused = reporter.post(f"/reviews/{review_id}/report", data={"reason": "spam_duplicate"})
    assert refused.status_code == 429 and "paused reporting from here" in text_of(refused)
