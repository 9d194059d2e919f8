"""Setting up two-factor sign-in from the account page, the guard on staff pages, new recovery codes, turning it off."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog
from provider_dir.twofactor import codes
from provider_dir.twofactor.models import RecoveryCode, SecondFactor
from tests.conftest import TEST_PASSWORD
from tests.second_factor import TEST_RECOVERY_CODES, TEST_TOTP_SECRET, next_code

STAFF_PAGES = ["/moderation/", "/moderation/claims/", "/moderation/listings/", "/moderation/edits/",
               "/moderation/credentials/", "/moderation/evidence/", "/moderation/log", "/moderation/corrections/",
               "/moderation/appeals/", "/moderation/registry/exclusions/"]


def set_up(client) -> tuple[str, list[str]]:
    """Go through setup as a person would; return the key read off the page and the recovery codes shown."""
    assert client.post("/account/two-factor/setup").status_code == 302
    page = client.get("/account/two-factor/confirm")
    assert page.status_code == 200 and "<svg" in page.text and page.headers["Cache-Control"] == "no-store"
    key = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    done = client.post("/account/two-factor/confirm", data={"code": pyotp.TOTP(key).now()})
    assert done.status_code == 200 and "Your recovery codes" in done.text
    shown = [c.replace(" ", "") for c in re.findall(r"<li>([A-Z2-9 ]{19})</li>", done.text)]
    return key, shown


def actions(user) -> list[str]:
    return list(db.session.scalars(select(ModerationLog.action).where(
        ModerationLog.target_type == "user", ModerationLog.target_id == user.id).order_by(ModerationLog.id)))


@pytest.mark.parametrize("role", [UserRole.MODERATOR, UserRole.ADMIN])
def test_staff_without_a_second_factor_are_sent_to_set_it_up(client, auth, create_user, role):
    user = create_user(role=role, second_factor=False)
    auth.login(user)
    for url in [*STAFF_PAGES, "/admin/", f"/admin/users/{user.id}", "/admin/imports", "/admin/mail"]:
        response = client.get(url)
        if role == UserRole.MODERATOR and url.startswith("/admin"):
            assert response.status_code == 403, url
            continue
        assert response.status_code == 302 and response.headers["Location"].startswith("/account/two-factor"), url
    # A decision posted without the factor changes nothing either.
    assert client.post("/moderation/reviews/1/decision", data={}).headers["Location"].startswith(
        "/account/two-factor")
    page = client.get("/account/two-factor")
    assert "must use two-factor sign-in" in page.text and "Set up two-factor sign-in" in page.text
    assert "Moderation queues" not in client.get("/").text  # the queue links wait for it too


def test_a_new_moderator_sets_it_up_and_the_queues_open(client, auth, create_user):
    moderator = create_user(role=UserRole.MODERATOR, second_factor=False)
    auth.login(moderator)
    key, shown = set_up(client)
    assert len(shown) == 10 and len(set(shown)) == 10
    assert client.get("/moderation/").status_code == 200
    assert actions(moderator)[-1] == "second_factor_on"


def test_the_key_is_stored_encrypted_and_never_shown_after_setup_and_codes_only_hashed(client, auth, create_user):
    patient = create_user()
    auth.login(patient)
    key, shown = set_up(client)
    factor = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == patient.id))
    assert key not in factor.secret_encrypted and factor.confirmed
    stored = set(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == patient.id)))
    assert stored == {codes.hash_recovery_code(c) for c in shown}
    # Afterwards the setup page only sends back to the account page; no page of the site shows the key again.
    assert client.get("/account/two-factor/confirm").headers["Location"] == "/account/two-factor"
    for page in ("/account/two-factor", "/account/", "/account/two-factor/turn-off"):
        text = client.get(page).text
        assert key not in text and codes.grouped(key) not in text and shown[0] not in text


def test_a_patient_turns_it_on_from_the_account_page_and_log_in_then_asks_for_a_code(client, auth, create_user):
    patient = create_user()
    auth.login(patient)
    assert "Two-factor sign-in</a> (off)" in client.get("/account/").text
    key, _ = set_up(client)
    assert "Two-factor sign-in</a> (on)" in client.get("/account/").text
    client.post("/logout")
    response = client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/login/code"
    totp = pyotp.TOTP(key)
    step = totp.timecode(datetime.now(UTC))
    assert client.post("/login/code", data={"code": totp.generate_otp(step + 1)}).status_code == 302


def test_a_wrong_first_code_leaves_it_off(client, auth, create_user):
    patient = create_user()
    auth.login(patient)
    client.post("/account/two-factor/setup")
    refused = client.post("/account/two-factor/confirm", data={"code": "12345"})
    assert refused.status_code == 422 and "six digits" in refused.text
    assert "Off." in client.get("/account/two-factor").text
    client.post("/logout")
    assert client.post("/login", data={"email": patient.email, "password": TEST_PASSWORD}).headers[
        "Location"] == "/"


def test_new_recovery_codes_replace_the_old_ones(client, auth, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    auth.login(moderator)
    assert client.post("/account/two-factor/recovery-codes", data={"code": "nonsense"}).status_code == 422
    fresh = client.post("/account/two-factor/recovery-codes", data={"code": next_code(moderator.id)})
    assert fresh.status_code == 200 and fresh.headers["Cache-Control"] == "no-store"
    shown = [c.replace(" ", "") for c in re.findall(r"<li>([A-Z2-9 ]{19})</li>", fresh.text)]
    assert len(shown) == 10 and not set(shown) & set(TEST_RECOVERY_CODES)
    client.post("/logout")
    client.post("/login", data={"email": moderator.email, "password": TEST_PASSWORD})
    assert client.post("/login/code", data={"code": TEST_RECOVERY_CODES[0]}).status_code == 422
    assert client.post("/login/code", data={"code": shown[0]}).status_code == 302
    assert "recovery_codes_regenerated" in actions(moderator)


def test_turning_it_off_needs_the_password_and_a_code(client, auth, create_user):
    owner = create_user(role=UserRole.CLINIC_OWNER, second_factor=True)
    auth.login(owner)
    wrong_password = client.post("/account/two-factor/turn-off",
                                 data={"current_password": "not it", "code": next_code(owner.id)})  # fmt: skip
    assert wrong_password.status_code == 422 and "not your current password" in wrong_password.text
    wrong_code = client.post("/account/two-factor/turn-off", data={"current_password": TEST_PASSWORD, "code": "1"})
    assert wrong_code.status_code == 422 and "That code is not right" in wrong_code.text
    assert "On</strong>" in client.get("/account/two-factor").text
    done = client.post("/account/two-factor/turn-off", data={"current_password": TEST_PASSWORD,
                                                             "code": next_code(owner.id)}, follow_redirects=True)
    assert "Two-factor sign-in is off" in done.text
    assert db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == owner.id)) is None
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == owner.id)) is None
    assert actions(owner)[-1] == "second_factor_off"


def test_a_moderator_who_turns_it_off_must_set_it_up_again(client, auth, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    auth.login(moderator)
    done = client.post("/account/two-factor/turn-off", data={"current_password": TEST_PASSWORD,
                                                             "code": TEST_RECOVERY_CODES[5]}, follow_redirects=True)
    assert "set it up again before you use the queues" in done.text
    assert client.get("/moderation/").headers["Location"].startswith("/account/two-factor")


def test_setting_up_twice_changes_nothing(client, auth, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    auth.login(moderator)
    again = client.post("/account/two-factor/setup", follow_redirects=True)
    assert "Two-factor sign-in is on already" in again.text
    factor = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == moderator.id))
    assert factor.confirmed
    assert codes.decrypt([client.application.config["SECRET_KEY"]], factor.secret_encrypted) == TEST_TOTP_SECRET
