"""Admins list and search accounts, change roles, deactivate and reactivate them; every change is audited."""

from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog
from tests.admin.conftest import logged_in
from tests.conftest import TEST_PASSWORD


def audit_rows(user):
    return list(
        db.session.scalars(
            select(ModerationLog)
            .where(ModerationLog.target_type == "user", ModerationLog.target_id == user.id)
            .order_by(ModerationLog.id)
        )
    )


def test_the_list_searches_email_and_display_name_in_any_case(admin_client, create_user):
    create_user(email="maple.owl@example.test", display_name="quiet_heron")
    create_user(email="birch@example.test", display_name="Maple_Fox")
    create_user(email="oak@example.test", display_name="oak_tree")
    page = admin_client.get("/admin/?q=MAPLE").text
    assert "maple.owl@example.test" in page and "Maple_Fox" in page
    assert "oak@example.test" not in page
    assert "2 accounts matching" in page
    assert "1 account matching" in admin_client.get("/admin/?q=heron").text


def test_search_wildcards_are_taken_literally(admin_client, create_user):
    create_user(email="percent@example.test", display_name="percent_person")
    create_user(email="plain@example.test", display_name="plainperson")
    page = admin_client.get("/admin/?q=t_p").text
    assert "percent_person" in page and "plainperson" not in page
    assert "0 accounts" in admin_client.get("/admin/?q=%25").text


def test_the_list_filters_by_role_and_is_paginated(admin_client, create_user):
    for n in range(23):
        create_user(role=UserRole.MODERATOR, display_name=f"mod_{n:02d}")
    first = admin_client.get("/admin/?role=moderator").text
    assert "23 accounts" in first and first.count("mod_") == 20
    assert 'rel="next"' in first
    second = admin_client.get("/admin/?role=moderator&page=2").text
    assert second.count("mod_") == 3
    assert "site_admin" not in second.split("</header>", 1)[1]
    assert admin_client.get("/admin/?role=superuser").status_code == 400
    assert admin_client.get("/admin/?q=" + "x" * 255).status_code == 400
    assert admin_client.get("/admin/?page=zero").status_code == 400


def test_change_a_role_with_an_audit_row(admin_client, admin, create_user):
    user = create_user(display_name="becomes_mod")
    page = admin_client.get(f"/admin/users/{user.id}").text
    assert 'name="seen_role" type="hidden" value="patient"' in page
    response = admin_client.post(f"/admin/users/{user.id}/role",
                                 data={"role": "moderator", "seen_role": "patient", "role_note": "new volunteer"})
    assert response.status_code == 302
    assert "becomes_mod is now moderator." in admin_client.get(response.headers["Location"]).text
    assert user.role == UserRole.MODERATOR
    [row] = audit_rows(user)
    assert (row.action, row.actor_id, row.changes, row.note) == (
        "user_role_changed", admin.id, {"role": ["patient", "moderator"]}, "new volunteer")
    # The moderator's next request already has the new role.
    assert "Moderation" in logged_in(admin_client.application, user).get("/about").text


def test_a_stale_role_change_is_a_409_and_changes_nothing(admin_client, create_user):
    user = create_user(role=UserRole.MODERATOR)
    response = admin_client.post(f"/admin/users/{user.id}/role", data={"role": "admin", "seen_role": "patient"})
    assert response.status_code == 409
    assert "This account changed after you opened it" in response.text
    assert user.role == UserRole.MODERATOR and audit_rows(user) == []


def test_sending_the_same_role_twice_changes_nothing(admin_client, create_user):
    user = create_user()
    data = {"role": "clinic_owner", "seen_role": "patient"}
    admin_client.post(f"/admin/users/{user.id}/role", data=data)
    same = {"role": "clinic_owner", "seen_role": "clinic_owner"}
    again = admin_client.post(f"/admin/users/{user.id}/role", data=same)
    assert again.status_code == 302
    assert "already had that role; nothing changed" in admin_client.get(again.headers["Location"]).text
    assert len(audit_rows(user)) == 1
    # The first form sent again is stale now: refused, not applied twice.
    assert admin_client.post(f"/admin/users/{user.id}/role", data=data).status_code == 409


