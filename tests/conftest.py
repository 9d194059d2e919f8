"""Shared fixtures: the app on a migrated database, a rolled-back session per test, factories."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, delete, event

from provider_dir import create_app
from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.passwords import hash_password
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.config import PROJECT_ROOT
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.npi import make_npi
from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db, limiter
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, Route
from provider_dir.mail.models import OutgoingMail
from provider_dir.pagecache.hooks import page_store
from provider_dir.pagecache.versioning import settle
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from tests.databases import database_url
from tests.mailbox import Mailbox, SmtpServer, draining
from tests.second_factor import give_second_factor, log_in

TEST_PASSWORD = "correct horse battery staple"
STAFF_ROLES = (UserRole.MODERATOR, UserRole.ADMIN)

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    # Every search that may read the points table does, built again after each write (geo/points/held.py).
    "SEARCH_POINTS_REBUILD_SECONDS": 0,
}


@pytest.fixture
def today() -> date:
    """Today's date, read when the test starts: a module constant goes stale when a run crosses midnight."""
    return date.today()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on loopback that every app in the suite sends its mail through."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    """The test SMTP server's messages, emptied at the start of the test."""
    smtp_server.mailbox.clear()
    return smtp_server.mailbox


@pytest.fixture(scope="session")
def base_app(tmp_path_factory, smtp_server):
    """One app for the session, on a database migrated to head, sending mail to the test SMTP server."""
    url = database_url("main", tmp_path_factory.mktemp("db"))
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "MAIL_URL": smtp_server.url,
         "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads"))}
    )  # fmt: skip
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    return app


@contextmanager
def rolled_back(app):
    """Run inside an app context whose every database change is rolled back on exit.

    The session joins an outer transaction on one connection per engine (SQLAlchemy's "joining a session
    into an external transaction" recipe), so code under test may commit freely.
    """
    with app.app_context():
        engines = db.engines
        originals = dict(engines)
        opened = []
        for key, engine in originals.items():
            connection = engine.connect()
            transaction = connection.begin()
            # The code under test "commits" by releasing a savepoint: that is when kept pages must go stale.
            event.listen(connection, "release_savepoint", lambda conn, name, context: settle(conn))
            engines[key] = connection
            opened.append((connection, transaction))
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            yield app
        finally:
            db.session.remove()
            for connection, transaction in opened:
                transaction.rollback()
                connection.close()
            engines.update(originals)


@pytest.fixture
def app(base_app, smtp_server):
    """The app, with every database change of the test rolled back afterwards; reading the mailbox delivers its mail."""
    with rolled_back(base_app), draining(smtp_server.mailbox, base_app):
        if (store := page_store(base_app)) is not None:
            store.clear()  # the app outlives the test, its data does not
        yield base_app


@pytest.fixture
def limited_app(base_app, smtp_server):
    """An app of its own with rate limits on; the shared limiter is switched back off afterwards."""
    was_enabled = limiter.enabled
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": base_app.config["SQLALCHEMY_DATABASE_URI"],
         "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "MAIL_URL": base_app.config["MAIL_URL"]}
    )  # fmt: skip
    limiter.reset()
    with draining(smtp_server.mailbox, app, share_session=True):
        yield app
    limiter.reset()
    limiter.enabled = was_enabled
    with app.app_context():
        db.session.execute(delete(OutgoingMail))  # what these tests committed must not reach the next test's mailbox
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@lru_cache(maxsize=1)
def test_password_hash() -> str:
    """Hash the test password once (argon2 is slow on purpose)."""
    return hash_password(TEST_PASSWORD)


# Modules that import it under this name must not have pytest collect it as a test.
test_password_hash.__test__ = False

_counter = itertools.count(1)


