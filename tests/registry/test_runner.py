"""run_all_checks and flask registry check: stored results, flags on change, re-queue, possible exclusions."""

from __future__ import annotations

import gc
from datetime import date

from sqlalchemy import select

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.moderation.models import Notification
from provider_dir.registry.checks.runner import run_all_checks
from provider_dir.registry.files.loading import load_leie, load_nppes
from provider_dir.registry.models import ExclusionMatch, RegistryCheck
from tests.bulkjobs import BatchWatch
from tests.registry.conftest import NPI_ADA, NPI_CLINIC, NPI_HYPHEN, NPI_UNKNOWN
from tests.registry.files import leie_row, nppes_row, write_leie, write_nppes

ANESTHESIA_NY = ("207L00000X", "MD123456", "NY", "Y")


def _ada_file(path, **changes):
    rows = [
        nppes_row(NPI_ADA, last="PARK", first="ADA", middle="LOUISE", credential="MD", taxonomies=[ANESTHESIA_NY],
                  **changes),
        nppes_row(NPI_HYPHEN, last="GARCIA-LOPEZ", first="MARIA", taxonomies=[("363LP0808X", "NP1", "NY", "Y")]),
        nppes_row(NPI_CLINIC, entity="2", org="CALM WATERS INFUSION LLC", taxonomies=[("261QI0500X", "", "", "Y")]),
    ]
    return write_nppes(path, rows)


def _checks(credential_id=None, staff_id=None, what=None):
    query = select(RegistryCheck)
    if credential_id is not None:
        query = query.where(RegistryCheck.credential_id == credential_id)
    if staff_id is not None:
        query = query.where(RegistryCheck.staff_member_id == staff_id)
    if what is not None:
        query = query.where(RegistryCheck.what == what)
    return db.session.scalars(query).all()


def _team(create_clinic, add_staff, create_user):
    clinic = create_clinic(state="NY")
    ada = add_staff(clinic, full_name="Ada L. Park", credentials=[
        Credential(kind=CredentialKind.NPI, identifier=NPI_ADA, issuer="NPPES"),
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD-123456", issuer="NY"),
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD-123456", issuer="NJ"),
    ])
    maria = add_staff(clinic, role=StaffRole.NURSE_PRACTITIONER, full_name="Maria Garcia-Lopez", degree="PMHNP",
                      credentials=[Credential(kind=CredentialKind.NPI, identifier=NPI_CLINIC, issuer="NPPES")])
    ghost = add_staff(clinic, role=StaffRole.REGISTERED_NURSE, full_name="Gus Ghost", degree="RN",
                      credentials=[Credential(kind=CredentialKind.NPI, identifier=NPI_UNKNOWN, issuer="NPPES")])
    return clinic, ada, maria, ghost


def test_each_check_is_stored_with_its_source_date_and_result(app, tmp_path, create_clinic, add_staff, create_user):
    _, ada, maria, ghost = _team(create_clinic, add_staff, create_user)
    load_nppes(db.session, _ada_file(tmp_path / "npidata_pfile_20261102-20261108.csv"))

    stats = run_all_checks(db.session, app.config)

    npi, licence_ny, licence_nj = ada.credentials
    [check] = _checks(npi.id)
    assert (check.what, check.source, check.via, check.source_date, check.result) == (
        "npi", "NPPES", "file", date(2026, 11, 8), "match")
    assert _checks(licence_ny.id)[0].result == "match"
    assert _checks(licence_nj.id)[0].result == "other_state"
    assert _checks(maria.credentials[0].id)[0].result == "organisation"
    assert _checks(ghost.credentials[0].id)[0].result == "not_found"
    assert stats.checked["npi"] == 3 and stats.checked["licence"] == 2
    assert "LEIE: no file loaded (flask registry load leie PATH)" in stats.skipped


def test_a_run_checks_every_chunk_with_the_collector_paused_and_the_bulk_cache(app, tmp_path, create_clinic, add_staff,
                                                                            create_user):
    # Every staff id and the LEIE index stay in memory for the run: the collector's full passes would walk them.
    _team(create_clinic, add_staff, create_user)
    load_nppes(db.session, _ada_file(tmp_path / "npidata_pfile_20261102-20261108.csv"))
    gc.enable()
    app.config["SQLITE_BULK_CACHE_MB"] = 24
    watch = BatchWatch()

    stats = run_all_checks(db.session, app.config, progress=watch)

    assert stats.checked["npi"] == 3 and watch.collector == [False]
    assert gc.isenabled()
    assert watch.caches == watch.bulk_cache(24)  # the bulk page cache, on SQLite


