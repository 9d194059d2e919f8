"""SEARCH_POINTS_* settings: on by default, a clear refusal for values that make no sense, and a way to turn it off."""

import pytest

from provider_dir import create_app
from provider_dir.config import ConfigError, from_environment
from provider_dir.extensions import db
from provider_dir.geo.points.held import points_settings


def test_by_default_searches_use_a_table_kept_five_minutes_and_built_at_most_every_ten_seconds():
    config = from_environment({})
    assert config["SEARCH_POINTS_ENABLED"] is True
    assert (config["SEARCH_POINTS_SECONDS"], config["SEARCH_POINTS_REBUILD_SECONDS"]) == (300, 10)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SEARCH_POINTS_ENABLED": "sometimes"}, "SEARCH_POINTS_ENABLED='sometimes' is neither on nor off"),
        ({"SEARCH_POINTS_SECONDS": "long"}, "SEARCH_POINTS_SECONDS='long' is not a number"),
        ({"SEARCH_POINTS_REBUILD_SECONDS": "-1"}, "SEARCH_POINTS_REBUILD_SECONDS='-1' must be 0 or more"),
    ],
)
def test_a_setting_that_makes_no_sense_stops_the_app_with_its_name(env, message):
    with pytest.raises(ConfigError, match=message):
        from_environment(env)


def test_the_app_passes_its_settings_to_the_searches_on_its_database(base_app):
    app = create_app({**base_app.config, "SEARCH_POINTS_ENABLED": False, "SEARCH_POINTS_SECONDS": 60})
    with app.app_context():
        settings = points_settings(db.engine)
        db.engine.dispose()
    assert (settings.enabled, settings.max_age) == (False, 60)
