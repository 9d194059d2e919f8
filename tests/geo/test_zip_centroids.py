"""The shipped ZIP centroid table is what the installed zipcodes package gives, and the gazetteer reads it whole."""

from __future__ import annotations

import csv
import importlib.util

from provider_dir.config import PROJECT_ROOT
from provider_dir.geo.places.gazetteer import US_ZIP_CENTROIDS_CSV, load_zip_centroids


def _builder():
    spec = importlib.util.spec_from_file_location("build_zips", PROJECT_ROOT / "seeds/geo/build_us_zip_centroids.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_table_matches_the_installed_zipcodes_package():
    builder = _builder()
    with US_ZIP_CENTROIDS_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == builder.COLUMNS
    assert rows[1:] == builder.centroid_rows(), "run seeds/geo/build_us_zip_centroids.py after upgrading zipcodes"


def test_the_gazetteer_reads_every_centroid_with_its_kind():
    zips = {z.code: z for z in load_zip_centroids()}
    assert len(zips) > 40_000
    boston = zips["02108"]
    assert (boston.city, boston.state, boston.standard, boston.postal_town) == ("Boston", "MA", True, True)
    assert abs(boston.latitude - 42.36) < 0.05 and abs(boston.longitude + 71.06) < 0.05
    assert zips["00501"].standard is False  # a company's own ZIP: never an answer to "where am I"
