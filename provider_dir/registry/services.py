"""Queries for the pages: stored check results by credential, what the registry holds, possible exclusions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from functools import cache

from sqlalchemy import Row, Select, bindparam, func, select, update
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.extensions import db
from provider_dir.models.prefetch import Read
from provider_dir.models.reads import driver_rows
from provider_dir.registry.checks.lookup import from_file
from provider_dir.registry.checks.rules import ALL_MATCH, Registration
from provider_dir.registry.files.loading import NPPES, current_load
from provider_dir.registry.models import ExclusionMatch, RegistryCheck

PENDING, CONFIRMED, DISMISSED, LIFTED = "pending", "confirmed", "dismissed", "lifted"
OIG_SEARCH_URL = "https://exclusions.oig.hhs.gov/"
# Short words for moderators, by (what, result).
RESULT_LABELS = {
    ("npi", "match"): "NPPES: active, an individual, name matches",
    ("npi", "not_found"): "NPPES: not found",
    ("npi", "deactivated"): "NPPES: deactivated",
    ("npi", "replaced"): "NPPES: deactivated and replaced",
    ("npi", "organisation"): "NPPES: an organisation's NPI",
    ("npi", "name_mismatch"): "NPPES: another name",
    ("licence", "match"): "NPPES: licence listed in this state",
    ("licence", "deactivated"): "NPPES: licence listed, NPI deactivated",
    ("licence", "other_state"): "NPPES: licence listed in another state",
    ("licence", "not_listed"): "NPPES: licence not listed",
    ("licence", "not_found"): "NPPES: the clinician's NPI is not found",
    ("licence", "no_npi"): "NPPES: no NPI to look the licence up by",
}


def result_label(check: RegistryCheck) -> str:
    """Return a stored check's result in a few words for moderators."""
    return RESULT_LABELS.get((check.what, check.result), f"{check.source}: {check.result.replace('_', ' ')}")


# Built once (ids as an expanding parameter): every clinic page asks both for its staff.
@cache
def _checks_of_credentials():
    return select(RegistryCheck).where(RegistryCheck.credential_id.in_(bindparam("ids", expanding=True)))


@cache
def _confirmed_exclusions():
    return (
        select(ExclusionMatch)
        .where(ExclusionMatch.staff_member_id.in_(bindparam("ids", expanding=True)), ExclusionMatch.state == CONFIRMED)
        .order_by(ExclusionMatch.excluded_on)
    )


# The clinic page's: by the clinic, joined through its staff, so no expanding list of ids to render per page; the
# columns its sentences need, as rows (loading them as objects cost more than the statements).
@cache
def _checks_of_clinic():
    R = RegistryCheck  # noqa: N806
    return (
        select(R.credential_id, R.source, R.what, R.result, R.detail, R.checked_at, R.via)
        .join(Credential, Credential.id == RegistryCheck.credential_id)
        .join(StaffMember, StaffMember.id == Credential.staff_member_id)
        .where(StaffMember.clinic_id == bindparam("clinic_id"))
    )


@cache
def _confirmed_exclusions_of_clinic():
    return (
        select(ExclusionMatch.staff_member_id, ExclusionMatch.exclusion_type, ExclusionMatch.excluded_on)
        .join(StaffMember, StaffMember.id == ExclusionMatch.staff_member_id)
        .where(StaffMember.clinic_id == bindparam("clinic_id"), ExclusionMatch.state == CONFIRMED)
        .order_by(ExclusionMatch.excluded_on)
    )


def clinic_public_registry(clinic_id: int) -> tuple[dict[int, Row], dict[int, Row]]:
    """Return the NPPES checks of a clinic's credentials and its clinicians' confirmed exclusions, by id, as rows.

    A check row has credential_id, source, what, result, detail, checked_at and via; an exclusion row
    staff_member_id, exclusion_type and excluded_on (the names of RegistryCheck's and ExclusionMatch's columns).
    """
    checks_read, exclusions_read = public_registry_reads(clinic_id)
    by_credential = {row.credential_id: row for row in driver_rows(db.session, *checks_read)}
    checks = {cid: check for cid, check in by_credential.items() if check.source == "NPPES"}  # as public_checks
    exclusions = {row.staff_member_id: row for row in driver_rows(db.session, *exclusions_read)}
    return checks, exclusions


