"""The CSV `hours` column: `Mon 09:00-17:00; Tue 09:00-12:00,13:00-19:00` and free text become opening periods;
what is not understood is kept as the note, and the report says so for that line."""

from __future__ import annotations

from provider_dir.extensions import db
from provider_dir.hours.services import hours_text
from tests.imports.conftest import clinic_named, row

ROWS = [
    row("r1", name="Format Ketamine", hours="Mon 09:00-17:00; Tue 09:00-12:00,13:00-19:00"),
    row("r2", name="Free Text Ketamine", zip_code="10001", city="New York", state="NY",
        hours="Mon-Fri 8:00 am-5:00 pm; Sat 9:00 am-1:00 pm"),
    row("r3", name="Odd Hours Ketamine", zip_code="85004", city="Phoenix", state="AZ",
        hours="Mon-Thu 10-6; first Saturday of the month 9-2"),
    row("r4", name="No Hours Ketamine", zip_code="96813", city="Honolulu", state="HI", hours=""),
]


def test_hours_in_the_import_format_and_in_free_text_become_periods(app, write_csv, import_file):
    result = import_file(write_csv(ROWS))
    assert result.exit_code == 0, result.output

    exact = clinic_named("Format Ketamine")
    assert exact.opening_hours == [{"day": 0, "opens": "09:00", "closes": "17:00"},
                                   {"day": 1, "opens": "09:00", "closes": "12:00"},
                                   {"day": 1, "opens": "13:00", "closes": "19:00"}]
    assert exact.hours == "" and exact.open_evenings and not exact.open_weekends
    free = clinic_named("Free Text Ketamine")
    assert hours_text(free) == ("Mon 08:00-17:00; Tue 08:00-17:00; Wed 08:00-17:00; Thu 08:00-17:00; "
                                "Fri 08:00-17:00; Sat 09:00-13:00")
    assert free.open_weekends and not free.open_evenings
    none = clinic_named("No Hours Ketamine")
    assert (none.opening_hours, none.hours) == ([], "")


def test_what_is_not_understood_is_kept_as_the_note_and_the_report_names_the_line(app, write_csv, import_file):
    result = import_file(write_csv(ROWS))

    odd = clinic_named("Odd Hours Ketamine")
    assert len(odd.opening_hours) == 4 and odd.hours == "first Saturday of the month 9-2"
    assert ("line 4: hours: kept as a note, not read as opening times: “first Saturday of the month 9-2”"
            in result.output)
    assert result.output.count("kept as a note") == 1
    assert result.output.strip().endswith("created 4, updated 0, unchanged 0, refused 0, duplicates 0")


def test_a_dry_run_reports_the_same_notes_and_writes_nothing(app, write_csv, import_file):
    dry = import_file(write_csv(ROWS), "--dry-run")
    assert "line 4: hours: kept as a note" in dry.output
    assert clinic_named("Odd Hours Ketamine") is None


def test_a_reimport_with_new_hours_updates_the_periods_and_the_flags(app, write_csv, import_file):
    import_file(write_csv(ROWS[:1]), "--source", "Registry")
    result = import_file(write_csv([{**ROWS[0], "hours": "Sat 10:00-14:00; by appointment"}]), "--source", "Registry")
    assert "updated 1" in result.output
    db.session.expire_all()
    clinic = clinic_named("Format Ketamine")
    assert clinic.opening_hours == [{"day": 5, "opens": "10:00", "closes": "14:00"}]
    assert clinic.hours == "by appointment" and clinic.open_weekends and not clinic.open_evenings
