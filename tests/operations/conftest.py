"""A database of its own, with clinics and patients, for tests that serve the app with gunicorn."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.reviews.models import Review
from tests.databases import database_url
from tests.served import add_clinics, add_patients, migrated_app


@dataclass
class ServedDatabase:
    """A migrated database with some clinics and patient accounts, and an app on it for reading it."""

    url: str
    app: object
    slugs: list[str]
    emails: list[str]

    def stored_reviews(self) -> set[tuple[str, str]]:
        """Return every stored review as (author's email, clinic's slug)."""
        with self.app.app_context():
            rows = db.session.execute(
                select(User.email, Clinic.slug)
                .join(Review, Review.author_id == User.id)
                .join(Clinic, Clinic.id == Review.clinic_id)
            ).all()
            db.session.remove()
        return {tuple(row) for row in rows}


@pytest.fixture
def served_database(tmp_path) -> ServedDatabase:
    """A fresh database (a SQLite file, or the sibling PostgreSQL database <name>_served) with clinics, patients."""
    url = database_url("served", tmp_path)
    app = migrated_app(url)
    with app.app_context():
        slugs = add_clinics(10, prefix="ops")
        emails = add_patients(5, prefix="ops")
        db.session.remove()
    yield ServedDatabase(url=url, app=app, slugs=slugs, emails=emails)
    with app.app_context():
        db.engine.dispose()
