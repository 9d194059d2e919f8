"""Every review, moderation and portal route against every role, with the expected status of each cell."""

from __future__ import annotations

import pytest

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.reviews.vocab import ReviewStatus

ROLES = ("anonymous", "patient", "author", "owner", "other_owner", "staff", "moderator", "admin")
LOGIN = 302  # redirected to the login page
# (method, url template, expected status per role in ROLES order)
MATRIX = [
    ("GET", "/clinics/{slug}/review", (LOGIN, 200, 302, 403, 403, 403, 403, 403)),
    ("GET", "/reviews/{review}/edit", (LOGIN, 403, 200, 403, 403, 403, 403, 403)),
    ("GET", "/reviews/mine", (LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/reviews/{review}/report", (200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/notifications", (LOGIN, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/moderation/", (LOGIN, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/moderation/reviews/{pending}", (LOGIN, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/moderation/log", (LOGIN, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/portal/", (LOGIN, 403, 403, 200, 200, 403, 403, 403)),
    ("GET", "/portal/clinics/{slug}/invitations", (LOGIN, 403, 403, 200, 403, 403, 403, 403)),
    ("GET", "/portal/clinics/{slug}/reviews", (LOGIN, 403, 403, 200, 403, 403, 403, 403)),
    ("GET", "/portal/reviews/{review}/reply", (LOGIN, 403, 403, 200, 403, 403, 403, 403)),
    # State-changing cells last, so that they do not change what the earlier cells see.
    ("POST", "/moderation/reviews/{pending}/decision", (LOGIN, 403, 403, 403, 403, 403, 302, 302)),
    ("POST", "/reviews/{review}/withdraw", (LOGIN, 403, 302, 403, 403, 403, 403, 403)),
]


@pytest.fixture
def world(create_user, create_clinic, make_owner, add_review):
    clinic = create_clinic()
    review = add_review(clinic)
    pending = add_review(clinic, status=ReviewStatus.PENDING)
    staff = create_user()
    db.session.add(ClinicMembership(user=staff, clinic=clinic, role=MembershipRole.STAFF))
    accounts = {
        "anonymous": None,
        "patient": create_user(),
        "author": review.author,
        "owner": make_owner(clinic),
        "other_owner": make_owner(create_clinic()),
        "staff": staff,
        "moderator": create_user(role=UserRole.MODERATOR),
        "admin": create_user(role=UserRole.ADMIN),
    }
    db.session.flush()
    return {
        "slug": clinic.slug,
        "review": review.id,
        "pending": pending.id,
        "accounts": accounts,
        "pending_version": pending.version,
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_expected(client, auth, world, role):
    account = world["accounts"][role]
    if account is not None:
        auth.login(account)
    wrong = []
    for method, template, expected in MATRIX:
        url = template.format(**world)
        data = {"version": world["pending_version"], "approve": "Publish"} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        want = expected[ROLES.index(role)]
        if response.status_code != want:
            wrong.append(f"{method} {url}: got {response.status_code}, expected {want}")
        elif want == LOGIN and role == "anonymous" and "/login" not in response.headers["Location"]:
            wrong.append(f"{method} {url}: redirected elsewhere than the login page")
    assert wrong == []
