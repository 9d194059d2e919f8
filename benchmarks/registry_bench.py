"""Measure `registry load nppes` on an NPPES-layout file and `registry check` on N synthetic clinics' staff.

Usage: .venv/bin/python benchmarks/registry_bench.py [--rows 1000000] [--clinics 100000] [--keep]
SQLite in a temporary file by default; with DATABASE_URL set to PostgreSQL it uses a sibling database named
<name>_registrybench (created and emptied here).

1. Adds N synthetic clinics (provider_dir.seeding.synthetic), then writes an NPPES file of --rows rows with the
   full 330-column header: every staff NPI of those clinics (a few deactivated, replaced, renamed or listing
   their licence elsewhere), and the rest realistic strangers (individuals of many professions, organisations,
   deactivated rows), every value quoted, plus an LEIE file of 70,000 rows.
2. Baseline: reads the file with the csv module and does nothing else.
3. `flask registry load nppes` and `... leie` as the CLI runs them; then every check of every staff member.
Each phase runs in its own process so its peak memory (max RSS) is its own. Targets: load <= 120 s and
<= 300 MB on SQLite; checks <= 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from provider_dir.registry.files.taxonomy import INDIVIDUAL_TAXONOMIES, ORGANISATION_TAXONOMIES  # noqa: E402
from tests.registry.files import LEIE_HEADER, NPPES_HEADER  # noqa: E402

OTHER_TAXONOMIES = ["207Q00000X", "208D00000X", "122300000X", "225100000X", "1041C0700X", "152W00000X",
                    "183500000X", "207R00000X", "363LA2200X", "207V00000X", "2085R0202X", "111N00000X"]
OTHER_ORG_TAXONOMIES = ["282N00000X", "332B00000X", "261QP2000X", "251E00000X", "3336C0003X", "193200000X"]
FIRST = ["JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH",
         "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH", "CHARLES", "KAREN",
         "PRIYA", "WEI", "AHMED", "FATIMA", "CARLOS", "SOFIA", "NGOZI", "HIROSHI", "OLGA", "DIEGO"]
LAST = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
        "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN",
        "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "NGUYEN", "PATEL", "KIM", "OKAFOR", "COHEN-LEVY"]
STATES = ["CA", "TX", "FL", "NY", "PA", "IL", "OH", "GA", "NC", "MI", "NJ", "VA", "WA", "AZ", "MA", "CO", "OR"]
CITIES = {"CA": "LOS ANGELES", "TX": "HOUSTON", "FL": "MIAMI", "NY": "NEW YORK", "PA": "PHILADELPHIA",
          "IL": "CHICAGO", "OH": "COLUMBUS", "GA": "ATLANTA", "NC": "CHARLOTTE", "MI": "DETROIT", "NJ": "NEWARK",
          "VA": "RICHMOND", "WA": "SEATTLE", "AZ": "PHOENIX", "MA": "BOSTON", "CO": "DENVER", "OR": "PORTLAND"}
CREDENTIALS = ["MD", "M.D.", "DO", "NP", "PA-C", "RN", "CRNA", "PMHNP-BC", "DDS", "PT", "LCSW", "PHARMD", ""]
HEAD = NPPES_HEADER[:107]  # through the 15 taxonomy slots; the rest is mostly empty
TAXONOMY_SLOTS = 47  # index of "Healthcare Provider Taxonomy Code_1"


def _tail(rnd: random.Random) -> str:
    values = [""] * (len(NPPES_HEADER) - len(HEAD))
    values[0], values[1], values[2], values[3] = "00123456", "05", "NY", "MEDICAID"  # Other Provider Identifier_1
    values[200] = rnd.choice(["Y", "N", "X"])  # Is Sole Proprietor
    values[201] = "N"
    values[-1] = "01/15/2024" if rnd.random() < 0.5 else ""
    return '"' + '","'.join(values) + '"\r\n'


def _npi(rnd: random.Random, seen: set[str]) -> str:
    from provider_dir.seeding.content.staffing import npi_from

    while True:
        npi = npi_from(f"{1 + int(rnd.random() * 2)}{int(rnd.random() * 100_000_000):08d}")
        if npi not in seen:
            seen.add(npi)
            return npi


def _person(npi: str, first: str, middle: str, last: str, credential: str, state: str,
            taxonomies: list[tuple[str, str, str, str]], rnd: random.Random) -> list[str]:
    row = [""] * len(HEAD)
    row[0], row[1] = npi, "1"
    row[5], row[6], row[7], row[10] = last, first, middle, credential
    _address(row, state, rnd)
    row[36] = "05/23/2007"
    row[37] = f"{1 + int(rnd.random() * 12):02d}/{1 + int(rnd.random() * 28):02d}/{2015 + int(rnd.random() * 11)}"
    row[41] = rnd.choice("FM")
    for n, (code, licence, licence_state, primary) in enumerate(taxonomies):
        at = TAXONOMY_SLOTS + 4 * n
        row[at : at + 4] = [code, licence, licence_state, primary]
    return row


def _address(row: list[str], state: str, rnd: random.Random) -> None:
    street = f"{100 + int(rnd.random() * 9000)} {rnd.choice(['MAIN', 'OAK', 'PARK', 'ELM'])} ST"
    city, postal = CITIES.get(state, "SPRINGFIELD"), f"{10000 + int(rnd.random() * 89999)}0000"
    phone = f"{2125550100 + int(rnd.random() * 99)}"
    row[20:27] = [street, "", city, state, postal, "US", phone]
    row[28:35] = [street, "SUITE 200", city, state, postal, "US", phone]


def write_files(folder: Path, rows: int, staff: list[tuple], seed: int) -> tuple[Path, Path]:
    """Write the NPPES file (staff NPIs first, then strangers) and an LEIE file; return their paths."""
    rnd = random.Random(seed)
    tails = [_tail(rnd) for _ in range(4)]
    seen = {npi for _, _, npi, _, _ in staff}
    nppes = folder / "npidata_pfile_20261102-20261108.csv"
    ours = list(INDIVIDUAL_TAXONOMIES)
    written = 0
    with nppes.open("w", encoding="utf-8", newline="") as out:
        out.write('"' + '","'.join(NPPES_HEADER) + '"\r\n')

        def emit(values: list[str]) -> None:
            out.write('"' + '","'.join(values) + '",' + tails[int(rnd.random() * 4)])

        emitted: set[str] = set()
        for name, state, npi, licence, licence_state in staff:
            if written >= rows:
                break
            if npi in emitted:
                continue  # one clinician at two clinics lists one NPI; the file has it once
            emitted.add(npi)
            words = name.upper().replace(".", "").split()
            first, last = words[0], words[-1]
            middle = words[1] if len(words) > 2 else ""
            luck = rnd.random()
            if luck < 0.02:
                values = [""] * len(HEAD)
                values[0], values[39] = npi, "03/01/2025"
                if luck < 0.005:
                    values[2] = _npi(rnd, seen)
            else:
                if luck < 0.04:
                    first = rnd.choice(FIRST)  # someone else's NPI
                lic_state = licence_state if luck > 0.06 else rnd.choice(STATES)
                values = _person(npi, first, middle, last, "MD", state or "NY",
                                 [(rnd.choice(ours), licence, lic_state, "Y")], rnd)
            emit(values)
            written += 1
        while written < rows:
            npi, luck = _npi(rnd, seen), rnd.random()
            if luck < 0.03:
                values = [""] * len(HEAD)
                values[0], values[39] = npi, f"0{1 + int(rnd.random() * 9)}/15/20{10 + int(rnd.random() * 15)}"
            elif luck < 0.78:
                state = rnd.choice(STATES)
                codes = [rnd.choice(ours) if rnd.random() < 0.12 else rnd.choice(OTHER_TAXONOMIES)
                         for _ in range(1 + int(rnd.random() * 2.5))]
                taxonomies = [(c, f"{rnd.choice(['', 'MD', 'RN'])}{int(rnd.random() * 10**6):06d}", state,
                               "Y" if i == 0 else "N") for i, c in enumerate(codes)]
                values = _person(npi, rnd.choice(FIRST), rnd.choice(FIRST)[:1], rnd.choice(LAST),
                                 rnd.choice(CREDENTIALS), state, taxonomies, rnd)
            else:
                state = rnd.choice(STATES)
                values = [""] * len(HEAD)
                values[0], values[1], values[3] = npi, "2", "<UNAVAIL>"
                values[4] = f"{rnd.choice(LAST)} {rnd.choice(['HEALTH', 'MEDICAL GROUP', 'PHARMACY', 'CLINIC'])} LLC"
                _address(values, state, rnd)
                values[36], values[37] = "06/01/2009", "02/11/2025"
                values[42:47] = [rnd.choice(LAST), rnd.choice(FIRST), "", "CEO", "2125550100"]
                code = rnd.choice(list(ORGANISATION_TAXONOMIES)) if rnd.random() < 0.05 else rnd.choice(
                    OTHER_ORG_TAXONOMIES)
                values[TAXONOMY_SLOTS : TAXONOMY_SLOTS + 4] = [code, "", "", "Y"]
            emit(values)
            written += 1
    leie = folder / "UPDATED-20261101.csv"
    with leie.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(LEIE_HEADER) + "\r\n")
        for i in range(70_000):
            if i < 300 and i < len(staff):  # a few staff members' namesakes in their state
                name, state = staff[i * 7 % len(staff)][0], staff[i * 7 % len(staff)][1] or "NY"
                words = name.upper().replace(".", "").split()
                first, last = words[0], words[-1]
            else:
                first, last, state = rnd.choice(FIRST), rnd.choice(LAST) + "X", rnd.choice(STATES)
            npi = "0000000000" if rnd.random() < 0.9 else _npi(rnd, seen)
            out.write(",".join([last, first, "", "", "IND- LIC HC SERV PRO", "NURSE/NURSES AIDE", "", npi,
                                "19700101", "1 MAIN ST", CITIES.get(state, "TOWN"), state, "10001", "1128b4",
                                "20200115", "00000000", "00000000", ""]) + "\r\n")
    return nppes, leie


def _peak_mb() -> float:
    """Return this process's peak resident memory (VmHWM: unlike ru_maxrss it does not carry over an exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, url: str, path: str) -> dict:
    """Run one measured phase in this process; return its figures."""
    started, cpu = time.perf_counter(), time.process_time()
    figures: dict = {}
    if name == "baseline":
        import csv

        with open(path, encoding="utf-8", newline="") as handle:
            figures["rows"] = sum(1 for _ in csv.reader(handle)) - 1
    else:
        from provider_dir import create_app
        from provider_dir.extensions import db
        from provider_dir.registry.checks.runner import run_all_checks
        from provider_dir.registry.files.loading import load_leie, load_nppes

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            if name == "load":
                summary = load_nppes(db.session, Path(path))
                figures.update(rows=summary.rows_read, kept=summary.rows_kept)
            elif name == "leie":
                figures["rows"] = load_leie(db.session, Path(path)).rows_kept
            else:
                stats = run_all_checks(db.session, app.config)
                figures.update(checked=dict(stats.checked), possible_exclusions=stats.possible_exclusions,
                               results=dict(stats.results))
    figures.update(seconds=time.perf_counter() - started, cpu=time.process_time() - cpu, peak_mb=_peak_mb())
    return figures


