"""flask notices expiring: owners hear once per expiry date about credentials expiring within 60 days."""

from datetime import date, timedelta

from sqlalchemy import select

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog, Notification
from tests.mailbox import mail_server_down

TODAY = date(2027, 3, 1)


def credential(kind, days, status=CredentialStatus.SELF_REPORTED, identifier="X-1"):
    expires = None if days is None else TODAY + timedelta(days=days)
    return Credential(kind=kind, identifier=identifier, issuer="Board", expires_on=expires, status=status)


def run(runner, today=TODAY):
    return runner.invoke(args=["notices", "expiring", "--today", today.isoformat()])


def logged(clinic):
    return list(db.session.scalars(
        select(ModerationLog).where(ModerationLog.action == "notice_expiring", ModerationLog.clinic_id == clinic.id)
    ))


def test_owners_get_the_credentials_expiring_within_60_days_once(
    runner, mailbox, create_clinic, make_owner, add_staff
):
    clinic = create_clinic(name="Cedar Grove Infusions")
    owners = [make_owner(clinic), make_owner(clinic)]
    add_staff(clinic, full_name="Robin Vale", degree="MD", credentials=[
        credential(CredentialKind.ACLS, 10),
        credential(CredentialKind.STATE_LICENSE, 60, status=CredentialStatus.VERIFIED),
        credential(CredentialKind.BLS, 61),
        credential(CredentialKind.DEA, -1),
        credential(CredentialKind.BOARD_CERTIFICATION, 20, status=CredentialStatus.REFUSED),
        credential(CredentialKind.NPI, None),
    ])
    result = run(runner)
    assert result.exit_code == 0, result.output
    assert "told the owners of 1 clinic(s) about 2 credential(s) in 2 email(s)" in result.output
    for owner in owners:
        message = mailbox.last_to(owner.email)
        assert message["Subject"] == "2 credentials at Cedar Grove Infusions expire soon"
        body = mailbox.body(message)
        assert "Robin Vale, MD: ACLS expires on 2027-03-11 (in 10 days)" in body
        assert "Robin Vale, MD: State licence expires on 2027-04-30 (in 60 days)" in body
        assert "BLS" not in body and "DEA" not in body and "Board certification" not in body
        assert any(link.endswith("/portal/") for link in mailbox.links(message))
        note = db.session.scalar(select(Notification).where(Notification.user_id == owner.id))
        assert note.message == "2 credentials at Cedar Grove Infusions expire within 60 days."
    assert sorted(row.note for row in logged(clinic)) == ["2027-03-11", "2027-04-30"]
    assert all(row.target_type == "credential" and row.actor_id is None for row in logged(clinic))

    mailbox.clear()
    assert "about 0 credential(s)" in run(runner).output
    assert mailbox.messages == []
    # The next day only the BLS card, now 60 days from expiry, is news.
    assert "about 1 credential(s)" in run(runner, TODAY + timedelta(days=1)).output
    body = mailbox.body(mailbox.last_to(owners[0].email))
    assert "BLS expires on 2027-05-01 (in 60 days)" in body and "ACLS" not in body


def test_a_new_expiry_date_is_noticed_again(runner, mailbox, create_clinic, make_owner, add_staff):
    clinic = create_clinic()
    owner = make_owner(clinic)
    member = add_staff(clinic, credentials=[credential(CredentialKind.ACLS, 5), credential(CredentialKind.BLS, 30)])
    run(runner)
    acls = member.credentials[0]
    acls.expires_on = TODAY + timedelta(days=40)  # renewed, but still within 60 days
    db.session.commit()
    mailbox.clear()
    result = run(runner)
    assert "about 1 credential(s)" in result.output
    body = mailbox.body(mailbox.last_to(owner.email))
    assert "ACLS expires on 2027-04-10" in body and "BLS" not in body


def test_a_clinic_without_owners_is_noticed_once_it_has_one(runner, mailbox, create_clinic, make_owner, add_staff):
    clinic = create_clinic()
    add_staff(clinic, credentials=[credential(CredentialKind.ACLS, 5)])
    assert "about 0 credential(s)" in run(runner).output
    assert logged(clinic) == []
    owner = make_owner(clinic)
    db.session.commit()
    assert "about 1 credential(s)" in run(runner).output
    assert "expires on 2027-03-06 (in 5 days)" in mailbox.body(mailbox.last_to(owner.email))


def test_with_the_mail_server_down_the_notice_waits_and_arrives_once(
    app, runner, mailbox, monkeypatch, create_clinic, make_owner, add_staff
):
    clinic = create_clinic(name="Willow Bend Clinic")
    owner = make_owner(clinic)
    add_staff(clinic, credentials=[credential(CredentialKind.ACLS, 0)])
    db.session.commit()
    with mail_server_down(app, monkeypatch):
        first = run(runner)
        assert mailbox.to(owner.email) == []  # refused by the server: it waits in the outbox
    assert first.exit_code == 0
    assert "told the owners of 1 clinic(s)" in first.output
    assert len(logged(clinic)) == 1  # recorded with the queued email, so the next run does not repeat it
    assert db.session.scalar(select(Notification).where(Notification.user_id == owner.id)) is not None
    assert "told the owners of 0 clinic(s)" in run(runner).output
    [message] = mailbox.to(owner.email)
    assert "ACLS expires on 2027-03-01 (today)" in mailbox.body(message)


def test_the_command_defaults_to_today(runner, mailbox, create_clinic, make_owner, add_staff):
    clinic = create_clinic()
    owner = make_owner(clinic)
    add_staff(clinic, credentials=[Credential(kind=CredentialKind.BLS, identifier="B", issuer="AHA",
                                              expires_on=date.today() + timedelta(days=1))])
    result = runner.invoke(args=["notices", "expiring"])
    assert f"within 60 days of {date.today().isoformat()}" in result.output
    assert "(in 1 day)" in mailbox.body(mailbox.last_to(owner.email))


def test_a_bad_date_is_refused(runner):
    result = runner.invoke(args=["notices", "expiring", "--today", "next tuesday"])
    assert result.exit_code == 2 and "'next tuesday' does not match the format '%Y-%m-%d'" in result.output
