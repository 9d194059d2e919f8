"""Suggesting a correction is rate-limited per address (accepted ones count, refused forms do not) and needs the
form's CSRF token."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from provider_dir.corrections.models import ClinicCorrection
from provider_dir.extensions import db, limiter
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import utcnow
from tests.reviews.helpers import isolated_app, text_of

SLUG = "limited-ketamine"


def _add_clinic(app) -> None:
    with app.app_context():
        db.session.add(Clinic(name="Limited Ketamine", slug=SLUG, street="1 Main St", city="New York", state="NY",
                              zip_code="10001", latitude=40.75, longitude=-73.99, status=ClinicStatus.PUBLISHED,
                              last_edited_at=utcnow()))  # fmt: skip
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def limited_app(tmp_path_factory):
    with isolated_app(tmp_path_factory, "correction_limits", RATELIMIT_ENABLED=True,
                      RATELIMIT_CORRECTIONS="3 per hour") as app:  # fmt: skip
        _add_clinic(app)
        yield app


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory):
    with isolated_app(tmp_path_factory, "correction_csrf", WTF_CSRF_ENABLED=True) as app:
        _add_clinic(app)
        yield app


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ClinicCorrection))


def test_corrections_are_limited_per_address_with_a_clear_429(limited_app):
    limiter.reset()
    client = limited_app.test_client()
    before = stored(limited_app)
    url = f"/clinics/{SLUG}/correction"
    for _ in range(5):  # refused forms do not use up the allowance
        assert client.post(url, data={"field": "phone", "phone": "nope"}).status_code == 422
    for n in range(3):
        assert client.post(url, data={"field": "phone", "phone": f"212 555 010{n}"}).status_code == 302
    blocked = client.post(url, data={"field": "phone", "phone": "212 555 0109"})
    assert blocked.status_code == 429
    assert "You have sent many corrections in a short time" in text_of(blocked)
    assert stored(limited_app) == before + 3
    assert client.get(url).status_code == 200  # reading the form is never blocked


def test_a_correction_without_the_csrf_token_is_refused_and_with_it_accepted(csrf_app):
    client = csrf_app.test_client()
    url = f"/clinics/{SLUG}/correction"
    before = stored(csrf_app)
    refused = client.post(url, data={"field": "phone", "phone": "212 555 0142"})
    assert refused.status_code == 400
    assert stored(csrf_app) == before
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert token, "the form carries a CSRF token"
    accepted = client.post(url, data={"field": "phone", "phone": "212 555 0142", "csrf_token": token.group(1)})
    assert accepted.status_code == 302
    assert stored(csrf_app) == before + 1