def test_bad_form_values_get_a_422_with_a_message(admin_client, create_user):
    user = create_user()
    response = admin_client.post(f"/admin/users/{user.id}/role", data={"role": "superuser", "seen_role": "patient"})
    assert response.status_code == 422 and "Not a valid choice" in response.text
    response = admin_client.post(f"/admin/users/{user.id}/active", data={"active": "maybe"})
    assert response.status_code == 422 and "Reload the page and try again." in response.text
    response = admin_client.post(f"/admin/users/{user.id}/active", data={"active": "0", "active_note": "n" * 501})
    assert response.status_code == 422 and 'value="nnnn' in response.text
    assert user.active and user.role == UserRole.PATIENT
    assert admin_client.get("/admin/users/999999").status_code == 404


def test_deactivating_ends_the_sessions_at_once(app, admin_client, admin, create_user):
    user = create_user(display_name="soon_gone")
    theirs = logged_in(app, user)
    assert "soon_gone" in theirs.get("/about").text
    response = admin_client.post(f"/admin/users/{user.id}/active", data={"active": "0", "active_note": "spam"})
    assert response.status_code == 302
    assert "Every session of the account has ended." in admin_client.get(response.headers["Location"]).text
    page = theirs.get("/reviews/mine")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    assert "soon_gone" not in theirs.get("/about").text
    assert theirs.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 422
    [row] = audit_rows(user)
    assert (row.action, row.actor_id, row.changes, row.note) == (
        "user_deactivated", admin.id, {"active": [True, False]}, "spam")


def test_deactivating_twice_changes_nothing_and_reactivating_lets_them_log_in(app, admin_client, create_user):
    user = create_user(display_name="comes_back")
    old_cookie_client = logged_in(app, user)
    admin_client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    again = admin_client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert "was already deactivated; nothing changed" in admin_client.get(again.headers["Location"]).text
    assert "Reactivate this account" in admin_client.get(f"/admin/users/{user.id}").text
    admin_client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    assert user.active
    assert [r.action for r in audit_rows(user)] == ["user_deactivated", "user_reactivated"]
    assert "comes_back" not in old_cookie_client.get("/about").text  # the old session stays ended
    assert "comes_back" in logged_in(app, user).get("/about").text


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(admin_client, admin):
    demote = admin_client.post(f"/admin/users/{admin.id}/role", data={"role": "moderator", "seen_role": "admin"})
    assert demote.status_code == 409
    assert "This is the last active admin account" in demote.text
    deactivate = admin_client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    assert deactivate.status_code == 409 and "make another account an admin first" in deactivate.text
    assert admin.role == UserRole.ADMIN and admin.active and audit_rows(admin) == []


def test_with_two_admins_one_may_go_but_not_both(admin_client, admin, create_user):
    other = create_user(role=UserRole.ADMIN)
    inactive = create_user(role=UserRole.ADMIN, active=False)  # a deactivated admin does not count
    assert admin_client.post(f"/admin/users/{other.id}/role",
                             data={"role": "moderator", "seen_role": "admin"}).status_code == 302
    assert other.role == UserRole.MODERATOR
    assert admin_client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}).status_code == 409
    assert inactive.role == UserRole.ADMIN and admin.active


def test_an_admin_may_step_down_when_another_remains(admin_client, admin, create_user):
    create_user(role=UserRole.ADMIN)
    response = admin_client.post(f"/admin/users/{admin.id}/role", data={"role": "moderator", "seen_role": "admin"})
    assert response.status_code == 302
    assert admin_client.get("/admin/").status_code == 403


def test_the_account_page_shows_its_history(admin_client, create_user):
    user = create_user()
    admin_client.post(f"/admin/users/{user.id}/role", data={"role": "moderator", "seen_role": "patient"})
    page = admin_client.get(f"/admin/users/{user.id}").text
    assert "user role changed" in page and "role: patient &rarr; moderator" in page and "site_admin" in page


def test_only_admins_see_the_admin_link(app, admin_client, create_user):
    assert 'href="/admin/"' in admin_client.get("/about").text
    moderator = logged_in(app, create_user(role=UserRole.MODERATOR))
    assert 'href="/admin/"' not in moderator.get("/about").text
    assert 'href="/admin/"' not in app.test_client().get("/about").text
