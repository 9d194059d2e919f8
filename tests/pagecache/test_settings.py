"""PAGE_CACHE_* settings: sensible defaults, a clear refusal for values that make no sense, and a way to turn it off."""

import pytest

from provider_dir import create_app
from provider_dir.config import ConfigError, from_environment
from provider_dir.models.all import Base
from provider_dir.pagecache.hooks import page_store
from provider_dir.pagecache.versioning import PRIVATE_TABLES


def test_by_default_pages_are_kept_for_five_minutes_in_64_mb_per_process():
    config = from_environment({})
    assert config["PAGE_CACHE_ENABLED"] is True
    assert (config["PAGE_CACHE_MB"], config["PAGE_CACHE_SECONDS"]) == (64, 300)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PAGE_CACHE_ENABLED": "maybe"}, "PAGE_CACHE_ENABLED='maybe' is neither on nor off"),
        ({"PAGE_CACHE_MB": "lots"}, "PAGE_CACHE_MB='lots' is not a number"),
        ({"PAGE_CACHE_SECONDS": "0"}, "PAGE_CACHE_SECONDS='0' must be more than 0"),
    ],
)
def test_a_setting_that_makes_no_sense_stops_the_app_with_its_name(env, message):
    with pytest.raises(ConfigError, match=message):
        from_environment(env)


def test_switched_off_every_visitor_gets_a_freshly_rendered_page(base_app):
    app = create_app({**base_app.config, "PAGE_CACHE_ENABLED": False})
    assert page_store(app) is None
    with app.app_context():
        answers = [app.test_client().get("/") for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert all("X-Page-Cache" not in a.headers for a in answers)


def test_every_table_named_private_exists():
    assert PRIVATE_TABLES - {"alembic_version"} <= set(Base.metadata.tables)
