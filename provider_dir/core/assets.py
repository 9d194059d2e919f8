"""The front-end files `make assets` copies from npm into static/vendor/: a server refuses to start without them."""

from __future__ import annotations

from pathlib import Path

# What the pages load; each missing one would answer 404 and leave a map without its script or style.
VENDOR_FILES = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",
)


class AssetsMissing(RuntimeError):
    """The static vendor files are not installed."""


def missing_assets(static_dir: str | Path) -> list[str]:
    """Return the vendor files that are not in static_dir (empty when all are there)."""
    return [name for name in VENDOR_FILES if not (Path(static_dir) / name).is_file()]


def check_assets(static_dir: str | Path) -> None:
    """Raise AssetsMissing, naming the files and `make assets`, when any vendor file is absent."""
    missing = missing_assets(static_dir)
    if missing:
        raise AssetsMissing(
            f"The front-end files are not installed ({', '.join(missing)} missing under {static_dir}): "
            "the map pages would load without their scripts. Run `make assets` (it needs npm), then start again."
        )
