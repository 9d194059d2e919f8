"""Clinics committed to the live server's database for the compare, map and accessibility browser tests.

Each place is used by no other test: Cheyenne, WY for a few clinics with evidence and reviews, Bismarck, ND
for a crowd close enough together that its markers cluster.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from geopy.distance import geodesic

from provider_dir.accounts.models import User
from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, Route
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus, TimeToRelief
from provider_dir.scoring.services import recompute_clinics
from tests.conftest import test_password_hash
from tests.scoring import builders

CHEYENNE_ZIP, CHEYENNE = "82001", (41.1400, -104.8202)
BISMARCK_ZIP, BISMARCK = "58501", (46.8083, -100.7837)


@dataclass(frozen=True)
class World:
    """Slugs and names a test needs, read before the session closed."""

    tag: str
    slugs: list[str]
    names: list[str]
    patient_email: str
    crowd: int = 0


def _place(clinic: Clinic, origin: tuple[float, float], miles: float, bearing: float,
           city: str, state: str, zip_code: str) -> None:
    there = geodesic(miles=miles).destination(origin, bearing)
    clinic.latitude, clinic.longitude = there.latitude, there.longitude
    clinic.city, clinic.state, clinic.zip_code = city, state, zip_code


def cheyenne(session) -> World:
    """Three clinics around Cheyenne: all verified, a safety warning, and one with reviews; and a patient."""
    tag = uuid.uuid4().hex[:6]
    moderator = builders.make_moderator(session)
    safe = builders.exemplary_clinic(session, moderator, slug=f"prairie-safe-ketamine-{tag}",
                                     name=f"Prairie Safe Ketamine {tag}", price_per_infusion_usd=525,
                                     phone="(307) 555-0101")
    warned = builders.make_clinic(session, slug=f"frontier-quick-infusions-{tag}",
                                  name=f"Frontier Quick Infusions {tag}", price_per_infusion_usd=299)
    builders.add_staff(session, warned, StaffRole.NURSE_PRACTITIONER,
                       [builders.credential(CredentialKind.STATE_LICENSE, issuer="WY")])
    reviewed = builders.make_clinic(session, slug=f"high-plains-wellness-{tag}", name=f"High Plains Wellness {tag}",
                                    price_per_infusion_usd=450)
    reviewed.routes = [Route.IV, Route.ESKETAMINE]
    for index, (miles, clinic) in enumerate([(2, safe), (4, warned), (6, reviewed)]):
        _place(clinic, CHEYENNE, miles, 90 * index, "Cheyenne", "WY", CHEYENNE_ZIP)
    patient = User(email=f"keyboard-{tag}@e2e.test", display_name=f"keyboard_{tag}",
                   password_hash=test_password_hash())
    session.add(patient)
    for stars in (5, 4, 4, 2):
        author = User(email=f"author-{stars}-{uuid.uuid4().hex[:6]}@e2e.test", display_name=f"a_{uuid.uuid4().hex[:8]}",
                      password_hash=test_password_hash())
        session.add(Review(clinic=reviewed, author=author, rating_overall=stars, status=ReviewStatus.APPROVED,
                           title="Careful staff",
                           body="They checked my blood pressure before and during every infusion.",
                           condition=Condition.DEPRESSION, would_recommend=stars > 3,
                           time_to_relief=TimeToRelief.DAYS if stars > 3 else TimeToRelief.NONE))
    session.flush()
    recompute_clinics(session, [safe.id, warned.id, reviewed.id])
    world = World(tag, [safe.slug, warned.slug, reviewed.slug], [safe.name, warned.name, reviewed.name], patient.email)
    session.commit()
    return world


def bismarck_crowd(session, count: int = 16) -> World:
    """Clinics within about a mile of Bismarck's centre, in pairs a few hundred feet apart (they cluster)."""
    tag = uuid.uuid4().hex[:6]
    clinics = []
    for n in range(count):
        clinic = Clinic(name=f"Bismarck Crowd {n:02d} {tag}", slug=f"bismarck-crowd-{n:02d}-{tag}", street="1 Main Ave",
                        city="Bismarck", state="ND", zip_code=BISMARCK_ZIP, latitude=0.0, longitude=0.0,
                        status=ClinicStatus.PUBLISHED, price_per_infusion_usd=400)
        clinic.routes = [Route.IV]
        clinic.conditions = [Condition.DEPRESSION]
        _place(clinic, BISMARCK, 0.3 + 0.1 * (n // 2) + 0.02 * (n % 2), (n // 2) * 45, "Bismarck", "ND", BISMARCK_ZIP)
        clinics.append(clinic)
    session.add_all(clinics)
    world = World(tag, [c.slug for c in clinics], [c.name for c in clinics], "", count)
    session.commit()
    return world


_BUILT: dict[tuple[int, str], World] = {}


def committed(app, build) -> World:
    """Run a builder once per live app, on its database in its own app context and session; return its world.

    Once, so that the test modules sharing a place see the same clinics around it, whichever runs first.
    """
    key = (id(app), build.__name__)
    if key not in _BUILT:
        with app.app_context():
            try:
                _BUILT[key] = build(db.session)
            finally:
                db.session.remove()
    return _BUILT[key]
