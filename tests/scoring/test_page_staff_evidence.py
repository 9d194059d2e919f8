"""The clinic page's score, taken from the staff the page read, is the score read from the database on its own."""

from __future__ import annotations

from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.services import page_staff
from provider_dir.registry.models import ExclusionMatch
from provider_dir.scoring.checklist.loading import staff_evidence
from provider_dir.scoring.services import clinic_score
from tests.scoring.builders import credential, exemplary_clinic, make_moderator


def test_the_score_from_the_pages_staff_is_the_score_from_the_database(app, add_staff):
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
    db.session.commit()

    evidence = staff_evidence(page_staff(clinic.id), {excluded.id})

    names = [member.name for member in evidence]
    assert "Robin Nurse, RN" in names and "Sam Excluded" not in names and "Kim Front Desk" not in names
    nurse = next(member for member in evidence if member.name == "Robin Nurse, RN")
    assert [c.kind for c in nurse.credentials] == ["state_license", "acls"]
    from_page = clinic_score(db.session, clinic.id, staff=evidence)
    from_database = clinic_score(db.session, clinic.id)
    assert from_page.total == from_database.total == 100
    assert from_page == from_database  # every item, its evidence and who verified it, the same
