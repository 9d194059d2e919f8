"""The clinic page's score, from the staff and reviews the page read, is the score read from the database on its own."""

from __future__ import annotations

from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.services import page_staff
from provider_dir.registry.models import ExclusionMatch
from provider_dir.reviews.figures.charts import clinic_figures
from provider_dir.reviews.vocab import Answer, ReviewStatus
from provider_dir.scoring.checklist.loading import (
    ClinicEvidence,
    ClinicSet,
    load_patients,
    staff_evidence,
    tallies_from_counts,
)
from provider_dir.scoring.services import clinic_score
from tests.scoring.builders import credential, exemplary_clinic, make_moderator


def test_the_score_from_the_pages_staff_and_reviews_is_the_score_from_the_database(app, add_staff, add_review):
    moderator = make_moderator(db.session)
    clinic = exemplary_clinic(db.session, moderator)  # a verified medical director, every item answered
    add_staff(clinic, role=StaffRole.REGISTERED_NURSE, full_name="Robin Nurse", degree="RN", credentials=[
        credential(CredentialKind.STATE_LICENSE, verified_by=moderator),
        credential(CredentialKind.BLS),  # a kind the score does not read
        credential(CredentialKind.ACLS, verified_by=moderator),
    ])
    excluded = add_staff(clinic, role=StaffRole.PSYCHIATRIST, full_name="Sam Excluded", credentials=[
        credential(CredentialKind.DEA, verified_by=moderator)])
    db.session.flush()
    db.session.add(ExclusionMatch(staff_member_id=excluded.id, matched_by="npi", leie_name="EXCLUDED, SAM",
                                  state="confirmed"))
    add_staff(clinic, role=StaffRole.OTHER, full_name="Kim Front Desk", credentials=[])
    for answer in (Answer.YES, Answer.YES, Answer.NO, Answer.NOT_SURE):
        add_review(clinic, clinician_present=answer, vitals_monitored=Answer.YES, psychotherapy_offered=answer)
    add_review(clinic, clinician_present=Answer.NO, status=ReviewStatus.PENDING)  # not published: not counted
    db.session.commit()

    evidence = staff_evidence(page_staff(clinic.id), {excluded.id})

    names = [member.name for member in evidence]
    assert "Robin Nurse, RN" in names and "Sam Excluded" not in names and "Kim Front Desk" not in names
    nurse = next(member for member in evidence if member.name == "Robin Nurse, RN")
    assert [c.kind for c in nurse.credentials] == ["state_license", "acls"]
    read = {clinic.id: ClinicEvidence()}
    load_patients(db.session, ClinicSet(ids=[clinic.id]), read)
    tallies = tallies_from_counts(clinic_figures(clinic).answer_counts)
    assert tallies == read[clinic.id].patients
    assert (tallies["C03"].yes, tallies["C03"].no, tallies["C03"].not_sure) == (2, 1, 1)
    from_page = clinic_score(db.session, clinic.id, staff=evidence, patients=tallies)
    from_database = clinic_score(db.session, clinic.id)
    assert from_page.total == from_database.total == 100
    assert from_page == from_database  # every item, its evidence and who verified it, the same
