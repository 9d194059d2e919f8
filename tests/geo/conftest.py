"""Fixtures for the geo tests."""

import pytest

from provider_dir.geo.places.geocoding import shared_offline_geocoder


@pytest.fixture(scope="session")
def offline():
    """The process's offline geocoder (its gazetteer is built once for the whole run)."""
    return shared_offline_geocoder()
