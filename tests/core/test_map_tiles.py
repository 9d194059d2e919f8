"""MAP_TILE_URL and MAP_TILE_ATTRIBUTION reach the map scripts, and the CSP lets images come from that host alone."""

from __future__ import annotations

from html import unescape

import pytest

from provider_dir import create_app
from provider_dir.config import ConfigError, from_environment
from tests.conftest import TEST_CONFIG

TILES = "https://{s}.tiles.example.net/osm/{z}/{x}/{y}.png"
CREDIT = "© Example Tiles, © OpenStreetMap contributors"


@pytest.fixture
def tiled_client(app, client, monkeypatch):
    """The test client, with the app's tiles coming from another server (as the environment would set them)."""
    for name, setting in from_environment({"MAP_TILE_URL": TILES, "MAP_TILE_ATTRIBUTION": CREDIT}).items():
        if name.startswith("MAP_TILE"):
            monkeypatch.setitem(app.config, name, setting)
    return client


def test_the_default_csp_allows_images_from_openstreetmap_only(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in csp
    assert "https:;" not in csp and "https: " not in csp  # not every https host


def test_the_maps_and_the_csp_follow_the_configured_tile_server(tiled_client, create_clinic):
    create_clinic(slug="tiled-clinic")
    for path in ("/search?location=10001", "/clinics/tiled-clinic"):
        page = tiled_client.get(path)
        html = unescape(page.text)
        assert f'data-tile-url="{TILES}"' in html and f'data-attribution="{CREDIT}"' in html
        assert "img-src 'self' data: https://*.tiles.example.net;" in page.headers["Content-Security-Policy"]
        assert "openstreetmap.org" not in page.headers["Content-Security-Policy"]


def test_an_empty_tile_url_loads_no_tiles_and_allows_no_other_image_host():
    settings = from_environment({"MAP_TILE_URL": ""})
    app = create_app({**TEST_CONFIG, "MAP_TILE_URL": settings["MAP_TILE_URL"], "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    csp = app.test_client().get("/healthz").headers["Content-Security-Policy"]
    assert "img-src 'self' data:;" in csp


@pytest.mark.parametrize("url", ["ftp://tiles.example.net/{z}/{x}/{y}.png", "https://tiles.example.net/tile.png",
                                 "tiles.example.net/{z}/{x}/{y}", "https://bad host/{z}/{x}/{y}.png"])
def test_a_tile_url_a_map_could_not_use_is_refused_by_name(url):
    with pytest.raises(ConfigError, match="MAP_TILE_URL"):
        from_environment({"MAP_TILE_URL": url})
