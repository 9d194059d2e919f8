"""`flask seed` loads the demo data: enough clinics, metros and reviews, valid NPIs, working demo accounts."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import date

import pyotp
import pytest
import zipcodes
from sqlalchemy import func, select

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.npi import is_valid_npi
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.moderation.models import ModerationLog
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.seeding.demo import DEMO_ACCOUNTS_FILE

DEMO_ACCOUNTS = json.loads(DEMO_ACCOUNTS_FILE.read_text(encoding="utf-8"))["accounts"]


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_command_reports_what_it_loaded_and_that_it_is_fictional(demo_app):
    output = demo_app.config["DEMO_SEED_OUTPUT"]
    assert "Loaded the demo data" in output
    assert "fictional" in output


def test_at_least_150_clinics_in_at_least_25_cities(demo_app):
    assert count(Clinic) >= 150
    assert db.session.scalar(select(func.count(func.distinct(Clinic.city)))) >= 25
    assert count(Clinic, Clinic.status == ClinicStatus.PUBLISHED) >= 150
    assert count(Clinic, Clinic.status == ClinicStatus.DRAFT) >= 1
    assert count(Clinic, Clinic.status == ClinicStatus.SUSPENDED) >= 1


def test_every_clinic_sits_at_the_centroid_of_its_real_zip(demo_app):
    for clinic in db.session.scalars(select(Clinic)):
        entry = zipcodes.matching(clinic.zip_code)[0]
        assert (entry["state"], entry["city"]) == (clinic.state, clinic.city)
        assert clinic.latitude == pytest.approx(float(entry["lat"]), abs=1e-6)
        assert clinic.longitude == pytest.approx(float(entry["long"]), abs=1e-6)


def test_each_clinic_has_one_to_six_staff_and_every_npi_is_valid(demo_app):
    per_clinic = Counter(db.session.scalars(select(StaffMember.clinic_id)))
    assert set(per_clinic) == set(db.session.scalars(select(Clinic.id)))
    assert min(per_clinic.values()) >= 1 and max(per_clinic.values()) <= 6
    npis = list(db.session.scalars(select(Credential.identifier).where(Credential.kind == CredentialKind.NPI)))
    assert len(npis) == sum(per_clinic.values())
    assert all(is_valid_npi(n) for n in npis)


def test_credentials_mix_self_reported_verified_and_expired(demo_app):
    credentials = list(db.session.scalars(select(Credential)))
    today = date(2026, 11, 26)  # the generator's anchor date
    statuses = Counter(c.effective_status(today) for c in credentials)
    assert statuses[CredentialStatus.SELF_REPORTED] > 100
    assert statuses[CredentialStatus.VERIFIED] > 100
    assert statuses[CredentialStatus.EXPIRED] > 20
    moderator = db.session.scalar(select(User).where(User.email == "moderator@demo.example"))
    verified = [c for c in credentials if c.status == CredentialStatus.VERIFIED]
    assert all(c.verified_by_id == moderator.id and c.verified_at is not None for c in verified)


def test_at_least_1500_reviews_mostly_high_with_a_real_tail(demo_app):
    ratings = list(db.session.scalars(select(Review.rating_overall)))
    assert len(ratings) >= 1500
    low_share = sum(1 for r in ratings if r <= 2) / len(ratings)
    assert low_share > 0.05
    assert statistics.median(ratings) in (4, 5)
    assert Counter(ratings).most_common(1)[0][0] == 5


def test_reviews_are_pending_rejected_withdrawn_and_mostly_approved(demo_app):
    by_status = Counter(db.session.scalars(select(Review.status)))
    assert by_status[ReviewStatus.APPROVED] > 0.75 * sum(by_status.values())
    assert by_status[ReviewStatus.PENDING] > 0
    assert by_status[ReviewStatus.WITHDRAWN] > 0
    rejected = list(db.session.scalars(select(Review).where(Review.status == ReviewStatus.REJECTED)))
    assert rejected and all(r.rejection_reason is not None for r in rejected)
    approved = db.session.scalars(select(Review).where(Review.status == ReviewStatus.APPROVED)).all()
    assert all(r.published_at is not None and r.published_at >= r.created_at for r in approved)
    assert count(Review, Review.verified_patient.is_(True)) > 50


def test_review_answers_agree_with_the_rating(demo_app):
    reviews = db.session.scalars(select(Review)).all()
    recommend = defaultdict(list)
    for review in reviews:
        recommend[review.rating_overall].append(review.would_recommend)
    assert sum(recommend[5]) / len(recommend[5]) > 0.9
    assert sum(recommend[1]) / len(recommend[1]) < 0.1
    vitals_no = {r: sum(1 for x in reviews if x.rating_overall == r and x.vitals_monitored.value == "no")
                 / sum(1 for x in reviews if x.rating_overall == r) for r in (1, 5)}
    assert vitals_no[1] > vitals_no[5]


def test_every_decision_on_a_review_has_an_audit_log_row(demo_app):
    decided = count(Review, Review.status.in_([ReviewStatus.APPROVED, ReviewStatus.REJECTED]))
    assert count(ModerationLog, ModerationLog.target_type == "review") == decided


def test_denormalised_ratings_count_only_approved_reviews(demo_app):
    approved = defaultdict(list)
    for clinic_id, rating in db.session.execute(
        select(Review.clinic_id, Review.rating_overall).where(Review.status == ReviewStatus.APPROVED)
    ):
        approved[clinic_id].append(rating)
    for clinic in db.session.scalars(select(Clinic)):
        ratings = approved.get(clinic.id, [])
        assert clinic.rating_count == len(ratings)
        if ratings:
            assert clinic.rating_avg == pytest.approx(sum(ratings) / len(ratings))
        else:
            assert clinic.rating_avg is None


def test_has_verified_credentials_means_a_verified_unexpired_credential(demo_app):
    today = date.today()
    with_verified = {
        member.clinic_id
        for member in db.session.scalars(select(StaffMember))
        for c in member.credentials
        if c.effective_status(today) == CredentialStatus.VERIFIED
    }
    flagged = set(db.session.scalars(select(Clinic.id).where(Clinic.has_verified_credentials.is_(True))))
    assert flagged == with_verified
    assert 0 < len(flagged) < count(Clinic)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a["role"])
def test_demo_accounts_log_in_with_their_password(demo_app, account):
    user = db.session.scalar(select(User).where(User.email == account["email"]))
    assert user.role == UserRole(account["role"])
    assert len(account["password"]) >= 15
    client = demo_app.test_client()
    wrong = client.post("/login", data={"email": account["email"], "password": account["password"] + "x"})
    assert wrong.status_code == 422
    response = client.post("/login", data={"email": account["email"], "password": account["password"]})
    assert response.status_code == 302
    if "totp_key" not in account:
        assert response.headers["Location"] == "/"
        return
    # Moderator and admin: the README's key gives the code that finishes the log-in, and their pages open.
    assert response.headers["Location"] == "/login/code"
    done = client.post("/login/code", data={"code": pyotp.TOTP(account["totp_key"]).now()})
    assert done.status_code == 302
    staff_page = "/moderation/" if account["role"] == "moderator" else "/admin/"
    assert client.get(staff_page).status_code == 200


def test_reviewer_accounts_cannot_log_in(demo_app):
    reviewer = db.session.scalar(select(User).where(User.email.like("%@patients.demo.example")).limit(1))
    assert reviewer.password_hash.startswith("!")
    response = demo_app.test_client().post("/login", data={"email": reviewer.email, "password": "!"})
    assert response.status_code == 422


def test_the_demo_owner_owns_two_clinics_and_reviewed_neither(demo_app):
    owner = db.session.scalar(select(User).where(User.email == "owner@demo.example"))
    owned = set(db.session.scalars(select(ClinicMembership.clinic_id).where(ClinicMembership.user_id == owner.id)))
    assert len(owned) == 2
    assert count(Review, Review.author_id == owner.id) == 0
    patient = db.session.scalar(select(User).where(User.email == "patient@demo.example"))
    assert count(Review, Review.author_id == patient.id) >= 1


def test_a_published_demo_clinic_page_shows_its_staff_and_reviews(demo_app):
    clinic = db.session.scalar(
        select(Clinic).where(Clinic.status == ClinicStatus.PUBLISHED).order_by(Clinic.rating_count.desc()).limit(1)
    )
    page = demo_app.test_client().get(f"/clinics/{clinic.slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert clinic.name in html
    assert clinic.staff[0].full_name in html


def test_seeding_again_is_refused_unless_if_empty(demo_app):
    runner = demo_app.test_cli_runner()
    clinics_before = count(Clinic)
    refused = runner.invoke(args=["seed"])
    assert refused.exit_code == 1
    assert "already has" in refused.output and "--if-empty" in refused.output
    skipped = runner.invoke(args=["seed", "--if-empty"])
    assert skipped.exit_code == 0
    assert "skipped" in skipped.output
    assert count(Clinic) == clinics_before


def test_every_demo_clinic_has_a_stored_score_and_a_bayesian_rating(demo_app):
    from provider_dir.scoring.services import clinic_score

    clinics = db.session.scalars(select(Clinic)).all()
    assert all(c.score_total is not None for c in clinics)
    assert len({c.score_total for c in clinics}) > 10  # strong and weak clinics score differently
    sample = clinics[0]
    assert sample.score_total == clinic_score(db.session, sample.id).total
    rated = [c for c in clinics if c.rating_count]
    assert rated and all(c.rating_bayes is not None for c in rated)
