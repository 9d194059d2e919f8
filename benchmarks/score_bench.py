"""Measure `scores recompute` on N synthetic clinics (100,000 by default), against a per-clinic ORM baseline.

Usage: .venv/bin/python benchmarks/score_bench.py [--clinics N] [--baseline-sample K]
SQLite in a temporary file by default; with DATABASE_URL set to PostgreSQL it uses a sibling database
named <name>_scorebench (created and emptied here).
Prints: data set size, the baseline's rate and its extrapolation to N, the bulk recompute (first run, writing every
snapshot; second run, nothing changed; --due) with wall and CPU seconds (CPU counts SQLite's work, which runs in
this process, but not a PostgreSQL server's), the speed-up, and the load average (other work on the machine slows
wall times).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from provider_dir import create_app  # noqa: E402
from provider_dir.config import PROJECT_ROOT  # noqa: E402
from provider_dir.credentials.models import Credential, StaffMember  # noqa: E402
from provider_dir.extensions import db  # noqa: E402
from provider_dir.listings.models import Clinic  # noqa: E402
from provider_dir.reviews.models import Review  # noqa: E402
from provider_dir.reviews.vocab import ReviewStatus  # noqa: E402
from provider_dir.scoring import events, services  # noqa: E402
from provider_dir.scoring.checklist.items import REVIEW_FIELDS  # noqa: E402
from provider_dir.scoring.evidence.rules import AnswerEvidence, CredentialEvidence, PatientTally, StaffEvidence  # noqa: E402
from provider_dir.scoring.models import ChecklistAnswer, ScoreSnapshot  # noqa: E402
from provider_dir.scoring.score import score_clinic  # noqa: E402
from tests.databases import database_url  # noqa: E402


def add_clinics(n: int, seed: int) -> str:
    """Add n synthetic clinics with the seeding feature's generator when it exists, else a small local one."""
    try:
        from provider_dir.seeding.synthetic import add_synthetic_clinics
    except ImportError:
        add_local_synthetic_clinics(n, seed)
        return "local generator (benchmarks/score_bench.py)"
    add_synthetic_clinics(db.session, n, seed, commit=True)
    db.session.commit()
    return "provider_dir.seeding.synthetic"


def add_local_synthetic_clinics(n: int, seed: int, chunk: int = 5000) -> None:
    """Insert n clinics with answers, staff, credentials and reviews using set-based inserts."""
    from provider_dir.accounts.models import User

    rnd = random.Random(seed)
    now = datetime.now(UTC)
    today = date.today()
    authors = 60
    db.session.execute(insert(User.__table__), [
        {"email": f"bench{i}@example.test", "display_name": f"bench{i}", "password_hash": "x", "role": "patient",
         "session_token": f"bench-token-{i}", "active": True, "created_at": now} for i in range(authors)])
    statuses = ["unknown", "self_reported", "self_reported", "verified", "verified", "verified"]
    roles = ["medical_director", "psychiatrist", "anesthesiologist", "registered_nurse", "nurse_practitioner",
             "therapist"]
    answers = ["yes", "yes", "yes", "yes", "no", "not_sure", None]
    first_id = (db.session.scalar(select(func.max(Clinic.id))) or 0) + 1
    staff_id = (db.session.scalar(select(func.max(StaffMember.id))) or 0) + 1
    for start in range(0, n, chunk):
        clinics, answer_rows, staff_rows, cred_rows, review_rows = [], [], [], [], []
        for cid in range(first_id + start, first_id + min(n, start + chunk)):
            clinics.append({
                "id": cid, "slug": f"bench-{cid}", "name": f"Bench Clinic {cid}", "description": "",
                "street": "1 Main St", "city": "Springfield", "state": "IL", "zip_code": "62701",
                "latitude": 39.8 + rnd.random(), "longitude": -89.6 + rnd.random(), "phone": "", "website": "",
                "hours": "", "routes_mask": 1, "conditions_mask": 1, "insurance": "none", "languages": ["English"],
                "accessibility": "", "accepting_new_patients": True, "telehealth_intake": False,
                "status": "published", "rating_count": 0, "has_verified_credentials": False,
                "created_at": now, "updated_at": now,
            })
            for number in range(4, 22):
                status = rnd.choice(statuses)
                if status != "unknown":
                    expires = today + timedelta(days=rnd.randint(-60, 700)) if number == 21 else None
                    answer_rows.append({"clinic_id": cid, "item_code": f"C{number:02d}", "status": status,
                                        "evidence_text": "", "evidence_url": "", "expires_on": expires,
                                        "created_at": now, "updated_at": now})
            for order in range(rnd.randint(1, 4)):
                staff_rows.append({"id": staff_id, "clinic_id": cid, "full_name": f"Staff {staff_id}", "degree": "MD",
                                   "role": roles[order if order < 2 else rnd.randrange(len(roles))], "bio": "",
                                   "sort_order": order, "created_at": now})
                for kind in ("npi", "state_license", "dea", "acls", "board_certification"):
                    if rnd.random() < 0.75:
                        cred_rows.append({
                            "staff_member_id": staff_id, "kind": kind, "identifier": "", "created_at": now,
                            "issuer": "ABPN" if kind == "board_certification" else "",
                            "status": rnd.choice(["self_reported", "verified"]),
                            "expires_on": None if kind == "npi" else today + timedelta(days=rnd.randint(-90, 900)),
                        })
                staff_id += 1
            for author in rnd.sample(range(1, authors + 1), rnd.randint(0, 12)):
                row = {"clinic_id": cid, "author_id": author, "rating_overall": rnd.randint(1, 5),
                       "side_effects_mask": 0, "title": "", "body": "", "verified_patient": False, "version": 1,
                       "status": "approved" if rnd.random() < 0.85 else "pending",
                       "created_at": now, "updated_at": now}
                for field in REVIEW_FIELDS:
                    row[field] = rnd.choice(answers)
                review_rows.append(row)
        db.session.execute(insert(Clinic.__table__), clinics)
        db.session.execute(insert(ChecklistAnswer.__table__), answer_rows)
        db.session.execute(insert(StaffMember.__table__), staff_rows)
        db.session.execute(insert(Credential.__table__), cred_rows)
        db.session.execute(insert(Review.__table__), review_rows)
        db.session.commit()


