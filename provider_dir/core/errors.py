"""Error pages: friendly HTML for people, JSON with a message under /api."""

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from provider_dir.extensions import db

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


def wants_json() -> bool:
    """Return True for API requests, which get JSON errors."""
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None):
    """Render an error as JSON or HTML with a message a person can act on."""
    message = message or MESSAGES.get(status, "Something went wrong.")
    if wants_json():
        return jsonify(error={"status": status, "message": message}), status
    return render_template("errors/error.html", status=status, message=message), status


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        description = exc.description if exc.code in (400, 422) and exc.description else None
        if exc.code == 400 and description and "CSRF" in description:
            description = "Your form expired or was sent without its security token. Please reload and try again."
        return error_response(exc.code or 500, description)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s", request.path)
        return error_response(InternalServerError.code)
