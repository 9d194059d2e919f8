"""An admin resets another account's second factor (a lost phone): logged, sessions ended, password-only next time."""

from __future__ import annotations

from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog
from provider_dir.twofactor.models import RecoveryCode, SecondFactor
from tests.conftest import TEST_PASSWORD
from tests.second_factor import log_in


def test_an_admin_resets_a_moderators_second_factor_and_the_log_says_who_and_why(app, create_user):
    admin, moderator = create_user(role=UserRole.ADMIN), create_user(role=UserRole.MODERATOR)
    admin_client, moderator_client = app.test_client(), app.test_client()
    log_in(admin_client, admin, TEST_PASSWORD)
    log_in(moderator_client, moderator, TEST_PASSWORD)
    assert moderator_client.get("/moderation/").status_code == 200
    page = admin_client.get(f"/admin/users/{moderator.id}")
    assert "Two-factor sign-in" in page.text and "Reset the second factor" in page.text

    reset = f"/admin/users/{moderator.id}/second-factor/reset"
    done = admin_client.post(reset, data={"reset_note": "lost phone, checked by video call"}, follow_redirects=True)
    assert "second factor is removed" in done.text
    assert db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == moderator.id)) is None
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == moderator.id)) is None
    entry = db.session.scalar(select(ModerationLog).where(ModerationLog.action == "second_factor_reset",
                                                          ModerationLog.target_id == moderator.id))  # fmt: skip
    assert entry.actor_id == admin.id and entry.target_type == "user"
    assert entry.note == "lost phone, checked by video call"
    assert "second factor reset" in admin_client.get(f"/admin/users/{moderator.id}").text  # the account's history

    # The moderator's session has ended; the password alone logs in, and the queues wait for a new setup.
    assert moderator_client.get("/moderation/").headers["Location"].startswith("/login")
    response = moderator_client.post("/login", data={"email": moderator.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"
    assert moderator_client.get("/moderation/").headers["Location"].startswith("/account/two-factor")


def test_resetting_an_account_without_one_changes_nothing(client, auth, create_user):
    admin, patient = create_user(role=UserRole.ADMIN), create_user()
    auth.login(admin)
    response = client.post(f"/admin/users/{patient.id}/second-factor/reset", data={}, follow_redirects=True)
    assert "had no second factor; nothing changed" in response.text
    assert db.session.scalar(select(ModerationLog).where(ModerationLog.action == "second_factor_reset")) is None


def test_only_admins_reset_and_only_with_their_own_second_factor(app, create_user):
    target = create_user(role=UserRole.CLINIC_OWNER, second_factor=True)
    moderator = create_user(role=UserRole.MODERATOR)
    unprotected_admin = create_user(role=UserRole.ADMIN, second_factor=False)
    url = f"/admin/users/{target.id}/second-factor/reset"
    by_moderator, by_admin = app.test_client(), app.test_client()
    log_in(by_moderator, moderator, TEST_PASSWORD)
    assert by_moderator.post(url, data={}).status_code == 403
    log_in(by_admin, unprotected_admin, TEST_PASSWORD)
    assert by_admin.post(url, data={}).headers["Location"].startswith("/account/two-factor")
    assert db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == target.id)) is not None
