"""The map's tile server (MAP_TILE_URL, MAP_TILE_ATTRIBUTION) and the image origin the CSP allows for it. No Flask."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"
HOST = re.compile(r"^(\{s\}\.)?[A-Za-z0-9.-]+(:\d{1,5})?$")


class TileConfigError(ValueError):
    """MAP_TILE_URL is not a tile URL template."""


def tile_settings_from(env: Mapping[str, str]) -> dict[str, str]:
    """Return MAP_TILE_URL and MAP_TILE_ATTRIBUTION, refusing a URL a map could not use."""
    url = env.get("MAP_TILE_URL", DEFAULT_TILE_URL).strip()
    attribution = env.get("MAP_TILE_ATTRIBUTION", "").strip() or DEFAULT_ATTRIBUTION
    if url:  # empty: the map shows markers on a blank background and loads no tiles
        tile_origin(url)
    return {"MAP_TILE_URL": url, "MAP_TILE_ATTRIBUTION": attribution}


def tile_origin(url: str) -> str:
    """Return the CSP source for a tile URL template: its scheme and host, {s} subdomains as a wildcard."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not HOST.match(parts.netloc or ""):
        raise TileConfigError(
            f"MAP_TILE_URL={url!r} is not a tile server address: write it like "
            f"'{DEFAULT_TILE_URL}' (http or https, a host name, and {{z}}, {{x}} and {{y}} in the path), "
            "or leave it empty for a map without tiles."
        )
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise TileConfigError(f"MAP_TILE_URL={url!r} lacks {{z}}, {{x}} or {{y}}: Leaflet fills those in per tile.")
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