def run_phase(name: str, url: str, path: Path) -> dict:
    """Run a phase in a child process (its own peak memory) and return its figures."""
    out = subprocess.run([sys.executable, __file__, "--phase", name, "--url", url, "--path", str(path)],  # noqa: S603
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clinics", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Keep the files and the database (for profiling).")
    parser.add_argument("--reuse", type=Path, help="A folder kept by --keep: reuse its seeded SQLite database.")
    parser.add_argument("--phase")
    parser.add_argument("--url")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.url, args.path)))
        return

    from flask_migrate import upgrade

    from provider_dir import create_app
    from provider_dir.config import PROJECT_ROOT
    from provider_dir.credentials.models import Credential, StaffMember
    from provider_dir.credentials.vocab import CredentialKind
    from provider_dir.extensions import db
    from provider_dir.listings.models import Clinic
    from provider_dir.seeding.synthetic import add_synthetic_clinics
    from tests.databases import database_url

    if args.reuse:
        folder, url = args.reuse, f"sqlite:///{args.reuse / 'registrybench.sqlite3'}"
    else:
        folder = Path(tempfile.mkdtemp(prefix="registry-bench-"))
        url = database_url("registrybench", folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    started = time.perf_counter()
    with app.app_context():
        if not args.reuse:
            upgrade(directory=str(PROJECT_ROOT / "migrations"))
            add_synthetic_clinics(db.session, args.clinics, args.seed, commit=True)
            db.session.commit()
        npis = dict(db.session.execute(select(Credential.staff_member_id, Credential.identifier)
                                       .where(Credential.kind == CredentialKind.NPI)).all())
        licences = {s: (i, st) for s, i, st in db.session.execute(
            select(Credential.staff_member_id, Credential.identifier, Credential.issuer)
            .where(Credential.kind == CredentialKind.STATE_LICENSE))}
        staff = [(name, state, npis[sid], *licences.get(sid, ("", "")))
                 for sid, name, state in db.session.execute(
                     select(StaffMember.id, StaffMember.full_name, Clinic.state).join(Clinic)) if sid in npis]
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    nppes, leie = write_files(folder, args.rows, staff, args.seed)
    written = time.perf_counter() - started
    size_mb = nppes.stat().st_size / 1e6
    print(f"Database: {'PostgreSQL' if url.startswith('postgresql') else 'SQLite'}; {args.clinics:,} synthetic "
          f"clinics, {len(staff):,} staff with an NPI (seeded in {seeded:.0f} s)")
    print(f"NPPES file: {args.rows:,} rows x {len(NPPES_HEADER)} columns, {size_mb:,.0f} MB (written in "
          f"{written:.0f} s); LEIE file: 70,000 rows")
    base = run_phase("baseline", url, nppes)
    print(f"Baseline, csv.reader over the file doing nothing else: {base['seconds']:.1f} s "
          f"(CPU {base['cpu']:.1f} s), "
          f"peak {base['peak_mb']:.0f} MB ({base['rows']:,} rows)")
    load = run_phase("load", url, nppes)
    print(f"registry load nppes: {load['seconds']:.1f} s (CPU {load['cpu']:.1f} s), peak {load['peak_mb']:.0f} MB, "
          f"{load['kept']:,} of {load['rows']:,} rows kept; {load['seconds'] / base['seconds']:.2f} x the baseline "
          "[target <= 120 s, <= 300 MB]")
    lei = run_phase("leie", url, leie)
    print(f"registry load leie: {lei['seconds']:.1f} s (CPU {lei['cpu']:.1f} s), "
          f"peak {lei['peak_mb']:.0f} MB, {lei['rows']:,} rows")
    checks = run_phase("check", url, nppes)
    total = sum(checks["checked"].values())
    print(f"registry check (every NPI, licence and LEIE check): {checks['seconds']:.1f} s "
          f"(CPU {checks['cpu']:.1f} s), peak {checks['peak_mb']:.0f} MB, {total:,} checks "
          f"{checks['checked']}, {checks['possible_exclusions']} possible exclusions [target <= 60 s]")
    print("Results: " + ", ".join(f"{k} {v:,}" for k, v in sorted(checks["results"].items())))
    print(f"Load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores shared with other work)")
    if not args.keep:
        for path in (nppes, leie):
            path.unlink()
    else:
        print(f"Kept {folder} and {url}")


if __name__ == "__main__":
    main()
