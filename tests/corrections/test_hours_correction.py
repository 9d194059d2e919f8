"""An hours correction shows what the listing says as text, and once accepted is read into opening periods."""

from __future__ import annotations

from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.corrections.services import suggest
from provider_dir.corrections.vocab import CorrectionField
from provider_dir.extensions import db
from provider_dir.hours.services import set_hours_from_text
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import ModerationLog
from tests.reviews.helpers import text_of


def test_an_accepted_hours_correction_becomes_periods_and_a_note(client, auth, create_clinic, create_user):
    clinic = create_clinic(name="Harbor Ketamine")
    set_hours_from_text(clinic, "Mon-Fri 8-18")
    moderator = create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow())
    db.session.commit()
    form = text_of(client.get(f"/clinics/{clinic.slug}/correction?field=hours"))
    assert "(the listing says: Mon 08:00-18:00; Tue 08:00-18:00; Wed 08:00-18:00" in form

    correction = suggest(clinic, CorrectionField.HOURS, {"hours": "Tue-Sat 9-17; closed on public holidays"}, None)
    db.session.commit()
    auth.login(moderator)
    response = client.post(f"/moderation/corrections/{correction.id}/decision",
                           data={"version": correction.version, "accept": "Accept", "basis": "source_shows"})
    assert response.status_code == 302

    db.session.expire_all()
    after = db.session.get(Clinic, clinic.id)
    assert [period["day"] for period in after.opening_hours] == [1, 2, 3, 4, 5]
    assert after.opening_hours[0] == {"day": 1, "opens": "09:00", "closes": "17:00"}
    assert after.hours == "closed on public holidays" and after.open_weekends and not after.open_evenings
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.action == "correction_accepted")).one()
    assert entry.changes["hours"][1] == ("Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; Fri 09:00-17:00; "
                                         "Sat 09:00-17:00; closed on public holidays")
    page = client.get(f"/clinics/{clinic.slug}").text
    assert "closed on public holidays" in page and "Saturday" in page and "9:00 am to 5:00 pm" in page
