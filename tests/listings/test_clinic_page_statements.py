"""A fresh clinic page sends a fixed number of statements, however many staff, credentials, reviews and answers."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from psycopg import pq
from sqlalchemy import event

from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.portal.models import ClinicReply
from tests.scoring.builders import credential, exemplary_clinic, make_moderator

# What the page reads: the content version, the clinic, a page of reviews with their authors and the clinic's
# replies, the staff with credentials and verifiers (the score's staff evidence too), provenance, outside ratings,
# the score's answers, registry checks and exclusions, the reviews' figures (which also give the unfiltered total,
# the conditions the review filter offers and the patients' tallies the score reads) and the score history (11).
# A loader that goes back per staff member, credential or review (N+1) breaks this bound.
MAX_STATEMENTS = 11


@contextmanager
def counted():
    """Count the statements sent to the database inside the block."""
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _fresh_page(client, clinic) -> tuple[str, list[str]]:
    url = f"/clinics/{clinic.slug}?fresh=1"  # a URL not asked before: not a kept page (the slug read outside the count)
    with counted() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), [s for s in statements if not s.lstrip().upper().startswith("BEGIN")]


def test_a_clinic_page_sends_as_many_statements_for_many_staff_and_reviews_as_for_few(app, client,
                                                                                      add_staff, add_review):
    moderator = make_moderator(db.session)

    def clinic_with(nurses: int, reviews: int):
        clinic = exemplary_clinic(db.session, moderator)  # a verified medical director, every item answered
        for n in range(nurses):
            add_staff(clinic, role=StaffRole.REGISTERED_NURSE, full_name=f"Robin Nurse{n}", degree="RN", credentials=[
                credential(CredentialKind.STATE_LICENSE, verified_by=moderator),
                credential(CredentialKind.BLS),
                credential(CredentialKind.ACLS, verified_by=moderator),
            ])
        for n in range(reviews):
            review = add_review(clinic, rating=1 + n % 5, title=f"Visit number {n}")
            db.session.add(ClinicReply(review=review, body=f"Thank you for review {n}."))
        return clinic

    few, many = clinic_with(nurses=1, reviews=4), clinic_with(nurses=6, reviews=9)
    other = clinic_with(nurses=0, reviews=1)
    db.session.commit()

    client.get(f"/clinics/{other.slug}")  # the site-wide figures, read once per content version, are read here
    few_page, few_statements = _fresh_page(client, few)
    many_page, many_statements = _fresh_page(client, many)

    # Each page shows what it loaded: every nurse, verified badges, the clinic's replies, a full page of reviews.
    assert all(f"Robin Nurse{n}, RN" in many_page for n in range(6))
    assert "Robin Nurse0, RN" in few_page and "Robin Nurse1" not in few_page
    assert "Reply from" in many_page and "Showing 1–3 of 9" in many_page and "Showing 1–3 of 4" in few_page
    assert len(many_statements) <= MAX_STATEMENTS, "\n".join(many_statements)
    assert len(many_statements) == len(few_statements), "\n".join(many_statements)


def test_on_postgresql_the_reads_after_the_clinic_go_in_one_round_trip(app, client, add_staff, add_review):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs each statement in the worker's process: no round trip to save")
    moderator = make_moderator(db.session)
    clinic = exemplary_clinic(db.session, moderator)
    add_staff(clinic, role=StaffRole.REGISTERED_NURSE, full_name="Robin Nurse", degree="RN",
              credentials=[credential(CredentialKind.STATE_LICENSE, verified_by=moderator)])
    for n in range(5):
        add_review(clinic, rating=1 + n % 5, title=f"Visit number {n}")
    db.session.commit()
    client.get(f"/clinics/{clinic.slug}")  # the site-wide figures, read once per content version

    piped: list[bool] = []

    def note(conn, cursor, statement, *args):
        if "FROM content_version" in statement:
            return  # read with the pool's BEGIN where the pool hands out the connection (not in these tests)
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            piped.append(cursor.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        page = client.get(f"/clinics/{clinic.slug}?page=2")  # a second page of reviews: read ahead as well
    finally:
        event.remove(db.engine, "before_cursor_execute", note)

    assert page.status_code == 200 and "Showing 4–5 of 5" in page.text and "Robin Nurse, RN" in page.text
    # The clinic's row, then everything else the page reads sent together: two waits for the server, not eleven.
    assert piped[0] is False and len(piped) >= MAX_STATEMENTS - 2 and all(piped[1:]), piped
