"""Open-data fixtures: the demo data plus clinics whose text would trip a spreadsheet, and an empty database;
no kept HSDS API pages between tests (a rolled-back test can leave the same content version behind)."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from provider_dir import create_app
from provider_dir.config import PROJECT_ROOT
from provider_dir.extensions import db
from provider_dir.hours.parse import Period, parse_clock
from provider_dir.hours.services import set_opening_hours
from provider_dir.listings.vocab import ClinicStatus, Closure, Condition, Route
from provider_dir.opendata.hsds_api import queries
from provider_dir.seeding.demo import load_demo, read_demo_files
from tests.conftest import TEST_CONFIG
from tests.databases import database_url


def _period(day: int, opens: str, closes: str) -> Period:
    return Period(day, parse_clock(opens), parse_clock(closes))


@pytest.fixture
def directory(app, create_clinic):
    """Load the demo data and add a few awkward clinics; return the published clinics by id."""
    load_demo(db.session, read_demo_files())
    formula = create_clinic(
        name="=Calm Ketamine", street="@1 Formula Way", city="Boston", state="MA", zip_code="02108",
        latitude=42.3588, longitude=-71.0707, phone="+1 617 555 0199", website="https://calm.example",
        description='=HYPERLINK("https://attacker.example","Click")', languages=["English", "-Spanish", "'=Quoted"],
        accessibility="+ Ramp at the side door", routes=[Route.IV, Route.ORAL],
        conditions=[Condition.CRPS, Condition.MIGRAINE])
    set_opening_hours(formula, [_period(0, "09:00", "12:00"), _period(0, "13:00", "19:30"),
                                _period(4, "18:00", "24:00"), _period(6, "10:00", "14:00")],
                      "-First Saturday of the month 9:00 am-2:00 pm")
    closed = create_clinic(name="Shuttered Ketamine", closure=Closure.PERMANENT, phone="", website="",
                           languages=["English"], routes=[Route.ESKETAMINE], conditions=[])
    note_only = create_clinic(name="Appointment Ketamine", hours="By appointment only", opening_hours=[])
    create_clinic(name="Draft Ketamine", status=ClinicStatus.DRAFT)
    db.session.commit()
    from sqlalchemy import select

    from provider_dir.listings.models import Clinic

    published = db.session.scalars(select(Clinic).where(Clinic.status == ClinicStatus.PUBLISHED)).all()
    assert {formula, closed, note_only} <= set(published)
    return {clinic.id: clinic for clinic in published}


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory):
    """A second app on its own empty, migrated database (the receiving end of a round trip)."""
    url = database_url("roundtrip", tmp_path_factory.mktemp("roundtrip"))
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def no_kept_pages():
    queries.forget_kept()
    yield
    queries.forget_kept()
