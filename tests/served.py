"""The app served by gunicorn on a loopback port, for tests and benchmarks that need real workers."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode

from flask_migrate import upgrade
from gunicorn.config import KNOWN_SETTINGS

from provider_dir import create_app
from provider_dir.accounts.models import User
from provider_dir.accounts.passwords import hash_password
from provider_dir.accounts.vocab import UserRole
from provider_dir.config import PROJECT_ROOT
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, Route

PASSWORD = "served patient passphrase"  # noqa: S105 - accounts of a throwaway database
SECRET = "served-for-tests-and-benchmarks-not-secret"  # noqa: S105 - loopback only, never production
# gunicorn 25.1+ opens a control socket at one path per user: several servers at once would fight over it.
NO_CONTROL_SOCKET = ["--no-control-socket"] if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS) else []
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def migrated_app(url: str, **config):
    """Return an app on the database at url, migrated to head (for setting up data before serving)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False, **config})
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    return app


def add_clinics(count: int, prefix: str = "served") -> list[str]:
    """Add published clinics in Manhattan (in an app context); return their slugs."""
    slugs = [f"{prefix}-clinic-{n}" for n in range(count)]
    for n, slug in enumerate(slugs):
        clinic = Clinic(name=f"Served Clinic {n}", slug=slug, street=f"{n} Test Street", city="New York", state="NY",
                        zip_code="10001", latitude=40.7506, longitude=-73.9972, status=ClinicStatus.PUBLISHED,
                        price_per_infusion_usd=450)  # fmt: skip
        clinic.routes, clinic.conditions = [Route.IV], [Condition.DEPRESSION]
        db.session.add(clinic)
    db.session.commit()
    return slugs


def add_patients(count: int, prefix: str = "served") -> list[str]:
    """Add patient accounts, all with PASSWORD (hashed once), in an app context; return their emails."""
    password_hash = hash_password(PASSWORD)
    emails = [f"{prefix}-{n}@example.test" for n in range(count)]
    db.session.add_all(
        User(email=email, display_name=f"{prefix}-{n}", password_hash=password_hash, role=UserRole.PATIENT)
        for n, email in enumerate(emails)
    )
    db.session.commit()
    return emails


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form in a page."""
    match = CSRF_TOKEN.search(html)
    if match is None:
        raise ValueError("no csrf_token field in the page")
    return match.group(1)


class Gunicorn:
    """gunicorn serving create_app(config) on 127.0.0.1 with some workers; a context manager.

    The config mapping reaches create_app through gunicorn's factory call syntax, so each worker builds its own
    app (no --preload) with rate limits off unless the caller says otherwise.
    """

    def __init__(self, database_url: str, workers: int = 2, log_path: Path | None = None,
                 options: tuple[str, ...] = (), env: dict[str, str] | None = None, **config):
        self.database_url = database_url
        self.options, self.env = tuple(options), dict(env or {})
        self.workers = workers
        self.port = free_port()
        self.config = {"RATELIMIT_ENABLED": False, **config}
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        env = {**os.environ, "DATABASE_URL": self.database_url, "SECRET_KEY": SECRET, "APP_ENV": "development",
               **self.env}
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115 - closed in __exit__
        self._log = log
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "120", "--graceful-timeout", "10", *NO_CONTROL_SOCKET, "--chdir", str(PROJECT_ROOT),
             *self.options,
             f"provider_dir:create_app({self.config!r})"],
            env=env, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        try:
            self.wait_until_serving(len_workers=self.workers)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._log is not subprocess.DEVNULL:
            self._log.close()

    def worker_pids(self) -> list[int]:
        """Return the process ids of the master's live workers."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def wait_until_serving(self, len_workers: int, timeout: float = 90) -> None:
        """Wait until every worker is up and /healthz answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) >= len_workers:
                        # Each worker builds its app on its first request; warm all of them.
                        for _ in range(len_workers * 4):
                            urllib.request.urlopen(f"{self.base_url}/healthz", timeout=30).close()  # noqa: S310
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError("gunicorn did not start serving in time")


@dataclass
class Answer:
    """What one request got back."""

    status: int
    body: str
    location: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the 302 itself back, so the caller sees where a POST led


class Visitor:
    """One browser over HTTP: its own cookie jar; redirects are answers, not followed."""

    def __init__(self, base_url: str, timeout: float = 60):
        self.base_url = base_url
        self.timeout = timeout
        self.requests = 0
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirects)

    def _send(self, request: urllib.request.Request) -> Answer:
        self.requests += 1
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Answer(response.status, response.read().decode(), response.headers.get("Location", ""))
        except HTTPError as error:
            with error:
                return Answer(error.code, error.read().decode(errors="replace"), error.headers.get("Location", ""))

    def get(self, path: str) -> Answer:
        """GET a path of the served app."""
        return self._send(urllib.request.Request(self.base_url + path))  # noqa: S310 - our loopback URL

    def post(self, path: str, data: dict) -> Answer:
        """POST a form (lists become repeated fields)."""
        body = urlencode(data, doseq=True).encode()
        return self._send(urllib.request.Request(self.base_url + path, data=body, method="POST"))  # noqa: S310

    def post_form(self, path: str, data: dict) -> Answer:
        """GET the page holding a form for its CSRF token, then POST the form with it."""
        page = self.get(path)
        if page.status != 200:
            return page
        return self.post(path, {**data, "csrf_token": csrf_token(page.body)})

    def log_in(self, email: str, password: str) -> Answer:
        """Log in through the real form."""
        return self.post_form("/login", {"email": email, "password": password})


def burst_of_reviews(base_url: str, emails: list[str], slugs: list[str], during=None) -> tuple[set, set]:
    """Have one thread per account post a review of every clinic; call during() once the burst is under way.

    Return (acknowledged, not acknowledged) as sets of (email, slug): a review is acknowledged when its POST
    answered 2xx or 3xx, and not acknowledged when it answered otherwise or the connection broke.
    """
    from tests.reviews.helpers import review_form

    acknowledged, refused = set(), set()
    halfway = threading.Event()

    def post_all(email: str) -> None:
        visitor = Visitor(base_url)
        if visitor.log_in(email, PASSWORD).status >= 400:
            refused.update((email, slug) for slug in slugs)
            return
        for i, slug in enumerate(slugs):
            if i == len(slugs) // 2:
                halfway.set()
            try:
                answer = visitor.post_form(f"/clinics/{slug}/review", review_form(title=f"{email} on {slug}"))
            except OSError:
                refused.add((email, slug))
                continue
            (acknowledged if answer.status < 400 else refused).add((email, slug))

    threads = [threading.Thread(target=post_all, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    if during is not None:
        halfway.wait(timeout=120)
        during()
    for thread in threads:
        thread.join(timeout=600)
    return acknowledged, refused