def public_registry_reads(clinic_id: int) -> tuple[Read, Read]:
    """Return clinic_public_registry's reads, checks and exclusions (for models.prefetch)."""
    return (Read(_checks_of_clinic(), {"clinic_id": clinic_id}),
            Read(_confirmed_exclusions_of_clinic(), {"clinic_id": clinic_id}))


def checks_by_credential(credential_ids: Iterable[int]) -> dict[int, RegistryCheck]:
    """Return the stored check of each credential that has one."""
    ids = sorted(set(credential_ids))
    if not ids:
        return {}
    rows = db.session.scalars(_checks_of_credentials(), {"ids": ids})
    return {row.credential_id: row for row in rows}


def public_checks(credential_ids: Iterable[int]) -> dict[int, RegistryCheck]:
    """Return the stored NPPES check of each credential (NPIs and licences), for patients' pages."""
    return {cid: check for cid, check in checks_by_credential(credential_ids).items() if check.source == "NPPES"}


def staff_npi(member: StaffMember) -> str | None:
    """Return the staff member's first NPI, or None."""
    return next((c.identifier.strip() for c in member.credentials
                 if c.kind == CredentialKind.NPI and c.identifier.strip()), None)


def registration_of(credential: Credential) -> Registration | None:
    """Return what the current NPPES file holds for the NPI behind a credential (its own, or its holder's)."""
    npi = credential.identifier.strip() if credential.kind == CredentialKind.NPI else staff_npi(
        credential.staff_member)
    load = current_load(db.session, NPPES)
    if not npi or load is None:
        return None
    return from_file(db.session, load.id, [npi]).get(npi)


def one_click_ready(check: RegistryCheck | None) -> bool:
    """Return True when the credential's registry check matches in every part (so one click may verify it)."""
    return check is not None and check.result in ALL_MATCH


def reference_for(credential: Credential, check: RegistryCheck) -> str:
    """Return the verification reference a one-click verification records: registry, file date, number."""
    where = (f"NPPES file dated {check.source_date.isoformat()}" if check.via == "file" and check.source_date
             else "NPI Registry API")
    return f"{where}; {credential.kind.label} {credential.identifier}; checked {check.checked_at.date().isoformat()}"


def clear_flags(credential_id: int) -> None:
    """Mark a credential's changed registry result as seen (a moderator has decided the credential)."""
    db.session.execute(update(RegistryCheck).where(RegistryCheck.credential_id == credential_id,
                                                   RegistryCheck.flagged.is_(True)).values(flagged=False))


def exclusion_queue(moderator: User) -> Select:
    """Return the possible exclusions waiting for a moderator, oldest first, leaving out the moderator's clinics."""
    from provider_dir.moderation.services import member_clinic_ids

    query = (select(ExclusionMatch).join(ExclusionMatch.staff_member).where(ExclusionMatch.state == PENDING)
             .options(selectinload(ExclusionMatch.staff_member).selectinload(StaffMember.clinic))
             .order_by(ExclusionMatch.found_at, ExclusionMatch.id))
    own = member_clinic_ids(moderator)
    if own:
        query = query.where(StaffMember.clinic_id.not_in(own))
    return query


def pending_exclusions(moderator: User) -> int:
    """Return how many possible exclusions wait for this moderator."""
    return db.session.scalar(select(func.count()).select_from(exclusion_queue(moderator).order_by(None).subquery()))


def confirmed_exclusions(staff_ids: Iterable[int]) -> dict[int, ExclusionMatch]:
    """Return the confirmed exclusion of each staff member who has one (what the public page shows)."""
    ids = sorted(set(staff_ids))
    if not ids:
        return {}
    rows = db.session.scalars(_confirmed_exclusions(), {"ids": ids})
    return {row.staff_member_id: row for row in rows}


def checked_on(check: RegistryCheck) -> date:
    """Return the day a check last ran."""
    return check.checked_at.date()


def checks_run(start: date, end: date) -> int:
    """Return how many stored checks last ran in [start, end) (UTC days); a re-run check counts in its new month."""
    since, until = (datetime.combine(day, time(), tzinfo=UTC) for day in (start, end))
    return int(db.session.scalar(select(func.count(RegistryCheck.id))
                                 .where(RegistryCheck.checked_at >= since, RegistryCheck.checked_at < until)) or 0)
