"""Error pages: friendly HTML for people, JSON with a message under /api."""

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from provider_dir.extensions import db
from provider_dir.observability.requestlog import loggable_path

MESSAGES = {
    400: "The request could not be understood. Please check what you entered and try again.",
    403: "You do not have permission to do that.",
    404: "We could not find that page. It may have moved, or the address may be mistyped.",
    405: "That action is not allowed here.",
    413: "What you sent is too large.",
    422: "Some of what you entered could not be used. Please correct it and try again.",
    429: "Too many attempts in a short time. Please wait a minute and try again.",
    500: "Something went wrong on our side. Nothing you saved was lost; please try again.",
}
CSRF_MESSAGE = "Your form expired or was sent without its security token. Please reload the page and try again."


def wants_json() -> bool:
    """Return True for API requests (/api/v1 and the HSDS API), which get JSON errors."""
    return request.path.startswith(("/api/", "/hsds/"))


def error_response(status: int, message: str | None = None):
    """Render an error as JSON or HTML with a message a person can act on."""
    message = message or MESSAGES.get(status, "Something went wrong.")
    if wants_json():
        return jsonify(error={"status": status, "message": message}), status
    # A server error may come from the database: the page then avoids anything that queries it.
    return render_template("errors/error.html", status=status, message=message, minimal=status >= 500), status


def own_description(exc: HTTPException) -> str | None:
    """Return the message a view gave with abort(), not Werkzeug's generic text; never for server errors."""
    code = exc.code or 500
    if code >= 500 or not exc.description or exc.description == type(exc).description:
        return None
    if code == 400 and "CSRF" in exc.description:
        return CSRF_MESSAGE
    if code == 429:  # flask-limiter describes the limit itself, e.g. "10 per 1 minute"
        return f"Too many attempts in a short time (the limit is {exc.description}). Please wait and try again."
    return exc.description


def protocol_headers(exc: HTTPException) -> list[tuple[str, str]]:
    """Return the headers the error itself requires (Allow on a 405, Retry-After, ...), without its Content-Type."""
    return [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        body, status = error_response(exc.code or 500, own_description(exc))
        return body, status, protocol_headers(exc)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s", loggable_path())  # tokens of e-mailed links left out
        try:
            return error_response(InternalServerError.code)
        except Exception:  # noqa: BLE001 - the error page itself failed: answer in plain text
            app.logger.exception("the error page failed too")
            return MESSAGES[500], 500, {"Content-Type": "text/plain; charset=utf-8"}
