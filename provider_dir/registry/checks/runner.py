"""Run every registry check, store each result, flag changes, re-queue credentials and raise possible exclusions.

run_all_checks() is what `flask registry check` runs, and what the worker runs after a new file is loaded and
once a month.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.models.collector import collector_paused
from provider_dir.models.rewrites import bulk_page_cache
from provider_dir.registry.checks import rules
from provider_dir.registry.checks.lookup import API, registrations
from provider_dir.registry.checks.names import staff_words
from provider_dir.registry.files.loading import LEIE, NPPES, current_load
from provider_dir.registry.models import CURRENT, ExclusionMatch, LeieRecord, RegistryCheck, RegistryLoad

log = logging.getLogger(__name__)
CHUNK = 5_000
NPI_CHECK, LICENCE_CHECK, LEIE_CHECK = "npi", "licence", "leie"
PENDING, CONFIRMED, DISMISSED, LIFTED = "pending", "confirmed", "dismissed", "lifted"


@dataclass(slots=True)
class LeieIndex:
    """The current LEIE file in memory (it is small: about 80,000 rows), by NPI and by first name, state, surname."""

    by_npi: dict[str, list[rules.Exclusion]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[tuple[str, str, str], list[rules.Exclusion]] = field(default_factory=lambda: defaultdict(list))


def leie_index(session: Session, load_id: int) -> LeieIndex:
    """Read the current LEIE rows once per run."""
    index = LeieIndex()
    r = LeieRecord
    rows = session.execute(select(r.last_name, r.first_name, r.middle_name, r.npi, r.state, r.city, r.specialty,
                                  r.general, r.exclusion_type, r.excluded_on, r.first_key, r.last_key)
                           .where(r.load_id == load_id))
    for *fields, first_key, last_key in rows:
        row = rules.Exclusion(*fields)
        if row.npi:
            index.by_npi[row.npi].append(row)
        state = row.state.upper()
        for word in set(last_key.split()):
            index.by_name[(first_key, state, word)].append(row)
    return index


@dataclass(frozen=True, slots=True)
class StaffChunk:
    """The staff members one chunk checks: their ids, and whether they are every staff id between the first and last.

    A run over every staff member reads each chunk's rows by that id range, which an index serves whatever the
    planner believes of the table: on PostgreSQL, a long IN list on a table its statistics call empty (the checks
    table before the first run ends) made a seq scan with the list as a filter, every row against every id.
    """

    ids: list[int]
    whole_range: bool

    def where(self, column):
        """Return the SQL condition selecting this chunk's rows on a staff member id column."""
        if self.whole_range:
            return and_(column >= self.ids[0], column <= self.ids[-1])
        return column.in_(self.ids)


@dataclass(slots=True)
class RunStats:
    """What a run did."""

    checked: Counter = field(default_factory=Counter)
    results: Counter = field(default_factory=Counter)
    changed: int = 0
    requeued: list[int] = field(default_factory=list)
    possible_exclusions: int = 0
    lifted_exclusions: int = 0
    api_failures: int = 0
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)
    leie_index: LeieIndex | None = None


@dataclass(slots=True)
class _Result:
    staff_id: int
    credential_id: int | None
    what: str
    source: str
    via: str
    source_date: object
    outcome: rules.Outcome


def run_all_checks(session: Session | None = None, config: Mapping | None = None, *,
                   progress: Callable[[int], None] | None = None, now: datetime | None = None,
                   staff_ids: list[int] | None = None) -> RunStats:
    """Re-run every registry check (or those of some staff members) and store the results; return what changed."""
    if session is None or config is None:
        from flask import current_app

        from provider_dir.extensions import db

        session = session or db.session
        config = config if config is not None else current_app.config
    # Every staff id and the LEIE index stay in memory for the whole run; each chunk reads the file's rows, the
    # staff and their stored results again: on SQLite they stay in one large page cache across the chunks.
    with bulk_page_cache(session), collector_paused():
        return _run_all(session, config, progress, now or utcnow(), staff_ids)


def _run_all(session: Session, config: Mapping, progress: Callable[[int], None] | None, now: datetime,
             staff_ids: list[int] | None) -> RunStats:
    started = time.perf_counter()
    stats = RunStats()
    nppes, leie = current_load(session, NPPES), current_load(session, LEIE)
    use_api = config.get("NPI_REGISTRY", "file") == API
    if nppes is None and not use_api:
        stats.skipped.append("NPPES: no file loaded (flask registry load nppes PATH)")
    if leie is None:
        stats.skipped.append("LEIE: no file loaded (flask registry load leie PATH)")
    # Every staff member, in id order: each chunk then holds every id between its ends (ids only grow).
    whole_range = staff_ids is None
    if staff_ids is None:
        staff_ids = list(session.scalars(select(StaffMember.id).order_by(StaffMember.id)))
    touched_clinics: set[int] = set()
    if leie is not None:
        stats.leie_index = leie_index(session, leie.id)
    for start in range(0, len(staff_ids), CHUNK):
        chunk = StaffChunk(staff_ids[start : start + CHUNK], whole_range)
        _run_chunk(session, config, chunk, nppes, leie, use_api, now, stats, touched_clinics)
        session.commit()
        if progress is not None:
            progress(len(chunk.ids))
    if stats.requeued:
        _requeue(session, stats.requeued, now, touched_clinics)
        session.commit()
    if touched_clinics:
        from provider_dir.scoring.services import recompute_clinics

        recompute_clinics(session, sorted(touched_clinics))
        session.commit()
    stats.seconds = time.perf_counter() - started
    log.info("registry checks: %s in %.1f s, %d changed, %d re-queued, %d possible exclusions",
             dict(stats.checked), stats.seconds, stats.changed, len(stats.requeued), stats.possible_exclusions)
    return stats


