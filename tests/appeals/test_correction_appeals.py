"""Appeals of a declined correction: the signed-in suggester and the clinic's owners may appeal; a second moderator
reverses it (the corrections queue applies it to the listing) or upholds it (the listing stays)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.appeals import services
from provider_dir.appeals.models import Appeal
from provider_dir.appeals.vocab import AppealReason, AppealStatus
from provider_dir.corrections.vocab import CorrectionStatus
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import ModerationLog
from tests.corrections.helpers import NEW_PHONE, OLD_PHONE, decline_one
from tests.reviews.helpers import text_of


@pytest.fixture
def declined(create_clinic, make_owner, create_user, first_moderator):
    return decline_one(create_clinic, make_owner, create_user, first_moderator)


def _phone(clinic_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Clinic, clinic_id).phone


def test_the_signed_in_suggester_and_the_owners_may_appeal_and_no_one_else(declined, create_user):
    decision = services.load_decision(declined.entry.id)
    assert decision.kind.name == "correction" and decision.outcome == "refused"
    for person in (declined.suggester, declined.owner):
        assert services.refusal(decision, person) is None
        assert [d.entry.id for d in services.open_to(person)] == [declined.entry.id]
    stranger = create_user(email_confirmed_at=utcnow())
    assert services.refusal(decision, stranger) is not None
    assert services.open_to(stranger) == []


def test_a_correction_suggested_without_signing_in_is_appealed_by_the_owners_alone(
        create_clinic, make_owner, create_user, first_moderator):
    declined = decline_one(create_clinic, make_owner, create_user, first_moderator, signed_in=False)
    decision = services.load_decision(declined.entry.id)
    assert decision.how.appellants(decision.entry, decision.item) == [declined.owner.id]
    assert [d.entry.id for d in services.open_to(declined.owner)] == [declined.entry.id]


@pytest.mark.parametrize("who", ["suggester", "owner"])
def test_a_second_moderator_reverses_the_decline_and_the_listing_changes(who, client, auth, declined,
                                                                         first_moderator, second_moderator):
    appellant = getattr(declined, who)
    auth.login(appellant)
    form = client.get(f"/appeals/decisions/{declined.entry.id}").get_data(as_text=True)
    # The correction's own reason list names the ground (RefusalReason has a "not_shown" code of its own).
    assert "Nothing we could check shows it" in form and "The evidence does not show the item" not in form
    response = client.post(f"/appeals/decisions/{declined.entry.id}", data={"text": "Their website lists it."})
    assert response.status_code == 302
    appeal = db.session.scalars(select(Appeal).where(Appeal.log_id == declined.entry.id)).one()
    auth.logout()

    auth.login(first_moderator)
    assert client.post(f"/moderation/appeals/{appeal.id}/decision",
                       data={"version": appeal.version, "reason": "misread"}).status_code == 403
    auth.logout()
    assert _phone(declined.clinic.id) == OLD_PHONE

    auth.login(second_moderator)
    page = client.get(f"/moderation/appeals/{appeal.id}").get_data(as_text=True)
    assert "Nothing we could check shows it" in page and "The evidence does not show the item" not in page
    done = client.post(f"/moderation/appeals/{appeal.id}/decision",
                       data={"version": appeal.version, "reason": "misread", "note": "The clinic's site shows it."})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == AppealStatus.REVERSED
    assert _phone(declined.clinic.id) == NEW_PHONE
    correction = db.session.get(type(declined.correction), declined.correction.id)
    assert correction.status == CorrectionStatus.ACCEPTED and correction.decided_by_id == second_moderator.id
    # The corrections queue logged the acceptance itself, as the second moderator.
    accepted = db.session.scalars(select(ModerationLog).where(ModerationLog.action == "correction_accepted")).one()
    assert accepted.actor_id == second_moderator.id and accepted.target_id == correction.id
    auth.logout()
    assert NEW_PHONE in text_of(client.get(f"/clinics/{declined.clinic.slug}"))


def test_an_upheld_appeal_leaves_the_listing_and_the_decline(declined, second_moderator):
    appeal = services.file_appeal(services.load_decision(declined.entry.id), declined.owner, "Please look again.")
    services.decide(appeal, second_moderator, appeal.version, AppealReason.RULE_APPLIED)
    db.session.commit()
    assert appeal.status == AppealStatus.UPHELD
    assert _phone(declined.clinic.id) == OLD_PHONE
    assert db.session.get(type(declined.correction), declined.correction.id).status == CorrectionStatus.DECLINED
    # One appeal per decision: the suggester cannot appeal it again after the owner did.
    assert services.refusal(services.load_decision(declined.entry.id), declined.suggester) is not None
