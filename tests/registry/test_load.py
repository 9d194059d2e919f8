"""flask registry load: both header variants, the rows kept, the atomic swap, and bad files refused."""

from __future__ import annotations

import gc
from datetime import date

import pytest
from sqlalchemy import func, select, text

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.extensions import db
from provider_dir.registry.checks.lookup import from_file
from provider_dir.registry.files.loading import load_nppes
from provider_dir.registry.models import CURRENT, LeieRecord, NppesRecord, RegistryLoad
from tests.registry.conftest import (
    NPI_ADA,
    NPI_CLINIC,
    NPI_DEACTIVATED,
    NPI_OTHER_TAXONOMY,
    NPI_PLUMBER_ORG,
    NPI_UNKNOWN,
)
from tests.registry.files import leie_row, nppes_row, write_leie, write_nppes

ANESTHESIA = ("207L00000X", "MD123456", "NY", "Y")


def _rows():
    return [
        nppes_row(NPI_ADA, last="PARK", first="ADA", credential="MD", taxonomies=[ANESTHESIA]),
        nppes_row(NPI_OTHER_TAXONOMY, last="PLUMB", first="PAT", taxonomies=[("122300000X", "D1", "NY", "Y")]),
        nppes_row(NPI_DEACTIVATED, entity="", deactivated="03/01/2025", updated=""),
        nppes_row(NPI_CLINIC, entity="2", org="CALM WATERS INFUSION LLC", taxonomies=[("261QI0500X", "", "", "Y")]),
        nppes_row(NPI_PLUMBER_ORG, entity="2", org="DENTAL GROUP", taxonomies=[("1223G0001X", "", "", "Y")]),
    ]


def _current(source: str) -> RegistryLoad | None:
    return db.session.scalar(select(RegistryLoad).where(RegistryLoad.source == source, RegistryLoad.state == CURRENT))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_load_keeps_the_professions_clinics_deactivations_and_staff_npis(app, runner, tmp_files, create_clinic,
                                                                          add_staff):
    add_staff(create_clinic(), credentials=[Credential(kind=CredentialKind.NPI, identifier=NPI_OTHER_TAXONOMY)])
    path = write_nppes(tmp_files / "npidata_pfile_20261102-20261108.csv", _rows())

    result = runner.invoke(args=["registry", "load", "nppes", str(path)])

    assert result.exit_code == 0, result.output
    assert "5 rows read, 4 kept" in result.output
    load = _current("nppes")
    assert load.file_date == date(2026, 11, 8)
    kept = from_file(db.session, load.id, [NPI_ADA, NPI_OTHER_TAXONOMY, NPI_DEACTIVATED, NPI_CLINIC, NPI_PLUMBER_ORG])
    # The dental organisation is neither a clinic of ours nor held by staff: it is left out.
    assert sorted(kept) == sorted([NPI_ADA, NPI_OTHER_TAXONOMY, NPI_DEACTIVATED, NPI_CLINIC])
    ada = kept[NPI_ADA]
    assert (ada.first_name, ada.last_name, ada.taxonomies) == ("ADA", "PARK", (ANESTHESIA,))
    assert kept[NPI_DEACTIVATED].deactivated_on == date(2025, 3, 1)


def test_both_names_of_the_sex_column_load(app, runner, tmp_files):
    for column in ("Provider Gender Code", "Provider Sex Code"):
        path = write_nppes(tmp_files / f"nppes-{column[-10:-5]}.csv", _rows()[:1], sex_column=column)
        result = runner.invoke(args=["registry", "load", "nppes", str(path)])
        assert result.exit_code == 0, result.output
        record = db.session.scalar(select(NppesRecord).where(NppesRecord.load_id == _current("nppes").id))
        assert record.sex == "F"


def test_without_a_date_in_the_name_the_latest_update_dates_the_file(app, runner, tmp_files):
    rows = _rows()
    rows[0]["Last Update Date"] = "10/30/2026"
    result = runner.invoke(args=["registry", "load", "nppes", str(write_nppes(tmp_files / "nppes.csv", rows))])
    assert result.exit_code == 0, result.output
    assert _current("nppes").file_date == date(2026, 10, 30)


