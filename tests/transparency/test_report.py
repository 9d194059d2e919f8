"""The monthly report against a hand-computed month: decisions by kind and reason, approval by star, waits, appeals,
credentials; the charts with their tables; the CSVs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from provider_dir.accounts.vocab import UserRole
from provider_dir.appeals import services as appeals
from provider_dir.appeals.vocab import AppealReason
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import services
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.models import ModerationLog
from provider_dir.moderation.vocab import RefusalReason, RejectionReason
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.transparency.report.csvout import guard, to_csv
from tests.reviews.helpers import text_of

# (stars, published?, reason, hours waited): waits fall in the buckets 1, 3, 3, 6, 24 and 72 (3 days) hours.
REVIEWS = [(5, True, None, 0.5), (5, True, None, 2.5), (5, False, RejectionReason.SPAM, 2.5),
           (1, True, None, 5.5), (1, False, RejectionReason.HARASSMENT, 23.5),
           (1, False, RejectionReason.HARASSMENT, 70)]  # fmt: skip


@pytest.fixture
def month(create_clinic, add_review, add_staff, make_owner, create_user):
    """Decide the hand-computed month's items now; return the month."""
    first = create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow())
    second = create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow())
    clinic = create_clinic(name="Report Clinic")
    owner = make_owner(clinic)
    now = datetime.now(UTC)
    for stars, publish, reason, hours in REVIEWS:
        review = add_review(clinic, rating=stars, status=ReviewStatus.PENDING, queued_at=now - timedelta(hours=hours))
        services.decide(review, first, review.version, approve=publish, reason=reason)
    credential = Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD1", issuer="NY",
                            expires_on=date.today() + timedelta(days=400), status=CredentialStatus.SELF_REPORTED,
                            submitted_at=now - timedelta(hours=4, minutes=30))  # fmt: skip
    expiring = Credential(kind=CredentialKind.BLS, identifier="BLS1", issuer="AHA",
                          expires_on=date.today().replace(day=1), status=CredentialStatus.SELF_REPORTED)
    add_staff(clinic, credentials=[credential, expiring])
    credential_queue.refuse(credential, first, credential.version, RefusalReason.NO_MATCH)
    db.session.flush()
    entry = db.session.query(ModerationLog).filter_by(action="credential_refused").one()
    appeal = appeals.file_appeal(appeals.load_decision(entry.id), owner, "It is on the state board's site.")
    appeals.decide(appeal, second, appeal.version, AppealReason.NEW_INFORMATION, note="Board look-up 2026-12-04")
    db.session.commit()
    return now.strftime("%Y-%m")


def _csv(client, name, month):
    response = client.get(f"/transparency/{name}.csv?month={month}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"transparency-{name}-{month}.csv" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_report_gives_the_hand_computed_figures(client, month):
    assert _csv(client, "decisions", month)[1:] == [
        ["Review", "Approved", "3"], ["Review", "Refused", "3"],
        ["Staff credential", "Approved", "1"], ["Staff credential", "Refused", "1"], ["Appeal", "Reversed", "1"],
    ]
    assert _csv(client, "reasons", month)[1:] == [
        ["Review", "Refused", "harassment", "Harassing or abusive", "2"],
        ["Review", "Refused", "spam_duplicate", "Spam or a duplicate", "1"],
        ["Staff credential", "Approved", "registry_match", "Matches the public registry", "1"],
        ["Staff credential", "Refused", "no_match", "The registry or document does not match what was stated", "1"],
        ["Appeal", "Reversed", "new_information", "The appeal shows the item meets the rules", "1"],
    ]
    assert _csv(client, "stars", month) == [
        ["Rating", "Decided", "Published", "Withheld", "Approval rate"],
        ["5 stars", "3", "2", "1", "67 %"], ["4 stars", "0", "0", "0", "n/a"], ["3 stars", "0", "0", "0", "n/a"],
        ["2 stars", "0", "0", "0", "n/a"], ["1 star", "3", "1", "2", "33 %"],
    ]
    assert _csv(client, "waits", month)[1:] == [
        ["Review", "6", "within 3 h", "within 3 days", "3", "72"],
        ["Staff credential", "2", "within 5 h", "within 5 h", "5", "5"],
        ["Appeal", "1", "within 1 h", "within 1 h", "1", "1"],
    ]
    assert _csv(client, "appeals", month)[1:] == [
        ["Appeals made", "1"], ["Decided: decision upheld", "0"], ["Decided: decision reversed", "1"]]
    assert _csv(client, "credentials", month)[1:] == [
        ["Verified by a moderator", "1"], ["Refused by a moderator", "1"],
        ["Expired (expiry date in the month)", "1"], ["Registry checks run", "0"]]
    trend = _csv(client, "trend", month)[1:]
    assert len(trend) == 12 and trend[-1] == [month, "9"] and all(n == "0" for _, n in trend[:-1])


def test_the_page_draws_each_chart_with_a_title_a_description_and_its_numbers_beside_it(client, month):
    response = client.get(f"/transparency?month={month}")
    html = response.get_data(as_text=True)
    assert "<script" not in html.split("<main", 1)[-1]
    for chart in ("chart-decisions", "chart-stars", "chart-waits", "chart-trend"):
        assert f'id="{chart}" role="img"' in html and f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html and f'<desc id="{chart}-desc">' in html
    text = text_of(response)
    assert "5 stars 3 2 1 67 %" in text and "1 star 3 1 2 33 %" in text
    assert "Registry checks run 0" in text
    assert f"/transparency/stars.csv?month={month}" in html


def test_another_month_is_empty_and_a_bad_month_is_explained(client, month):
    assert "None this month." in text_of(client.get("/transparency?month=2001-02"))
    assert client.get("/transparency?month=2026-00").status_code == 400
    assert client.get("/transparency?year=2026").status_code == 400
    assert client.get("/transparency/secrets.csv").status_code == 404


def test_no_csv_cell_can_start_a_formula():
    assert guard("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [guard(v) for v in ("+1", "-2", "@SUM(A1)", "\tx", "plain", 3, -4)] == \
        ["'+1", "'-2", "'@SUM(A1)", "'\tx", "plain", 3, -4]
    assert to_csv(["Name"], [["=cmd|' /C calc'!A0"]]) == "Name\r\n'=cmd|' /C calc'!A0\r\n"
