"""flask create-user, run through the CLI runner."""

from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.accounts.passwords import verify_password
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db


def find(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def test_create_user_with_a_role(runner):
    result = runner.invoke(args=["create-user", "--email", "Mod.One@example.test",
                                 "--password", "quiet harbour lights", "--role", "moderator"])
    assert result.exit_code == 0, result.output
    assert "Created moderator account mod.one@example.test" in result.output
    user = find("mod.one@example.test")
    assert user.role == UserRole.MODERATOR
    assert user.display_name == "mod.one"
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "quiet harbour lights")


def test_create_user_defaults_to_patient_with_a_chosen_display_name(runner):
    result = runner.invoke(args=["create-user", "--email", "pat@example.test", "--password", "seven swans swimming",
                                 "--display-name", "swan_song"])
    assert result.exit_code == 0, result.output
    user = find("pat@example.test")
    assert (user.role, user.display_name) == (UserRole.PATIENT, "swan_song")


def test_create_user_refuses_weak_passwords(runner):
    short = runner.invoke(args=["create-user", "--email", "a@example.test", "--password", "short"])
    assert short.exit_code != 0 and "at least 8" in short.output
    common = runner.invoke(args=["create-user", "--email", "b@example.test", "--password", "password1"])
    assert common.exit_code != 0 and "most common" in common.output
    assert find("a@example.test") is None and find("b@example.test") is None


def test_create_user_refuses_a_bad_email_a_bad_role_and_a_duplicate(runner, create_user):
    bad_email = runner.invoke(args=["create-user", "--email", "not-an-email", "--password", "long enough phrase"])
    assert bad_email.exit_code != 0 and "--email" in bad_email.output
    bad_role = runner.invoke(args=["create-user", "--email", "c@example.test", "--password", "long enough phrase",
                                   "--role", "superuser"])
    assert bad_role.exit_code != 0 and "superuser" in bad_role.output
    create_user(email="taken@example.test")
    duplicate = runner.invoke(args=["create-user", "--email", "taken@example.test", "--password", "long enough phrase",
                                    "--display-name", "fresh_name"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
