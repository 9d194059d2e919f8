"""Owners add, edit and remove their clinic's staff; every save is in the audit log and marks the listing edited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.credentials.models import StaffMember
from provider_dir.credentials.vocab import StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from tests.credentials.helpers import log_rows, staff_url
from tests.reviews.helpers import input_value, text_of


@pytest.fixture
def clinic(create_clinic):
    return create_clinic()


@pytest.fixture
def owner(auth, clinic, make_owner):
    user = make_owner(clinic)
    auth.login(user)
    return user


def staff_form(**overrides) -> dict:
    data = {"full_name": "Amara Osei", "degree": "MD", "role": "psychiatrist", "bio": "Sees every new patient.",
            "sort_order": "2"}
    data.update(overrides)
    return data


def test_an_owner_adds_a_staff_member_who_appears_on_the_public_page(client, clinic, owner):
    response = client.post(staff_url(clinic, "new"), data=staff_form())
    assert response.status_code == 302
    member = db.session.scalars(select(StaffMember).where(StaffMember.clinic_id == clinic.id)).one()
    assert (member.full_name, member.degree, member.role, member.sort_order) == ("Amara Osei", "MD",
                                                                                 StaffRole.PSYCHIATRIST, 2)
    [row] = log_rows("staff_member", member.id)
    assert (row.action, row.actor_id, row.clinic_id) == ("staff_added", owner.id, clinic.id)
    assert row.changes["full_name"] == [None, "Amara Osei"]
    assert db.session.get(Clinic, clinic.id).last_edited_at is not None
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert "Amara Osei, MD" in page and "Psychiatrist" in page
    assert "Amara Osei, MD" in text_of(client.get(staff_url(clinic)))


def test_editing_records_old_and_new_values(client, clinic, owner, add_staff):
    member = add_staff(clinic, full_name="Sam Old", degree="DO", role=StaffRole.ANESTHESIOLOGIST)
    db.session.commit()
    form_page = client.get(staff_url(clinic, member.id))
    assert input_value(form_page.get_data(as_text=True), "full_name") == "Sam Old"
    response = client.post(staff_url(clinic, member.id), data=staff_form(full_name="Sam New", degree="DO",
                                                                         role="anesthesiologist"))
    assert response.status_code == 302
    [row] = log_rows("staff_member", member.id)
    assert row.action == "staff_edited"
    assert row.changes == {"full_name": ["Sam Old", "Sam New"], "bio": ["", "Sees every new patient."],
                           "sort_order": [0, 2]}


def test_saving_without_changes_logs_nothing(client, clinic, owner, add_staff):
    member = add_staff(clinic, full_name="Sam Same", degree="MD", role=StaffRole.PSYCHIATRIST, bio="", sort_order=0)
    db.session.commit()
    client.post(staff_url(clinic, member.id), data=staff_form(full_name="Sam Same", bio="", sort_order="0"))
    assert log_rows("staff_member", member.id) == []


def test_removing_a_staff_member_removes_their_credentials_and_is_logged(client, clinic, owner, add_staff):
    member = add_staff(clinic, full_name="Gone Soon")
    db.session.commit()
    member_id = member.id
    removed = client.post(staff_url(clinic, member_id, "delete"), follow_redirects=True)
    assert "Gone Soon, MD and their credentials were removed." in text_of(removed)
    db.session.expire_all()
    assert db.session.get(StaffMember, member_id) is None
    [row] = log_rows("staff_member", member_id)
    assert row.action == "staff_removed" and row.changes["credentials"] == [["npi"], []]
    assert "Gone Soon" not in text_of(client.get(f"/clinics/{clinic.slug}"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": ""}, "Enter the person's name."),
        ({"role": ""}, "Choose the person's role."),
        ({"role": "surgeon"}, "Not a valid choice"),
        ({"sort_order": "first"}, "Not a valid integer value"),
        ({"sort_order": "5000"}, "Use a number from 0 to 999."),
    ],
)
def test_bad_staff_input_gets_a_message_and_keeps_what_was_typed(client, clinic, owner, overrides, message):
    response = client.post(staff_url(clinic, "new"), data=staff_form(bio="Kept bio", **overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in text_of(response)
    assert "Kept bio" in html
    assert input_value(html, "degree") == "MD"
    assert db.session.scalars(select(StaffMember).where(StaffMember.clinic_id == clinic.id)).all() == []


def test_a_staff_member_cannot_be_moved_to_another_clinic(client, clinic, owner, add_staff, create_clinic):
    other = create_clinic()
    member = add_staff(clinic)
    db.session.commit()
    client.post(staff_url(clinic, member.id), data=staff_form(clinic_id=str(other.id), id="999999"))
    db.session.expire_all()
    assert db.session.get(StaffMember, member.id).clinic_id == clinic.id
    client.post(staff_url(clinic, "new"), data=staff_form(full_name="New Person", clinic_id=str(other.id)))
    assert db.session.scalars(select(StaffMember).where(StaffMember.clinic_id == other.id)).all() == []
