"""Request ids and log lines: one line per request, as text or as one JSON object a line (LOG_FORMAT)."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import TextIO

from flask import Flask, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
# An id a proxy or client sent is kept when it cannot break a log line or a header; another is made otherwise.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# URL parts that are secrets: e-mailed links carry tokens in their path (/reset/<token>, /confirm/<token>).
SECRET_ARGUMENTS = ("token",)
HANDLER_NAME = "provider_dir"
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s%(request_tag)s: %(message)s"
QUIET_ENDPOINTS = ("core.healthz", "core.readyz", "observability.metrics")  # polled by machines: DEBUG only

ID_KEY, STARTED_KEY = "provider_dir.request_id", "provider_dir.request_started"

log = logging.getLogger("provider_dir.requests")


def incoming_request_id(value: str | None) -> str:
    """Return the request's own id when it is sane (1-64 of A-Z a-z 0-9 . _ -), a new random one otherwise."""
    if value and SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def loggable_path() -> str:
    """Return the request's path with secret URL parts (tokens in e-mailed links) replaced by their name."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if any(word in name for word in SECRET_ARGUMENTS) and str(value):
            path = path.replace(str(value), f"[{name}]")
    return path


def current_request_id() -> str:
    """Return this request's id, making it on first use."""
    # Kept in the WSGI environ, which is the request's alone (g can outlive a request when a context is reused).
    environ = request.environ
    if ID_KEY not in environ:
        environ[ID_KEY] = incoming_request_id(request.headers.get(REQUEST_ID_HEADER))
    return environ[ID_KEY]


class RequestFields(logging.Filter):
    """Give every record the request's id, method and path (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        inside = has_request_context()
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() if inside else None
        if not hasattr(record, "method"):
            record.method = request.method if inside else None
        if not hasattr(record, "path"):
            record.path = loggable_path() if inside else None
        record.request_tag = f" [{record.request_id}]" if record.request_id else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message and the request's fields (null when none)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            entry[field] = getattr(record, field, None)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class NoDevServerRequestLines(logging.Filter):
    """Drop the development server's own request lines: they print e-mailed tokens, ours do not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != '"%s" %s %s'


def configure_logging(app: Flask, stream: TextIO | None = None) -> None:
    """Send every logger's records to stderr (or stream) as text or JSON lines, as LOG_FORMAT and LOG_LEVEL say.

    One handler per process: an app built later with the same settings keeps it, other settings replace it.
    """
    wanted = (app.config.get("LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"))
    root = logging.getLogger()
    ours = [handler for handler in root.handlers if handler.get_name() == HANDLER_NAME]
    if stream is None and ours and getattr(ours[0], "provider_dir_settings", None) == wanted:
        return
    for handler in ours:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.provider_dir_settings = wanted
    handler.set_name(HANDLER_NAME)
    handler.addFilter(RequestFields())
    handler.setFormatter(JsonFormatter() if wanted[0] == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(wanted[1])
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, NoDevServerRequestLines) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(NoDevServerRequestLines())


def init_request_log(app: Flask, on_finish=None) -> None:
    """Give each request an id (echoed in X-Request-ID) and write one line when it is answered."""

    def start() -> None:
        request.environ[STARTED_KEY] = time.perf_counter()
        current_request_id()

    # First of all before_request functions, so that a request refused by a rate limit has its id and time too.
    app.before_request_funcs.setdefault(None, []).insert(0, start)

    @app.after_request
    def finish(response):
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        seconds = time.perf_counter() - request.environ.get(STARTED_KEY, time.perf_counter())
        endpoint = request.url_rule.endpoint if request.url_rule is not None else None
        level = logging.DEBUG if endpoint in QUIET_ENDPOINTS else logging.INFO
        log.log(level, "%s %s %s", request.method, loggable_path(), response.status_code,
                extra={"status": response.status_code, "duration_ms": round(seconds * 1000, 1)})  # fmt: skip
        if on_finish is not None:
            on_finish(endpoint, request.method, response.status_code, seconds)
        return response
