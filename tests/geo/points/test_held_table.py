"""The table a process holds follows the data: built again after a write, never used for what it does not hold."""

from __future__ import annotations

import logging

from provider_dir.extensions import db
from provider_dir.geo.points.app import build_search_points
from provider_dir.geo.points.held import points_for
from provider_dir.geo.search import SearchQuery, search_clinics
from provider_dir.listings.vocab import Closure

MIDTOWN = SearchQuery(latitude=40.7484, longitude=-73.9967, radius_miles=5)


def _names() -> list[str]:
    return [hit.clinic.name for hit in search_clinics(db.session, MIDTOWN).hits]


def test_a_committed_write_shows_in_the_next_search(app, create_clinic, search_points):
    create_clinic(name="First")
    db.session.commit()
    before = points_for(db.session)
    assert _names() == ["First"]

    create_clinic(name="Second", latitude=40.7600)
    db.session.commit()

    assert _names() == ["First", "Second"]
    after = points_for(db.session)
    assert after is not before and len(after) == len(before) + 1


def test_while_the_data_keeps_changing_searches_go_to_the_database(app, create_clinic, search_points):
    search_points(rebuild_after=3600)  # a build only once an hour, as during a long import
    create_clinic(name="First")
    db.session.commit()
    held = points_for(db.session)
    assert _names() == ["First"]

    clinic = create_clinic(name="Second", latitude=40.7600)
    db.session.commit()
    assert _names() == ["First", "Second"]  # from the database: the table is of the version before
    clinic.closure = Closure.PERMANENT
    db.session.commit()
    assert _names() == ["First"]
    assert points_for(db.session) is None  # not built again before its time
    search_points(rebuild_after=0)
    rebuilt = points_for(db.session)
    assert rebuilt is not held and len(rebuilt) == len(held) + 1  # a closure is a filter: the clinic is held
    assert _names() == ["First"]


def test_a_search_sees_its_own_transactions_writes(app, create_clinic, search_points):
    create_clinic(name="First")
    db.session.commit()
    assert points_for(db.session) is not None

    create_clinic(name="Not committed yet", latitude=40.7600)  # flushed in this transaction only

    assert points_for(db.session) is None
    assert _names() == ["First", "Not committed yet"]


def test_a_table_older_than_its_time_is_built_again(app, create_clinic, search_points):
    create_clinic(name="First")
    db.session.commit()
    search_points(max_age=0)
    first = points_for(db.session)
    assert points_for(db.session) is not first
    search_points(max_age=300)
    kept = points_for(db.session)
    assert points_for(db.session) is kept


def test_switched_off_searches_read_the_database(app, create_clinic, search_points):
    create_clinic(name="First")
    db.session.commit()
    search_points(enabled=False)
    assert points_for(db.session) is None
    assert _names() == ["First"]


def test_a_worker_builds_the_table_as_it_starts(app, create_clinic, search_points, caplog):
    create_clinic(name="First")
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="provider_dir.geo.points.held"):
        build_search_points(app)
    held = points_for(db.session)
    assert held is not None and len(held) >= 1
    assert points_for(db.session) is held  # not built twice
    assert f"{len(held)} clinics" in caplog.text  # the log says what it read, its size and time
    assert held.nbytes <= 160 * len(held)  # what the README says a clinic costs a worker


def test_a_worker_starts_on_a_database_without_tables(tmp_path, caplog):
    from provider_dir import create_app
    from tests.conftest import TEST_CONFIG

    empty = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    with caplog.at_level(logging.WARNING, logger="provider_dir.geo.points.app"):
        build_search_points(empty)
    assert "search points not built at start" in caplog.text
