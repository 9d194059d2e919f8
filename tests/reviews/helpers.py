"""Helpers shared by the review, moderation and portal tests."""

from __future__ import annotations

import re
from contextlib import contextmanager
from html import unescape

from flask_migrate import upgrade

from provider_dir import create_app
from provider_dir.config import PROJECT_ROOT
from provider_dir.extensions import db, limiter
from provider_dir.reviews.models import Review
from tests.conftest import TEST_CONFIG
from tests.databases import database_url

BODY = "The nurse checked my blood pressure before and during every infusion and explained each step."


def review_form(**overrides) -> dict:
    """Return a complete, valid review form submission."""
    data = {
        "rating_overall": "4",
        "rating_staff": "5",
        "rating_safety": "4",
        "rating_value": "3",
        "condition": "depression",
        "route": "iv_infusion",
        "sessions_count": "6",
        "time_to_relief": "days",
        "side_effects": ["nausea", "dissociation"],
        "evaluated_before": "yes",
        "vitals_monitored": "yes",
        "clinician_present": "not_sure",
        "ride_required": "yes",
        "symptoms_tracked": "no",
        "private_room": "yes",
        "price_matched": "yes",
        "psychotherapy_offered": "no",
        "would_recommend": "yes",
        "title": "Careful monitoring, calm rooms",
        "body": BODY,
        "no_connection": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text_of(response) -> str:
    """Return the visible text of an HTML response, tags stripped and spaces collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def reload(review: Review) -> Review:
    """Return the review as the database has it now."""
    db.session.expire_all()
    return db.session.get(Review, review.id)


@contextmanager
def isolated_app(tmp_path_factory, purpose: str, **config):
    """Build an app on its own migrated database (for CSRF-on or rate-limited tests); restore the limiter after."""
    url = database_url(purpose, tmp_path_factory.mktemp(purpose))
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **config})
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    try:
        yield app
    finally:
        # Flask-Limiter keeps `enabled` on its one shared instance; the other test apps expect it off.
        limiter.enabled = False
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _inputs(html: str):
    for tag in re.findall(r"<input\b[^>]*>", html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        attrs["checked"] = " checked" in tag or "<input checked" in tag
        yield attrs


def checked_values(html: str, name: str) -> set[str]:
    """Return the values of the checked radio buttons and checkboxes called name."""
    return {a.get("value", "") for a in _inputs(html) if a.get("name") == name and a["checked"]}


def input_value(html: str, name: str) -> str | None:
    """Return the value attribute of the text input called name."""
    for attrs in _inputs(html):
        if attrs.get("name") == name:
            return attrs.get("value")
    return None
