"""Owners hear about a published review and about moderators' decisions, by email and in the app."""

import logging

from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.moderation.models import Notification
from provider_dir.notices.services import notify_account, notify_owners_decision, owners_of
from provider_dir.reviews.vocab import ReviewStatus
from tests.conftest import TEST_PASSWORD
from tests.mailbox import mail_server_down
from tests.second_factor import log_in


def notifications_of(user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def clinic_with_people(create_clinic, make_owner, create_user):
    clinic = create_clinic(name="Harbor Light Ketamine")
    owners = [make_owner(clinic), make_owner(clinic)]
    gone = make_owner(clinic)
    gone.active = False
    staff = create_user()
    db.session.add(ClinicMembership(user=staff, clinic=clinic, role=MembershipRole.STAFF))
    db.session.flush()
    return clinic, owners, gone, staff


def moderate(app, create_user, review, approve: bool):
    moderator = create_user(role=UserRole.MODERATOR)
    client = app.test_client()
    log_in(client, moderator, TEST_PASSWORD)
    data = {"version": review.version, "approve": "Publish"} if approve else {
        "version": review.version, "reject": "Withhold", "reason": "unrelated"}
    response = client.post(f"/moderation/reviews/{review.id}/decision", data=data)
    assert response.status_code == 302, response.text


def test_owners_of_lists_active_owners_only(create_clinic, make_owner, create_user):
    clinic, owners, _, _ = clinic_with_people(create_clinic, make_owner, create_user)
    assert owners_of(clinic.id) == owners


def test_a_published_review_is_mailed_and_notified_to_every_owner(
    app, mailbox, create_clinic, make_owner, create_user, add_review
):
    clinic, owners, gone, staff = clinic_with_people(create_clinic, make_owner, create_user)
    review = add_review(clinic, status=ReviewStatus.PENDING, title="Calm and careful")
    moderate(app, create_user, review, approve=True)
    for owner in owners:
        message = mailbox.last_to(owner.email)
        assert message["Subject"] == "New review of Harbor Light Ketamine"
        body = mailbox.body(message)
        assert '"Calm and careful"' in body
        assert f"http://localhost/portal/clinics/{clinic.slug}/reviews" in mailbox.links(message)
        [note] = notifications_of(owner)
        assert "A new review of Harbor Light Ketamine was published" in note.message
        assert note.link == f"/portal/clinics/{clinic.slug}/reviews"
    assert mailbox.to(gone.email) == [] and mailbox.to(staff.email) == []
    assert notifications_of(staff) == []


def test_a_withheld_review_tells_the_owners_nothing(app, mailbox, create_clinic, make_owner, create_user, add_review):
    clinic = create_clinic()
    owner = make_owner(clinic)
    review = add_review(clinic, status=ReviewStatus.PENDING)
    moderate(app, create_user, review, approve=False)
    assert mailbox.to(owner.email) == [] and notifications_of(owner) == []


def test_a_decision_notice_reaches_owners_only_once_committed(app, mailbox, create_clinic, make_owner):
    clinic = create_clinic(name="Quiet Pines Clinic")
    owner = make_owner(clinic)
    db.session.commit()
    told = notify_owners_decision(clinic, "Your claim was rejected", "Your claim of Quiet Pines Clinic was "
                                  "rejected: the document did not show your role.")
    assert told == 1
    db.session.rollback()
    assert mailbox.to(owner.email) == []
    assert notifications_of(owner) == []
    notify_owners_decision(clinic, "Your claim was approved", "Your claim of Quiet Pines Clinic was approved.")
    assert mailbox.to(owner.email) == []  # not before the commit
    db.session.commit()
    message = mailbox.last_to(owner.email)
    assert message["Subject"] == "Your claim was approved"
    body = mailbox.body(message)
    assert "Your claim of Quiet Pines Clinic was approved." in body
    assert mailbox.links(message) == ["http://127.0.0.1:5000/portal/"]  # no request: the development address
    assert "You receive this because your account owns or asked to manage Quiet Pines Clinic." in body
    assert [n.message for n in notifications_of(owner)] == ["Your claim of Quiet Pines Clinic was approved."]


def test_a_mail_server_that_is_down_does_not_undo_the_decision(
    app, mailbox, monkeypatch, caplog, create_clinic, make_owner, create_user, add_review
):
    clinic = create_clinic()
    owner = make_owner(clinic)
    review = add_review(clinic, status=ReviewStatus.PENDING)
    with mail_server_down(app, monkeypatch), caplog.at_level(logging.WARNING, logger="provider_dir.mail.outbox"):
        moderate(app, create_user, review, approve=True)
        assert mailbox.to(owner.email) == []  # refused by the server: it waits in the outbox
    assert review.status == ReviewStatus.APPROVED
    assert len(notifications_of(owner)) == 1
    assert f"to {owner.email} not sent yet" in caplog.text
    assert len(mailbox.to(owner.email)) == 1  # the server is back: it arrives, once


def test_without_site_url_in_production_the_decision_still_stands(
    app, mailbox, monkeypatch, create_clinic, make_owner, create_user, add_review
):
    clinic = create_clinic()
    owner = make_owner(clinic)
    review = add_review(clinic, status=ReviewStatus.PENDING)
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    monkeypatch.setitem(app.config, "SITE_URL", "")
    moderate(app, create_user, review, approve=True)
    assert review.status == ReviewStatus.APPROVED
    assert len(notifications_of(owner)) == 1 and mailbox.to(owner.email) == []


def test_one_account_can_be_told_about_a_clinic_it_does_not_own_yet(app, mailbox, create_clinic, create_user):
    clinic = create_clinic(name="Juniper Clinic")
    claimant = create_user()
    notify_account(claimant, clinic, "Your claim was rejected", "Your claim of Juniper Clinic was rejected: "
                   "nothing shows the person acts for this clinic.")
    db.session.commit()
    assert mailbox.last_to(claimant.email)["Subject"] == "Your claim was rejected"
    assert notifications_of(claimant)[0].message.startswith("Your claim of Juniper Clinic was rejected")
