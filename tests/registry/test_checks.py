"""The checks as plain functions: what NPPES and the LEIE say about a credential or a clinician."""

from __future__ import annotations

from datetime import date

from provider_dir.registry.checks import rules
from provider_dir.registry.checks.rules import Exclusion, Registration, check_licence, check_npi, exclusion_matches

NPI = "1234567893"
ANESTHESIA_NY = ("207L00000X", "MD-0123456", "NY", "Y")


def person(**fields) -> Registration:
    base = dict(npi=NPI, entity_type=1, first_name="ADA", middle_name="L", last_name="PARK", credential_text="M.D.",
                taxonomies=(ANESTHESIA_NY,))
    return Registration(**{**base, **fields})


def test_an_active_individual_with_the_same_name_matches():
    outcome = check_npi("Dr. Ada Park", person())
    assert outcome.result == rules.NPI_MATCH


def test_an_npi_absent_from_the_registry_is_not_found():
    assert check_npi("Ada Park", None).result == rules.NOT_FOUND


def test_a_deactivated_npi_says_when():
    outcome = check_npi("Ada Park", person(deactivated_on=date(2025, 3, 1)))
    assert outcome.result == rules.DEACTIVATED
    assert "deactivated on 2025-03-01" in outcome.reason


def test_a_reactivated_npi_is_active_again():
    record = person(deactivated_on=date(2025, 3, 1), reactivated_on=date(2025, 6, 1))
    assert check_npi("Ada Park", record).result == rules.NPI_MATCH


def test_a_replaced_npi_names_its_successor():
    outcome = check_npi("Ada Park", person(deactivated_on=date(2025, 3, 1), replacement_npi="1234567901"))
    assert outcome.result == rules.REPLACED
    assert "replaced by NPI 1234567901" in outcome.reason


def test_an_organisations_npi_given_as_a_clinicians_is_refused():
    record = Registration(npi=NPI, entity_type=2, organization_name="CALM WATERS INFUSION LLC")
    outcome = check_npi("Ada Park", record)
    assert outcome.result == rules.ORGANISATION
    assert "CALM WATERS INFUSION LLC" in outcome.reason


def test_another_persons_npi_is_a_name_mismatch_showing_the_registry_name():
    outcome = check_npi("Ada Parker", person())
    assert outcome.result == rules.NAME_MISMATCH
    assert "ADA L PARK, M.D." in outcome.reason


def test_a_licence_listed_in_that_state_matches_whatever_its_punctuation():
    for typed in ("MD-0123456", "md 123456", "123456"):
        assert check_licence(typed, "NY", NPI, person()).result == rules.LICENCE_MATCH, typed


def test_a_licence_listed_in_another_state_is_said_so():
    outcome = check_licence("MD-0123456", "NJ", NPI, person())
    assert outcome.result == rules.OTHER_STATE
    assert "in NY, not in NJ" in outcome.reason


def test_a_licence_not_listed_or_without_npi():
    assert check_licence("999999", "NY", NPI, person()).result == rules.NOT_LISTED
    assert check_licence("MD-0123456", "NY", None, None).result == rules.NO_NPI
    assert check_licence("MD-0123456", "NY", NPI, None).result == rules.NOT_FOUND


def _row(**fields) -> Exclusion:
    base = dict(last_name="PARK", first_name="ADA", middle_name="", npi="", state="NY", exclusion_type="1128b4",
                excluded_on=date(2024, 3, 15))
    return Exclusion(**{**base, **fields})


def test_leie_matches_by_npi_even_in_another_state():
    found = exclusion_matches("Ada Park", {NPI}, "NY", [_row(npi=NPI, state="CA", last_name="KIM")])
    assert [how for how, _ in found] == ["npi"]


def test_leie_matches_by_name_and_state():
    found = exclusion_matches("Ada L. Park", {NPI}, "NY", [_row(middle_name="LOUISE")])
    assert [how for how, _ in found] == ["name_state"]


def test_leie_near_misses_do_not_match():
    near = [
        _row(state="NJ"),  # same name, another state
        _row(first_name="ADAM"),  # another first name
        _row(last_name="PARKS"),  # another last name
        _row(middle_name="QUINN"),  # a different middle name rules it out
        _row(npi="1098765436"),  # the OIG identified this person by another NPI
    ]
    assert exclusion_matches("Ada L. Park", {NPI}, "NY", near) == []
