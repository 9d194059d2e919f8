"""Each test starts with no kept HSDS pages: a rolled-back test can leave the same content version behind."""

from __future__ import annotations

import pytest

from provider_dir.opendata.hsds_api import queries


@pytest.fixture(autouse=True)
def no_kept_pages():
    queries.forget_kept()
    yield
    queries.forget_kept()