def _run_chunk(session, config, chunk, nppes, leie, use_api, now, stats, touched_clinics) -> None:
    people = {
        staff_id: (name, clinic_id, state or "")
        for staff_id, name, clinic_id, state in session.execute(
            select(StaffMember.id, StaffMember.full_name, StaffMember.clinic_id, Clinic.state)
            .join(Clinic, Clinic.id == StaffMember.clinic_id).where(chunk.where(StaffMember.id)))
    }
    credentials = session.execute(
        select(Credential.id, Credential.staff_member_id, Credential.kind, Credential.identifier, Credential.issuer,
               Credential.status)
        .where(chunk.where(Credential.staff_member_id),
               Credential.kind.in_([CredentialKind.NPI, CredentialKind.STATE_LICENSE]))
        .order_by(Credential.id)
    ).all()
    npis_of: dict[int, list[str]] = defaultdict(list)
    for _, staff_id, kind, identifier, _, _ in credentials:
        if kind == CredentialKind.NPI and identifier.strip():
            npis_of[staff_id].append(identifier.strip())
    results: list[_Result] = []
    status_of: dict[int, CredentialStatus] = {}
    if nppes is not None or use_api:
        answers = registrations(session, config, nppes.id if nppes else None,
                                {n for ns in npis_of.values() for n in ns})
        stats.api_failures += answers.api_failures
        for cred_id, staff_id, kind, identifier, issuer, status in credentials:
            npi = identifier.strip() if kind == CredentialKind.NPI else next(iter(npis_of.get(staff_id, [])), None)
            if npi is not None and npi not in answers.records:
                continue  # neither the API nor a file could answer
            via = answers.via.get(npi, "file") if npi else "file"
            record = answers.records.get(npi) if npi else None
            if kind == CredentialKind.NPI:
                outcome, what = rules.check_npi(people[staff_id][0], record), NPI_CHECK
            else:
                outcome, what = rules.check_licence(identifier, issuer, npi, record), LICENCE_CHECK
            outcome.detail = {"reason": outcome.reason, "registry_name": record.name if record else None,
                              "deactivated_on": record.deactivated_on.isoformat()
                              if record and record.deactivated else None}
            source_date = None if via == API else (nppes.file_date if nppes else None)
            results.append(_Result(staff_id, cred_id, what, "NPPES", via, source_date, outcome))
            status_of[cred_id] = status
    if leie is not None:
        results.extend(_leie_results(session, chunk, leie, people, npis_of, now, stats, touched_clinics))
    _store(session, chunk, results, status_of, now, stats)


def _leie_results(session, chunk, leie, people, npis_of, now, stats, touched_clinics) -> list[_Result]:
    index = stats.leie_index
    existing: dict[int, list[ExclusionMatch]] = defaultdict(list)
    for match in session.scalars(select(ExclusionMatch).where(chunk.where(ExclusionMatch.staff_member_id))):
        existing[match.staff_member_id].append(match)
    results = []
    for staff_id, (name, clinic_id, state) in sorted(people.items()):  # a stable order for the moderators' queue
        npis = set(npis_of.get(staff_id, []))
        words = staff_words(name)
        candidates = {id(r): r for n in npis for r in index.by_npi.get(n, ())}
        if len(words) >= 2:
            for word in set(words[1:]):
                candidates.update((id(r), r) for r in index.by_name.get((words[0][:60], state.upper(), word), ()))
        found = rules.exclusion_matches(name, npis, state, list(candidates.values()))
        seen_keys = set()
        for how, row in found:
            key = (row.name, row.exclusion_type, row.excluded_on)
            seen_keys.add(key)
            if any((m.leie_name, m.exclusion_type, m.excluded_on) == key for m in existing[staff_id]):
                continue
            session.add(ExclusionMatch(
                staff_member_id=staff_id, matched_by=how, leie_name=row.name[:200], leie_npi=row.npi,
                leie_state=row.state, leie_city=row.city, leie_specialty=f"{row.general} {row.specialty}".strip(),
                exclusion_type=row.exclusion_type, excluded_on=row.excluded_on, source_date=leie.file_date,
                state=PENDING, found_at=now))
            stats.possible_exclusions += 1
        for match in existing[staff_id]:
            if match.state in (PENDING, CONFIRMED) and (match.leie_name, match.exclusion_type,
                                                        match.excluded_on) not in seen_keys:
                if match.state == CONFIRMED:
                    touched_clinics.add(clinic_id)
                match.state = LIFTED
                match.note = f"No longer in the LEIE file of {leie.file_date or 'the latest load'}."
                stats.lifted_exclusions += 1
        outcome = rules.Outcome(rules.POSSIBLE if found else rules.CLEAR, "",
                                 {"matches": len(found), "by": sorted({how for how, _ in found})})
        results.append(_Result(staff_id, None, LEIE_CHECK, "LEIE", "file", leie.file_date, outcome))
    return results


