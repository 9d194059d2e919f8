"""Visitors who are not signed in share kept pages, and never see one that is out of date or someone else's."""

from __future__ import annotations

import datetime as real_datetime

from sqlalchemy import text

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.pagecache import hooks
from provider_dir.pagecache.hooks import CACHE_HEADER
from provider_dir.reviews.vocab import ReviewStatus
from tests.conftest import TEST_PASSWORD
from tests.second_factor import log_in

SEARCH = "/search?location=10001&radius=10"


def test_a_second_visitor_gets_the_same_search_page_without_it_being_rendered_again(app, create_clinic):
    create_clinic(name="Harbor Light Ketamine")
    db.session.commit()
    first, second = app.test_client().get(SEARCH), app.test_client().get(SEARCH)
    assert first.headers[CACHE_HEADER] == "miss" and second.headers[CACHE_HEADER] == "hit"
    assert second.data == first.data and "Harbor Light Ketamine" in second.text
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in second.headers


def test_a_renamed_clinic_shows_its_new_name_on_the_next_search(app, client, create_clinic):
    clinic = create_clinic(name="Harbor Light Ketamine")
    db.session.commit()
    assert "Harbor Light Ketamine" in client.get(SEARCH).text
    clinic.name = "Harbor Light Wellness"
    db.session.commit()
    page = client.get(SEARCH)
    assert page.headers[CACHE_HEADER] == "miss"
    assert "Harbor Light Wellness" in page.text and "Harbor Light Ketamine" not in page.text


def test_a_review_a_moderator_publishes_appears_on_the_clinic_page_at_once(app, create_clinic, add_review, create_user):
    clinic = create_clinic()
    review = add_review(clinic, title="Honest two stars", rating=2, status=ReviewStatus.PENDING)
    moderator = create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow())
    db.session.commit()
    visitor, staff = app.test_client(), app.test_client()
    path = f"/clinics/{clinic.slug}"
    assert "Honest two stars" not in visitor.get(path).text
    assert visitor.get(path).headers[CACHE_HEADER] == "hit"
    log_in(staff, moderator, TEST_PASSWORD)
    decision = {"version": review.version, "approve": "Publish"}
    decided = staff.post(f"/moderation/reviews/{review.id}/decision", data=decision)
    assert decided.status_code == 302
    assert "Honest two stars" in visitor.get(path).text


def test_a_change_written_as_plain_sql_also_makes_the_page_stale(app, client, create_clinic):
    clinic = create_clinic(name="Harbor Light Ketamine")
    db.session.commit()
    client.get(f"/clinics/{clinic.slug}")
    db.session.execute(text("UPDATE clinic SET name = 'Quiet Harbor Clinic' WHERE id = :id"), {"id": clinic.id})
    db.session.commit()
    assert "Quiet Harbor Clinic" in client.get(f"/clinics/{clinic.slug}").text


def test_logging_in_and_new_searches_do_not_throw_kept_pages_away(app, client, create_clinic, create_user, auth):
    create_clinic()
    user = create_user()
    db.session.commit()
    client.get(SEARCH)
    auth.login(user)  # rotates the account's session token: a write, but to nothing a page shows
    auth.logout()
    app.test_client().get("/search?location=Boston")  # fills the geocode cache
    assert app.test_client().get(SEARCH).headers[CACHE_HEADER] == "hit"


def test_a_signed_in_patient_gets_a_page_of_their_own(app, client, create_clinic, create_user, auth):
    create_clinic()
    patient = create_user(display_name="quiet-heron")
    db.session.commit()
    app.test_client().get(SEARCH)
    auth.login(patient)
    page = client.get(SEARCH)
    assert CACHE_HEADER not in page.headers
    assert "quiet-heron" in page.text and "Log out" in page.text
    assert "quiet-heron" not in app.test_client().get(SEARCH).text


def test_a_page_shown_with_a_message_is_neither_served_from_nor_kept(app, client, create_clinic, create_user, auth):
    create_clinic()
    user = create_user()
    db.session.commit()
    auth.login(user)
    auth.logout()  # leaves "You are logged out." waiting for the next page
    with_message = client.get("/")
    assert CACHE_HEADER not in with_message.headers and "logged out" in with_message.text
    next_visitor = app.test_client().get("/")
    assert "logged out" not in next_visitor.text


def test_a_visitor_holding_a_form_token_never_passes_it_to_another(app, create_clinic):
    create_clinic()
    db.session.commit()
    holder = app.test_client()
    with holder.session_transaction() as session:
        session["csrf_token"] = "token-of-this-visitor-only"  # as a form with CSRF on leaves it
    seen_by_holder = holder.get(SEARCH)
    assert CACHE_HEADER not in seen_by_holder.headers
    assert app.test_client().get(SEARCH).headers[CACHE_HEADER] == "miss"


def test_pages_are_kept_per_scheme_host_path_and_query(app, create_clinic):
    create_clinic()
    db.session.commit()
    app.test_client().get(SEARCH)
    assert app.test_client().get(SEARCH).headers[CACHE_HEADER] == "hit"
    assert app.test_client().get(SEARCH, base_url="http://other.example").headers[CACHE_HEADER] == "miss"
    assert app.test_client().get(SEARCH, base_url="https://localhost").headers[CACHE_HEADER] == "miss"
    assert app.test_client().get(SEARCH + "&sort=rating").headers[CACHE_HEADER] == "miss"
    # The same site mounted under a folder prints its links with that folder: a page of its own.
    assert app.test_client().get(SEARCH, base_url="http://localhost/mirror/").headers[CACHE_HEADER] == "miss"


def test_an_error_page_is_not_kept(app):
    first = app.test_client().get("/search?location=Atlantis%20Under%20The%20Sea")
    assert first.status_code == 422 and CACHE_HEADER not in first.headers
    assert CACHE_HEADER not in app.test_client().get("/clinics/no-such-clinic").headers


def test_a_new_day_starts_with_fresh_pages(app, create_clinic, monkeypatch):
    create_clinic()
    db.session.commit()
    app.test_client().get(SEARCH)

    class Tomorrow(real_datetime.date):
        @classmethod
        def today(cls):
            return real_datetime.date.today() + real_datetime.timedelta(days=1)

    monkeypatch.setattr(hooks, "date", Tomorrow)
    assert app.test_client().get(SEARCH).headers[CACHE_HEADER] == "miss"
