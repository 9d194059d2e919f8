"""Derive seeds/geo/us_zip_centroids.csv from the zipcodes package (MIT), the ZIP centroids the gazetteer reads.

Shipped as a slim table because asking the package at run time costs every process about 140 MB (it decodes all
42,000 ZIP records with every field, and the memory stays with the process). Run again after upgrading zipcodes:
    python seeds/geo/build_us_zip_centroids.py
tests/geo/test_zip_centroids.py fails while the table differs from what the installed package gives.
"""

import csv
import sys
from pathlib import Path

OUT = Path(__file__).with_name("us_zip_centroids.csv")
COLUMNS = ["zip", "city", "state", "latitude", "longitude", "standard", "postal_town"]


def centroid_rows() -> list[list[str]]:
    """Return one row per ZIP with a real centroid (entries at 0,0 have none), in ZIP order."""
    import zipcodes

    rows = []
    for entry in zipcodes.list_all():
        lat, lon = float(entry["lat"] or 0), float(entry["long"] or 0)
        if lat == 0 and lon == 0:
            continue
        kind = entry["zip_code_type"]
        standard = kind == "STANDARD" and bool(entry["active"])
        town = kind in ("STANDARD", "PO BOX")
        rows.append([entry["zip_code"], entry["city"], entry["state"], repr(lat), repr(lon), str(int(standard)),
                     str(int(town))])
    return sorted(rows)


def main() -> None:
    """Write the table beside this script."""
    rows = centroid_rows()
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"wrote {len(rows)} ZIP centroids to {OUT.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
