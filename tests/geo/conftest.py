"""Fixtures for the geo tests."""

from dataclasses import replace

import pytest

from provider_dir.extensions import db
from provider_dir.geo.places.geocoding import shared_offline_geocoder
from provider_dir.geo.points.held import hold_points, points_settings


@pytest.fixture(scope="session")
def offline():
    """The process's offline geocoder (its gazetteer is built once for the whole run)."""
    return shared_offline_geocoder()


@pytest.fixture
def search_points(app):
    """Set how searches use the points table for one test (geo/points): call it with PointsSettings fields."""
    engine = getattr(db.engine, "engine", db.engine)  # the tests' joined connection, or the engine itself
    before = points_settings(engine)

    def use(**fields) -> None:
        hold_points(engine, replace(before, **fields))

    yield use
    hold_points(engine, before)
