"""Measure `flask export fhir` (write_fhir) on N synthetic clinics beside a baseline, in the same run.

Usage: .venv/bin/python benchmarks/fhir_export_bench.py [--clinics 100000] [--keep] [--reuse FOLDER]
SQLite in a temporary file by default; with DATABASE_URL set to PostgreSQL it uses a sibling database named
<name>_fhirbench (created and emptied here).

1. Adds N synthetic clinics (provider_dir.seeding.synthetic): about 3.4 staff and 13 credentials each.
2. Baseline: reads every published clinic row with one SELECT and writes it as one JSON line, nothing else.
3. The FHIR export: every resource of every published clinic, its staff and their credentials, to NDJSON.
Each phase runs in its own process so its peak memory (VmHWM) is its own. Target: <= 60 s and <= 300 MB on
SQLite at 100,000 clinics.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _peak_mb() -> float:
    """Return this process's peak resident memory (VmHWM: unlike ru_maxrss it does not carry over an exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / 1e6


def phase(name: str, url: str, out: str) -> dict:
    """Run one measured phase in this process; return its figures."""
    from sqlalchemy import select

    from provider_dir import create_app
    from provider_dir.extensions import db
    from provider_dir.listings.models import Clinic
    from provider_dir.opendata.fhir.export import write_fhir
    from provider_dir.opendata.fhir.records import CLINIC_COLUMNS, PUBLISHED

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    figures: dict = {}
    with app.app_context():
        started, cpu = time.perf_counter(), time.process_time()
        if name == "baseline":
            rows = 0
            with (folder / "clinics.ndjson").open("w", encoding="utf-8") as handle:
                result = db.session.execute(select(*CLINIC_COLUMNS).where(*PUBLISHED).order_by(Clinic.id)
                                            .execution_options(yield_per=2000))
                for row in result:
                    handle.write(json.dumps(row._asdict(), default=str) + "\n")
                    rows += 1
            figures["rows"] = rows
        else:
            figures["counts"] = write_fhir(db.session, folder).counts
        figures.update(seconds=time.perf_counter() - started, cpu=time.process_time() - cpu)
    figures.update(peak_mb=_peak_mb(), size_mb=_size_mb(folder))
    return figures


def run_phase(name: str, url: str, out: Path) -> dict:
    """Run a phase in a child process (its own peak memory) and return its figures."""
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--url", url, "--out", str(out)],  # noqa: S603
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Keep the database and the files (for profiling).")
    parser.add_argument("--reuse", type=Path, help="A folder kept by --keep: reuse its seeded SQLite database.")
    parser.add_argument("--phase")
    parser.add_argument("--url")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.url, args.out)))
        return

    import shutil

    from flask_migrate import upgrade

    from provider_dir import create_app
    from provider_dir.config import PROJECT_ROOT
    from provider_dir.extensions import db
    from provider_dir.seeding.synthetic import add_synthetic_clinics
    from tests.databases import database_url

    if args.reuse:
        folder, url = args.reuse, f"sqlite:///{args.reuse / 'fhirbench.sqlite3'}"
    else:
        folder = Path(tempfile.mkdtemp(prefix="fhir-bench-"))
        url = database_url("fhirbench", folder)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        started = time.perf_counter()
        with app.app_context():
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
            add_synthetic_clinics(db.session, args.clinics, args.seed, commit=True)
            db.session.commit()
        print(f"Seeded {args.clinics:,} synthetic clinics in {time.perf_counter() - started:.0f} s")
    print(f"Database: {'PostgreSQL' if url.startswith('postgresql') else 'SQLite'}")
    base = run_phase("baseline", url, folder / "baseline")
    print(f"Baseline, one SELECT of the clinic rows written as JSON lines: {base['rows']:,} clinics in "
          f"{base['seconds']:.1f} s (cpu {base['cpu']:.1f} s), peak {base['peak_mb']:.0f} MB, "
          f"{base['size_mb']:.0f} MB written")
    fhir = run_phase("fhir", url, folder / "fhir")
    total = sum(fhir["counts"].values())
    print(f"FHIR export (write_fhir): {total:,} resources in {fhir['seconds']:.1f} s (cpu {fhir['cpu']:.1f} s), "
          f"peak {fhir['peak_mb']:.0f} MB, {fhir['size_mb']:.0f} MB written; target <= 60 s and <= 300 MB")
    print("  " + ", ".join(f"{n:,} {kind}" for kind, n in fhir["counts"].items()))
    print(f"  {fhir['seconds'] / base['seconds']:.1f} x the baseline's time")
    if args.keep:
        print(f"Kept in {folder}")
    else:
        shutil.rmtree(folder / "fhir", ignore_errors=True)
        shutil.rmtree(folder / "baseline", ignore_errors=True)
        if not args.reuse:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
