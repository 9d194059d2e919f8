"""Time `flask import clinics` on 100,000 realistic rows (plus 1% duplicates and 1% bad rows) into an empty database.

    .venv/bin/python benchmarks/import_bench.py               # 100,000 rows, a fresh SQLite file
    .venv/bin/python benchmarks/import_bench.py --rows 20000
    DATABASE_URL=postgresql+psycopg://postgres:postgres@127.0.0.1:5432/provider_dir_test_imp \\
        .venv/bin/python benchmarks/import_bench.py            # sibling databases <name>_bench_import_*

Each phase runs in a process of its own on its own empty database (migrated beforehand by this script, as
`flask db upgrade` would be), so its peak memory (VmHWM) is its own:
- import: the command's own code path (read, check, place, de-duplicate, bulk-write, commit) on the CSV file;
- baseline: the same good rows, already mapped to clinic columns in memory, written by the seeding code's bulk
  insert (provider_dir/seeding/bulk.py), which is the fastest way this project has to put clinics in a table.
Targets on SQLite (issue 15): the import in at most 60 s and 300 MB. It prints figures and never asserts.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from provider_dir import create_app  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.geo.places.gazetteer import gazetteer  # noqa: E402
from provider_dir.seeding.quickrandom import QuickRandom  # noqa: E402

ADJECTIVES = ("Blue", "Calm", "Clear", "Bright", "Quiet", "Gentle", "Golden", "Silver", "Green", "Cedar", "Summit",
              "North", "South", "Harbor", "River", "Mesa", "Aspen", "Willow", "Pine", "Oak", "Sage", "Coastal",
              "Prairie", "Lakeside", "Evergreen", "Redwood", "Canyon", "Highland", "Valley", "Sunrise", "Horizon",
              "Beacon", "Haven", "Serene", "Renewed", "Restored", "Awaken", "Ascend", "Clarity", "Kindred")
NOUNS = ("Mind", "Path", "Light", "Bridge", "Spring", "Ridge", "Grove", "Point", "Rock", "Stone", "Field", "Tree",
         "Wave", "Star", "Meadow", "Hollow", "Crest", "Shore", "Harbor", "Trail", "Compass", "Lantern", "Anchor",
         "Garden", "Circle", "Gate", "Peak", "Brook", "Vista", "Haven")
KINDS = ("Ketamine Clinic", "Ketamine Center", "Ketamine Infusions", "Infusion Therapy", "Ketamine Wellness",
         "Ketamine & Wellness", "Mental Health Ketamine")
ROUTES = ("iv_infusion", "iv_infusion;esketamine_nasal", "iv_infusion;im_injection", "esketamine_nasal",
          "iv_infusion;oral_sublingual")
CONDITIONS = ("depression", "depression;anxiety", "depression;ptsd;anxiety", "depression;crps;fibromyalgia",
              "depression;suicidal_ideation", "depression;ocd;bipolar_depression", "neuropathic_pain;migraine")
HOURS = ("Mon-Fri 8-5", "Mon-Thu 9-6, Fri 9-1", "Tue-Sat 8-4", "By appointment")
HEADER = ("source_id", "name", "street", "city", "state", "zip", "phone", "website", "routes", "conditions",
          "price_per_infusion", "price_per_series", "insurance", "languages", "accepting_new_patients", "hours",
          "description", "source_url", "rating_source", "rating", "rating_count", "rating_url", "rating_date")
BAD_KINDS = ("name", "zip", "website", "price", "markup", "nul", "place", "long")


def good_row(rng: QuickRandom, i: int, zips) -> dict:
    """Return one realistic row (unique phone and website; a place from the gazetteer's ZIP codes)."""
    from provider_dir.seeding.content.clinics import LAST_NAMES

    z = zips[rng.randint(0, len(zips) - 1)]
    city = z.city.title()
    if rng.random() < 0.5:
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(KINDS)}"
    else:
        name = f"{rng.choice(LAST_NAMES)} {rng.choice(ADJECTIVES)} {rng.choice(KINDS)}"
    number = 2_012_000_000 + i * 7
    phone = f"({number // 10_000_000:03d}) {number // 10_000 % 1000:03d}-{number % 10_000:04d}"
    rated = rng.random() < 0.2
    per = rng.choice((None, 400, 450, 495, 550, 600, 750))
    return {
        "source_id": f"src-{i}", "name": name, "street": f"{rng.randint(1, 9999)} {rng.choice(NOUNS)} St",
        "city": city, "state": z.state, "zip": z.code, "phone": phone,
        "website": f"https://clinic-{i}.example.com/", "routes": rng.choice(ROUTES),
        "conditions": rng.choice(CONDITIONS), "price_per_infusion": "" if per is None else str(per),
        "price_per_series": "" if per is None else str(per * 6 - 200),
        "insurance": rng.choice(("none", "superbill", "in_network")),
        "languages": rng.choice(("English", "English;Spanish", "English;Vietnamese")),
        "accepting_new_patients": rng.choice(("yes", "yes", "no", "")), "hours": rng.choice(HOURS),
        "description": f"{name} offers ketamine treatment under medical supervision in {city}.",
        "source_url": f"https://registry.example.org/clinics/{i}",
        "rating_source": "Google" if rated else "", "rating": f"{rng.randint(30, 50) / 10}" if rated else "",
        "rating_count": str(rng.randint(3, 400)) if rated else "",
        "rating_url": f"https://maps.example.com/{i}" if rated else "",
        "rating_date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}" if rated else "",
    }  # fmt: skip


