"""The owner's dashboard: completeness, what would raise the score, expiring credentials, what waits, replies, codes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.extensions import db
from provider_dir.portal import dashboard, invitations
from provider_dir.portal.models import ClinicReply
from provider_dir.scoring.checklist.items import ITEMS
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.services import clinic_score
from provider_dir.scoring.vocab import AnswerStatus
from tests.reviews.helpers import text_of


@pytest.fixture
def owned(create_clinic, make_owner, auth):
    clinic = create_clinic(description="Monitored infusions.", phone="(212) 555-0147", website="",
                           hours="", accessibility="", languages=["English"])  # fmt: skip
    owner = make_owner(clinic)
    auth.login(owner)
    return clinic, owner


def test_completeness_lists_what_is_missing(owned):
    clinic, _ = owned
    result = dashboard.completeness(clinic)
    assert set(result.missing) == {"website", "hours", "accessibility", "price_series_usd", "series_infusions"}
    assert result.percent == round(100 * 6 / 11)
    assert "Opening hours" in result.missing_labels


def test_the_gains_are_the_unmet_items_by_points_they_would_add(owned):
    clinic, _ = owned
    answerable = [item for item in ITEMS if not item.from_credentials and item.self_report_counts]
    heaviest = max(answerable, key=lambda item: item.weight)
    db.session.add(ChecklistAnswer(clinic_id=clinic.id, item_code=heaviest.code, status=AnswerStatus.SELF_REPORTED))
    db.session.flush()
    gains = dashboard.score_gains(clinic_score(db.session, clinic.id), limit=len(ITEMS))
    adds = [gain.would_add for gain in gains]
    assert adds == sorted(adds, reverse=True)
    reported = next(gain for gain in gains if gain.code == heaviest.code)
    assert reported.would_add == heaviest.weight - reported.points and reported.points > 0
    assert all(gain.points < gain.max_points for gain in gains)


def test_the_dashboard_shows_each_section(client, owned, add_staff, add_review):
    clinic, owner = owned
    soon, later = date.today() + timedelta(days=20), date.today() + timedelta(days=120)
    add_staff(clinic, full_name="Dana Soon", credentials=[
        Credential(kind=CredentialKind.ACLS, identifier="ACLS-1", expires_on=soon),
        Credential(kind=CredentialKind.BLS, identifier="BLS-9", expires_on=later),
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="OLD-1", expires_on=date.today() - timedelta(days=3)),
    ])  # fmt: skip
    answered = add_review(clinic, title="Answered one")
    add_review(clinic, title="Waiting one")
    db.session.add(ClinicReply(review=answered, author_id=owner.id, body="Thank you."))
    invitations.issue_codes(clinic, owner, 3)
    db.session.commit()
    text = text_of(client.get(f"/portal/clinics/{clinic.slug}"))
    assert f"Listing completeness: {dashboard.completeness(clinic).percent} %" in text
    assert "Missing: Website" in text
    assert "Score:" in text and "What would raise it most" in text
    assert f"Dana Soon: ACLS ACLS-1 expires on {soon.isoformat()}" in text
    assert "BLS-9" not in text and "OLD-1" not in text
    assert "Reviews awaiting a reply (1)" in text and "Waiting one" in text and "Answered one" not in text
    assert "1 reply posted" in text
    assert "3 issued, 0 used" in text
    assert "Nothing is waiting." in text


def test_the_hook_lists_other_pending_decisions(client, owned, monkeypatch):
    clinic, _ = owned
    monkeypatch.setattr(dashboard, "EXTRA_PENDING_COUNTS", [("Credentials waiting for a moderator", lambda _: 2)])
    text = text_of(client.get(f"/portal/clinics/{clinic.slug}"))
    assert "Waiting for a moderator (2)" in text and "Credentials waiting for a moderator: 2" in text


def test_the_portal_index_links_to_each_dashboard(client, owned):
    clinic, _ = owned
    html = client.get("/portal/").get_data(as_text=True)
    assert f'href="/portal/clinics/{clinic.slug}"' in html
    assert f'href="/portal/clinics/{clinic.slug}/edit"' in html


def test_the_dashboard_counts_credentials_and_checklist_answers_waiting_for_a_moderator(
    client, auth, create_clinic, make_owner, add_staff
):
    from datetime import UTC, datetime

    from provider_dir.credentials.vocab import CredentialStatus
    from provider_dir.extensions import db
    from tests.scoring.evidence_helpers import pending_answer

    clinic = create_clinic()
    owner = make_owner(clinic)
    owner.email_confirmed_at = datetime.now(UTC)
    for credential in add_staff(clinic).credentials:
        credential.status, credential.submitted_at = CredentialStatus.SELF_REPORTED, datetime.now(UTC)
    pending_answer(clinic, "C08", owner)
    pending_answer(clinic, "C11", owner)
    db.session.commit()
    auth.login(owner)
    page = client.get(f"/portal/clinics/{clinic.slug}").get_data(as_text=True)
    assert "Credentials waiting for a moderator&#39;s check: 1" in page
    assert "Checklist answers waiting for a moderator&#39;s check: 2" in page