@pytest.fixture
def create_user(app) -> Callable[..., User]:
    """Return a factory for accounts, all with TEST_PASSWORD; moderators and admins with the test second factor.

    Pass second_factor=False for a moderator or admin who has not set it up yet (or True for anyone else).
    """

    def make(role: UserRole = UserRole.PATIENT, **fields) -> User:
        n = next(_counter)
        fields.setdefault("email", f"user{n}@example.test")
        fields.setdefault("display_name", f"user{n}")
        with_second_factor = fields.pop("second_factor", role in STAFF_ROLES)
        user = User(role=role, password_hash=test_password_hash(), **fields)
        db.session.add(user)
        db.session.flush()
        if with_second_factor:  # as the site requires of moderators and admins
            give_second_factor(user.id)
        return user

    return make


@pytest.fixture
def create_clinic(app) -> Callable[..., Clinic]:
    """Return a factory for published clinics in Manhattan unless told otherwise."""

    def make(**fields) -> Clinic:
        n = next(_counter)
        fields.setdefault("name", f"Test Ketamine Clinic {n}")
        fields.setdefault("slug", f"test-ketamine-clinic-{n}")
        fields.setdefault("street", f"{n} Test Street")
        fields.setdefault("city", "New York")
        fields.setdefault("state", "NY")
        fields.setdefault("zip_code", "10001")
        fields.setdefault("latitude", 40.7506)
        fields.setdefault("longitude", -73.9972)
        fields.setdefault("status", ClinicStatus.PUBLISHED)
        fields.setdefault("price_per_infusion_usd", 450)
        routes = fields.pop("routes", [Route.IV])
        conditions = fields.pop("conditions", [Condition.DEPRESSION])
        clinic = Clinic(**fields)
        clinic.routes = routes
        clinic.conditions = conditions
        db.session.add(clinic)
        db.session.flush()
        return clinic

    return make


@pytest.fixture
def add_staff(app) -> Callable[..., StaffMember]:
    """Return a factory adding a staff member, with a valid NPI, to a clinic."""

    def make(clinic: Clinic, role: StaffRole = StaffRole.MEDICAL_DIRECTOR, **fields) -> StaffMember:
        n = next(_counter)
        credentials = fields.pop("credentials", None)
        fields.setdefault("full_name", f"Dana Example{n}")
        fields.setdefault("degree", "MD")
        member = StaffMember(clinic=clinic, role=role, **fields)
        if credentials is None:
            credentials = [Credential(kind=CredentialKind.NPI, identifier=make_npi(f"1{n:08d}"), issuer="CMS")]
        member.credentials = credentials
        db.session.add(member)
        db.session.flush()
        return member

    return make


@pytest.fixture
def add_review(app, create_user) -> Callable[..., Review]:
    """Return a factory for reviews (approved unless told otherwise) by fresh patients."""

    def make(clinic: Clinic, rating: int = 5, status: ReviewStatus = ReviewStatus.APPROVED, **fields) -> Review:
        author = fields.pop("author", None) or create_user()
        fields.setdefault("title", "Careful, kind staff")
        fields.setdefault("body", "They checked my blood pressure before and during every infusion.")
        review = Review(clinic=clinic, author=author, rating_overall=rating, status=status, **fields)
        if status == ReviewStatus.APPROVED:
            review.published_at = datetime.now(UTC)
        db.session.add(review)
        db.session.flush()
        return review

    return make


@pytest.fixture
def make_owner(create_user) -> Callable[[Clinic], User]:
    """Return a factory for a clinic owner account that owns the given clinic."""

    def make(clinic: Clinic) -> User:
        user = create_user(role=UserRole.CLINIC_OWNER)
        db.session.add(ClinicMembership(user=user, clinic=clinic, role=MembershipRole.OWNER))
        db.session.flush()
        return user

    return make


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client):
        self._client = client

    def login(self, user: User, password: str = TEST_PASSWORD):
        """Log in as the given account, with a code from its authenticator when it has a second factor."""
        return log_in(self._client, user, password)

    def logout(self):
        """Log out."""
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    """Log-in helper bound to the test client."""
    return AuthActions(client)


@pytest.fixture(scope="session")
def migrations_engine(tmp_path_factory):
    """An empty database for the migration tests."""
    engine = create_engine(database_url("migrations", tmp_path_factory.mktemp("migrations")))
    yield engine
    engine.dispose()
