"""`registry check` and `registry load` work a batch of staff (or of file rows) at a time, each on its own rows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.extensions import db
from provider_dir.registry.checks import runner
from provider_dir.registry.files import loading
from provider_dir.registry.files.loading import load_leie, load_nppes
from provider_dir.registry.models import ExclusionMatch, RegistryCheck
from tests.queryplans import assert_per_range_statements_bounded, seed_clinics, watching, with_statistics
from tests.registry.files import leie_row, nppes_row, write_leie, write_nppes


def staff_file(path, renamed: int = 0):
    """Write an NPPES file listing every staff NPI with the staff's name; the first `renamed` under another."""
    people = db.session.execute(
        select(Credential.identifier, StaffMember.full_name)
        .join(StaffMember, StaffMember.id == Credential.staff_member_id)
        .where(Credential.kind == CredentialKind.NPI).order_by(Credential.id)
    ).all()
    rows = []
    for n, (npi, name) in enumerate(people):
        words = name.upper().replace(".", "").split()
        first = "ZEBEDEE" if n < renamed else words[0]
        rows.append(nppes_row(npi, last=words[-1], first=first, credential="MD",
                              taxonomies=[("207L00000X", "MD1", "NY", "Y")]))
    return write_nppes(path, rows), len(rows)


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_batch_of_the_checks_reads_only_its_staff_and_their_npis(app, tmp_files, monkeypatch, statistics):
    seed_clinics(db.session, 6)
    path, listed = staff_file(tmp_files / "npidata_pfile_20261102-20261108.csv")
    load_nppes(db.session, path)
    name = db.session.scalar(select(StaffMember.full_name).order_by(StaffMember.id)).upper().split()
    load_leie(db.session, write_leie(tmp_files / "UPDATED-20261101.csv", [leie_row(name[-1], name[0])]))
    with_statistics(db.session, statistics)
    monkeypatch.setattr(runner, "CHUNK", 3)
    staff = db.session.scalar(select(func.count()).select_from(StaffMember))
    assert staff > 6 and listed > 3

    with watching() as first:
        runner.run_all_checks(db.session, app.config)
    load_nppes(db.session, staff_file(tmp_files / "npidata_pfile_20261109-20261115.csv", renamed=2)[0])
    with watching() as again:
        stats = runner.run_all_checks(db.session, app.config)

    assert stats.changed >= 2  # the renamed clinicians' NPI checks changed result
    assert db.session.scalar(select(func.count()).select_from(RegistryCheck).where(RegistryCheck.what == "leie")) \
        == staff
    assert db.session.scalar(select(func.count()).select_from(ExclusionMatch)) >= 1
    # Per batch: its staff, their credentials, their NPIs in the file, their stored results and possible exclusions.
    assert_per_range_statements_bounded(db.session, first, at_least=4)
    assert_per_range_statements_bounded(db.session, again, at_least=4)


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_batch_of_a_registry_load_writes_its_rows_without_reading_the_staff_again(
    app, tmp_files, monkeypatch, statistics
):
    seed_clinics(db.session, 6)
    with_statistics(db.session, statistics)
    monkeypatch.setattr(loading, "BATCH", 2)
    path, listed = staff_file(tmp_files / "npidata_pfile_20261102-20261108.csv")
    with watching() as sent:
        summary = load_nppes(db.session, path)
    assert summary.rows_kept == listed
    assert_per_range_statements_bounded(db.session, sent, at_least=1)


def test_a_run_over_every_staff_member_reads_each_batch_by_its_id_range_not_a_list_of_ids(app, tmp_files, monkeypatch):
    """On PostgreSQL a long IN list on a table its statistics call empty (the checks table during the first run) was
    planned as a scan with the list as a filter, every row against every id: 5,000 ids a chunk, minutes a chunk."""
    seed_clinics(db.session, 6)
    load_nppes(db.session, staff_file(tmp_files / "npidata_pfile_20261102-20261108.csv")[0])
    name = db.session.scalar(select(StaffMember.full_name).order_by(StaffMember.id)).upper().split()
    load_leie(db.session, write_leie(tmp_files / "UPDATED-20261101.csv", [leie_row(name[-1], name[0])]))
    monkeypatch.setattr(runner, "CHUNK", 3)

    with watching() as sent:
        stats = runner.run_all_checks(db.session, app.config)

    staff = db.session.scalar(select(func.count()).select_from(StaffMember))
    assert stats.checked["leie"] == staff > 6
    by_list = [sql for sql in sent.repeated() if re.search(r"staff_member(_id|\.id) IN \(", sql)]
    assert by_list == []
    by_range = [sql for sql in sent.repeated() if re.search(r"staff_member(_id|\.id) >= ", sql)]
    assert len(by_range) >= 4  # the staff, their credentials, their stored results, their possible exclusions


def test_a_run_for_some_staff_members_checks_those_only(app, tmp_files):
    seed_clinics(db.session, 4)
    load_nppes(db.session, staff_file(tmp_files / "npidata_pfile_20261102-20261108.csv")[0])
    first, _, third = db.session.scalars(select(StaffMember.id).order_by(StaffMember.id).limit(3)).all()

    runner.run_all_checks(db.session, app.config, staff_ids=[third, first])

    checked = set(db.session.scalars(select(RegistryCheck.staff_member_id)))
    assert checked == {first, third}
