"""Synthetic clinics: counts, determinism, repeated runs, and clustering like the US population."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

import pytest
import zipcodes
from sqlalchemy import func, select, text

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.npi import is_valid_npi
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.extensions import db
from provider_dir.geo.filters.bits import TALLY_COLUMNS, facets_sql, tally_sql
from provider_dir.listings.models import Clinic
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.seeding.places import population_sampler
from provider_dir.seeding.synthetic import SyntheticBuilder, add_synthetic_clinics

TODAY = date(2026, 11, 26)
MIDTOWN = (40.7549, -73.9840)
TABLES = (User, Clinic, StaffMember, Credential, ChecklistAnswer, Review)


def miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in miles."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(h))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def snapshot() -> dict[str, list[tuple]]:
    """Every row of the seeded tables, as tuples in id order.

    Credentials and checklist answers are numbered by the database (PostgreSQL sequences do not roll back),
    so their ids are left out; every other id is chosen by the generator.
    """
    result = {}
    for model in TABLES:
        table = model.__table__
        columns = [c for c in table.columns if not (model in (Credential, ChecklistAnswer) and c.key == "id")]
        rows = db.session.execute(select(*columns).order_by(table.c.id)).all()
        result[table.name] = [tuple(row) for row in rows]
    return result


def run_and_undo(n: int, seed: int, **options) -> dict[str, list[tuple]]:
    """Add synthetic clinics inside a savepoint, take every row, then undo it."""
    savepoint = db.session.begin_nested()
    add_synthetic_clinics(db.session, n, seed, today=TODAY, **options)
    rows = snapshot()
    savepoint.rollback()
    return rows


def test_adds_clinics_with_staff_credentials_answers_and_reviews(app):
    added = add_synthetic_clinics(db.session, 400, seed=11, today=TODAY)
    assert added == 400
    assert count(Clinic) == 400
    staff_per_clinic = Counter(db.session.scalars(select(StaffMember.clinic_id)))
    assert len(staff_per_clinic) == 400 and set(staff_per_clinic.values()) <= {1, 2, 3, 4}
    creds_per_staff = Counter(db.session.scalars(select(Credential.staff_member_id)))
    assert min(creds_per_staff.values()) >= 2 and max(creds_per_staff.values()) <= 5
    assert 4 <= count(ChecklistAnswer) / 400 <= 10
    reviews_per_clinic = Counter(db.session.scalars(select(Review.clinic_id)))
    assert max(reviews_per_clinic.values()) <= 8
    assert 2.5 <= count(Review) / 400 <= 5
    npis = db.session.scalars(select(Credential.identifier).where(Credential.kind == CredentialKind.NPI))
    assert all(is_valid_npi(n) for n in npis)
    rated = db.session.scalars(select(Clinic).where(Clinic.rating_count > 0)).all()
    assert rated and all(1 <= c.rating_avg <= 5 for c in rated)
    approved = count(Review, Review.status == ReviewStatus.APPROVED)
    assert sum(c.rating_count for c in rated) == approved
    latest_review = db.session.scalar(select(func.max(Review.published_at)))
    assert latest_review.date() <= TODAY
    first_clinic = db.session.scalar(select(func.min(Clinic.created_at)))
    assert db.session.scalar(select(func.min(Review.created_at))) >= first_clinic


def test_the_filter_bits_and_tallies_written_are_the_ones_the_database_would_compute(app):
    add_synthetic_clinics(db.session, 200, seed=3, today=TODAY)
    computed = facets_sql("clinic")
    tallies = [tally_sql(computed, k) for k in range(len(TALLY_COLUMNS))]
    select_sql = f"SELECT search_facets, {computed}, {', '.join(TALLY_COLUMNS)}, {', '.join(tallies)} FROM clinic"  # noqa: S608
    rows = db.session.execute(text(select_sql)).all()
    width = len(TALLY_COLUMNS)
    assert len(rows) == 200 and len({row[0] for row in rows}) > 20
    assert all(row[0] == row[1] and row[2:2 + width] == row[2 + width:] for row in rows)


def test_the_same_seed_gives_the_same_rows_and_another_seed_does_not(app):
    first = run_and_undo(150, seed=5, chunk=60)
    again = run_and_undo(150, seed=5, chunk=60)
    other = run_and_undo(150, seed=6, chunk=60)
    assert first == again
    assert first["clinic"] != other["clinic"]


def test_rows_built_in_worker_processes_are_the_same(app):
    here = run_and_undo(120, seed=8, chunk=50, workers=0)
    forked = run_and_undo(120, seed=8, chunk=50, workers=2)
    assert here == forked


def test_each_chunk_depends_only_on_its_index():
    builder = SyntheticBuilder(4, today=TODAY, first_clinic_id=1, first_staff_id=1, first_review_id=1,
                               reviewer_ids=range(2, 100), moderator_id=1, chunk_size=30)
    forwards = [builder.chunk(0, 30).tables(), builder.chunk(1, 30).tables()]
    second_first = builder.chunk(1, 30).tables()
    assert second_first == forwards[1]
    assert [c["id"] for c in forwards[1][0]] == list(range(31, 61))


def test_running_twice_adds_more_clinics_without_collisions(app):
    add_synthetic_clinics(db.session, 100, seed=3, today=TODAY)
    add_synthetic_clinics(db.session, 100, seed=3, today=TODAY)
    assert count(Clinic) == 200
    assert db.session.scalar(select(func.count(func.distinct(Clinic.slug)))) == 200
    # ids continue: the database can still number new rows itself afterwards
    clinic = Clinic(slug="after-synthetic", name="After", street="1 Main St", city="Austin", state="TX",
                    zip_code="78701", latitude=30.27, longitude=-97.74)
    db.session.add(clinic)
    db.session.flush()
    assert clinic.id == 201


def test_clinics_cluster_like_the_population(app):
    add_synthetic_clinics(db.session, 2500, seed=21, today=TODAY)
    points = db.session.execute(select(Clinic.latitude, Clinic.longitude, Clinic.state)).all()
    near_nyc = sum(1 for lat, lon, _ in points if miles(MIDTOWN, (lat, lon)) <= 25)
    wyoming = sum(1 for *_, state in points if state == "WY")
    assert near_nyc > 60  # about 7 % of the US population lives within 25 miles of Midtown
    assert near_nyc > 10 * max(wyoming, 1)
    assert all(18 < lat < 72 and (lon < -65 or lon > 170) for lat, lon, _ in points)  # Hawaii to Maine, Alaska


def test_a_million_clinics_would_put_tens_of_thousands_near_midtown():
    sampler = population_sampler()
    total = sum(p.population for p in sampler.places)
    near = sum(p.population for p in sampler.places if miles(MIDTOWN, (p.latitude, p.longitude)) <= 25)
    assert 1_000_000 * near / total > 20_000


def test_synthetic_zip_codes_are_real_and_in_the_clinic_state(app):
    add_synthetic_clinics(db.session, 200, seed=4, today=TODAY)
    for zip_code, state in db.session.execute(select(Clinic.zip_code, Clinic.state)):
        entry = zipcodes.matching(zip_code)
        assert entry, zip_code
        assert entry[0]["state"] == state, (zip_code, state)


def test_the_seed_command_adds_synthetic_clinics_with_a_progress_bar(runner):
    result = runner.invoke(args=["seed", "--synthetic", "60", "--random-seed", "9"])
    assert result.exit_code == 0, result.output
    assert "Added 60 synthetic clinics (seed 9)" in result.output
    assert count(Clinic) == 60


def test_the_seed_command_rejects_a_bad_count(runner):
    result = runner.invoke(args=["seed", "--synthetic", "0"])
    assert result.exit_code == 2
    assert "--synthetic" in result.output


@pytest.mark.parametrize("flag", [[], ["--if-empty"]])
def test_an_empty_database_gets_the_demo_data(runner, flag):
    result = runner.invoke(args=["seed", *flag])
    assert result.exit_code == 0, result.output
    assert count(Clinic) >= 150


def test_synthetic_clinics_can_follow_the_demo_data(runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    demo_clinics, demo_users = count(Clinic), count(User)
    result = runner.invoke(args=["seed", "--synthetic", "40"])
    assert result.exit_code == 0, result.output
    assert count(Clinic) == demo_clinics + 40
    assert count(User) > demo_users
    assert db.session.scalar(select(func.count(func.distinct(Clinic.slug)))) == demo_clinics + 40
