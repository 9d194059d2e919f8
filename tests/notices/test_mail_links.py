"""Links in mail come from SITE_URL, never from the Host header a client sent."""

import logging


def test_links_use_site_url_whatever_host_the_request_named(app, client, create_user, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://clinics.example.org/")
    user = create_user()
    client.post("/reset", data={"email": user.email}, headers={"Host": "attacker.example"})
    [link] = [x for x in mailbox.links(mailbox.last_to(user.email)) if "/reset/" in x]
    assert link.startswith("https://clinics.example.org/reset/")


def test_production_without_site_url_sends_no_link(app, client, create_user, mailbox, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    monkeypatch.setitem(app.config, "SITE_URL", "")
    user = create_user()
    with caplog.at_level(logging.ERROR):
        response = client.post("/reset", data={"email": user.email})
    assert response.status_code == 503
    assert "We could not send the email just now" in response.text
    assert 'value="' + user.email + '"' in response.text
    assert mailbox.messages == []
    assert "Set SITE_URL" in caplog.text
