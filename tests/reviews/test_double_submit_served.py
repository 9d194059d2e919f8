"""A form sent twice at the same moment, to gunicorn with several workers, stores one review."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.reviews.models import Review
from tests.databases import database_url
from tests.reviews.helpers import review_form
from tests.served import PASSWORD, Gunicorn, Visitor, add_clinics, add_patients, csrf_token, migrated_app

pytestmark = pytest.mark.slow


def test_two_simultaneous_posts_of_the_same_form_store_one_review(tmp_path):
    url = database_url("served", tmp_path)
    app = migrated_app(url)
    with app.app_context():
        [slug] = add_clinics(1, prefix="twice")
        [email] = add_patients(1, prefix="twice")
    with Gunicorn(url, workers=2) as server:
        visitor = Visitor(server.base_url)
        assert visitor.log_in(email, PASSWORD).status == 302
        path = f"/clinics/{slug}/review"
        form = {**review_form(), "csrf_token": csrf_token(visitor.get(path).body)}
        both_ready, answers = threading.Barrier(2), []

        def send() -> None:
            both_ready.wait()
            answers.append(visitor.post(path, form))  # the same form, token and session cookie

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    with app.app_context():
        reviews = db.session.scalars(select(Review)).all()
        assert len(reviews) == 1
        # One answer thanks the patient; the other sends them to edit the review that is now there.
        assert sorted(a.status for a in answers) == [302, 302]
        assert {a.location.split("#")[0] for a in answers} == {"/reviews/mine", f"/reviews/{reviews[0].id}/edit"}
        db.engine.dispose()