def duplicate_of(rng: QuickRandom, original: dict, i: int) -> dict:
    """Return a second listing of an earlier clinic: same phone, same domain, or the same name nearby."""
    copy = {**original, "source_id": f"dup-{i}", "source_url": ""}
    how = i % 3
    if how == 0:
        copy.update(website="", name=copy["name"].replace("Ketamine", "Ketamine Care"))
    elif how == 1:
        copy.update(phone="", website=copy["website"].rstrip("/") + "/contact")
    else:
        copy.update(phone="", website="", name=copy["name"] + ", LLC")
    return copy


def bad_row(row: dict, i: int) -> dict:
    """Spoil a row in one of the ways the import refuses."""
    kind = BAD_KINDS[i % len(BAD_KINDS)]
    bad = {**row, "source_id": f"bad-{i}"}
    bad.update({"name": {"name": ""}, "zip": {"zip": "9O210"}, "website": {"website": "javascript:alert(1)"},
                "price": {"price_per_infusion": "-450"}, "markup": {"description": "<b>Best</b> clinic"},
                "nul": {"hours": "Mon\x00Fri"}, "place": {"zip": "00000", "city": "Nowhere"},
                "long": {"name": "K" * 200}}[kind])  # fmt: skip
    return bad


def write_file(path: Path, n: int, seed: int) -> tuple[int, int, int]:
    """Write n good rows, plus 1% duplicates and 1% bad rows spread through the file; return the three counts."""
    rng = QuickRandom(seed)
    zips = sorted((z for z in gazetteer().zips.values() if z.standard), key=lambda z: z.code)
    extra, good_count, dups, bads = max(1, n // 100), 0, 0, 0
    recent: list[dict] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        for i in range(n):
            row = good_row(rng, i, zips)
            writer.writerow(row)
            good_count += 1
            if len(recent) < 50:
                recent.append(row)
            else:
                recent[i % 50] = row
            if i % (n // extra) == n // extra // 2:
                writer.writerow(duplicate_of(rng, recent[rng.randint(0, len(recent) - 1)], dups))
                dups += 1
                writer.writerow(bad_row(good_row(rng, n + bads, zips), bads))
                bads += 1
    return good_count, dups, bads


def phase_import(url: str, path: Path) -> dict:
    """Run the import command's code on the file; return its figures."""
    from provider_dir.imports.formats.reading import open_source
    from provider_dir.imports.importer import Importer

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        started, cpu = time.perf_counter(), time.process_time()
        report = Importer(db.session, "benchmark").run(open_source(path))
        db.session.commit()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": elapsed, "cpu": cpu, "counts": report.counts_line, "rows": report.created + report.refused
            + report.duplicates + report.updated + report.unchanged}


def phase_baseline(url: str, path: Path) -> dict:
    """Insert the file's good rows, mapped in memory beforehand, with the seeding code; return its figures."""
    from provider_dir.geo.distance import search_point
    from provider_dir.imports.formats.rows import check_row
    from provider_dir.imports.importer import NEW_LISTING_DEFAULTS
    from provider_dir.listings.models import Clinic
    from provider_dir.models.base import utcnow
    from provider_dir.seeding.bulk import insert_rows

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    source = gazetteer()
    now = utcnow()
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for i, raw in enumerate(csv.DictReader(handle), start=1):
            checked = check_row(raw, now.date())
            centroid = source.zip_centroid(raw["zip"])
            if checked.errors or centroid is None or not raw["source_id"].startswith("src-"):
                continue
            lat, lon = centroid.latitude, centroid.longitude
            rows.append({**NEW_LISTING_DEFAULTS, **checked.values, "id": i, "slug": f"c-{i}", "latitude": lat,
                         "longitude": lon, **search_point(lat, lon), "created_at": now, "updated_at": now})
    with app.app_context():
        started, cpu = time.perf_counter(), time.process_time()
        insert_rows(db.session, Clinic.__table__, rows)
        db.session.commit()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": elapsed, "cpu": cpu, "rows": len(rows)}


def peak_mb() -> float:
    """Return this process's peak resident memory (VmHWM; ru_maxrss would carry over the parent's from fork)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(phase: str, url: str, path: Path) -> dict:
    """Migrate the empty database here, then run one phase in a child process; return its figures."""
    # Only this parent process loads the benchmark helpers; a phase's process holds what the command would.
    from benchmarks.seed_bench import migrated_app

    app = migrated_app(url)
    with app.app_context():
        db.engine.dispose()
    argv = [sys.executable, __file__, "--phase", phase, "--url", url, "--file", str(path)]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603  # this script itself
    if out.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="good rows in the file (default 100,000)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--phase", choices=("import", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        # What the process holds before the phase starts: the app, and the gazetteer every geocoding builds.
        create_app({"SQLALCHEMY_DATABASE_URI": args.url, "TESTING": True})
        gazetteer()
        rest_mb = peak_mb()
        figures = (phase_import if args.phase == "import" else phase_baseline)(args.url, args.file)
        figures["peak_mb"] = peak_mb()
        figures["rest_mb"] = rest_mb
        print(json.dumps(figures))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clinics.csv"
        good, dups, bads = write_file(path, args.rows, args.seed)
        size_mb = path.stat().st_size / 1e6
        print(f"file: {good:,} rows + {dups:,} duplicates + {bads:,} bad rows, {size_mb:.1f} MB")
        from benchmarks.seed_bench import fresh_database

        imported = run_phase("import", fresh_database("import_run", Path(tmp)), path)
        baseline = run_phase("baseline", fresh_database("import_baseline", Path(tmp)), path)
    for label, figures in (("import", imported), ("baseline", baseline)):
        print(f"{label + ':':9} {figures['seconds']:6.1f} s wall ({figures['cpu']:5.1f} s CPU)  "
              f"{figures['rows'] / figures['seconds']:8,.0f} rows/s  peak {figures['peak_mb']:4.0f} MB "
              f"(app and gazetteer at rest {figures['rest_mb']:4.0f} MB)")
    print(f"import:   {imported['counts']} ({dups:,} duplicates and {bads:,} bad rows planted)")
    print(f"baseline: the seeding code's bulk insert of the {baseline['rows']:,} good rows, checked and placed "
          "beforehand (not timed)")


if __name__ == "__main__":
    main()
