"""Column reads past the ORM: the same rows as SQLAlchemy's own path (names, numbers), pending changes seen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Boolean, Date, Integer, bindparam, event, literal_column, select
from sqlalchemy.exc import DBAPIError

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Closure
from provider_dir.models.reads import column_rows, driver_rows

# Constants (enums bound by value), a date, a boolean and an integer given per call, and one name used twice.
REOPENING = (
    select(Clinic.name, Clinic.price_per_infusion_usd, Clinic.score_total)
    .where(
        Clinic.status == ClinicStatus.PUBLISHED,
        Clinic.closure == Closure.TEMPORARY,
        Clinic.reopens_on <= bindparam("by", type_=Date),
        Clinic.accepting_new_patients == bindparam("accepting", type_=Boolean),
        Clinic.price_per_infusion_usd.between(bindparam("price", type_=Integer), bindparam("price", type_=Integer)),
    )
    .order_by(Clinic.name)
)
BY_SLUGS = select(Clinic.name).where(Clinic.slug.in_(bindparam("slugs", expanding=True))).order_by(Clinic.name)


def test_driver_rows_give_what_sqlalchemys_path_gives_with_dates_booleans_and_enums(app, create_clinic):
    soon = date.today() + timedelta(days=5)
    for n, (closure, reopens, accepting, price) in enumerate([
        (Closure.TEMPORARY, soon, True, 400),
        (Closure.TEMPORARY, soon + timedelta(days=30), True, 400),  # reopens too late
        (Closure.TEMPORARY, soon, False, 400),  # not accepting
        (Closure.TEMPORARY, soon, True, 500),  # another price
        (Closure.OPEN, None, True, 400),  # not closed
    ]):
        create_clinic(name=f"Clinic {n}", closure=closure, reopens_on=reopens, accepting_new_patients=accepting,
                      price_per_infusion_usd=price)
    create_clinic(name="Clinic 5", closure=Closure.TEMPORARY, reopens_on=soon, price_per_infusion_usd=400,
                  status=ClinicStatus.DRAFT)  # not published
    params = {"by": soon + timedelta(days=1), "accepting": True, "price": 400}

    rows = driver_rows(db.session, REOPENING, params)

    assert [tuple(row) for row in rows] == [tuple(row) for row in column_rows(db.session, REOPENING, params)]
    assert [row.name for row in rows] == ["Clinic 0"]  # the session's unflushed clinics were flushed and seen
    assert driver_rows(db.session, REOPENING, {**params, "accepting": False})[0].name == "Clinic 2"


def test_a_statement_the_driver_cannot_take_as_compiled_runs_through_sqlalchemy(app, create_clinic):
    create_clinic(name="Beta", slug="beta")
    create_clinic(name="Alpha", slug="alpha")
    # An expanding IN is rendered per call: it goes SQLAlchemy's way, with the same answer.
    assert [row.name for row in driver_rows(db.session, BY_SLUGS, {"slugs": ["alpha", "beta", "gamma"]})] == [
        "Alpha", "Beta"]


def test_a_value_given_for_a_bound_constant_wins_as_in_sqlalchemy(app, create_clinic):
    create_clinic(name="Cheap", price_per_infusion_usd=300)
    create_clinic(name="Dear", price_per_infusion_usd=900)
    under = select(Clinic.name).where(Clinic.price_per_infusion_usd <= bindparam("most", 500, type_=Integer))
    assert [row.name for row in driver_rows(db.session, under, {})] == ["Cheap"]
    assert sorted(row.name for row in driver_rows(db.session, under, {"most": 1000})) == ["Cheap", "Dear"]
    assert sorted(row.name for row in column_rows(db.session, under, {"most": 1000})) == ["Cheap", "Dear"]


TYPED = select(Clinic.name, Clinic.status, Clinic.closure, Clinic.reopens_on, Clinic.accepting_new_patients,
               Clinic.score_total).where(Clinic.name.like(bindparam("pattern"))).order_by(Clinic.name)


def test_driver_rows_convert_dates_enums_and_booleans_as_sqlalchemy_does_and_read_by_name(app, create_clinic):
    soon = date.today() + timedelta(days=9)
    create_clinic(name="Typed A", closure=Closure.TEMPORARY, reopens_on=soon, accepting_new_patients=False)
    create_clinic(name="Typed B")

    rows = driver_rows(db.session, TYPED, {"pattern": "Typed%"})

    assert rows == column_rows(db.session, TYPED, {"pattern": "Typed%"}).all()
    first = rows[0]
    assert (first.status, first.closure, first.reopens_on, first.accepting_new_patients) == (
        ClinicStatus.PUBLISHED, Closure.TEMPORARY, soon, False)
    assert first._mapping == dict(column_rows(db.session, TYPED, {"pattern": "Typed A"}).one()._mapping)
    assert [row.reopens_on for row in rows] == [soon, None]


def test_driver_rows_are_seen_by_the_engines_cursor_events(app, create_clinic):
    create_clinic(name="Counted")
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        driver_rows(db.session, TYPED, {"pattern": "Counted"})
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert len(seen) == 1 and seen[0].lstrip().upper().startswith("SELECT")


def test_a_driver_error_is_raised_as_sqlalchemys_error_class(app):
    broken = select(literal_column("no_such_column")).select_from(Clinic)
    with pytest.raises(DBAPIError) as raised:
        driver_rows(db.session, broken, {})
    assert "no_such_column" in str(raised.value)


def test_reads_of_different_shapes_one_after_another_each_give_their_own_rows(app, create_clinic):
    soon = date.today() + timedelta(days=5)
    create_clinic(name="Shape A", closure=Closure.TEMPORARY, reopens_on=soon, price_per_infusion_usd=400)
    create_clinic(name="Shape B", price_per_infusion_usd=None)
    params = {"by": soon, "accepting": True, "price": 400}
    expected = {"typed": [tuple(row) for row in column_rows(db.session, TYPED, {"pattern": "Shape%"})],
                "reopening": [tuple(row) for row in column_rows(db.session, REOPENING, params)]}
    # The same connection reads both shapes in turn (on PostgreSQL through its one kept cursor).
    for _ in range(3):
        assert [tuple(row) for row in driver_rows(db.session, TYPED, {"pattern": "Shape%"})] == expected["typed"]
        assert [tuple(row) for row in driver_rows(db.session, REOPENING, params)] == expected["reopening"]
    assert expected["typed"][0][3] == soon and expected["reopening"] == [("Shape A", 400, None)]


def test_a_read_after_a_failed_one_gives_its_rows(app, create_clinic):
    create_clinic(name="After Failure")
    db.session.commit()
    broken = select(literal_column("no_such_column")).select_from(Clinic)
    for _ in range(2):
        with pytest.raises(DBAPIError):
            driver_rows(db.session, broken, {})
        db.session.rollback()
        assert [row.name for row in driver_rows(db.session, TYPED, {"pattern": "After%"})] == ["After Failure"]
