"""Friendly error pages that never leak internals."""

import pytest

from provider_dir import create_app
from provider_dir.extensions import db
from tests.conftest import TEST_CONFIG


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'href="/"' in response.text and "Search for a clinic" in response.text


def test_wrong_method_is_405_not_500(client):
    response = client.delete("/clinics")
    assert response.status_code == 405
    assert "not allowed" in response.text


@pytest.fixture
def failing_app(base_app):
    """A separate app whose /boom routes raise, on the test database."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": base_app.config["SQLALCHEMY_DATABASE_URI"]})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail: password=hunter2")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret internal detail")

    yield app
    with app.app_context():
        db.engine.dispose()


def test_server_error_page_never_shows_the_traceback(failing_app):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Traceback" not in response.text
    assert "secret internal detail" not in response.text
    assert "fictional" in response.text  # still the site's own layout


def test_server_error_under_api_is_json(failing_app):
    response = failing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json["error"]["status"] == 500
    assert "secret" not in response.json["error"]["message"]


def test_when_the_error_page_itself_fails_the_answer_is_still_a_plain_500(failing_app, monkeypatch):
    def broken_template(*args, **kwargs):
        raise RuntimeError("template broke")

    monkeypatch.setattr("provider_dir.core.errors.render_template", broken_template)
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.mimetype == "text/plain"
    assert "Something went wrong on our side" in response.text
    assert "template broke" not in response.text


def test_production_mode_sends_hsts(base_app):
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": base_app.config["SQLALCHEMY_DATABASE_URI"],
            "ENV_NAME": "production",
            "SECRET_KEY": "x" * 40,
        }
    )
    response = app.test_client().get("/healthz")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/api/v1/search", "/about"])
def test_a_405_says_which_methods_are_allowed(client, path):
    # Found by schemathesis: the friendly error page dropped the Allow header that RFC 9110 requires.
    response = client.delete(path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
