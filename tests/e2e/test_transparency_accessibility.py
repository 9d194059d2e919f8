"""axe-core in real Chromium on the transparency report and the public moderation log: no serious violation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.appeals import services as appeals
from provider_dir.appeals.vocab import AppealReason
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.moderation import services
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.models import ModerationLog
from provider_dir.moderation.vocab import RefusalReason, RejectionReason
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from tests.conftest import test_password_hash
from tests.e2e.test_accessibility import OFF_MACHINE, assert_no_serious, axe_violations

pytestmark = pytest.mark.e2e


def _user(session, role=UserRole.PATIENT) -> User:
    tag = uuid.uuid4().hex[:8]
    user = User(email=f"tp-{tag}@e2e.test", display_name=f"tp_{tag}", role=role, password_hash=test_password_hash())
    session.add(user)
    return user


@pytest.fixture(scope="module")
def decided(live_app):
    """A month with reviews published and withheld, a refused credential and a reversed appeal."""
    with live_app.app_context():
        session = db.session
        tag = uuid.uuid4().hex[:6]
        clinic = Clinic(name=f"Transparency Test Clinic {tag}", slug=f"transparency-test-{tag}", street="1 Main St",
                        city="Cheyenne", state="WY", zip_code="82001", latitude=41.14, longitude=-104.82,
                        status=ClinicStatus.PUBLISHED)  # fmt: skip
        session.add(clinic)
        first, second, owner = _user(session, UserRole.MODERATOR), _user(session, UserRole.MODERATOR), _user(
            session, UserRole.CLINIC_OWNER)
        session.add(ClinicMembership(user=owner, clinic=clinic, role=MembershipRole.OWNER))
        session.flush()
        for stars, publish in ((5, True), (4, True), (2, False), (1, True), (1, False)):
            review = Review(clinic=clinic, author=_user(session), rating_overall=stars, status=ReviewStatus.PENDING,
                            title="Calm", body="They checked my blood pressure.",
                            queued_at=datetime.now(UTC) - timedelta(hours=stars * 7))  # fmt: skip
            session.add(review)
            session.flush()
            services.decide(review, first, review.version, approve=publish,
                            reason=None if publish else RejectionReason.UNRELATED)
        credential = Credential(kind=CredentialKind.STATE_LICENSE, identifier="WY1", issuer="WY",
                                status=CredentialStatus.SELF_REPORTED, submitted_at=datetime.now(UTC))
        session.add(StaffMember(clinic=clinic, role=StaffRole.MEDICAL_DIRECTOR, full_name="Dr Test", degree="MD",
                                credentials=[credential]))
        session.flush()
        credential_queue.refuse(credential, first, credential.version, RefusalReason.NO_MATCH)
        session.flush()
        entry = session.query(ModerationLog).filter_by(action="credential_refused", target_id=credential.id).one()
        appeal = appeals.file_appeal(appeals.load_decision(entry.id), owner, "Please look again.")
        appeals.decide(appeal, second, appeal.version, AppealReason.RULE_APPLIED)
        session.commit()
        slug = clinic.slug
        db.session.remove()
    return slug


@pytest.fixture
def tab(browser, live_server):
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.route(OFF_MACHINE, lambda route: route.abort())
    yield page
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("path", ["/transparency", "/transparency/log",
                                  "/transparency/log?clinic={slug}&outcome=refused"])
def test_transparency_pages_have_no_serious_or_critical_violations(tab, decided, path, width):
    tab.set_viewport_size({"width": width, "height": 900 if width > 400 else 800})
    answer = tab.goto(path.format(slug=decided))
    assert answer.status == 200
    assert tab.locator("svg[role=img] title").count() >= (4 if path == "/transparency" else 0)
    assert_no_serious(axe_violations(tab, f"{path} @{width}"))
