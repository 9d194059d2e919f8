"""Time the open-data exports on N synthetic clinics beside a plain streaming SELECT of the same rows; print only.

    .venv/bin/python benchmarks/export_bench.py                     # 100,000 clinics on a fresh SQLite file
    .venv/bin/python benchmarks/export_bench.py --n 20000
    .venv/bin/python benchmarks/export_bench.py --database /tmp/100k.sqlite3   # reuse a seeded file
    DATABASE_URL=postgresql+psycopg://postgres:postgres@127.0.0.1:5432/provider_dir_x \\
        .venv/bin/python benchmarks/export_bench.py                 # a sibling database <name>_bench_export

The database is seeded once (`flask seed --synthetic N`, not timed). Then each exporter of EXPORTERS, and the
baseline, runs in a process of its own (so its peak memory, VmHWM, is its own) into an empty folder:
- an exporter is the function a command runs (`flask export hsds PATH`, ...), writing every file it writes;
- baseline: the same clinic and staff columns read by one streaming SELECT each and written out as CSV rows,
  unchanged: the least any export of these rows must do.
Targets on SQLite (issue 19): each export of 100,000 clinics in at most 60 s and 300 MB. Never asserts.
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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from provider_dir import create_app  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.listings.models import Clinic  # noqa: E402


def export_hsds(session: Session, folder: Path) -> None:
    """HSDS 3.0: services.json and the data package (flask export hsds PATH)."""
    from provider_dir.opendata.hsds.export import export_hsds as run

    run(session, folder)


def export_fhir(session: Session, folder: Path) -> None:
    """FHIR R4 Plan-Net bulk data: one NDJSON file per resource type and the manifest (flask export fhir PATH)."""
    from provider_dir.opendata.fhir.export import write_fhir

    write_fhir(session, folder)


# name -> a function writing that export into an empty folder.
EXPORTERS: dict[str, Callable[[Session, Path], None]] = {
    "hsds": export_hsds,
    "fhir": export_fhir,
}


def baseline(session: Session, folder: Path) -> None:
    """Stream the published clinics' columns and their staff with plain SELECTs into two CSV files, unchanged."""
    from provider_dir.credentials.models import StaffMember
    from provider_dir.listings.vocab import ClinicStatus
    from provider_dir.opendata.hsds.export import CLINIC_COLUMNS, STAFF_COLUMNS

    published = Clinic.status == ClinicStatus.PUBLISHED
    queries = {
        "clinics.csv": select(*CLINIC_COLUMNS).where(published).order_by(Clinic.id),
        "staff.csv": select(*STAFF_COLUMNS).join(Clinic, Clinic.id == StaffMember.clinic_id).where(published)
        .order_by(StaffMember.clinic_id, StaffMember.sort_order),
    }
    for name, query in queries.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            for row in session.execute(query.execution_options(yield_per=2000)):
                writer.writerow(row)


def peak_mb() -> float:
    """Return this process's peak resident memory (VmHWM; ru_maxrss would carry over the parent's from fork)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_mb(folder: Path) -> float:
    """Return the size of every file under a folder, in MB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def run_here(name: str, url: str, folder: Path) -> dict:
    """Run one exporter (or the baseline) in this process; return its figures."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    write = baseline if name == "baseline" else EXPORTERS[name]
    with app.app_context():
        rest = peak_mb()
        started, cpu = time.perf_counter(), time.process_time()
        write(db.session, folder)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        db.session.rollback()
    return {"seconds": elapsed, "cpu": cpu, "peak_mb": peak_mb(), "rest_mb": rest, "out_mb": folder_mb(folder)}


def run_phase(name: str, url: str, tmp: Path) -> dict:
    """Run one exporter in a child process on an empty folder; return its figures."""
    folder = tmp / f"out-{name}"
    folder.mkdir()
    argv = [sys.executable, __file__, "--phase", name, "--url", url, "--folder", str(folder)]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603  # this script itself
    if out.returncode != 0:
        raise SystemExit(f"{name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def seeded(url: str, n: int, seed: int) -> int:
    """Migrate the database and add n synthetic clinics unless it has clinics already; return how many it has."""
    from benchmarks.seed_bench import migrated_app

    app = migrated_app(url)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Clinic))
        if not count:
            started = time.perf_counter()
            result = app.test_cli_runner().invoke(args=["seed", "--synthetic", str(n), "--random-seed", str(seed)])
            if result.exit_code != 0:
                raise SystemExit(f"seeding failed: {result.output}")
            print(f"seeded {n:,} synthetic clinics in {time.perf_counter() - started:.0f} s (not timed below)")
            count = n
        db.engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="synthetic clinics (default 100,000)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--database", type=Path, help="a SQLite file to use (seeded if it has no clinics)")
    parser.add_argument("--only", choices=tuple(EXPORTERS), action="append", help="run only these exporters")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_here(args.phase, args.url, args.folder)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        from benchmarks.seed_bench import fresh_database

        url = f"sqlite:///{args.database.resolve()}" if args.database else fresh_database("export", Path(tmp))
        clinics = seeded(url, args.n, args.seed)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            published = db.session.scalar(select(func.count()).select_from(Clinic).where(Clinic.status == "published"))
            backend = db.engine.url.get_backend_name()
            db.engine.dispose()
        print(f"database: {clinics:,} clinics ({published:,} published), {backend}")
        figures = {name: run_phase(name, url, Path(tmp)) for name in [*(args.only or EXPORTERS), "baseline"]}
    for name, f in figures.items():
        print(f"{name + ':':10} {f['seconds']:6.1f} s wall ({f['cpu']:5.1f} s CPU)  "
              f"{published / f['seconds']:8,.0f} clinics/s  peak {f['peak_mb']:4.0f} MB "
              f"(app at rest {f['rest_mb']:3.0f} MB)  wrote {f['out_mb']:6.1f} MB")
    print("baseline: the same clinic and staff columns, one streaming SELECT each, written as CSV unchanged")


if __name__ == "__main__":
    main()
