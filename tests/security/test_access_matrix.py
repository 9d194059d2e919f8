"""Every route of the app, read from the URL map, crossed with every role: the expected outcome of each cell is data.

A route added without a row here fails test_every_route_has_a_row. Outcomes:
OK - the view ran for this account (a page, a redirect elsewhere than the log-in page, or a 4xx about the input);
LOGIN - sent to the log-in page; DENY - 403 or 404 (the account may not see or change this).
POSTs carry no form data, so an allowed POST answers 400/422 or redirects; a denied one never reaches the form.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.datastructures import FileStorage

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.corrections.services import suggest
from provider_dir.corrections.vocab import CorrectionField
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.documents.services import save_upload
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.mail.models import MailStatus
from provider_dir.mail.services import queue_mail
from provider_dir.models.base import utcnow
from provider_dir.opendata.hsds import mapping as hsds_mapping
from provider_dir.portal.claims import services as claims
from provider_dir.portal.listings.edit import save_owner_edit
from provider_dir.reviews.vocab import ReviewStatus
from tests.scoring.evidence_helpers import PDF, pending_answer

ROLES = ("anonymous", "patient", "author", "owner", "other_owner", "moderator", "member_moderator", "admin",
         "deactivated")
OK, LOGIN, DENY = "ok", "login", "deny"

# Who may do what, as a row of outcomes in ROLES order.
PUBLIC = (OK,) * 9
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK, OK, LOGIN)
THIS_OWNER = (LOGIN, DENY, DENY, OK, DENY, DENY, DENY, DENY, LOGIN)
ANY_OWNER = (LOGIN, DENY, DENY, OK, OK, DENY, DENY, DENY, LOGIN)
MODERATORS = (LOGIN, DENY, DENY, DENY, DENY, OK, OK, OK, LOGIN)
INDEPENDENT_MODERATORS = (LOGIN, DENY, DENY, DENY, DENY, OK, DENY, OK, LOGIN)
ADMINS = (LOGIN, DENY, DENY, DENY, DENY, DENY, DENY, OK, LOGIN)
AUTHOR = (LOGIN, DENY, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)
# Patients write reviews; the clinic's owner, other owners, moderators and admins may not (FTC insider rule).
REVIEWERS = (LOGIN, OK, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)
# Patients and owners of other clinics may claim, except one whose claim is open ("patient") and this clinic's owner;
# moderator and admin accounts never manage listings (portal/claims.py says why).
CLAIMERS = (LOGIN, DENY, OK, DENY, OK, DENY, DENY, DENY, LOGIN)
LISTING_CREATORS = (LOGIN, OK, OK, OK, OK, DENY, DENY, DENY, LOGIN)
# The claimant is the "patient" account here: only they follow their claim's code.
CLAIMANT = (LOGIN, OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)
# Only the person a decision is about may appeal it: the "author" account, whose review was withheld.
APPELLANT = (LOGIN, DENY, OK, DENY, DENY, DENY, DENY, DENY, LOGIN)

# (method, rule) -> expected outcomes. GETs run first, then POSTs in this order (deletions last).
MATRIX: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/about"): PUBLIC,
    ("GET", "/guide"): PUBLIC,
    ("GET", "/methodology"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/metrics"): (DENY,) * 9,  # only a scraper's METRICS_TOKEN opens it (tests/observability)
    ("GET", "/static/<path:filename>"): PUBLIC,
    ("GET", "/search"): PUBLIC,
    ("GET", "/compare"): PUBLIC,
    ("GET", "/clinics"): PUBLIC,
    ("GET", "/clinics/<slug>"): PUBLIC,
    ("GET", "/clinics/<slug>/questions"): PUBLIC,
    ("GET", "/clinics/<slug>/correction"): PUBLIC,
    ("GET", "/api/v1/search"): PUBLIC,
    ("GET", "/api/v1/suggest"): PUBLIC,
    ("GET", "/api/v1/compare"): PUBLIC,
    ("GET", "/api/v1/clinics/<slug>"): PUBLIC,
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    ("GET", "/api/v1/transparency/log"): PUBLIC,
    ("GET", "/hsds/"): PUBLIC,
    ("GET", "/hsds/openapi.json"): PUBLIC,
    ("GET", "/hsds/services"): PUBLIC,
    ("GET", "/hsds/services/<id>"): PUBLIC,
    ("GET", "/hsds/organizations"): PUBLIC,
    ("GET", "/hsds/organizations/<id>"): PUBLIC,
    ("GET", "/hsds/service_at_locations"): PUBLIC,
    ("GET", "/hsds/taxonomies"): PUBLIC,
    ("GET", "/hsds/taxonomy_terms"): PUBLIC,
    ("GET", "/transparency"): PUBLIC,
    ("GET", "/transparency/log"): PUBLIC,
    ("GET", "/transparency/<name>.csv"): PUBLIC,
    ("GET", "/open-data"): PUBLIC,
    # 404 for everyone here: this world has published no files (tests/opendata/test_open_data_page.py serves them).
    ("GET", "/open-data/files/<name>"): (DENY,) * 9,
    ("GET", "/login"): PUBLIC,
    ("GET", "/register"): PUBLIC,
    ("GET", "/register/check-email"): PUBLIC,
    ("GET", "/reset"): PUBLIC,
    ("GET", "/reset/sent"): PUBLIC,
    ("GET", "/reset/<token>"): PUBLIC,
    ("GET", "/confirm/<token>"): PUBLIC,
    ("GET", "/account/email/<token>"): PUBLIC,
    ("GET", "/account/email/undo/<token>"): PUBLIC,
    ("GET", "/reviews/<int:review_id>/report"): PUBLIC,
    ("GET", "/clinics/<slug>/review"): REVIEWERS,
    ("GET", "/reviews/<int:review_id>/edit"): AUTHOR,
    ("GET", "/reviews/mine"): SIGNED_IN,
    ("GET", "/notifications"): SIGNED_IN,
    ("GET", "/account/"): SIGNED_IN,
    ("GET", "/account/password"): SIGNED_IN,
    ("GET", "/account/email"): SIGNED_IN,
    ("GET", "/login/code"): SIGNED_IN,  # without a password just typed it sends back to log in (or home)
    ("GET", "/account/two-factor"): SIGNED_IN,
    ("GET", "/account/two-factor/confirm"): SIGNED_IN,
    ("GET", "/account/two-factor/turn-off"): SIGNED_IN,
    ("GET", "/portal/claim/<slug>"): SIGNED_IN,
    ("GET", "/portal/claims"): SIGNED_IN,
    ("GET", "/portal/new"): SIGNED_IN,
    ("GET", "/portal/claims/<int:claim_id>/code"): CLAIMANT,
    ("GET", "/portal/"): ANY_OWNER,
    ("GET", "/portal/clinics/<slug>"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/edit"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/invitations"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/reviews"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/checklist"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/checklist/<code>"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/documents/<int:document_id>"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/staff"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/staff/new"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/staff/<int:staff_id>"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/staff/<int:staff_id>/credentials/new"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/staff/<int:staff_id>/credentials/<int:credential_id>"): THIS_OWNER,
    ("GET", "/portal/clinics/<slug>/staff/<int:staff_id>/credentials/<int:credential_id>/document"): THIS_OWNER,
    ("GET", "/portal/reviews/<int:review_id>/reply"): THIS_OWNER,
    ("GET", "/moderation/"): MODERATORS,
    ("GET", "/moderation/log"): MODERATORS,
    ("GET", "/moderation/claims/"): MODERATORS,
    ("GET", "/moderation/listings/"): MODERATORS,
    ("GET", "/moderation/edits/"): MODERATORS,
    ("GET", "/moderation/credentials/"): MODERATORS,
    ("GET", "/moderation/registry/exclusions/"): MODERATORS,
    ("GET", "/moderation/registry/exclusions/<int:match_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/evidence/"): MODERATORS,
    ("GET", "/moderation/corrections/"): MODERATORS,
    ("GET", "/moderation/reviews/<int:review_id>"): MODERATORS,
    ("GET", "/moderation/claims/<int:claim_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/claims/<int:claim_id>/document"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/listings/<int:change_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/edits/<int:change_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/credentials/<int:credential_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/credentials/<int:credential_id>/document"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/evidence/<int:answer_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/corrections/<int:correction_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/moderation/evidence/documents/<int:document_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/appeals/"): SIGNED_IN,
    ("GET", "/appeals/decisions/<int:log_id>"): APPELLANT,
    ("GET", "/moderation/appeals/"): MODERATORS,
    ("GET", "/moderation/appeals/<int:appeal_id>"): INDEPENDENT_MODERATORS,
    ("GET", "/admin/"): ADMINS,
    ("GET", "/admin/users/<int:user_id>"): ADMINS,
    ("GET", "/admin/imports"): ADMINS,
    ("GET", "/admin/imports/pending/<token>"): ADMINS,
    ("GET", "/admin/imports/<int:run_id>"): ADMINS,
    ("GET", "/admin/mail"): ADMINS,
    # State-changing requests.
    ("POST", "/login"): PUBLIC,
    ("POST", "/register"): PUBLIC,
    ("POST", "/reset"): PUBLIC,
    ("POST", "/reset/<token>"): PUBLIC,
    ("POST", "/confirm/<token>"): PUBLIC,
    ("POST", "/confirm/resend"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("POST", "/account/email"): SIGNED_IN,
    ("POST", "/login/code"): SIGNED_IN,
    ("POST", "/account/two-factor/setup"): SIGNED_IN,
    ("POST", "/account/two-factor/confirm"): SIGNED_IN,
    ("POST", "/account/two-factor/recovery-codes"): SIGNED_IN,
    ("POST", "/account/two-factor/turn-off"): SIGNED_IN,
    ("POST", "/account/email/<token>"): PUBLIC,
    ("POST", "/account/email/undo/<token>"): PUBLIC,
    ("POST", "/reviews/<int:review_id>/report"): PUBLIC,
    ("POST", "/clinics/<slug>/correction"): PUBLIC,
    ("POST", "/clinics/<slug>/review"): REVIEWERS,
    ("POST", "/reviews/<int:review_id>/edit"): AUTHOR,
    ("POST", "/notifications/read"): SIGNED_IN,
    ("POST", "/portal/claim/<slug>"): CLAIMERS,
    ("POST", "/portal/new"): LISTING_CREATORS,
    ("POST", "/portal/claims/<int:claim_id>/code"): CLAIMANT,
    ("POST", "/portal/claims/<int:claim_id>/resend"): CLAIMANT,
    ("POST", "/portal/clinics/<slug>/edit"): THIS_OWNER,
    ("POST", "/portal/clinics/<slug>/invitations"): THIS_OWNER,
    ("POST", "/portal/clinics/<slug>/checklist/<code>"): THIS_OWNER,
    ("POST", "/portal/clinics/<slug>/staff/new"): THIS_OWNER,
    ("POST", "/portal/clinics/<slug>/staff/<int:staff_id>"): THIS_OWNER,
    ("POST", "/portal/clinics/<slug>/staff/<int:staff_id>/credentials/new"): THIS_OWNER,
    ("POST", "/portal/clinics/<slug>/staff/<int:staff_id>/credentials/<int:credential_id>"): THIS_OWNER,
    ("POST", "/portal/reviews/<int:review_id>/reply"): THIS_OWNER,
    ("POST", "/moderation/reviews/<int:review_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/moderation/claims/<int:claim_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/moderation/listings/<int:change_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/moderation/edits/<int:change_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/moderation/credentials/<int:credential_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/moderation/registry/credentials/<int:credential_id>/verify"): INDEPENDENT_MODERATORS,
    ("POST", "/moderation/registry/exclusions/<int:match_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/moderation/evidence/<int:answer_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/moderation/corrections/<int:correction_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/appeals/decisions/<int:log_id>"): APPELLANT,
    ("POST", "/moderation/appeals/<int:appeal_id>/decision"): INDEPENDENT_MODERATORS,
    ("POST", "/admin/users/<int:user_id>/role"): ADMINS,
    ("POST", "/admin/users/<int:user_id>/second-factor/reset"): ADMINS,
    ("POST", "/admin/users/<int:user_id>/active"): ADMINS,
    ("POST", "/admin/imports"): ADMINS,
    ("POST", "/admin/imports/pending/<token>/confirm"): ADMINS,
    ("POST", "/admin/imports/pending/<token>/cancel"): ADMINS,
    ("POST", "/admin/imports/<int:run_id>/undo"): ADMINS,
    ("POST", "/admin/mail/<int:mail_id>/retry"): ADMINS,
    ("POST", "/portal/reviews/<int:review_id>/reply/delete"): THIS_OWNER,
    ("POST", "/portal/clinics/<slug>/checklist/<code>/withdraw"): THIS_OWNER,
    ("POST", "/portal/claims/<int:claim_id>/withdraw"): CLAIMANT,
    ("POST", "/reviews/<int:review_id>/withdraw"): AUTHOR,
    ("POST", "/portal/clinics/<slug>/staff/<int:staff_id>/credentials/<int:credential_id>/delete"): THIS_OWNER,
    ("POST", "/portal/clinics/<slug>/staff/<int:staff_id>/delete"): THIS_OWNER,
    ("POST", "/logout"): SIGNED_IN,
}

# Rules whose ids are not the shared ones in the world (the key is the rule).
RULE_VALUES = {
    "/moderation/reviews/<int:review_id>": {"review_id": "pending_review_id"},
    "/moderation/reviews/<int:review_id>/decision": {"review_id": "pending_review_id"},
    "/moderation/listings/<int:change_id>": {"change_id": "new_listing_change_id"},
    "/moderation/listings/<int:change_id>/decision": {"change_id": "new_listing_change_id"},
    "/moderation/evidence/documents/<int:document_id>": {"document_id": "evidence_document_id"},
    "/portal/clinics/<slug>/documents/<int:document_id>": {"document_id": "evidence_document_id"},
    "/hsds/services/<id>": {"id": "hsds_service_id"},
    "/hsds/organizations/<id>": {"id": "hsds_organization_id"},
}
QUERY = {"/portal/clinics/<slug>/staff/<int:staff_id>/credentials/new": "?kind=npi",
         "/search": "?location=10001", "/api/v1/search": "?location=10001", "/compare": "?c={slug}",
         "/api/v1/compare": "?c={slug}", "/api/v1/suggest": "?q=ket"}


def app_rules(app) -> set[tuple[str, str]]:
    """Return every (method, rule) the app serves, HEAD and OPTIONS aside."""
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_row(app):
    assert sorted(app_rules(app) - set(MATRIX)) == [], "add a row to MATRIX for each new route"
    assert sorted(set(MATRIX) - app_rules(app)) == [], "remove rows of routes that no longer exist"


@pytest.fixture
def world(create_user, create_clinic, make_owner, add_staff, add_review):
    now = utcnow()
    clinic = create_clinic(website="https://matrix-clinic.example")
    other = create_clinic()
    owner, other_owner = make_owner(clinic), make_owner(other)
    patient = create_user(email_confirmed_at=now)
    review = add_review(clinic)
    pending = add_review(clinic, status=ReviewStatus.PENDING)
    member = add_staff(clinic)
    credential = member.credentials[0]
    credential.status, credential.submitted_at = CredentialStatus.SELF_REPORTED, now
    credential.document = save_upload(FileStorage(io.BytesIO(PDF), "npi.pdf"), clinic.id, owner,
                                      DocumentPurpose.CREDENTIAL)
    answer = pending_answer(clinic, "C08", owner, pdf=True)
    claim, _ = claims.start_domain_claim(patient, clinic, "Nurse", "nurse@matrix-clinic.example", "key", now)
    claim.document = save_upload(FileStorage(io.BytesIO(PDF), "badge.pdf"), clinic.id, patient,
                                 DocumentPurpose.CLAIM)
    held = save_owner_edit(clinic, owner, {"description": "A miracle cure"}).held
    correction = suggest(clinic, CorrectionField.PHONE, {"phone": "(212) 555-0100"}, None)
    draft = create_clinic(status=ClinicStatus.DRAFT)
    make_owner(draft)
    from provider_dir.portal.models import ListingChange
    from provider_dir.portal.vocab import ChangeKind
    new_listing = ListingChange(clinic=draft, kind=ChangeKind.NEW_LISTING, changes={}, flagged_phrases=[],
                                created_at=datetime.now(UTC) - timedelta(hours=1))
    db.session.add(new_listing)
    from provider_dir.registry.models import ExclusionMatch
    possible = ExclusionMatch(staff_member_id=member.id, matched_by="name_state", leie_name="DANA EXAMPLE",
                              leie_state="NY", exclusion_type="1128b4")
    db.session.add(possible)
    member_moderator = create_user(role=UserRole.MODERATOR, email_confirmed_at=now)
    for belongs_to in (clinic, draft):
        db.session.add(ClinicMembership(user=member_moderator, clinic=belongs_to, role=MembershipRole.STAFF))
    deactivated = create_user(email_confirmed_at=now)
    from provider_dir.imports.models import ImportRun
    import_run = ImportRun(source="Matrix list", file_format="csv")
    db.session.add(import_run)
    appealable_id, appeal_id = _appeals_world(clinic, other, review.author, create_user, add_review)
    undeliverable = queue_mail("gone@example.test", "Undeliverable", "Body")
    undeliverable.status = MailStatus.FAILED
    for account in (owner, other_owner, review.author):
        account.email_confirmed_at = now
    accounts = {
        "anonymous": None,
        "patient": patient,
        "author": review.author,
        "owner": owner,
        "other_owner": other_owner,
        "moderator": create_user(role=UserRole.MODERATOR, email_confirmed_at=now),
        "member_moderator": member_moderator,
        "admin": create_user(role=UserRole.ADMIN, email_confirmed_at=now),
        "deactivated": deactivated,
    }
    db.session.commit()
    values = {
        "slug": clinic.slug, "review_id": review.id, "pending_review_id": pending.id, "staff_id": member.id,
        "credential_id": credential.id, "claim_id": claim.id, "change_id": held.id,
        "new_listing_change_id": new_listing.id, "answer_id": answer.id, "document_id": answer.document_id,
        "evidence_document_id": answer.document_id, "user_id": patient.id, "code": "C08", "token": "not-a-token",
        "filename": "css/site.css", "correction_id": correction.id, "match_id": possible.id, "run_id": import_run.id,
        "name": "decisions", "log_id": appealable_id, "appeal_id": appeal_id, "mail_id": undeliverable.id,
        "hsds_service_id": hsds_mapping.service_id(clinic),
        "hsds_organization_id": hsds_mapping.organization_id(clinic),
    }  # fmt: skip
    return {"accounts": accounts, "values": values}


def _appeals_world(clinic, other, author, create_user, add_review) -> tuple[int, int]:
    """Withhold a review of the author's (open to their appeal) and another already appealed, both decided by a
    moderator outside the matrix; return the first decision's log id and the appeal's id."""
    from sqlalchemy import select

    from provider_dir.appeals import services as appeals
    from provider_dir.moderation import services as moderation
    from provider_dir.moderation.models import ModerationLog
    from provider_dir.moderation.vocab import RejectionReason

    first = create_user(role=UserRole.MODERATOR)
    withheld = {}
    for name, at, by in (("open", other, author), ("appealed", clinic, None)):
        pending = add_review(at, status=ReviewStatus.PENDING, **({"author": by} if by else {}))
        moderation.decide(pending, first, pending.version, approve=False, reason=RejectionReason.UNRELATED)
        db.session.flush()
        withheld[name] = (pending, db.session.scalar(select(ModerationLog.id).where(
            ModerationLog.target_id == pending.id, ModerationLog.action == "rejected")))  # fmt: skip
    pending, log_id = withheld["appealed"]
    appeal = appeals.file_appeal(appeals.load_decision(log_id), pending.author, "Please look again.")
    return withheld["open"][1], appeal.id


def url_for_rule(rule: str, values: dict) -> str:
    """Fill a rule's variables from the world."""
    overrides = RULE_VALUES.get(rule, {})
    url = rule
    for part in rule.split("<")[1:]:
        spec = part.split(">", 1)[0]
        name = spec.split(":")[-1]
        url = url.replace(f"<{spec}>", str(values[overrides.get(name, name)]))
    return url + QUERY.get(rule, "").format(**values)


def outcome(response) -> str:
    """Classify a response as OK, LOGIN or DENY (a server error fails outright)."""
    assert response.status_code < 500, f"server error {response.status_code}"
    if response.status_code in (401,) or (
        response.status_code in (302, 303) and "/login" in response.headers.get("Location", "")
    ):
        return LOGIN
    if response.status_code in (403, 404):
        return DENY
    return OK


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_matrix_says(client, auth, world, role):
    account = world["accounts"][role]
    if account is not None:
        auth.login(account)
    if role == "deactivated":
        account.active = False
        db.session.commit()
    wrong = []
    for (method, rule), expected in MATRIX.items():
        url = url_for_rule(rule, world["values"])
        response = client.open(url, method=method, data={} if method == "POST" else None)
        got = outcome(response)
        want = expected[ROLES.index(role)]
        if got != want:
            wrong.append(f"{method} {url}: {got} ({response.status_code}), expected {want}")
    assert wrong == [], "\n".join(wrong)
