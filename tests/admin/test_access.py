"""Every admin route as every role: anonymous -> log in, admins in, everyone else 403 (ASVS 8.2.1)."""

import pytest

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from tests.admin.conftest import logged_in

ROUTES = [
    ("get", "/admin/", None),
    ("get", "/admin/?q=target", None),
    ("get", "/admin/users/{target}", None),
    ("post", "/admin/users/{target}/role", {"role": "moderator", "seen_role": "patient"}),
    ("post", "/admin/users/{target}/active", {"active": "0"}),
]
ROLES = ["anonymous", "patient", "clinic_owner", "moderator", "admin", "deactivated"]
EXPECTED = {
    "anonymous": "login",
    "patient": 403,
    "clinic_owner": 403,
    "moderator": 403,
    "admin": "ok",
    "deactivated": "login",
}


@pytest.fixture
def client_as(app, create_user, create_clinic, make_owner):
    def make(role: str):
        if role == "anonymous":
            return app.test_client()
        if role == "clinic_owner":
            user = make_owner(create_clinic())
        elif role == "deactivated":
            user = create_user(role=UserRole.ADMIN)  # even a former admin: its session ends
        else:
            user = create_user(role=UserRole(role))
        client = logged_in(app, user)
        if role == "deactivated":
            user.active = False
            db.session.commit()
        return client

    return make


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "data"), ROUTES)
def test_admin_routes_by_role(client_as, create_user, role, method, path, data):
    create_user(role=UserRole.ADMIN)  # so a change is not refused as removing the last admin
    target = create_user(display_name="target_user")
    client = client_as(role)
    response = getattr(client, method)(path.format(target=target.id), data=data)
    expected = EXPECTED[role]
    if expected == "login":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif expected == "ok":
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == expected
        assert "Account administration is for admins only." in response.text
    if method == "post":
        changed = target.role != UserRole.PATIENT or not target.active
        assert changed == (expected == "ok")


def test_admin_forms_need_their_csrf_token(app, create_user, monkeypatch):
    create_user(role=UserRole.ADMIN)
    target = create_user()
    client = logged_in(app, create_user(role=UserRole.ADMIN))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    for path, data in (("role", {"role": "admin", "seen_role": "patient"}), ("active", {"active": "0"})):
        response = client.post(f"/admin/users/{target.id}/{path}", data=data)
        assert response.status_code == 400 and "security token" in response.text
    assert target.role == UserRole.PATIENT and target.active
