"""Run an import: check, place and de-duplicate every row, then write in batches (or, in a dry run, nothing).

Both modes run the same code row by row; only `_flush` writes. Everything the decisions need (this source's
provenance, the owner-managed listings, the duplicate index, the slugs in use) is read once at the start, so a
row costs dictionary probes, not queries. New listings, their provenance and their ratings go in by the seeding
code's bulk inserts (COPY on PostgreSQL); the whole import is one transaction, committed by the caller.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, delete, select, tuple_, update
from sqlalchemy.orm import Session

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole
from provider_dir.geo.distance import search_point
from provider_dir.imports.duplicates import DuplicateIndex
from provider_dir.imports.formats.reading import Source
from provider_dir.imports.formats.rows import CheckedRow, check_row
from provider_dir.imports.models import ImportRun, ListingSource, OutsideRating
from provider_dir.imports.placing import Placer, offline_place
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, InsuranceOption
from provider_dir.models.base import utcnow
from provider_dir.models.collector import collector_paused
from provider_dir.models.rewrites import bulk_page_cache
from provider_dir.moderation import log
from provider_dir.seeding.bulk import insert_rows, next_id, sync_id_sequences

BATCH_ROWS = 1_000
SOURCE_MAX = 120
IMPORT_RUN = "import_run"
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
# Every column a new imported listing gets (the row's values are laid over these).
NEW_LISTING_DEFAULTS = dict(
    description="", phone="", website="", hours="", opening_hours=[], open_evenings=False, open_weekends=False,
    routes_mask=0, conditions_mask=0, price_per_infusion_usd=None,
    price_series_usd=None, series_infusions=None, insurance=InsuranceOption.NONE, languages=["English"],
    accessibility="", accepting_new_patients=True, telehealth_intake=False, status=ClinicStatus.PUBLISHED,
    last_verified_on=None, last_edited_at=None, score_total=None, rating_avg=None, rating_bayes=None,
    rating_count=0, has_verified_credentials=False,
)  # fmt: skip
COMPARED = ("name", "street", "city", "state", "zip_code", "phone", "website", "hours", "opening_hours",
            "description", "routes_mask", "conditions_mask", "price_per_infusion_usd", "price_series_usd", "insurance",
            "languages", "accepting_new_patients", "closure")


@dataclass
class Report:
    """What an import did, row by row, and its counts."""

    source: str
    file_format: str
    dry_run: bool
    unknown_columns: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    duplicates: int = 0
    run_id: int | None = None

    @property
    def counts_line(self) -> str:
        """The report's last line."""
        return (f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
                f"refused {self.refused}, duplicates {self.duplicates}")

    def text(self) -> str:
        """The whole report as people read it."""
        head = []
        if self.dry_run:
            head.append("Dry run: nothing was written.")
        if self.unknown_columns:
            head.append(f"Ignored unknown columns: {', '.join(self.unknown_columns)}")
        return "\n".join([*head, *self.lines, self.counts_line])


