"""A clinic's coordinates are computed when its address is saved; its search columns follow them everywhere."""

import math

import pytest
from sqlalchemy import create_engine, insert, select, update

from provider_dir.extensions import db
from provider_dir.geo.distance import cell_of, ecef_km
from provider_dir.geo.places.placement import AddressNotLocated
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import Base, utcnow


def new_clinic(**fields) -> Clinic:
    fields.setdefault("slug", "placed-by-address")
    fields.setdefault("name", "Placed By Address")
    fields.setdefault("street", "200 E Randolph St")
    fields.setdefault("city", "Chicago")
    fields.setdefault("state", "IL")
    fields.setdefault("zip_code", "60601")
    fields.setdefault("status", ClinicStatus.PUBLISHED)
    clinic = Clinic(**fields)
    db.session.add(clinic)
    db.session.flush()
    return clinic


def assert_search_columns_match(row) -> None:
    assert row.geo_cell == cell_of(row.latitude, row.longitude)
    for got, expected in zip((row.geo_x, row.geo_y, row.geo_z), ecef_km(row.latitude, row.longitude), strict=True):
        assert math.isclose(got, expected, abs_tol=1e-6)


def test_a_new_clinic_without_coordinates_is_placed_at_its_zip_centroid(app):
    clinic = new_clinic()
    assert (clinic.latitude, clinic.longitude) == (41.8858, -87.6181)
    assert_search_columns_match(clinic)


def test_an_unknown_zip_falls_back_to_the_city(app):
    clinic = new_clinic(zip_code="00000", city="Boise", state="ID")
    assert math.isclose(clinic.latitude, 43.6135, abs_tol=0.01)
    assert math.isclose(clinic.longitude, -116.2035, abs_tol=0.01)


def test_an_address_nobody_can_place_is_refused_with_a_reason(app):
    with pytest.raises(AddressNotLocated, match="00000"):
        new_clinic(zip_code="00000", city="Nowhere Special", state="ZZ")
    db.session.rollback()


def test_given_coordinates_are_kept(app):
    clinic = new_clinic(latitude=41.9, longitude=-87.7)
    assert (clinic.latitude, clinic.longitude) == (41.9, -87.7)
    assert_search_columns_match(clinic)


def test_a_new_zip_moves_the_clinic(app):
    clinic = new_clinic()
    clinic.zip_code, clinic.city, clinic.state = "10001", "New York", "NY"
    db.session.flush()
    assert (clinic.latitude, clinic.longitude) == (40.7484, -73.9967)
    assert_search_columns_match(clinic)


def test_a_new_street_in_the_same_zip_keeps_the_position(app):
    clinic = new_clinic(latitude=41.884, longitude=-87.62)
    clinic.street = "233 S Wacker Dr"
    db.session.flush()
    assert (clinic.latitude, clinic.longitude) == (41.884, -87.62)


def test_coordinates_given_with_the_new_address_win(app):
    clinic = new_clinic()
    clinic.zip_code, clinic.latitude, clinic.longitude = "10001", 40.75, -73.99
    db.session.flush()
    assert (clinic.latitude, clinic.longitude) == (40.75, -73.99)
    assert_search_columns_match(clinic)


def core_row(slug: str):
    return db.session.execute(select(Clinic.__table__).where(Clinic.__table__.c.slug == slug)).one()


def test_bulk_inserts_that_leave_the_search_columns_empty_get_them_from_the_database(app):
    now = utcnow()
    rows = [
        {"slug": f"bulk-{i}", "name": f"Bulk {i}", "street": "1 Main St", "city": "Denver", "state": "CO",
         "zip_code": "80202", "latitude": 39.75 + i / 100, "longitude": -104.99 - i / 100, "status": "published",
         "created_at": now, "updated_at": now}
        for i in range(3)
    ]  # fmt: skip
    db.session.execute(insert(Clinic.__table__), rows)
    for i in range(3):
        row = core_row(f"bulk-{i}")
        assert row.geo_cell is not None
        assert_search_columns_match(row)


def test_a_move_made_in_plain_sql_updates_the_search_columns(app):
    new_clinic(latitude=41.9, longitude=-87.7)
    db.session.execute(update(Clinic.__table__).where(Clinic.__table__.c.slug == "placed-by-address")
                       .values(latitude=33.45, longitude=-112.07))  # fmt: skip
    row = core_row("placed-by-address")
    assert (row.latitude, row.longitude) == (33.45, -112.07)
    assert_search_columns_match(row)


def test_a_database_made_by_create_all_gets_the_same_triggers(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'created.sqlite3'}")
    Base.metadata.create_all(engine)
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(Clinic.__table__), [
            {"slug": "made-by-create-all", "name": "Made", "street": "1 Main St", "city": "Tulsa", "state": "OK",
             "zip_code": "74103", "latitude": 36.154, "longitude": -95.993, "status": "published",
             "created_at": now, "updated_at": now},
        ])  # fmt: skip
        assert_search_columns_match(conn.execute(select(Clinic.__table__)).one())
    engine.dispose()
