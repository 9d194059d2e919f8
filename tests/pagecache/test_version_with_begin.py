"""On PostgreSQL the content version rides with the pool's BEGIN: no statement of its own, never older than a write."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, delete, event

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.prepared import begin_on_checkout, begin_read, engine_options
from provider_dir.pagecache.hooks import page_store
from provider_dir.pagecache.versioning import BUMP_SQL, read_version
from tests.databases import server_url

pytestmark = pytest.mark.skipif(server_url() is None, reason="the read sent with the pool's BEGIN (PostgreSQL)")


def version_reads(engine):
    """Collect the statements sent through SQLAlchemy on this engine that read the content version."""
    seen = []

    def note(conn, cursor, statement, *args):
        if "FROM content_version" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def app_engine(base_app):
    """A second engine on the app's database, made as the app makes its own."""
    url = base_app.config["SQLALCHEMY_DATABASE_URI"]
    engine = create_engine(url, pool_size=2, max_overflow=0, **engine_options(url, {"pool_pre_ping": True}))
    begin_on_checkout(engine)
    yield engine
    engine.dispose()


def current_number(engine) -> int:
    with engine.connect() as conn:
        conn.connection.driver_connection.take_begin_read()  # read it as a statement, to compare with
        return conn.exec_driver_sql("SELECT number FROM content_version WHERE id = 1").scalar()


@pytest.fixture
def committed_clinic(base_app):
    """A published clinic committed for real (each request then checks a connection out of the pool), removed after."""
    with base_app.app_context():
        clinic = Clinic(name="Lakeside Ketamine Care", slug="lakeside-ketamine-care", street="1 Lake Street",
                        city="New York", state="NY", zip_code="10001", latitude=40.75, longitude=-73.99,
                        status=ClinicStatus.PUBLISHED)
        db.session.add(clinic)
        db.session.commit()
        clinic_id = clinic.id
        db.session.remove()
    if (store := page_store(base_app)) is not None:
        store.clear()
    yield clinic_id
    with base_app.app_context():
        db.session.execute(delete(Clinic).where(Clinic.id == clinic_id))
        db.session.commit()
        db.session.remove()


def test_a_kept_page_costs_no_statement_for_the_version_and_goes_stale_after_a_write(base_app, committed_clinic):
    with base_app.app_context():
        engine = db.engine
    seen, stop = version_reads(engine)
    try:  # each request in an app context of its own, as served: a connection from the pool, begun with the read
        first = base_app.test_client().get("/clinics/lakeside-ketamine-care")
        again = base_app.test_client().get("/clinics/lakeside-ketamine-care")
        with base_app.app_context():
            db.session.get(Clinic, committed_clinic).name = "Lakeside Ketamine and Wellness"
            db.session.commit()
        renamed = base_app.test_client().get("/clinics/lakeside-ketamine-care")
    finally:
        stop()
    assert first.headers["X-Page-Cache"] == "miss" and again.headers["X-Page-Cache"] == "hit"
    assert renamed.headers["X-Page-Cache"] == "miss" and "Lakeside Ketamine and Wellness" in renamed.text
    assert seen == []  # each request's version came with its BEGIN


def test_each_checkout_reads_the_number_committed_when_its_transaction_began(app_engine):
    before = current_number(app_engine)
    with app_engine.connect() as early:
        with app_engine.connect() as writer:
            writer.connection.driver_connection.take_begin_read()
            writer.exec_driver_sql(BUMP_SQL)
            writer.commit()
        assert read_version(early) == before  # read with its BEGIN, before the write committed
        assert read_version(early) == before + 1  # taken once: a second read asks the server
    with app_engine.connect() as later:
        assert begin_read(later.connection.driver_connection) == str(before + 1).encode()


def test_a_transaction_that_writes_public_rows_reads_the_version_anew(app, create_clinic):
    with app.test_request_context("/"):
        connection = db.session.connection()
        raw = connection.connection.dbapi_connection
        raw.begin_read = str(read_version(connection)).encode()  # as the pool's BEGIN would have left it
        number = int(raw.begin_read)
        create_clinic(name="Harbor Infusion Clinic")
        db.session.commit()  # in these tests a savepoint's release, which raises the version as a COMMIT does
        assert read_version(db.session.connection()) == number + 1