def test_a_later_deactivation_flags_requeues_and_tells_the_owners(app, tmp_path, create_clinic, add_staff,
                                                                   create_user, make_owner):
    clinic, ada, _, _ = _team(create_clinic, add_staff, create_user)
    owner = make_owner(clinic)
    moderator = create_user(email="mod-reg@example.com")
    npi = ada.credentials[0]
    load_nppes(db.session, _ada_file(tmp_path / "npidata_pfile_20261005-20261011.csv"))
    run_all_checks(db.session, app.config)
    npi.status, npi.verified_by, npi.verified_at = CredentialStatus.VERIFIED, moderator, clinic.created_at
    db.session.commit()

    load_nppes(db.session, _ada_file(tmp_path / "npidata_pfile_20261102-20261108.csv", deactivated="11/01/2026"))
    stats = run_all_checks(db.session, app.config)

    [check] = _checks(npi.id)
    assert (check.result, check.previous_result, check.flagged) == ("deactivated", "match", True)
    db.session.refresh(npi)
    assert npi.status == CredentialStatus.SELF_REPORTED and npi.submitted_at is not None
    assert stats.requeued == [npi.id]
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    assert "deactivated on 2026-11-01" in note.message
    # Running again changes nothing more: no second flag, no second message.
    again = run_all_checks(db.session, app.config)
    assert again.changed == 0 and again.requeued == []


def test_leie_possible_matches_wait_for_a_moderator(app, tmp_path, create_clinic, add_staff, create_user):
    clinic, ada, maria, ghost = _team(create_clinic, add_staff, create_user)
    load_leie(db.session, write_leie(tmp_path / "UPDATED-20261101.csv", [
        leie_row("PARK", "ADA", middle="LOUISE", state="NY"),  # by name and state
        leie_row("SOMEONE", "ELSE", npi=NPI_UNKNOWN, state="CA"),  # by NPI
        leie_row("GARCIA-LOPEZ", "MARIA", state="NJ"),  # near miss: another state
    ]))

    stats = run_all_checks(db.session, app.config)

    matches = db.session.scalars(select(ExclusionMatch).order_by(ExclusionMatch.id)).all()
    assert [(m.staff_member_id, m.matched_by, m.state) for m in matches] == [
        (ada.id, "name_state", "pending"), (ghost.id, "npi", "pending")]
    assert _checks(staff_id=maria.id, what="leie")[0].result == "clear"
    assert _checks(staff_id=ada.id, what="leie")[0].source_date == date(2026, 11, 1)
    assert stats.possible_exclusions == 2
    assert run_all_checks(db.session, app.config).possible_exclusions == 0  # not raised twice


def test_flask_registry_check_reports_what_it_did(app, runner, tmp_path, create_clinic, add_staff, create_user):
    _team(create_clinic, add_staff, create_user)
    load_nppes(db.session, _ada_file(tmp_path / "npidata_pfile_20261102-20261108.csv"))
    result = runner.invoke(args=["registry", "check"])
    assert result.exit_code == 0, result.output
    assert "Checked 2 licence, 3 npi" in result.output
    assert "Skipped LEIE: no file loaded" in result.output


def test_the_worker_job_runs_after_a_new_file_and_monthly(app, tmp_path, create_clinic, add_staff, create_user):
    from datetime import timedelta

    from provider_dir.models.base import utcnow
    from provider_dir.registry.checks.runner import checks_due, run_checks_if_due

    assert checks_due(db.session) is None  # nothing loaded, nothing to check
    _team(create_clinic, add_staff, create_user)
    load_nppes(db.session, _ada_file(tmp_path / "npidata_pfile_20261102-20261108.csv"))
    assert checks_due(db.session) == "a registry file was loaded since the last checks"
    assert run_checks_if_due(db.session, app.config).checked["npi"] == 3
    assert run_checks_if_due(db.session, app.config) is None
    assert checks_due(db.session, utcnow() + timedelta(days=31)) == "a month has passed since the last checks"


def test_the_worker_runs_the_registry_job_daily_and_checks_only_when_due(app, monkeypatch, tmp_path, create_clinic,
                                                                          add_staff, create_user):
    from datetime import UTC, datetime, timedelta

    from provider_dir.worker import runner as worker
    from provider_dir.worker.models import JobStatus

    monkeypatch.setitem(app.config, "WORKER_JOBS", "registry")
    monkeypatch.setitem(app.config, "JOB_TIMES", {**app.config["JOB_TIMES"], "registry": "05:00"})
    _team(create_clinic, add_staff, create_user)
    load_nppes(db.session, _ada_file(tmp_path / "npidata_pfile_20261102-20261108.csv"))
    day = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)

    [first] = worker.run_due_jobs("worker-1", day)
    [second] = worker.run_due_jobs("worker-1", day + timedelta(days=1))

    assert (first.job, first.status) == ("registry", JobStatus.DONE)
    assert first.summary.startswith("ran ") and "registry check(s)" in first.summary
    assert _checks(what="npi")
    assert second.status == JobStatus.DONE and "not due" in second.summary