def orm_score_one(clinic: Clinic, on: date) -> None:
    """The baseline: load one clinic's objects through relationships, score it, store it the ORM way."""
    answers = {a.item_code: AnswerEvidence(a.status.value, a.expires_on) for a in clinic.checklist_answers}
    staff = [
        StaffEvidence(m.display_name, m.role.value, tuple(
            CredentialEvidence(c.kind.value, c.status.value, c.expires_on, c.identifier, c.issuer)
            for c in m.credentials))
        for m in clinic.staff
    ]
    tallies: dict[str, list[int]] = {}
    for review in clinic.reviews:
        if review.status != ReviewStatus.APPROVED:
            continue
        for field, code in REVIEW_FIELDS.items():
            value = getattr(review, field)
            if value is not None:
                counts = tallies.setdefault(code, [0, 0, 0])
                counts[["yes", "no", "not_sure"].index(value.value)] += 1
    result = score_clinic(answers, staff, {c: PatientTally(*t) for c, t in tallies.items()}, on)
    clinic.score_total = result.total
    db.session.add(ScoreSnapshot(
        clinic_id=clinic.id, version=result.version, total=result.total, uncapped_total=result.uncapped_total,
        safety_ok=result.safety.ok, items=result.digest(), computed_on=on,
        changes_on=result.changes_on))


def baseline(sample: int, on: date) -> float:
    """Return seconds per clinic for the ORM baseline over the first `sample` clinics (rolled back after)."""
    ids = list(db.session.scalars(select(Clinic.id).order_by(Clinic.id).limit(sample)))
    started = time.perf_counter()
    for clinic_id in ids:
        clinic = db.session.get(Clinic, clinic_id, options=[selectinload(Clinic.staff)
                                                            .selectinload(StaffMember.credentials)])
        orm_score_one(clinic, on)
        db.session.flush()
    elapsed = time.perf_counter() - started
    db.session.rollback()
    return elapsed / max(len(ids), 1)


def timed_recompute(label: str, **kwargs) -> tuple[str, float, float, services.RecomputeStats]:
    """Run one bulk recompute, committing per batch as the CLI does; return wall and this process's CPU seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    stats = services.recompute_all(db.session, after_batch=lambda n: db.session.commit(), **kwargs)
    db.session.commit()
    return label, time.perf_counter() - started, time.process_time() - cpu, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=100_000)
    parser.add_argument("--baseline-sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    url = database_url("scorebench", Path(tempfile.mkdtemp(prefix="score-bench-")))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
        db.session.info[events.DEFER] = True  # the benchmark recomputes by itself
        engine = db.engine.dialect.name
        started = time.perf_counter()
        source = add_clinics(args.clinics, args.seed)
        generated = time.perf_counter() - started
        counts = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
                  for m in (Clinic, ChecklistAnswer, StaffMember, Credential, Review)}
        print(f"database: {engine}; data from {source} in {generated:.1f} s")
        print("rows: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))
        n = counts["clinic"]
        on = services.today()

        per_clinic = baseline(args.baseline_sample, on)
        print(f"\nbaseline (ORM, one clinic at a time, {args.baseline_sample} clinics): "
              f"{per_clinic * 1000:.2f} ms per clinic -> {per_clinic * n:.1f} s extrapolated to {n:,} clinics")

        runs = [timed_recompute("bulk recompute, first run (every snapshot written)", on=on),
                timed_recompute("bulk recompute, second run (nothing changed)", on=on)]
        due = services.due_clinic_ids(db.session, on + timedelta(days=30))
        runs.append(timed_recompute(f"bulk recompute --due, 30 days on ({len(due):,} clinics due)",
                                    on=on + timedelta(days=30), only=due))
        print()
        for label, seconds, cpu, stats in runs:
            rate = stats.clinics / seconds if seconds else float("inf")
            print(f"{label}: {stats.clinics:,} clinics in {seconds:.1f} s wall, {cpu:.1f} s CPU in this process "
                  f"({rate:,.0f} clinics/s), {stats.totals_changed:,} totals changed, "
                  f"{stats.snapshots_written:,} snapshots written")
        first = runs[0][1]
        print(f"\nspeed-up of the first bulk run over the baseline: {per_clinic * n / first:.1f}x")
        print(f"target: {n:,} clinics in 60 s or less -> {'met' if first <= 60 else 'NOT met'} ({first:.1f} s)")
        snapshots = db.session.scalar(select(func.count()).select_from(ScoreSnapshot))
        print(f"snapshots stored: {snapshots:,}; load average during the run: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
