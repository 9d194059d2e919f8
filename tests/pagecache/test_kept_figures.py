"""Site-wide figures kept per content version: read once for many pages, read again after any public write."""

from __future__ import annotations

from sqlalchemy import event

from provider_dir.extensions import db
from provider_dir.pagecache.hooks import page_store
from provider_dir.pagecache.memo import per_version
from provider_dir.reviews.vocab import ReviewStatus


def prior_reads(app):
    """Count the statements that read the rating prior's row (what clinic pages share)."""
    seen = []

    def note(conn, cursor, statement, *args):
        if "FROM site_rating_prior" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", note)


def test_new_clinic_pages_share_the_prior_until_a_review_changes_it(app, create_clinic, add_review):
    clinics = [create_clinic(name=f"Clinic {i}") for i in range(3)]
    add_review(clinics[0], rating=5, title="Calm and careful")
    db.session.commit()
    seen, stop = prior_reads(app)
    try:
        reads = []
        for clinic in clinics:  # three pages never asked before: rendered, each needing the prior
            page = app.test_client().get(f"/clinics/{clinic.slug}")
            assert page.status_code == 200 and page.headers["X-Page-Cache"] == "miss"
            reads.append(len(seen))
        reads_for_three = len(seen)
        add_review(clinics[1], rating=1, title="Rushed and cold", status=ReviewStatus.APPROVED)
        db.session.commit()  # raises the content version
        page = app.test_client().get(f"/clinics/{clinics[1].slug}")
    finally:
        stop()
    assert reads[0] > 0 and reads[2] == reads[0]  # read for the first page only
    assert len(seen) > reads_for_three  # read again after the write
    assert "Rushed and cold" in page.text


def test_a_transaction_that_wrote_public_rows_reads_its_own_figures(app, create_clinic):
    calls = []
    with app.test_request_context("/"):
        assert per_version(db.session, "probe", lambda: calls.append(1) or len(calls)) == 1
        assert per_version(db.session, "probe", lambda: calls.append(1) or len(calls)) == 1  # kept
        create_clinic(name="Written in this transaction")
        db.session.flush()  # a public write not yet committed
        assert per_version(db.session, "probe", lambda: calls.append(1) or len(calls)) == 2  # not from memory
        db.session.rollback()


def test_figures_are_forgotten_with_the_kept_pages(app):
    with app.test_request_context("/"):
        per_version(db.session, "probe", lambda: "old")
        page_store(app).clear()
        assert per_version(db.session, "probe", lambda: "new") == "new"


def test_without_kept_pages_nothing_is_kept(app):
    store = app.extensions.pop("page_cache")
    try:
        with app.test_request_context("/"):
            per_version(db.session, "probe", lambda: "first")
            assert per_version(db.session, "probe", lambda: "second") == "second"
    finally:
        app.extensions["page_cache"] = store
