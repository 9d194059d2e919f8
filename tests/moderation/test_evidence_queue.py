"""The checklist-evidence queue: oldest first, verify or refuse with a reason, version-checked, the score at once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.moderation.evidence import queue as evidence_queue
from provider_dir.moderation.models import ModerationLog, Notification
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind
from tests.reviews.helpers import text_of
from tests.scoring.evidence_helpers import PDF, pending_answer, reload_answer

QUEUE = "/moderation/evidence/"


@pytest.fixture
def clinic(create_clinic):
    return create_clinic(name="Harbor Ketamine Care")


@pytest.fixture
def owner(clinic, make_owner):
    return make_owner(clinic)


@pytest.fixture
def moderator(create_user, client, auth):
    user = create_user(role=UserRole.MODERATOR, display_name="Moderator Ines")
    auth.login(user)
    return user


def _decide(client, answer, verify=True, version=None, **fields):
    data = {"version": str(answer.version if version is None else version), **fields}
    data["verify" if verify else "refuse"] = "Verify" if verify else "Refuse"
    return client.post(f"/moderation/evidence/{answer.id}/decision", data=data)


def _score(clinic) -> int:
    db.session.expire_all()
    return db.session.get(Clinic, clinic.id).score_total or 0


def test_the_queue_shows_pending_answers_oldest_first_with_what_they_require_and_their_evidence(
        client, clinic, owner, moderator, create_clinic):
    now = datetime.now(UTC)
    newer = pending_answer(clinic, "C07", owner, text="Capnography and pulse oximetry throughout.",
                           submitted_at=now - timedelta(hours=1))
    older = pending_answer(clinic, "C05", owner, text="Our intake form.", pdf=True,
                           evidence_url="https://harbor.example/screening", submitted_at=now - timedelta(days=2))
    pending_answer(create_clinic(), "C12", owner, status=AnswerStatus.VERIFIED)  # not waiting
    pending_answer(create_clinic(), "C13", owner, never_sent=True)  # demo data: never sent by an owner
    db.session.commit()
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(response)
    assert "2 answers waiting." in text
    assert html.index(f'id="answer-{older.id}"') < html.index(f'id="answer-{newer.id}"')
    assert "C05 Screening for contraindications" in text
    assert "What the item requires: Screening for contraindications: uncontrolled high blood pressure" in text
    assert "Our intake form." in text and "Capnography and pulse oximetry throughout." in text
    assert "https://harbor.example/screening" in text
    assert f'href="/moderation/evidence/documents/{older.document_id}"' in html
    assert "C12" not in text and "C13" not in text
    assert evidence_queue.pending_count(moderator) == 2
    download = client.get(f"/moderation/evidence/documents/{older.document_id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_verifying_a_document_records_who_when_and_how_and_the_score_and_page_change_at_once(
        client, clinic, owner, moderator, mailbox):
    answer = pending_answer(clinic, "C08", owner, text="Crash cart checked daily.", pdf=True)
    db.session.commit()
    before = _score(clinic)
    response = _decide(client, answer, basis="document_match", note="Checklist photo matches.")
    assert response.status_code == 302
    answer = reload_answer(answer.id)
    assert answer.status == AnswerStatus.VERIFIED
    assert answer.verified_by_id == moderator.id and answer.verified_at is not None
    assert answer.evidence_kind == EvidenceKind.DOC
    assert db.session.get(Clinic, clinic.id).last_verified_on == date.today()
    assert _score(clinic) > before
    entry = db.session.scalar(select(ModerationLog).where(ModerationLog.target_type == "checklist_answer",
                                                          ModerationLog.target_id == answer.id))
    assert (entry.action, entry.reason, entry.actor_id, entry.clinic_id) == (
        "evidence_verified", "document_match", moderator.id, clinic.id)
    assert entry.changes["status"] == ["self_reported", "verified"]
    assert entry.changes["evidence_kind"] == ["SR", "DOC"]
    notice = db.session.scalar(select(Notification).where(Notification.user_id == owner.id))
    assert "verified your evidence for checklist item C08" in notice.message
    assert "The document shows it" in notice.message
    mail = mailbox.last_to(owner.email)
    assert "Evidence verified" in mail["Subject"]
    assert any(link.endswith(f"/portal/clinics/{clinic.slug}/checklist/C08") for link in mailbox.links(mail))
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert f"checked by moderator Moderator Ines on {date.today().strftime('%B')}" in page
    assert evidence_queue.pending_count(moderator) == 0


def test_verifying_text_or_a_link_is_a_moderators_check(client, clinic, owner, moderator):
    answer = pending_answer(clinic, "C18", owner, text="All infusions are given in the clinic.")
    db.session.commit()
    refused = _decide(client, answer, basis="document_match")
    assert refused.status_code == 422
    assert "There is no document to match" in text_of(refused)
    assert reload_answer(answer.id).status == AnswerStatus.SELF_REPORTED
    assert _decide(client, answer, basis="meets_policy").status_code == 302
    answer = reload_answer(answer.id)
    assert answer.status == AnswerStatus.VERIFIED and answer.evidence_kind == EvidenceKind.MOD


def test_refusing_counts_nothing_labels_the_item_refused_and_tells_the_owner_why(client, clinic, owner, moderator,
                                                                                   mailbox):
    answer = pending_answer(clinic, "C07", owner, text="We watch the patient.")
    db.session.commit()
    before = _score(clinic)
    assert _decide(client, answer, verify=False, reason="not_shown").status_code == 302
    answer = reload_answer(answer.id)
    assert answer.status == AnswerStatus.REFUSED and answer.decision_reason == "not_shown"
    assert answer.verified_by_id is None and answer.verified_at is None
    assert _score(clinic) < before
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    item = page[page.index('id="item-C07"'):]
    assert '<span class="score-badge score-badge-refused">Refused</span>' in item[:600]
    alert = page[page.index('role="alert"'):]
    assert "Continuous monitoring during the infusion" in alert[:2000]
    mail = mailbox.last_to(owner.email)
    assert "The evidence does not show the item" in mailbox.body(mail)
    entry = db.session.scalar(select(ModerationLog).where(ModerationLog.target_id == answer.id,
                                                          ModerationLog.target_type == "checklist_answer"))
    assert (entry.action, entry.reason) == ("evidence_refused", "not_shown")


@pytest.mark.parametrize(
    ("fields", "verify", "message"),
    [
        ({}, True, "Choose what the verification rests on."),
        ({}, False, "Choose the reason for refusing"),
        ({"basis": "domain_email"}, True, "Not a valid choice"),
        ({"reason": "prohibited_claim"}, False, "Not a valid choice"),
    ],
)
def test_every_decision_needs_a_reason_from_the_closed_list(client, clinic, owner, moderator, fields, verify,
                                                            message):
    answer = pending_answer(clinic, "C09", owner)
    db.session.commit()
    response = _decide(client, answer, verify=verify, **fields)
    assert response.status_code == 422
    assert message in text_of(response)
    assert reload_answer(answer.id).status == AnswerStatus.SELF_REPORTED


def test_a_stale_decision_gets_409_and_changes_nothing(client, clinic, owner, moderator, auth, create_user):
    answer = pending_answer(clinic, "C10", owner, text="Six infusions, then a review.")
    db.session.commit()
    seen = answer.version
    answer.evidence_text = "Six infusions, then a review with PHQ-9."  # the owner edits after the moderator looked
    db.session.commit()
    response = _decide(client, answer, version=seen, basis="meets_policy")
    assert response.status_code == 409
    assert "This item changed after you opened it" in text_of(response)
    assert reload_answer(answer.id).status == AnswerStatus.SELF_REPORTED
    assert _decide(client, reload_answer(answer.id), basis="meets_policy").status_code == 302
    again = _decide(client, reload_answer(answer.id), verify=False, reason="not_shown")
    assert again.status_code == 409  # already decided
    assert reload_answer(answer.id).status == AnswerStatus.VERIFIED


def test_a_concurrent_change_at_flush_is_stale_data(app, clinic, owner, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    answer = pending_answer(clinic, "C10", owner)
    db.session.commit()
    # Another transaction decides the same row after this one read it.
    db.session.execute(update(ChecklistAnswer).where(ChecklistAnswer.id == answer.id)
                       .values(version=ChecklistAnswer.version + 1).execution_options(synchronize_session=False))
    with pytest.raises(StaleDataError):
        evidence_queue.decide(answer, moderator, answer.version, verify=True, basis=ApprovalBasis.MEETS_POLICY)
        db.session.flush()
    db.session.rollback()


def test_a_moderator_who_belongs_to_the_clinic_neither_sees_nor_decides_it(client, clinic, owner, moderator):
    answer = pending_answer(clinic, "C11", owner, text="Discharge to an adult only.")
    db.session.add(ClinicMembership(user=moderator, clinic=clinic, role=MembershipRole.STAFF))
    db.session.commit()
    text = text_of(client.get(QUEUE))
    assert "C11" not in text
    assert "1 more concern clinics you belong to" in text
    assert evidence_queue.pending_count(moderator) == 0
    assert client.get(f"/moderation/evidence/{answer.id}").status_code == 403
    assert _decide(client, answer, basis="meets_policy").status_code == 403
    assert reload_answer(answer.id).status == AnswerStatus.SELF_REPORTED


def test_the_service_refuses_a_conflicted_moderator_too(app, clinic, owner):
    from provider_dir.moderation.decisions.services import ConflictOfInterest

    answer = pending_answer(clinic, "C11", owner)
    owner.role = UserRole.MODERATOR  # an owner who is also a moderator
    with pytest.raises(ConflictOfInterest):
        evidence_queue.decide(answer, owner, answer.version, verify=False, reason=RefusalReason.NOT_SHOWN)


def test_evidence_that_expires_is_verified_only_with_a_date_still_to_come(client, clinic, owner, moderator):
    undated = pending_answer(clinic, "C21", owner, pdf=True)
    db.session.commit()
    response = _decide(client, undated, basis="document_match")
    assert response.status_code == 422
    assert "needs an expiry date" in text_of(response)
    dated = reload_answer(undated.id)
    dated.expires_on = date.today() + timedelta(days=300)
    db.session.commit()
    assert _decide(client, reload_answer(dated.id), basis="document_match").status_code == 302
    assert reload_answer(dated.id).status == AnswerStatus.VERIFIED


def test_patients_and_owners_cannot_reach_the_queue(client, clinic, owner, auth, create_user):
    answer = pending_answer(clinic, "C09", owner, pdf=True)
    db.session.commit()
    urls = [QUEUE, f"/moderation/evidence/{answer.id}", f"/moderation/evidence/documents/{answer.document_id}"]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "/login" in client.get(QUEUE).headers["Location"]
    assert _decide(client, answer, basis="meets_policy").status_code == 302
    for role_user in (create_user(role=UserRole.PATIENT), owner):
        auth.login(role_user)
        for url in urls:
            assert client.get(url).status_code == 403, (role_user.role, url)
        assert _decide(client, answer, basis="meets_policy").status_code == 403
        auth.logout()
    assert reload_answer(answer.id).status == AnswerStatus.SELF_REPORTED
