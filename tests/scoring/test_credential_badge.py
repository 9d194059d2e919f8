"""A credential's badge reads the same kept as rendered anew, whichever credential's badge was kept first."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from provider_dir.core.kept import Kept
from provider_dir.scoring import views

TODAY = date(2026, 11, 26)
AT = datetime(2026, 2, 11, 9, 0, tzinfo=UTC)


def credential(status, verified_by=None, verified_at=None, expires_on=None):
    """A credential as the clinic page's staff rows give it: a status, who verified it and when, its expiry."""
    who = SimpleNamespace(display_name=verified_by) if verified_by else None
    return SimpleNamespace(status=status, verified_by=who, verified_at=verified_at, expires_on=expires_on)


CASES = {
    "verified, on record": credential("verified", "Moderator Ines", AT, TODAY + timedelta(days=300)),
    "verified by another on another day": credential("verified", "Moderator Kim", AT + timedelta(days=30)),
    "verified, nobody on record": credential("verified", None, AT),
    "verified once, now past its date": credential("verified", "Moderator Ines", AT, TODAY - timedelta(days=1)),
    "self-reported": credential("self_reported", expires_on=TODAY + timedelta(days=10)),
    "self-reported, past its date": credential("self_reported", expires_on=TODAY - timedelta(days=10)),
    "refused": credential("refused", "Moderator Kim", AT),
    "unknown": credential("unknown", expires_on=TODAY - timedelta(days=10)),
}


@pytest.fixture
def in_app(app):
    with app.app_context():
        yield


@pytest.mark.usefixtures("in_app")
@pytest.mark.parametrize("first", sorted(CASES))
def test_each_kept_badge_reads_as_its_own_rendering(first, monkeypatch):
    anew = {}
    for name, each in CASES.items():
        monkeypatch.setattr(views, "_BADGES", Kept(1024))
        anew[name] = str(views.credential_status_badge(each, TODAY))
    monkeypatch.setattr(views, "_BADGES", Kept(1024))
    views.credential_status_badge(CASES[first], TODAY)  # whichever is kept first, the others keep their own words
    for name, each in CASES.items():
        assert str(views.credential_status_badge(each, TODAY)) == anew[name], name


@pytest.mark.usefixtures("in_app")
def test_badges_say_what_a_patient_needs_to_know(monkeypatch):
    monkeypatch.setattr(views, "_BADGES", Kept(1024))
    shown = {name: str(views.credential_status_badge(each, TODAY)) for name, each in CASES.items()}
    assert 'badge-verified"><span aria-hidden="true">✓ </span>Verified' in shown["verified, on record"]
    assert "by Moderator Ines, Feb 11, 2026" in shown["verified, on record"]
    assert "by Moderator Kim, Mar 13, 2026" in shown["verified by another on another day"]
    assert "Unconfirmed" in shown["verified, nobody on record"]
    assert "no record of who confirmed it or when" in shown["verified, nobody on record"]
    assert 'badge-expired">Expired' in shown["verified once, now past its date"]
    assert 'badge-expired">Expired' in shown["self-reported, past its date"]
    assert "Self-reported" in shown["self-reported"]
    assert "Verified" not in shown["refused"]
