"""Log lines: one JSON object a line with the request's id, X-Request-ID on every answer, and never a secret."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest

from provider_dir import create_app
from provider_dir.config import ConfigError, from_environment
from provider_dir.observability.requestlog import configure_logging
from tests.accounts.conftest import path_of
from tests.conftest import TEST_CONFIG

PASSWORD = "tide pools at dusk"
NEW_PASSWORD = "a quiet walk by the river"
EMAIL = "log.reader@example.com"


@pytest.fixture
def json_logs(app):
    """Switch the log lines to JSON at DEBUG for one test; return a reader of the lines written so far."""
    before = app.config["LOG_FORMAT"], app.config["LOG_LEVEL"]
    app.config.update(LOG_FORMAT="json", LOG_LEVEL="DEBUG")
    written = io.StringIO()
    configure_logging(app, stream=written)
    # The test's own SMTP server (aiosmtpd, another process in production) logs what it receives at DEBUG.
    smtp_log = logging.getLogger("mail.log")
    smtp_level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)

    class Lines:
        @property
        def text(self) -> str:
            return written.getvalue()

        def __call__(self) -> list[dict]:
            """Return every line written so far, each one JSON object."""
            return [json.loads(line) for line in self.text.splitlines()]

    yield Lines()
    smtp_log.setLevel(smtp_level)
    app.config.update(LOG_FORMAT=before[0], LOG_LEVEL=before[1])
    configure_logging(app)


def test_each_line_is_a_json_object_with_the_request_fields(client, json_logs):
    client.get("/about", headers={"X-Request-ID": "edge-7f3a.2_b"})
    [line] = [entry for entry in json_logs() if entry["logger"] == "provider_dir.requests"]
    assert set(line) >= {"time", "level", "logger", "message", "request_id", "method", "path", "status", "duration_ms"}
    assert line["request_id"] == "edge-7f3a.2_b" and line["method"] == "GET" and line["path"] == "/about"
    assert line["status"] == 200 and line["duration_ms"] >= 0 and line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_a_sane_request_id_is_kept_and_any_other_is_replaced(client):
    assert client.get("/about", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    for bad in ("x" * 65, "has space", "semi;colon", "ünïcode", ""):
        made = client.get("/about", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert made != bad and len(made) == 32 and made.isalnum()
    first, second = (client.get("/about").headers["X-Request-ID"] for _ in range(2))
    assert first != second


def test_errors_carry_the_request_id_too(client):
    answer = client.get("/no-such-page", headers={"X-Request-ID": "lost-1"})
    assert answer.status_code == 404 and answer.headers["X-Request-ID"] == "lost-1"


def test_every_line_of_a_request_carries_its_id(app, json_logs):
    own = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                      "LOG_FORMAT": "json", "LOG_LEVEL": "DEBUG"})  # fmt: skip

    @own.get("/log-twice")  # a view that logs, as a feature's would
    def log_twice():
        own.logger.info("first thing")
        logging.getLogger("provider_dir.some.feature").warning("second thing")
        return "ok"

    own.test_client().get("/log-twice", headers={"X-Request-ID": "two-lines"})
    ours = [entry for entry in json_logs() if entry["request_id"] == "two-lines"]
    assert [entry["message"] for entry in ours][:2] == ["first thing", "second thing"]
    assert ours[-1]["logger"] == "provider_dir.requests" and ours[-1]["status"] == 200


def test_sign_up_log_in_and_reset_leave_no_secret_in_the_logs(client, mailbox, json_logs):
    client.post("/register", data={"email": EMAIL, "display_name": "log_reader", "password": PASSWORD})
    [confirm] = [path_of(link) for link in mailbox.links(mailbox.last_to(EMAIL)) if "/confirm/" in link]
    client.get(confirm)
    assert client.post(confirm).status_code == 302
    assert client.post("/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 302
    session_cookie = client.get_cookie("session").value
    assert client.get("/account/").status_code == 200
    client.post("/logout")
    client.post("/reset", data={"email": EMAIL})
    [reset] = [path_of(link) for link in mailbox.links(mailbox.last_to(EMAIL)) if "/reset/" in link]
    client.get(reset)
    assert client.post(reset, data={"password": NEW_PASSWORD}).status_code == 302
    assert client.post("/login", data={"email": EMAIL, "password": NEW_PASSWORD}).status_code == 302

    assert json_logs()
    logged = json_logs.text
    assert "/reset/[token]" in logged and "/confirm/[token]" in logged  # the requests were logged
    secrets = {
        "password": PASSWORD, "new password": NEW_PASSWORD, "session cookie": session_cookie,
        "confirm token": confirm.rsplit("/", 1)[1], "reset token": reset.rsplit("/", 1)[1],
    }  # fmt: skip
    for message in mailbox.messages:
        body_lines = [line for line in mailbox.body(message).splitlines() if len(line.strip()) > 20]
        assert body_lines
        secrets.update({f"mail line {line[:20]!r}": line.strip() for line in body_lines})
    for name, secret in secrets.items():
        assert secret not in logged, f"the {name} is in a log line"


@pytest.mark.parametrize(("name", "value"), [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "LOUD")])
def test_an_unknown_log_setting_is_refused_by_name(name, value):
    with pytest.raises(ConfigError, match=name):
        from_environment({name: value})


def test_text_lines_carry_the_request_id_too(app, client):
    written = io.StringIO()
    configure_logging(app, stream=written)
    try:
        client.get("/about", headers={"X-Request-ID": "text-line-7"})
        logging.getLogger("provider_dir.outside").warning("not in a request")
    finally:
        configure_logging(app, stream=sys.stderr)
    request_line, outside = written.getvalue().splitlines()[-2:]
    assert request_line.endswith("INFO provider_dir.requests [text-line-7]: GET /about 200")
    assert outside.endswith("WARNING provider_dir.outside: not in a request")


def test_an_unexpected_error_on_a_link_with_a_token_logs_the_path_without_it(app, json_logs):
    own = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                      "LOG_FORMAT": "json", "LOG_LEVEL": "DEBUG"})  # fmt: skip

    @own.get("/breaks/<token>")
    def breaks(token):
        raise RuntimeError("a bug")

    answer = own.test_client().get("/breaks/SECRET-token-in-a-link")
    assert answer.status_code == 500 and answer.headers["X-Request-ID"]
    [error] = [line for line in json_logs() if line["level"] == "ERROR"]
    assert error["message"] == "unhandled error on /breaks/[token]" and "RuntimeError" in error["exception"]
    assert "SECRET" not in json_logs.text
