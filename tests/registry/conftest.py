"""Fixtures for registry tests: NPIs, and small NPPES and LEIE files in their published layouts."""

from __future__ import annotations

import pytest

from provider_dir.credentials.npi import make_npi

# Valid NPIs (correct check digit) used across the registry tests.
NPI_ADA = make_npi("190000001")
NPI_OTHER_TAXONOMY = make_npi("190000002")
NPI_DEACTIVATED = make_npi("190000003")
NPI_REACTIVATED = make_npi("190000004")
NPI_REPLACED = make_npi("190000005")
NPI_SUCCESSOR = make_npi("190000006")
NPI_CLINIC = make_npi("290000007")
NPI_UNKNOWN = make_npi("190000008")
NPI_HYPHEN = make_npi("190000009")
NPI_PLUMBER_ORG = make_npi("290000010")


@pytest.fixture
def tmp_files(tmp_path):
    """Return the folder where a test writes its registry files."""
    return tmp_path
