"""The fast insert path stores exactly what the ORM stores; the helpers behind synthetic data are sound."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import psycopg

from provider_dir.credentials.npi import make_npi
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, InsuranceOption
from provider_dir.models.base import UTCDateTime
from provider_dir.seeding.bulk import driver_insert, insert_rows, prepare_rows, sqlite_date_text, sqlite_utc_text
from provider_dir.seeding.content.staffing import npi_from
from provider_dir.seeding.quickrandom import QuickRandom


@pytest.mark.parametrize("value", [
    datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    datetime(2024, 1, 2, 3, 4, 5, 123, tzinfo=UTC),
    datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
    None,
])
def test_fast_sqlite_datetime_text_matches_sqlalchemy(value):
    dialect = sqlite.dialect()
    processor = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert sqlite_utc_text(value) == processor(value)


def test_fast_sqlite_date_text_matches_sqlalchemy():
    dialect = sqlite.dialect()
    processor = Clinic.__table__.c.last_verified_on.type.dialect_impl(dialect).bind_processor(dialect)
    assert sqlite_date_text(date(2026, 3, 4)) == processor(date(2026, 3, 4))


def test_naive_datetimes_are_refused_like_the_orm_does():
    with pytest.raises(ValueError, match="naive"):
        sqlite_utc_text(datetime(2024, 1, 1))


def test_rows_missing_a_column_with_a_default_fall_back_to_core():
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("a", String),
                  Column("b", String, default="x"))
    assert driver_insert(sqlite.dialect(), table, ["a"]) is None
    sql, converters = driver_insert(sqlite.dialect(), table, ["a", "b"])
    assert sql == "INSERT INTO t (a, b) VALUES (?, ?)"
    assert len(converters) == 2
    sql, _ = driver_insert(psycopg.dialect(), table, ["a", "b"])
    assert sql == "COPY t (a, b) FROM STDIN"


def test_rows_missing_a_column_with_a_constant_default_keep_the_fast_path():
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("a", String),
                  Column("b", String, default="x"), Column("c", Integer, default=1))
    prepared = prepare_rows(sqlite.dialect(), table, [{"a": "one"}, {"a": "two"}])
    assert prepared.sql == "INSERT INTO t (a, b, c) VALUES (?, ?, ?)"
    assert prepared.rows == [("one", "x", 1), ("two", "x", 1)]
    made = Table("m", MetaData(), Column("id", Integer, primary_key=True), Column("a", String),
                 Column("b", String, default=lambda: "made"))
    assert prepare_rows(sqlite.dialect(), made, [{"a": "one"}]).sql is None  # a callable default: Core calls it


def test_synthetic_credentials_and_answers_get_their_version_defaults(app):
    from provider_dir.credentials.models import Credential
    from provider_dir.scoring.models import ChecklistAnswer
    from provider_dir.seeding.synthetic import add_synthetic_clinics

    add_synthetic_clinics(db.session, 3, seed=4, today=date(2026, 11, 26), workers=0)
    credentials = db.session.execute(select(Credential.version, Credential.verification_reference)).all()
    assert credentials and set(credentials) == {(1, "")}
    assert set(db.session.scalars(select(ChecklistAnswer.version))) == {1}


def test_bulk_inserted_clinics_read_back_like_orm_ones(app):
    created = datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)
    row = dict(
        id=9001, slug="bulk-clinic", name="Bulk Clinic", description="", street="1 Main St", city="Austin",
        state="TX", zip_code="78701", latitude=30.27, longitude=-97.74, phone="", website="", hours="",
        routes_mask=1, conditions_mask=3, price_per_infusion_usd=450, price_series_usd=2400, series_infusions=6,
        insurance=InsuranceOption.SUPERBILL, languages=["English", "Spanish"], accessibility="",
        accepting_new_patients=True, telehealth_intake=False, status=ClinicStatus.PUBLISHED,
        last_verified_on=date(2026, 1, 2), score_total=None, rating_avg=None, rating_bayes=None, rating_count=0,
        has_verified_credentials=False, created_at=created, updated_at=created,
    )
    insert_rows(db.session, Clinic.__table__, [row])
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == "bulk-clinic"))
    assert clinic.created_at == created
    assert clinic.last_verified_on == date(2026, 1, 2)
    assert clinic.languages == ["English", "Spanish"]
    assert clinic.insurance is InsuranceOption.SUPERBILL
    assert [c.value for c in clinic.conditions] == ["depression", "anxiety"]


def test_fast_npi_completion_matches_make_npi():
    rng = random.Random(7)
    for _ in range(2000):
        nine = f"{rng.randint(100_000_000, 299_999_999)}"
        assert npi_from(nine) == make_npi(nine)


def test_quick_random_is_reproducible_and_samples_without_repeats():
    a, b = QuickRandom(42), QuickRandom(42)
    assert [a.randint(1, 6) for _ in range(50)] == [b.randint(1, 6) for _ in range(50)]
    picks = a.sample(range(1_000_000), 8)
    assert len(set(picks)) == 8
    assert sorted(a.sample([1, 2, 3], 3)) == [1, 2, 3]
    rolls = [a.randint(1, 3) for _ in range(3000)]
    assert set(rolls) == {1, 2, 3}
    assert all(800 < rolls.count(k) < 1200 for k in (1, 2, 3))
    weighted = [a.weighted("xy", (9, 1)) for _ in range(2000)]
    assert 1650 < weighted.count("x") < 1950