def digest(checked: CheckedRow) -> str:
    """Return a fingerprint of everything a row sets, to tell an unchanged re-import row without loading it."""
    rating = checked.rating.__dict__ if checked.rating else None
    payload = json.dumps([sorted(checked.values.items()), checked.source_url, rating], default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def slug_base(name: str, city: str, state: str) -> str:
    """Return the slug a listing would get before any -2, -3 (as the portal makes them)."""
    return _SLUG_JUNK.sub("-", f"{name} {city} {state}".lower()).strip("-")[:100].strip("-") or "clinic"


class Importer:
    """One import of one file into one session."""

    def __init__(self, session: Session, source_name: str, *, dry_run: bool = False, actor: User | None = None,
                 place: Placer = offline_place, today: date | None = None, now: datetime | None = None):
        self.session, self.source_name, self.dry_run, self.actor = session, source_name[:SOURCE_MAX], dry_run, actor
        self.place = place
        self.now = now or utcnow()
        self.today = today or self.now.date()
        self._pending = _empty_batch()

    # ---- reading what exists, once ----

    def _load(self) -> None:
        s = self.session
        self.known = {row.source_id: row for row in s.execute(
            select(ListingSource.source_id, ListingSource.id, ListingSource.clinic_id, ListingSource.row_digest)
            .where(ListingSource.source == self.source_name))}
        self.owned = set(s.scalars(select(ClinicMembership.clinic_id).where(
            ClinicMembership.role == MembershipRole.OWNER)))
        self.index = DuplicateIndex()
        self.slugs: set[str] = set()
        query = select(Clinic.id, Clinic.slug, Clinic.name, Clinic.phone, Clinic.website, Clinic.latitude,
                       Clinic.longitude)
        for row in s.execute(query).yield_per(10_000):
            self.slugs.add(row.slug)
            self.index.add(*row)
        self.next_clinic_id = next_id(s, Clinic.__table__)
        # source_id -> the number of the row that used it, by hash: 100,000 strings would cost 20 MB.
        self.seen: dict[int, int] = {}

    def _slug(self, name: str, city: str, state: str) -> str:
        base = slug_base(name, city, state)
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug

    # ---- the run ----

    def run(self, source: Source, progress: Callable[[int], None] | None = None,
            filename: str = "") -> Report:
        """Import every row of the source; return the report (the caller commits or rolls back)."""
        # The whole import is one transaction: on SQLite, past the default page cache its new rows would spill to
        # the write-ahead log and every later read would look them up there. The duplicate index and the slugs in
        # use hold every listing of the site: the collector's full passes would walk them every few batches.
        with collector_paused():
            # Read with the default cache: one pass over the whole clinic table gains nothing from keeping its
            # pages, and would take memory for all of them (1.3 GB at a million clinics, 15 s of page faults).
            self._load()
            with bulk_page_cache(self.session):
                return self._run(source, progress, filename)

    def _run(self, source: Source, progress: Callable[[int], None] | None, filename: str) -> Report:
        report = Report(self.source_name, source.file_format, self.dry_run, list(source.unknown_columns))
        self.report = report
        self.run_record = None
        if not self.dry_run:
            self.run_record = ImportRun(actor=self.actor, source=self.source_name, filename=filename[:255],
                                        file_format=source.file_format, started_at=self.now)
            self.session.add(self.run_record)
            self.session.flush()
            report.run_id = self.run_record.id
        done = 0
        for label, raw in source.rows():
            self._row(label, raw)
            done += 1
            if done % BATCH_ROWS == 0:
                self._flush()
                if progress:
                    progress(BATCH_ROWS)
        self._flush()
        if progress:
            progress(done % BATCH_ROWS)
        if self.run_record is not None:
            self._finish()
        return report

    def _refuse(self, label: str, reasons: list[str] | str) -> None:
        reasons = [reasons] if isinstance(reasons, str) else reasons
        self.report.refused += 1
        self.report.lines.append(f"{label}: {'; '.join(reasons)}")

    def _row(self, label: str, raw: dict) -> None:
        if "__error__" in raw:
            self._refuse(label, raw["__error__"])
            return
        checked = check_row(raw, self.today)
        if checked.errors:
            self._refuse(label, checked.errors)
            return
        self.report.lines.extend(f"{label}: {note}" for note in checked.notes)
        # Labels are "<where> N" ("line 7", "item 3", "services.csv line 9"): N alone is kept, as an int.
        where, _, number = label.rpartition(" ")
        first = self.seen.setdefault(hash(checked.source_id), int(number))
        if first != int(number):
            self._refuse(label, f"source_id {checked.source_id!r} was already used by {where} {first}.")
            return
        values = checked.values
        if "latitude" in values:  # the file placed it
            placed = values["latitude"], values["longitude"]
        else:
            placed = self.place(values["street"], values["city"], values["state"], values["zip_code"])
            if isinstance(placed, str):
                self._refuse(label, placed)
                return
            values["latitude"], values["longitude"] = placed
        existing = self.known.get(checked.source_id)
        if existing is not None:
            self._again(label, checked, existing)
            return
        keys = self.index.keys(values["name"], values.get("phone", ""), values.get("website", ""))
        found = self.index.find_keys(keys, *placed, phone_text=values.get("phone", ""))
        if found is not None:
            known, why = found
            self.report.duplicates += 1
            self.report.lines.append(f"{label}: looks like {known.slug} ({why})")
            return
        self._create(checked, keys)

    def _create(self, checked: CheckedRow, keys: tuple[str, str, str]) -> None:
        values = checked.values
        clinic_id, self.next_clinic_id = self.next_clinic_id, self.next_clinic_id + 1
        slug = self._slug(values["name"], values["city"], values["state"])
        self.index.add_keys(clinic_id, slug, keys, values["latitude"], values["longitude"])
        self.report.created += 1
        if self.dry_run:
            return
        row = {**NEW_LISTING_DEFAULTS, **values, "id": clinic_id, "slug": slug,
               **search_point(values["latitude"], values["longitude"]),
               "created_at": self.now, "updated_at": self.now}
        self._pending["clinics"].append(row)
        self._pending["sources"].append(self._source_row(clinic_id, checked))
        if checked.rating is not None:
            self._pending["ratings"].append(self._rating_row(clinic_id, checked))

    def _source_row(self, clinic_id: int, checked: CheckedRow) -> dict:
        return {"clinic_id": clinic_id, "source": self.source_name, "source_id": checked.source_id,
                "source_url": checked.source_url, "row_digest": digest(checked),
                "created_by_run_id": self.run_record.id, "imported_on": self.today, "refreshed_on": self.today,
                "created_at": self.now}

    def _rating_row(self, clinic_id: int, checked: CheckedRow) -> dict:
        rating = checked.rating
        return {"clinic_id": clinic_id, "site": rating.site, "stars": rating.stars, "rating_count": rating.count,
                "url": rating.url, "rated_on": rating.rated_on, "source": self.source_name, "created_at": self.now}

    def _again(self, label: str, checked: CheckedRow, existing) -> None:
        """A row this source gave before: owner-managed listings are left alone, others updated if changed."""
        if existing.clinic_id in self.owned:
            self.report.unchanged += 1
            differences = self._differences(existing.clinic_id, checked.values)
            clinic_slug = self.session.scalar(select(Clinic.slug).where(Clinic.id == existing.clinic_id))
            if differences:
                self.report.lines.append(f"{label}: {clinic_slug} is managed by its owner, so it was not changed; "
                                         f"the file differs on {', '.join(differences)}")
            return
        row_digest = digest(checked)
        if row_digest == existing.row_digest:
            self.report.unchanged += 1
            if not self.dry_run:
                self._pending["refreshes"].append({"b_id": existing.id, "b_refreshed_on": self.today})
            return
        self.report.updated += 1
        if self.dry_run:
            return
        self._pending["updates"].append({"b_id": existing.clinic_id,
                                         **{f"b_{name}": value for name, value in checked.values.items()}})
        self._pending["sources_changed"].append({"b_id": existing.id, "b_refreshed_on": self.today,
                                                 "b_digest": row_digest, "b_url": checked.source_url})
        if checked.rating is not None:
            self._pending["ratings"].append(self._rating_row(existing.clinic_id, checked))

    def _differences(self, clinic_id: int, values: dict) -> list[str]:
        clinic = self.session.get(Clinic, clinic_id)
        return [name for name in COMPARED if name in values and getattr(clinic, name) != values[name]]

    # ---- writing ----

    def _flush(self) -> None:
        if self.dry_run:
            return
        s, pending = self.session, self._pending
        if pending["clinics"]:
            insert_rows(s, Clinic.__table__, pending["clinics"])
            insert_rows(s, ListingSource.__table__, pending["sources"])
        for values in _same_keys(pending["updates"]):
            columns = {name[2:]: bindparam(name) for name in values[0] if name != "b_id"}
            s.execute(update(Clinic.__table__).where(Clinic.__table__.c.id == bindparam("b_id"))
                      .values(**columns, updated_at=self.now), values)
        if pending["sources_changed"]:
            table = ListingSource.__table__
            s.execute(update(table).where(table.c.id == bindparam("b_id")).values(
                refreshed_on=bindparam("b_refreshed_on"), row_digest=bindparam("b_digest"),
                source_url=bindparam("b_url")), pending["sources_changed"])
        if pending["refreshes"]:
            table = ListingSource.__table__
            s.execute(update(table).where(table.c.id == bindparam("b_id"))
                      .values(refreshed_on=bindparam("b_refreshed_on")), pending["refreshes"])
        if pending["ratings"]:
            # One line per site: a newer rating from a site replaces that site's earlier one for the clinic.
            ratings = _one_per_site(pending["ratings"])
            pairs = [(r["clinic_id"], r["site"]) for r in ratings]
            # The clinic ids too: SQLite reads a row-value IN by scanning the whole table, once per batch.
            s.execute(delete(OutsideRating).where(OutsideRating.clinic_id.in_(sorted({c for c, _ in pairs})),
                                                  tuple_(OutsideRating.clinic_id, OutsideRating.site).in_(pairs)))
            insert_rows(s, OutsideRating.__table__, ratings)
        self._pending = _empty_batch()

    def _finish(self) -> None:
        run, report = self.run_record, self.report
        sync_id_sequences(self.session, (Clinic.__table__,))
        run.created, run.updated, run.unchanged = report.created, report.updated, report.unchanged
        run.refused, run.duplicates = report.refused, report.duplicates
        run.report, run.finished_at = report.text(), utcnow()
        log.record(self.actor, "import", run.id, target_type=IMPORT_RUN,
                   note=f"{self.source_name}: {report.counts_line}")
        self.session.flush()


def _empty_batch() -> dict[str, list]:
    return {name: [] for name in ("clinics", "sources", "ratings", "updates", "sources_changed", "refreshes")}


def _same_keys(rows: list[dict]) -> list[list[dict]]:
    """Group update rows by their set of keys (rows of files with different columns set different columns)."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def _one_per_site(ratings: list[dict]) -> list[dict]:
    """Keep the last rating of each (clinic, site) in a batch."""
    return list({(r["clinic_id"], r["site"]): r for r in ratings}.values())
