"""CSRF on every state-changing request (ASVS 3.5.1): read from the URL map, so a new POST route is covered."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from provider_dir.core.errors import CSRF_MESSAGE

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def state_changing_requests(app) -> list[tuple[str, str]]:
    """Return (method, path) for every state-changing method of every rule, with placeholder arguments."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & STATE_CHANGING):
            values = {name: 1 if isinstance(conv, IntegerConverter) else "any-slug"
                      for name, conv in rule._converters.items()}  # fmt: skip
            found.append((method, adapter.build(rule.endpoint, values, method=method)))
    return found


def test_the_url_map_has_state_changing_routes(app):
    paths = {path for _, path in state_changing_requests(app)}
    assert {"/login", "/logout", "/register", "/clinics/any-slug/review", "/account/password", "/account/email",
            "/account/email/any-slug", "/account/email/undo/any-slug"} <= paths


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "patient"])
def test_every_state_changing_route_refuses_a_request_without_its_token(app, client, auth, create_user, monkeypatch,
                                                                       logged_in):
    if logged_in:
        assert auth.login(create_user()).status_code == 302
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    answers = {(method, path): client.open(path, method=method, data={"anything": "x"})
               for method, path in state_changing_requests(app)}  # fmt: skip
    refused = {key: r.status_code for key, r in answers.items() if r.status_code != 400}
    assert refused == {}, "these state-changing routes did not refuse a request without a CSRF token"
    for response in answers.values():
        assert CSRF_MESSAGE in response.get_data(as_text=True)
