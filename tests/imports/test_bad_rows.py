"""Every kind of bad row is refused with its reason, and the rest of the file still goes in."""

from __future__ import annotations

import pytest

from tests.imports.conftest import clinic_count, clinic_named, row

GOOD = row("good", name="Good Ketamine Clinic", zip_code="10001", city="New York", state="NY")


@pytest.mark.parametrize(("bad", "message"), [
    (row("b", name=""), "line 3: name: Enter the clinic's name."),
    (row("b", zip_code="ABCDE"), "line 3: zip: Enter a 5-digit ZIP code such as 10001 (not 'ABCDE')."),
    (row("b", city="Faketown", zip_code="00000"),
     "line 3: address: cannot be placed on the map (neither ZIP code 00000 nor Faketown, CO is known to the "
     "geocoder)."),
    (row("b", state="CA"), "line 3: zip: ZIP code 80202 is in CO, not CA."),
    (row("b", state="ZZ"), "line 3: state: give a US state's two-letter code such as NY (not 'ZZ')."),
    (row("b", website="javascript:alert(1)"),
     "line 3: website: A “javascript:” link is not allowed. Enter the clinic's web address, starting with https:// "
     "or http://."),
    (row("b", price_per_infusion="-5"), "line 3: price_per_infusion: give whole US dollars between 0 and 100,000 "
                                        "(not '-5')."),
    (row("b", name="Calm <b>Mind</b>"), "line 3: name: markup such as HTML tags is not allowed; give plain text."),
    (row("b", description="<script>alert(1)</script>"),
     "line 3: description: markup such as HTML tags is not allowed; give plain text."),
    (row("b", name="Calm\x00Mind"), "line 3: name: Remove the invisible NUL characters from this field."),
    (row("b", name="K" * 161), "line 3: name: at most 160 characters (this has 161)."),
    (row("b", phone="call us"), "line 3: phone: Enter a phone number such as (212) 555-0147."),
    (row("b", routes="iv_infusion;teleport"), "line 3: routes: unknown code 'teleport'; use iv_infusion, im_injection"),
    (row("b", insurance="maybe"), "line 3: insurance: give one of none, superbill, in_network (not 'maybe')."),
    (row("b", accepting_new_patients="perhaps"), "line 3: accepting_new_patients: give yes or no (not 'perhaps')."),
    (row("", name="No Id Ketamine"), "line 3: source_id: every row needs the source's id for it."),
    (row("b", rating_source="Google", rating="7", rating_date="2026-01-01"),
     "line 3: rating: give stars between 0 and 5 (not '7')."),
    (row("b", rating_source="Google", rating="4", rating_date="2999-01-01"),
     "line 3: rating_date: 2999-01-01 is in the future."),
])  # fmt: skip
def test_a_bad_row_is_refused_with_its_reason(app, write_csv, import_file, bad, message):
    result = import_file(write_csv([GOOD, bad]))

    assert result.exit_code == 0
    assert message in result.output
    assert result.output.strip().endswith("created 1, updated 0, unchanged 0, refused 1, duplicates 0")
    assert clinic_count() == 1


def test_a_source_id_used_twice_in_one_file_is_refused_the_second_time(app, write_csv, import_file):
    result = import_file(write_csv([GOOD, row("good", name="Other Ketamine", zip_code="60601", city="Chicago",
                                              state="IL")]))

    assert "line 3: source_id 'good' was already used by line 2." in result.output


def test_a_windows_1252_file_is_read(app, write_csv, import_file):
    path = write_csv([row(name="Café Ketamine Clinic", description="Ketamine “with care” – 24/7")], encoding="cp1252")

    result = import_file(path)

    assert result.exit_code == 0 and "created 1" in result.output
    assert clinic_named("Café Ketamine Clinic").description == "Ketamine “with care” – 24/7"


def test_a_utf8_file_with_a_byte_order_mark_is_read(app, write_csv, import_file):
    result = import_file(write_csv([row(name="Ñandú Ketamine")], encoding="utf-8-sig"))

    assert "created 1" in result.output, result.output
    assert clinic_named("Ñandú Ketamine") is not None


@pytest.mark.parametrize(("content", "message"), [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "This is a PNG image, not a CSV file."),
    (b"%PDF-1.7\n1 0 obj\n", "This is a PDF document, not a CSV file."),
    (b"Dear operator,\nhere are the clinics we found.\n", "This is not a CSV of clinics: its first line should "
                                                          "name the columns, and it lacks source_id, name, street"),
    (b"", "The file is empty"),
    (b"source_id,name,street,city,state,zip\n\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
])  # fmt: skip
def test_a_file_that_is_not_a_csv_of_clinics_exits_2_with_a_message(app, tmp_path, import_file, content, message):
    path = tmp_path / "clinics.csv"
    path.write_bytes(content)

    result = import_file(path)

    assert result.exit_code == 2
    assert message in result.output
    assert clinic_count() == 0


def test_a_missing_file_exits_2(app, tmp_path, import_file):
    result = import_file(tmp_path / "nowhere.csv")

    assert result.exit_code == 2 and "There is no file or folder at" in result.output
