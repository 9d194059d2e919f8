"""With CSRF protection on (as in production), the staff, credential and decision forms carry and need their tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from tests.conftest import test_password_hash as hashed_password
from tests.credentials.helpers import VALID
from tests.moderation.test_csrf import csrf_token_from, login
from tests.reviews.helpers import isolated_app
from tests.second_factor import give_second_factor


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory):
    with isolated_app(tmp_path_factory, "staff_csrf", WTF_CSRF_ENABLED=True,
                      UPLOAD_FOLDER=str(tmp_path_factory.mktemp("staff_csrf_uploads"))) as app:
        with app.app_context():
            clinic = Clinic(name="Token Clinic", slug="token-clinic", street="1 Main St", city="Austin", state="TX",
                            zip_code="78701", latitude=30.27, longitude=-97.74, status=ClinicStatus.PUBLISHED)
            owner = User(email="owner@token.test", display_name="token_owner", role=UserRole.CLINIC_OWNER,
                         password_hash=hashed_password())
            moderator = User(email="mod@token.test", display_name="token_mod", role=UserRole.MODERATOR,
                             password_hash=hashed_password())
            db.session.add_all([clinic, owner, moderator,
                                ClinicMembership(user=owner, clinic=clinic, role=MembershipRole.OWNER)])
            db.session.flush()
            give_second_factor(moderator.id)
            db.session.commit()
            db.session.remove()
        yield app


def one(app, model):
    with app.app_context():
        return db.session.scalars(select(model)).one_or_none()


def test_the_whole_owner_and_moderator_round_needs_tokens(csrf_app):
    owner, moderator = csrf_app.test_client(), csrf_app.test_client()
    login(owner, "owner@token.test")
    login(moderator, "mod@token.test")
    base = "/portal/clinics/token-clinic/staff"
    staff = {"full_name": "Token Person", "degree": "MD", "role": "psychiatrist"}
    assert owner.post(f"{base}/new", data=staff).status_code == 400
    token = csrf_token_from(owner.get(f"{base}/new").get_data(as_text=True))
    assert owner.post(f"{base}/new", data={**staff, "csrf_token": token}).status_code == 302
    member_id = one(csrf_app, StaffMember).id

    add = f"{base}/{member_id}/credentials/new?kind=state_license"
    assert owner.post(add, data=VALID["state_license"]).status_code == 400
    token = csrf_token_from(owner.get(add).get_data(as_text=True))
    assert owner.post(add, data={**VALID["state_license"], "csrf_token": token}).status_code == 302
    credential = one(csrf_app, Credential)
    assert credential.status == CredentialStatus.SELF_REPORTED

    item = f"/moderation/credentials/{credential.id}"
    decision = {"version": credential.version, "verify": "Verify", "method": "registry", "reference": "TX board"}
    assert moderator.post(f"{item}/decision", data=decision).status_code == 400
    token = csrf_token_from(moderator.get(item).get_data(as_text=True))
    assert moderator.post(f"{item}/decision", data={**decision, "csrf_token": token}).status_code == 302
    assert one(csrf_app, Credential).status == CredentialStatus.VERIFIED

    edit = f"{base}/{member_id}/credentials/{credential.id}"
    assert owner.post(f"{edit}/delete").status_code == 400
    token = csrf_token_from(owner.get(edit).get_data(as_text=True))
    assert owner.post(f"{edit}/delete", data={"csrf_token": token}).status_code == 302
    assert one(csrf_app, Credential) is None
    token = csrf_token_from(owner.get(f"{base}/{member_id}").get_data(as_text=True))
    assert owner.post(f"{base}/{member_id}/delete", data={"csrf_token": token}).status_code == 302
    assert one(csrf_app, StaffMember) is None
