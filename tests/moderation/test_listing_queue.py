"""The new-listing and held-edit queues: publish or apply with a reason, tell the owners, 409 when stale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import ModerationLog
from provider_dir.moderation.portal import edits as edit_queue
from provider_dir.moderation.portal import listings as listing_queue
from provider_dir.portal.listings.edit import create_listing, save_owner_edit
from provider_dir.portal.models import ListingChange
from provider_dir.portal.vocab import ChangeKind, ChangeStatus
from provider_dir.scoring.services import today
from tests.reviews.helpers import text_of


def owner_values(**overrides) -> dict:
    values = {"street": "1600 Blake Street", "city": "Denver", "state": "CO", "zip_code": "80202",
              "description": "Monitored infusions.", "website": "https://calm.example"}  # fmt: skip
    values.update(overrides)
    return values


@pytest.fixture
def draft(create_user):
    owner = create_user(email_confirmed_at=utcnow())
    clinic = create_listing(owner, "Calm Mind", owner_values())
    db.session.commit()
    return clinic, owner


@pytest.fixture
def held(create_clinic, make_owner):
    clinic = create_clinic(description="Monitored infusions.")
    owner = make_owner(clinic)
    outcome = save_owner_edit(clinic, owner, {"description": "Guaranteed relief, a miracle.", "phone": "303 555 0100"})
    db.session.commit()
    return clinic, owner, outcome.held


def item_of(clinic: Clinic, kind: ChangeKind) -> ListingChange:
    return db.session.scalars(
        select(ListingChange).where(ListingChange.clinic_id == clinic.id, ListingChange.kind == kind)
    ).one()


def post_decision(client, queue: str, change: ListingChange, version: int | None = None, **data):
    version = change.version if version is None else version
    return client.post(f"/moderation/{queue}/{change.id}/decision", data={"version": version, **data})


def test_publishing_a_new_listing(client, auth, moderator, draft, mailbox):
    clinic, owner = draft
    item = item_of(clinic, ChangeKind.NEW_LISTING)
    auth.login(moderator)
    page = client.get("/moderation/listings/")
    assert f'id="change-{item.id}"' in page.get_data(as_text=True) and "Calm Mind" in text_of(page)
    assert listing_queue.pending_count(moderator) == 1
    response = post_decision(client, "listings", item, approve="Approve", basis="meets_policy")
    assert response.status_code == 302
    db.session.expire_all()
    clinic = db.session.get(Clinic, clinic.id)
    assert clinic.status == ClinicStatus.PUBLISHED and clinic.last_verified_on == today()
    assert clinic.score_total is not None
    assert item_of(clinic, ChangeKind.NEW_LISTING).status == ChangeStatus.APPROVED
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.action == "new_listing_approved")).one()
    assert entry.clinic_id == clinic.id and entry.changes["status"] == ["draft", "published"]
    assert entry.reason == "meets_policy" and entry.actor_id == moderator.id
    assert "is published (Meets the listing rules)" in mailbox.body(mailbox.last_to(owner.email))
    assert client.get(f"/clinics/{clinic.slug}").status_code == 200


def test_refusing_a_new_listing_keeps_it_a_draft_and_says_why(client, auth, moderator, draft, mailbox):
    clinic, owner = draft
    item = item_of(clinic, ChangeKind.NEW_LISTING)
    auth.login(moderator)
    post_decision(client, "listings", item, reject="Refuse", reason="not_a_clinic", note="No address")
    db.session.expire_all()
    assert db.session.get(Clinic, clinic.id).status == ClinicStatus.DRAFT
    body = mailbox.body(mailbox.last_to(owner.email))
    assert "was refused: Not a ketamine clinic that patients can visit" in body and "No address" in body


def test_an_edit_of_the_draft_makes_an_earlier_view_stale(client, auth, moderator, draft):
    clinic, owner = draft
    item = item_of(clinic, ChangeKind.NEW_LISTING)
    seen = item.version
    save_owner_edit(clinic, owner, {"description": "Now with psychotherapy."})
    db.session.commit()
    auth.login(moderator)
    response = post_decision(client, "listings", item, version=seen, approve="Approve", basis="meets_policy")
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Clinic, clinic.id).status == ClinicStatus.DRAFT


def test_approving_a_held_edit_applies_it(client, auth, moderator, held, mailbox):
    clinic, owner, change = held
    assert clinic.phone == "303 555 0100" and clinic.description == "Monitored infusions."
    auth.login(moderator)
    page = text_of(client.get("/moderation/edits/"))
    assert "The screen found: guarantee, miracle" in page
    assert edit_queue.pending_count(moderator) == 1 and listing_queue.pending_count(moderator) == 0
    response = post_decision(client, "edits", change, approve="Approve", basis="meets_policy")
    assert response.status_code == 302
    db.session.expire_all()
    clinic = db.session.get(Clinic, clinic.id)
    assert clinic.description == "Guaranteed relief, a miracle."
    assert clinic.last_verified_on == today()
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.action == "edit_approved")).one()
    assert entry.changes["description"] == ["Monitored infusions.", "Guaranteed relief, a miracle."]
    assert "is approved and now shown" in mailbox.body(mailbox.last_to(owner.email))


def test_refusing_a_held_edit_leaves_the_listing(client, auth, moderator, held, mailbox):
    clinic, owner, change = held
    auth.login(moderator)
    post_decision(client, "edits", change, reject="Refuse", reason="prohibited_claim")
    db.session.expire_all()
    assert db.session.get(Clinic, clinic.id).description == "Monitored infusions."
    assert "refused: Claims a cure, a guarantee or a miracle" in mailbox.body(mailbox.last_to(owner.email))
    client.post("/logout")
    auth.login(owner)
    assert "Nothing is waiting." in text_of(client.get(f"/portal/clinics/{clinic.slug}"))


def test_a_stale_held_edit_decision_gets_409(client, auth, moderator, held):
    clinic, owner, change = held
    seen = change.version
    save_owner_edit(clinic, owner, {"description": "A miracle, guaranteed.", "accessibility": "Cures guaranteed"})
    db.session.commit()
    auth.login(moderator)
    response = post_decision(client, "edits", change, version=seen, approve="Approve", basis="meets_policy")
    assert response.status_code == 409


def test_the_queues_are_oldest_first(client, auth, moderator, create_clinic, make_owner):
    changes = []
    for minutes in (5, 60, 30):
        clinic = create_clinic()
        outcome = save_owner_edit(clinic, make_owner(clinic), {"description": "A cure"})
        outcome.held.created_at = utcnow() - timedelta(minutes=minutes)
        changes.append(outcome.held)
    db.session.commit()
    auth.login(moderator)
    html = client.get("/moderation/edits/").get_data(as_text=True)
    positions = [html.index(f'id="change-{c.id}"') for c in changes]
    assert positions[1] < positions[2] < positions[0]


def test_a_moderator_of_the_clinic_is_refused(client, auth, moderator, held):
    clinic, _, change = held
    db.session.add(ClinicMembership(user=moderator, clinic=clinic, role=MembershipRole.STAFF))
    db.session.commit()
    auth.login(moderator)
    assert edit_queue.pending_count(moderator) == 0
    assert f'id="change-{change.id}"' not in client.get("/moderation/edits/").get_data(as_text=True)
    assert client.get(f"/moderation/edits/{change.id}").status_code == 403
    assert post_decision(client, "edits", change, approve="Approve", basis="meets_policy").status_code == 403


def test_a_held_edit_is_not_in_the_new_listing_queue(client, auth, moderator, held):
    _, _, change = held
    auth.login(moderator)
    assert client.get(f"/moderation/listings/{change.id}").status_code == 404
