"""Corrections in the public log and the report (reason codes, never who suggested it or their note), and the
report's count of registry checks run in the month."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.registry.models import RegistryCheck
from provider_dir.transparency import registry_hook
from tests.corrections.helpers import (
    MODERATOR_NOTE,
    SUGGESTER_EMAIL,
    SUGGESTER_NAME,
    SUGGESTER_NOTE,
    decline_one,
)
from tests.reviews.helpers import text_of


@pytest.fixture
def moderator(create_user):
    return create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow(), display_name="Moderator Fenwhistle",
                       email="fenwhistle-mod@example.test")


def _csv(client, name, month):
    response = client.get(f"/transparency/{name}.csv?month={month}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_a_declined_correction_is_in_the_log_with_its_reason_and_nothing_about_who_suggested_it(
        client, create_clinic, make_owner, create_user, moderator):
    declined = decline_one(create_clinic, make_owner, create_user, moderator)
    body = client.get("/api/v1/transparency/log?kind=correction").get_json()
    assert body["items"] == [{
        "date": utcnow().strftime("%Y-%m-%d"), "kind": "correction", "kind_label": "Correction to a listing",
        "outcome": "refused", "outcome_label": "Refused", "reason": "not_shown",
        "reason_label": "Nothing we could check shows it",
        "clinic": {"slug": declined.clinic.slug, "name": "Harbor Ketamine"},
    }]  # fmt: skip
    page = text_of(client.get("/transparency/log?kind=correction"))
    assert "Harbor Ketamine Refused Nothing we could check shows it not_shown" in page
    month = utcnow().strftime("%Y-%m")
    assert ["Correction to a listing", "Refused", "1"] in _csv(client, "decisions", month)
    assert ["Correction to a listing", "Refused", "not_shown", "Nothing we could check shows it", "1"] in _csv(
        client, "reasons", month)
    private = (SUGGESTER_NAME, SUGGESTER_EMAIL, "marrowbright", "quillmoss", "thornwick", "Fenwhistle",
               MODERATOR_NOTE, SUGGESTER_NOTE)
    for url in ("/transparency/log", "/transparency/log?kind=correction", "/api/v1/transparency/log",
                f"/transparency?month={month}", f"/transparency/decisions.csv?month={month}",
                f"/transparency/reasons.csv?month={month}", f"/transparency/log?clinic={declined.clinic.slug}"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True).lower()
        assert not [word for word in private if word.lower() in text], url


def _checks(add_staff, clinic, when: datetime, n: int) -> None:
    """Store n checks (NPI, licence, LEIE) of new staff members, all run at `when`, as the registry runner does."""
    for _ in range(n):
        member = add_staff(clinic)
        db.session.add(RegistryCheck(staff_member_id=member.id, credential_id=member.credentials[0].id, what="npi",
                                     source="NPPES", via="file", result="match", checked_at=when))
    db.session.commit()


def test_the_report_counts_the_registry_checks_run_in_the_month(client, create_clinic, add_staff):
    clinic = create_clinic()
    now = datetime.now(UTC)
    first_of_month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    _checks(add_staff, clinic, first_of_month, 2)  # the first instant of this month counts in it
    _checks(add_staff, clinic, now, 1)
    _checks(add_staff, clinic, first_of_month - timedelta(seconds=1), 4)  # the last instant of last month
    month, last_month = now.strftime("%Y-%m"), (first_of_month - timedelta(days=1)).strftime("%Y-%m")
    assert ["Registry checks run", "3"] in _csv(client, "credentials", month)
    assert ["Registry checks run", "4"] in _csv(client, "credentials", last_month)
    assert "Registry checks run 3" in text_of(client.get(f"/transparency?month={month}"))
    assert "are not running yet" not in text_of(client.get(f"/transparency?month={month}"))


def test_without_the_registry_feature_the_report_says_not_yet(client, monkeypatch):
    monkeypatch.setattr(registry_hook, "CHECKS_RUN", None)
    month = utcnow().strftime("%Y-%m")
    assert ["Registry checks run", "not yet"] in _csv(client, "credentials", month)
    assert "are not running yet" in text_of(client.get(f"/transparency?month={month}"))
