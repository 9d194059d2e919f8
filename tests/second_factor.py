"""Second factors for test moderators and admins, and logging them in through both forms as a person would."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
from flask import current_app, g, has_app_context
from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.twofactor import codes, services
from provider_dir.twofactor.models import RecoveryCode, SecondFactor

# Every test moderator and admin gets this key and these recovery codes (the factory in tests/conftest.py).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TEST_RECOVERY_CODES = [f"TESTRECOVERYC{n:03d}" for n in range(codes.RECOVERY_CODE_COUNT)]
CODE_PAGE = "/login/code"


def give_second_factor(user_id: int, secret: str = TEST_TOTP_SECRET) -> None:
    """Give the account a confirmed TOTP key and the test recovery codes (the caller commits or rolls back)."""
    services.seed(user_id, secret, datetime.now(UTC))
    db.session.add_all(
        RecoveryCode(user_id=user_id, code_hash=codes.hash_recovery_code(c)) for c in TEST_RECOVERY_CODES
    )
    db.session.flush()


def next_code(user_id: int, secret: str = TEST_TOTP_SECRET) -> str:
    """Return a code the site accepts now: the first TOTP step not used yet, else an unused recovery code."""
    last = db.session.scalar(select(SecondFactor.last_used_step).where(SecondFactor.user_id == user_id))
    totp = pyotp.TOTP(secret)
    current = totp.timecode(datetime.now(UTC))
    for step in (current, current + codes.STEP_WINDOW):
        if last is None or step > last:
            return totp.generate_otp(step)
    used = set(db.session.scalars(select(RecoveryCode.code_hash).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_not(None))))  # fmt: skip
    return next(c for c in TEST_RECOVERY_CODES if codes.hash_recovery_code(c) not in used)


def _csrf(client, path: str) -> dict:
    if not client.application.config.get("WTF_CSRF_ENABLED", True):
        return {}
    if has_app_context():  # a test's own app context keeps Flask-WTF's token of the session before log-in
        g.pop("csrf_token", None)
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return {"csrf_token": match.group(1)} if match else {}


def _code_by_email(email: str) -> str:
    return next_code(db.session.scalar(select(User.id).where(User.email == email)))


def _code_for(app, email: str) -> str:
    """Work out the code in the app context already pushed for this app (a rolled-back test database), else in one."""
    if has_app_context() and current_app._get_current_object() is app:
        return _code_by_email(email)
    with app.app_context():
        try:
            return _code_by_email(email)
        finally:
            db.session.remove()


def log_in(client, user: User | str, password: str, next_path: str = ""):
    """Log in (an account or its email) through the password form and, when asked, the code form; return the last."""
    email = user if isinstance(user, str) else user.email
    login = "/login" + (f"?next={next_path}" if next_path else "")
    response = client.post(login, data={"email": email, "password": password, **_csrf(client, login)})
    if response.status_code == 302 and response.headers["Location"].startswith(CODE_PAGE):
        data = {"code": _code_for(client.application, email), **_csrf(client, CODE_PAGE)}
        response = client.post(CODE_PAGE, data=data)
    return response


def codes_to_try(secret: str = TEST_TOTP_SECRET) -> list[str]:
    """Return the codes a browser test may type, in order: this step's, the next step's, then the recovery codes."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(datetime.now(UTC))
    return [totp.generate_otp(current), totp.generate_otp(current + 1), *TEST_RECOVERY_CODES]


def finish_with_code(page) -> None:
    """In a browser on the code form, type codes until one is accepted (an earlier log-in may have used one)."""
    for code in codes_to_try():
        if CODE_PAGE not in page.url:
            return
        page.get_by_label("Code").fill(code)
        with page.expect_navigation():
            page.get_by_role("button", name="Finish logging in").click()
