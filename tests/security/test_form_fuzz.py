"""Every form under generated input: never a server error, a 4xx with a visible message or a redirect, no raw markup."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from provider_dir.extensions import db
from provider_dir.reviews.models import Review
from tests.conftest import TEST_PASSWORD, test_password_hash
from tests.portal.conftest import listing_form
from tests.reviews.helpers import review_form

FUZZ = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
NASTY_TEXT = [
    "",
    " ",
    "x" * 10_000,
    SCRIPT,
    IMG,
    f"Great clinic {SCRIPT} with careful staff and a calm private room.",
    "\u202etxet tfel-ot-thgir\u202c and more words to pass a minimum length check",
    "zero\u200bwidth\u200b\u200b\u200b",
    "\u200b",
    "😀🧠💉 emoji only review text that is long enough to be accepted here",
    "nul\x00byte",
    "\x00",
    "-1",
    "0",
    "999999999999999999999999",
    "1e308",
    "nan",
    "-inf",
    "3.5",
    "ten",
    "' OR 1=1 --",
    "../../etc/passwd",
]
NASTY_NUMBERS = ["-1", "0", "6", "501", "1000", "99999999999999999999", "1e9", "nan", "inf", "ten", "", "٣", "\x00"]

texts = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=60))
numbers = st.one_of(st.sampled_from(NASTY_NUMBERS), st.integers().map(str))
values = st.one_of(texts, numbers, st.lists(texts, min_size=2, max_size=3))  # a list posts the field several times


def field(valid, bad=values):
    """Either the valid value or a generated bad one."""
    return st.one_of(st.just(valid), bad)


def submission(valid: dict, numeric: tuple[str, ...] = ()):
    """Generate a form submission: each field valid or bad, numeric fields biased towards bad numbers."""
    return st.fixed_dictionaries(
        {name: field(value, st.one_of(numbers, values) if name in numeric else values) for name, value in valid.items()}
    )


def check(response, ok: tuple[int, ...] = ()) -> None:
    """Assert what a user must never see: a server error, an unexplained refusal, or markup run as markup."""
    status = response.status_code
    html = response.get_data(as_text=True)
    assert status < 500, html[:2000]
    assert SCRIPT not in html and IMG not in html
    if 300 <= status < 400 or status in ok:
        return
    assert status in (400, 422, 429), status
    assert re.search(r'class="[^"]*(error|flash)[^"]*"|role="alert"', html), html[:2000]


@pytest.fixture
def world(create_clinic, make_owner, create_user, add_review):
    """One clinic with its owner, a patient and a published review, committed for the forms to use."""
    clinic = create_clinic()
    owner = make_owner(clinic)
    patient = create_user()
    review = add_review(clinic)
    db.session.commit()
    return {"clinic": clinic, "owner": owner, "patient": patient, "review": review}


REGISTER = {"email": "new.patient@example.com", "display_name": "calm_patient", "password": "a long passphrase here"}


@FUZZ
@given(data=submission(REGISTER))
def test_register(client, world, data):
    check(client.post("/register", data=data))


@FUZZ
@given(data=submission({"email": "someone@example.com", "password": "not the password"}))
def test_log_in(client, world, data):
    check(client.post("/login", data=data))
    client.post("/logout")


@FUZZ
@given(data=submission({"email": "someone@example.com"}))
def test_password_reset_request(client, world, data, smtp_server):
    check(client.post("/reset", data=data))


CHANGE_PASSWORD = {"current_password": TEST_PASSWORD, "password": "a new passphrase for the fuzz"}
CHANGE_EMAIL = {"email": "moved.patient@example.com", "current_password": TEST_PASSWORD}


@FUZZ
@given(data=submission(CHANGE_PASSWORD))
def test_change_password(client, auth, world, data, smtp_server):
    patient = world["patient"]
    auth.login(patient)
    check(client.post("/account/password", data=data))
    # A valid example changed the password; put it back so the next example meets the same account.
    patient.password_hash = test_password_hash()
    db.session.commit()


@FUZZ
@given(data=submission(CHANGE_EMAIL))
def test_change_email(client, auth, world, data, smtp_server):
    auth.login(world["patient"])
    check(client.post("/account/email", data=data))


@FUZZ
@given(data=submission(review_form(), numeric=("rating_overall", "rating_staff", "rating_safety", "rating_value",
                                               "sessions_count")))  # fmt: skip
def test_review_form(client, auth, world, data):
    patient = world["patient"]
    auth.login(patient)
    check(client.post(f"/clinics/{world['clinic'].slug}/review", data=data))
    # A valid example stored a review; remove it so the next example meets the form again, not the edit page.
    db.session.execute(delete(Review).where(Review.author_id == patient.id))
    db.session.commit()


@FUZZ
@given(data=submission({"reason": "spam", "note": "This looks like an advertisement."}))
def test_report_form(client, world, data):
    check(client.post(f"/reviews/{world['review'].id}/report", data=data))


SEARCH = {"location": "10001", "radius": "25", "unit": "mi", "condition": "depression", "route": "iv_infusion",
          "max_price": "500", "min_score": "10", "min_rating": "3", "verified": "y", "accepting": "y",
          "sort": "distance", "page": "1"}  # fmt: skip


@FUZZ
@given(data=submission(SEARCH, numeric=("radius", "max_price", "min_score", "min_rating", "page")))
def test_search(client, world, data):
    check(client.get("/search", query_string=data), ok=(200,))


@FUZZ
@given(data=submission(listing_form(), numeric=("price_per_infusion_usd", "price_series_usd", "series_infusions")))
def test_listing_edit(client, auth, world, data):
    auth.login(world["owner"])
    check(client.post(f"/portal/clinics/{world['clinic'].slug}/edit", data=data))


STAFF = {"full_name": "Amara Osei", "degree": "MD", "role": "psychiatrist", "bio": "Sees every new patient.",
         "sort_order": "2"}  # fmt: skip


@FUZZ
@given(data=submission(STAFF, numeric=("sort_order",)))
def test_new_staff(client, auth, world, data):
    auth.login(world["owner"])
    check(client.post(f"/portal/clinics/{world['clinic'].slug}/staff/new", data=data))


EVIDENCE = {"text": "A crash cart is checked every morning.", "url": "https://clinic.example/crash-cart",
            "expires_on": "2030-01-01", "remove_document": "y"}  # fmt: skip


@FUZZ
@given(data=submission(EVIDENCE, numeric=("expires_on",)))
def test_checklist_evidence(client, auth, world, data):
    auth.login(world["owner"])
    check(client.post(f"/portal/clinics/{world['clinic'].slug}/checklist/C08", data=data,
                      content_type="multipart/form-data"))  # fmt: skip


# A NUL in stored text reaches PostgreSQL only as an error (SQLite keeps it): each text field must refuse it first.
NUL_FIELDS = [
    ("register", REGISTER, None, ["email", "display_name"]),
    ("email change", CHANGE_EMAIL, "patient", ["email"]),
    ("review", review_form(), "patient", ["title", "body", "invitation_code"]),
    ("report", {"reason": "spam", "note": "An advertisement."}, None, ["note"]),
    ("edit", listing_form(), "owner", ["description", "street", "city", "hours", "languages", "accessibility"]),
    ("staff", STAFF, "owner", ["full_name", "degree", "bio"]),
    ("evidence", EVIDENCE, "owner", ["text", "url"]),
]


def form_url(kind: str, world: dict) -> str:
    slug = world["clinic"].slug
    portal = f"/portal/clinics/{slug}"
    return {"register": "/register", "email change": "/account/email", "review": f"/clinics/{slug}/review",
            "report": f"/reviews/{world['review'].id}/report", "edit": f"{portal}/edit",
            "staff": f"{portal}/staff/new", "evidence": f"{portal}/checklist/C08"}[kind]  # fmt: skip


@pytest.mark.parametrize(("kind", "valid", "who", "names"), NUL_FIELDS, ids=[row[0] for row in NUL_FIELDS])
def test_a_nul_in_any_text_field_is_refused_with_a_message(client, auth, world, kind, valid, who, names):
    if who:
        auth.login(world[who])
    for name in names:
        data = {**valid, name: "Some words \x00 and then enough more words to pass any minimum length."}
        response = client.post(form_url(kind, world), data=data, content_type="multipart/form-data")
        assert response.status_code == 422, name
        check(response)