def _store(session, chunk, results, status_of, now, stats) -> None:
    table = RegistryCheck.__table__
    before = {
        (staff_id, credential_id, what): (check_id, result)
        for check_id, staff_id, credential_id, what, result in session.execute(
            select(RegistryCheck.id, RegistryCheck.staff_member_id, RegistryCheck.credential_id, RegistryCheck.what,
                   RegistryCheck.result).where(chunk.where(RegistryCheck.staff_member_id)))
    }
    fresh, same, changed = [], defaultdict(list), []
    for r in results:
        stats.checked[r.what] += 1
        stats.results[f"{r.what}:{r.outcome.result}"] += 1
        key = (r.staff_id, r.credential_id, r.what)
        old = before.get(key)
        new_result = r.outcome.result
        verified = status_of.get(r.credential_id) == CredentialStatus.VERIFIED
        bad_after_verification = (r.credential_id is not None and verified
                                  and new_result not in rules.ALL_MATCH)
        if old is None:
            fresh.append({"staff_member_id": r.staff_id, "credential_id": r.credential_id, "what": r.what,
                          "source": r.source, "via": r.via, "source_date": r.source_date, "result": new_result,
                          "detail": r.outcome.detail, "checked_at": now, "previous_result": None,
                          "changed_at": now if bad_after_verification else None,
                          "flagged": bad_after_verification})
            if bad_after_verification:
                stats.requeued.append(r.credential_id)
        elif old[1] == new_result:
            same[(r.source_date, r.via)].append(old[0])
        else:
            stats.changed += 1
            changed.append({"b_id": old[0], "b_via": r.via, "b_source_date": r.source_date, "b_result": new_result,
                            "b_detail": r.outcome.detail, "b_checked_at": now, "b_previous_result": old[1],
                            "b_changed_at": now, "b_flagged": True})
            if bad_after_verification:
                stats.requeued.append(r.credential_id)
    if fresh:
        session.execute(insert(table), fresh)
    for (source_date, via), ids in same.items():
        session.execute(update(table).where(table.c.id.in_(ids))
                        .values(checked_at=now, source_date=source_date, via=via))
    if changed:
        names = ("via", "source_date", "result", "detail", "checked_at", "previous_result", "changed_at", "flagged")
        statement = update(table).where(table.c.id == bindparam("b_id")).values(
            {name: bindparam(f"b_{name}") for name in names})
        session.connection().execute(statement, changed)


def _requeue(session: Session, credential_ids: list[int], now: datetime, touched_clinics: set[int]) -> None:
    """Put verified credentials whose check no longer matches back in the moderators' queue and tell the owners."""
    from provider_dir.registry.checks.requeue import requeue_credential

    for credential in session.scalars(select(Credential).where(Credential.id.in_(credential_ids))):
        check = session.scalar(select(RegistryCheck).where(RegistryCheck.credential_id == credential.id))
        reason = (check.detail or {}).get("reason", "") if check else ""
        requeue_credential(credential, reason, now)
        touched_clinics.add(credential.staff_member.clinic_id)


MONTHLY = timedelta(days=30)


def checks_due(session: Session, now: datetime | None = None) -> str | None:
    """Return why the checks should run now (a file loaded since the last run, or a month passed), or None."""
    now = now or utcnow()
    last = session.scalar(select(func.max(RegistryCheck.checked_at)))
    loaded = session.scalar(select(func.max(RegistryLoad.finished_at)).where(RegistryLoad.state == CURRENT))
    if loaded is None:
        return None
    if last is None or loaded > last:
        return "a registry file was loaded since the last checks"
    if now - last >= MONTHLY:
        return "a month has passed since the last checks"
    return None


def run_checks_if_due(session: Session | None = None, config: Mapping | None = None) -> RunStats | None:
    """The worker's scheduled job (run it hourly): run every check after a new file is loaded, and monthly."""
    if session is None:
        from provider_dir.extensions import db

        session = db.session
    reason = checks_due(session)
    if reason is None:
        return None
    log.info("registry checks due: %s", reason)
    return run_all_checks(session, config)
