"""The corrections queue: oldest first, never a moderator's own clinic; accepting changes the listing (an address is
placed again, a closure takes the clinic out of search) and tells the owners in the app and by email; declining
keeps the listing with a reason from the closed list; every decision is in the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.corrections.models import ClinicCorrection
from provider_dir.corrections.services import suggest
from provider_dir.corrections.vocab import CorrectionField, CorrectionStatus
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import Closure, Route
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import ModerationLog, Notification
from tests.reviews.helpers import text_of

SITE = "https://clinics.example.org"


@pytest.fixture
def clinic(create_clinic):
    return create_clinic(name="Harbor Ketamine", slug="harbor-ketamine", phone="(212) 555-0100")


@pytest.fixture
def moderator(create_user):
    return create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow(), display_name="Moderator Chen")


def queued(clinic, field: CorrectionField, proposed: dict, minutes_ago: int = 5, submitter=None) -> ClinicCorrection:
    correction = suggest(clinic, field, proposed, submitter, "https://source.example/page")
    correction.created_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    db.session.flush()
    return correction


def accept(client, correction, basis: str = "source_shows", **extra):
    return client.post(f"/moderation/corrections/{correction.id}/decision",
                       data={"version": correction.version, "accept": "Accept", "basis": basis, **extra})  # fmt: skip


def reloaded(clinic) -> Clinic:
    db.session.expire_all()
    return db.session.get(Clinic, clinic.id)


def test_the_queue_is_oldest_first_and_leaves_out_the_moderators_own_clinics(client, auth, create_clinic, moderator):
    own, other = create_clinic(name="Own Clinic"), create_clinic(name="Other Clinic")
    db.session.add(ClinicMembership(user=moderator, clinic=own, role=MembershipRole.STAFF))
    newest = queued(other, CorrectionField.HOURS, {"hours": "Mon 9-5"}, minutes_ago=1)
    oldest = queued(other, CorrectionField.PHONE, {"phone": "212 555 0123"}, minutes_ago=90)
    mine = queued(own, CorrectionField.PHONE, {"phone": "212 555 0124"}, minutes_ago=120)
    db.session.commit()
    auth.login(moderator)
    html = client.get("/moderation/corrections/").get_data(as_text=True)
    assert html.index(f'id="correction-{oldest.id}"') < html.index(f'id="correction-{newest.id}"')
    assert f'id="correction-{mine.id}"' not in html
    assert "Suggested corrections" in text_of(client.get("/moderation/"))  # linked from the moderation home
    assert client.get(f"/moderation/corrections/{mine.id}").status_code == 403
    assert accept(client, mine).status_code == 403
    assert reloaded(own).phone == ""


def test_a_moderator_never_decides_their_own_suggestion(client, auth, clinic, moderator):
    own = queued(clinic, CorrectionField.PHONE, {"phone": "(212) 555-0177"}, submitter=moderator)
    db.session.commit()
    auth.login(moderator)
    assert f'id="correction-{own.id}"' not in client.get("/moderation/corrections/").get_data(as_text=True)
    refused = accept(client, own)
    assert refused.status_code == 403 and "You suggested this correction" in text_of(refused)
    assert reloaded(clinic).phone == "(212) 555-0100"


def test_accepting_changes_the_listing_logs_it_and_tells_every_owner_in_the_app_and_by_email(
        app, client, auth, clinic, make_owner, moderator, mailbox, monkeypatch):
    owners = [make_owner(clinic), make_owner(clinic)]
    correction = queued(clinic, CorrectionField.PHONE, {"phone": "(212) 555-0199"})
    db.session.commit()
    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    auth.login(moderator)
    response = accept(client, correction, note="Their website shows the new number.")
    assert response.status_code == 302 and response.headers["Location"].endswith("/moderation/corrections/")
    assert reloaded(clinic).phone == "(212) 555-0199"
    assert "(212) 555-0199" in text_of(client.get(f"/clinics/{clinic.slug}"))
    correction = db.session.get(ClinicCorrection, correction.id)
    assert (correction.status, correction.decision_reason, correction.decided_by_id) == (
        CorrectionStatus.ACCEPTED, "source_shows", moderator.id)
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.target_type == "clinic_correction",
                                                           ModerationLog.target_id == correction.id)).one()
    assert (entry.action, entry.reason, entry.actor_id, entry.clinic_id) == (
        "correction_accepted", "source_shows", moderator.id, clinic.id)
    assert entry.changes == {"phone": ["(212) 555-0100", "(212) 555-0199"]}
    for owner in owners:
        body = mailbox.body(mailbox.last_to(owner.email))
        assert "accepted a correction of the phone number of Harbor Ketamine" in body
        assert "The listing now shows: (212) 555-0199" in body and "Their website shows the new number." in body
        assert f"{SITE}/portal/clinics/{clinic.slug}" in mailbox.links(mailbox.last_to(owner.email))
        [note] = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
        assert "phone number of Harbor Ketamine" in note.message and note.link == f"/portal/clinics/{clinic.slug}"


def test_an_accepted_address_is_placed_again_on_the_map(client, auth, clinic, moderator):
    correction = queued(clinic, CorrectionField.ADDRESS, {"street": "1600 Blake Street", "city": "Denver",
                                                          "state": "CO", "zip_code": "80202"})  # fmt: skip
    db.session.commit()
    auth.login(moderator)
    assert accept(client, correction, basis="clinic_website").status_code == 302
    moved = reloaded(clinic)
    assert (moved.street, moved.city, moved.state, moved.zip_code) == ("1600 Blake Street", "Denver", "CO", "80202")
    assert moved.latitude == pytest.approx(39.7491) and moved.longitude == pytest.approx(-104.9946)
    near_denver = client.get("/api/v1/search?location=80202&radius_mi=5").json
    assert clinic.slug in {r["slug"] for r in near_denver["results"]}


def test_accepted_prices_and_routes_change_only_what_was_given(client, auth, clinic, moderator):
    clinic.price_series_usd = 2400
    prices = queued(clinic, CorrectionField.PRICES, {"price_per_infusion_usd": 495})
    routes = queued(clinic, CorrectionField.ROUTES, {"routes": ["iv_infusion", "esketamine_nasal"]})
    db.session.commit()
    auth.login(moderator)
    assert accept(client, prices).status_code == 302
    assert accept(client, routes, basis="clinic_confirmed").status_code == 302
    after = reloaded(clinic)
    assert (after.price_per_infusion_usd, after.price_series_usd) == (495, 2400)
    assert after.routes == [Route.IV, Route.ESKETAMINE]


def test_an_accepted_closed_correction_takes_the_clinic_out_of_search(client, auth, clinic, moderator):
    correction = queued(clinic, CorrectionField.CLOSED, {"closure": "permanently_closed", "reopens_on": None})
    db.session.commit()
    assert clinic.slug in {r["slug"] for r in client.get("/api/v1/search?location=10001").json["results"]}
    auth.login(moderator)
    assert accept(client, correction, basis="public_record").status_code == 302
    assert reloaded(clinic).closure == Closure.PERMANENT
    auth.logout()
    assert clinic.slug not in {r["slug"] for r in client.get("/api/v1/search?location=10001&include_closed=1")
                               .json["results"]}  # fmt: skip
    assert "Permanently closed." in text_of(client.get(f"/clinics/{clinic.slug}"))
    actions = set(db.session.scalars(select(ModerationLog.action).where(ModerationLog.clinic_id == clinic.id)))
    assert {"closure_set", "correction_accepted"} <= actions
    closure_row = db.session.scalars(select(ModerationLog).where(ModerationLog.clinic_id == clinic.id,
                                                                 ModerationLog.action == "closure_set")).one()
    assert closure_row.actor_id == moderator.id and closure_row.note.startswith("set by correction")


def test_declining_keeps_the_listing_logs_the_reason_and_tells_a_signed_in_submitter(
        client, auth, clinic, moderator, create_user, make_owner, mailbox):
    owner = make_owner(clinic)
    patient = create_user()
    correction = queued(clinic, CorrectionField.PHONE, {"phone": "(212) 555-0666"}, submitter=patient)
    db.session.commit()
    auth.login(moderator)
    response = client.post(f"/moderation/corrections/{correction.id}/decision",
                           data={"version": correction.version, "decline": "Decline", "reason": "contradicted"})
    assert response.status_code == 302
    assert reloaded(clinic).phone == "(212) 555-0100"
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.target_type == "clinic_correction")).one()
    assert (entry.action, entry.reason, entry.changes) == ("correction_declined", "contradicted", None)
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == patient.id)).all()
    assert "was declined: The clinic or its website says otherwise" in note.message
    assert mailbox.to(owner.email) == []  # owners are told what changes their listing, not every declined idea


@pytest.mark.parametrize(
    ("data", "message"),
    [({"accept": "Accept"}, "Choose the grounds for accepting from the list."),
     ({"decline": "Decline"}, "Choose the reason for declining from the list."),
     ({"decline": "Decline", "reason": "we_dislike_it"}, "Not a valid choice"),
     ({"accept": "Accept", "decline": "Decline", "basis": "source_shows"}, "Choose either Accept or Decline.")],
)  # fmt: skip
def test_a_decision_without_a_listed_reason_is_refused(client, auth, clinic, moderator, data, message):
    correction = queued(clinic, CorrectionField.PHONE, {"phone": "(212) 555-0199"})
    db.session.commit()
    auth.login(moderator)
    response = client.post(f"/moderation/corrections/{correction.id}/decision",
                           data={"version": correction.version, **data})
    assert response.status_code == 422 and message in text_of(response)
    assert db.session.get(ClinicCorrection, correction.id).status == CorrectionStatus.PENDING


def test_a_stale_or_repeated_decision_gets_409(client, auth, clinic, moderator):
    correction = queued(clinic, CorrectionField.PHONE, {"phone": "(212) 555-0199"})
    db.session.commit()
    auth.login(moderator)
    seen = correction.version
    assert accept(client, correction).status_code == 302
    again = client.post(f"/moderation/corrections/{correction.id}/decision",
                        data={"version": seen, "decline": "Decline", "reason": "duplicate"})
    assert again.status_code == 409
    assert reloaded(clinic).phone == "(212) 555-0199"


def test_owners_see_pending_corrections_on_their_dashboard(client, auth, clinic, make_owner, create_clinic):
    owner = make_owner(clinic)
    other_owner = make_owner(create_clinic())
    queued(clinic, CorrectionField.HOURS, {"hours": "Sat 10-14"})
    queued(clinic, CorrectionField.CLOSED, {"closure": "temporarily_closed",
                                            "reopens_on": (date.today() + timedelta(days=9)).isoformat()})
    db.session.commit()
    auth.login(owner)
    text = text_of(client.get(f"/portal/clinics/{clinic.slug}"))
    assert "Corrections suggested by the public" in text
    assert "Sat 10-14" in text and "Temporarily closed, reopening" in text
    assert "Corrections suggested by the public, waiting for a moderator: 2" in text
    auth.logout()
    auth.login(other_owner)
    assert client.get(f"/portal/clinics/{clinic.slug}").status_code in (403, 404)
