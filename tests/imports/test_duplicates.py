"""Likely duplicates: by phone, by website domain, by a close name within half a mile; the threshold's cases."""

from __future__ import annotations

import pytest

from provider_dir.imports.duplicates import NAME_THRESHOLD, DuplicateIndex, domain_key, names_match
from tests.imports.conftest import clinic_count, row

# The cases NAME_THRESHOLD was chosen on: (name, name, same clinic?).
NAME_CASES = [
    ("Serenity Ketamine", "Serentiy Ketamine", True),
    ("Restore Ketamine", "Restored Ketamine Infusions", True),
    ("Calm Mind Ketamine Clinic", "Mind Calm Ketamine", True),
    ("Calm Mind Ketamine Clinic", "Calm Mind Ketamine Clinic, LLC", True),
    ("St Lukes Ketamine & Wellness", "St. Luke's Ketamine and Wellness Center", True),
    ("Ascend Ketamine", "Ascent Ketamine", False),
    ("Mindful Ketamine", "Mindset Ketamine", False),
    ("Nova Ketamine Clinic", "Mesa Ketamine Clinic", False),
    ("Ketamine Clinic", "Ketamine Center", False),
    ("Denver Ketamine Clinic", "Boulder Ketamine Clinic", False),
]


@pytest.mark.parametrize(("a", "b", "same"), NAME_CASES)
def test_the_name_threshold_separates_typos_from_different_clinics(a, b, same):
    assert (names_match(a, b) >= NAME_THRESHOLD) is same


def test_shared_hosts_and_www_do_not_decide_a_domain():
    assert domain_key("https://www.CalmMind.example/about") == "calmmind.example"
    assert domain_key("https://www.facebook.com/calmmind") == ""
    assert domain_key("https://calm-mind.business.site/") == ""


def test_a_close_name_further_than_half_a_mile_is_not_a_duplicate():
    index = DuplicateIndex()
    index.add(1, "calm-mind", "Calm Mind Ketamine", "", "", 39.7500, -104.9900)

    assert index.find("Calm Mind Ketamine Clinic", "", "", 39.7530, -104.9900) is not None  # 0.33 km
    assert index.find("Calm Mind Ketamine Clinic", "", "", 39.7600, -104.9900) is None  # 1.1 km


EXISTING = row("e1", name="Calm Mind Ketamine Clinic", phone="(303) 555-0101", website="https://calmmind.example")


@pytest.mark.parametrize(("incoming", "why"), [
    (row("n1", name="Front Range Infusions", zip_code="80301", city="Boulder", phone="+1 303-555-0101"),
     "looks like calm-mind-ketamine-clinic-denver-co (same phone +1 303-555-0101)"),
    (row("n1", name="Front Range Infusions", zip_code="80301", city="Boulder", website="http://www.calmmind.example/x"),
     "looks like calm-mind-ketamine-clinic-denver-co (same website domain calmmind.example)"),
    (row("n1", name="Calm Mind Ketamine", street="120 Main St"),
     "looks like calm-mind-ketamine-clinic-denver-co (similar name (100% alike) within half a mile)"),
])  # fmt: skip
def test_a_duplicate_of_an_existing_listing_is_reported_not_created(app, write_csv, import_file, incoming, why):
    import_file(write_csv([EXISTING], name="first.csv"), "--source", "Registry")

    result = import_file(write_csv([incoming]), "--source", "Other list")

    assert f"line 2: {why}" in result.output
    assert result.output.strip().endswith("created 0, updated 0, unchanged 0, refused 0, duplicates 1")
    assert clinic_count() == 1


def test_the_second_of_two_rows_of_one_file_that_duplicate_each_other_is_reported(app, write_csv, import_file):
    result = import_file(write_csv([EXISTING, row("e2", name="Calm Mind Ketamine Clinic LLC", phone="")]))

    assert "line 3: looks like calm-mind-ketamine-clinic-denver-co (similar name (100% alike) within half a mile)" \
        in result.output
    assert clinic_count() == 1


def test_a_different_clinic_in_the_same_zip_is_created(app, write_csv, import_file):
    result = import_file(write_csv([EXISTING, row("e2", name="Nova Ketamine Clinic")]))

    assert "created 2" in result.output and clinic_count() == 2
