"""Appeals through the pages: the appellant's form, the second moderator's decision, and the statement of reasons
both sides receive by email through the real SMTP test server."""

from __future__ import annotations

from sqlalchemy import select

from provider_dir.appeals.models import Appeal
from provider_dir.appeals.vocab import AppealStatus
from provider_dir.extensions import db
from provider_dir.reviews.vocab import ReviewStatus


def test_a_withheld_review_is_appealed_and_reversed_with_a_statement_of_reasons_by_email(
        client, auth, decide_one, first_moderator, second_moderator, mailbox):
    decided = decide_one("review")
    decided.appellant.email_confirmed_at = decided.entry.created_at
    db.session.commit()
    auth.login(decided.appellant)
    page = client.get("/appeals/").get_data(as_text=True)
    assert f"/appeals/decisions/{decided.entry.id}" in page
    assert client.post(f"/appeals/decisions/{decided.entry.id}", data={"text": ""}).status_code == 422
    response = client.post(f"/appeals/decisions/{decided.entry.id}", data={"text": "It is about this clinic."})
    assert response.status_code == 302
    appeal = db.session.scalars(select(Appeal).where(Appeal.log_id == decided.entry.id)).one()
    again = client.post(f"/appeals/decisions/{decided.entry.id}", data={"text": "Once more."})
    assert again.status_code == 422 and "appealed already" in again.get_data(as_text=True)
    auth.logout()

    auth.login(first_moderator)
    assert client.get(f"/moderation/appeals/{appeal.id}").status_code == 403
    refused = client.post(f"/moderation/appeals/{appeal.id}/decision",
                          data={"version": appeal.version, "reason": "misread"})
    assert refused.status_code == 403 and "another moderator" in refused.get_data(as_text=True)
    auth.logout()

    auth.login(second_moderator)
    assert f"/moderation/appeals/{appeal.id}" in client.get("/moderation/appeals/").get_data(as_text=True)
    bad = client.post(f"/moderation/appeals/{appeal.id}/decision", data={"version": appeal.version, "reason": "x"})
    assert bad.status_code == 422
    done = client.post(f"/moderation/appeals/{appeal.id}/decision",
                       data={"version": appeal.version, "reason": "misread", "note": "It describes the infusion."})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == AppealStatus.REVERSED
    assert decided.item.status == ReviewStatus.APPROVED

    for person in (decided.appellant, first_moderator):
        message = mailbox.last_to(person.email)
        body = mailbox.body(message)
        assert "reversed" in message["Subject"]
        assert "The first decision: refused (Unrelated to the clinic's services)." in body
        assert "the review is published" in body
        assert "On which rule: The first decision misread the item." in body
        assert "Who decided: a person" in body
        assert "This was the last step on this site" in body
    assert "It describes the infusion." in mailbox.body(mailbox.last_to(decided.appellant.email))
    # The first moderator's notice links to the decided appeal, which they may now read but not decide again.
    auth.logout()
    auth.login(first_moderator)
    page = client.get(f"/moderation/appeals/{appeal.id}")
    assert page.status_code == 200 and "The decision was reversed" in page.get_data(as_text=True)
    again = client.post(f"/moderation/appeals/{appeal.id}/decision",
                        data={"version": appeal.version, "reason": "rule_applied"})
    assert again.status_code == 403


def test_a_declined_report_upheld_tells_the_reporter_and_the_review_author(client, auth, decide_one,
                                                                           second_moderator, mailbox):
    decided = decide_one("report")
    auth.login(decided.appellant)
    assert client.post(f"/appeals/decisions/{decided.entry.id}", data={"text": "It is the owner."}).status_code == 302
    auth.logout()
    appeal = db.session.scalars(select(Appeal).where(Appeal.log_id == decided.entry.id)).one()
    auth.login(second_moderator)
    assert client.post(f"/moderation/appeals/{appeal.id}/decision",
                       data={"version": appeal.version, "reason": "rule_applied"}).status_code == 302
    for person in (decided.appellant, decided.item.author):
        body = mailbox.body(mailbox.last_to(person.email))
        assert "the first decision stands" in body and "On which rule: The rule was applied correctly." in body
    assert decided.item.status == ReviewStatus.APPROVED


def test_someone_else_sees_no_appeal_form(client, auth, decide_one, create_user):
    decided = decide_one("claim")
    auth.login(create_user())
    assert client.get(f"/appeals/decisions/{decided.entry.id}").status_code == 404