def test_a_reload_swaps_the_data_whole(app, runner, tmp_files):
    first = write_nppes(tmp_files / "npidata_pfile_20261005-20261011.csv", _rows())
    assert runner.invoke(args=["registry", "load", "nppes", str(first)]).exit_code == 0
    old_id = _current("nppes").id
    second_rows = [nppes_row(NPI_UNKNOWN, last="NEW", first="NORA", taxonomies=[ANESTHESIA])]
    second = write_nppes(tmp_files / "npidata_pfile_20261102-20261108.csv", second_rows)

    assert runner.invoke(args=["registry", "load", "nppes", str(second)]).exit_code == 0

    load = _current("nppes")
    assert load.id != old_id and load.file_date == date(2026, 11, 8)
    assert list(from_file(db.session, load.id, [NPI_ADA, NPI_UNKNOWN])) == [NPI_UNKNOWN]
    # The old rows are gone, not merely hidden.
    assert db.session.scalar(select(func.count()).select_from(NppesRecord).where(NppesRecord.load_id == old_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(RegistryLoad)
                             .where(RegistryLoad.source == "nppes", RegistryLoad.state == CURRENT)) == 1


def _bad_files(tmp_files):
    good = write_nppes(tmp_files / "good.csv", _rows())
    text = good.read_text()
    truncated = tmp_files / "truncated.csv"
    truncated.write_text(text[: len(text) - 400])
    open_quote = tmp_files / "open-quote.csv"
    open_quote.write_text(text[: len(text) - 2])  # ends inside a quoted value
    wrong = write_leie(tmp_files / "UPDATED.csv", [leie_row("DOE", "JOHN")])
    binary = tmp_files / "npidata.zip"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    empty = tmp_files / "empty.csv"
    empty.write_text("")
    header_only = tmp_files / "header-only.csv"
    header_only.write_text(text.splitlines()[0] + "\n")
    return {
        "truncated": (truncated, "truncated"),
        "open quote at the end": (open_quote, "truncated"),
        "another layout": (wrong, "is not an NPPES NPI data file"),
        "not CSV": (binary, "binary"),
        "empty": (empty, "empty"),
        "header only": (header_only, "no rows"),
        "absent": (tmp_files / "nowhere.csv", "no such file"),
    }


def test_bad_files_are_refused_and_leave_the_loaded_data_as_it_was(app, runner, tmp_files):
    good = write_nppes(tmp_files / "npidata_pfile_20261005-20261011.csv", _rows())
    assert runner.invoke(args=["registry", "load", "nppes", str(good)]).exit_code == 0
    load_id = _current("nppes").id
    rows_before = _count(NppesRecord)

    for label, (path, words) in _bad_files(tmp_files).items():
        result = runner.invoke(args=["registry", "load", "nppes", str(path)])
        assert result.exit_code == 2, label
        assert words in result.output and "unchanged" in result.output, (label, result.output)
        assert _current("nppes").id == load_id, label
        assert _count(NppesRecord) == rows_before, label


def test_the_leie_file_loads_and_replaces_the_previous_one(app, runner, tmp_files):
    first = write_leie(tmp_files / "UPDATED-20261001.csv", [leie_row("DOE", "JOHN"), leie_row("ROE", "RITA")])
    assert runner.invoke(args=["registry", "load", "leie", str(first)]).exit_code == 0
    second = write_leie(tmp_files / "UPDATED-20261101.csv", [leie_row("ROE", "RITA", npi=NPI_ADA)])
    result = runner.invoke(args=["registry", "load", "leie", str(second)])

    assert result.exit_code == 0, result.output
    load = _current("leie")
    assert load.file_date == date(2026, 11, 1)
    rows = db.session.scalars(select(LeieRecord)).all()
    assert [(r.last_name, r.npi, r.excluded_on) for r in rows] == [("ROE", NPI_ADA, date(2024, 3, 15))]


def test_a_bad_leie_file_is_refused(app, runner, tmp_files):
    nppes = write_nppes(tmp_files / "nppes.csv", _rows())
    result = runner.invoke(args=["registry", "load", "leie", str(nppes)])
    assert result.exit_code == 2
    assert "not an OIG LEIE exclusions file" in result.output
    assert _current("leie") is None


def test_a_load_on_postgresql_leaves_the_planner_statistics_of_its_rows(app, runner, tmp_files):
    # The checks follow a load at once; planned for the empty table autovacuum last saw, their reads by NPI
    # cost more per chunk the larger the file.
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite plans these reads by the unique index without statistics")
    path = write_nppes(tmp_files / "npidata_pfile_20261102-20261108.csv", _rows())

    result = runner.invoke(args=["registry", "load", "nppes", str(path)])

    assert result.exit_code == 0, result.output
    estimated = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'nppes_record'"))
    assert estimated == _count(NppesRecord) == 3  # the plumber is neither staff nor a clinic


def test_a_load_reads_its_whole_file_with_the_collector_paused_and_sets_it_back(app, tmp_files):
    # The collector's full passes walk every staff NPI held in memory: paused, the load costs in proportion to its rows.
    gc.enable()
    path = write_nppes(tmp_files / "npidata_pfile_20261102-20261108.csv", _rows())
    during: list[bool] = []

    summary = load_nppes(db.session, path, progress=lambda read: during.append(gc.isenabled()))

    assert summary.rows_kept == 3 and during and not any(during)
    assert gc.isenabled()

