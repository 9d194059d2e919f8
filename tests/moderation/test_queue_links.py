"""Every queue page shows every moderation queue with how many items wait in it for this moderator."""

from __future__ import annotations

from datetime import UTC, datetime

from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.vocab import CredentialStatus
from tests.second_factor import give_second_factor

QUEUE_PAGES = ["/moderation/", "/moderation/claims/", "/moderation/listings/", "/moderation/edits/",
               "/moderation/credentials/", "/moderation/evidence/", "/moderation/log"]


def _nav(html: str) -> str:
    start = html.index('aria-label="Moderation queues"')
    return html[start:html.index("</nav>", start)]


def test_each_queue_page_links_every_queue(client, auth, create_user):
    auth.login(create_user(role=UserRole.MODERATOR))
    for url in QUEUE_PAGES:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        nav = _nav(response.get_data(as_text=True))
        for label in ("Reviews and reports", "Claims", "New listings", "Held listing edits", "Credentials",
                      "Checklist evidence"):
            assert label in nav, (url, label)


def test_the_credential_count_leaves_out_the_moderators_own_clinic(
    client, auth, create_user, create_clinic, add_staff, make_owner
):
    own, other = create_clinic(), create_clinic()
    for clinic in (own, other):
        member = add_staff(clinic)
        for credential in member.credentials:
            credential.status = CredentialStatus.SELF_REPORTED
            credential.submitted_at = datetime.now(UTC)
    moderator = make_owner(own)
    moderator.role = UserRole.MODERATOR
    give_second_factor(moderator.id)  # the queues open only once it is set up
    auth.login(moderator)
    nav = _nav(client.get("/moderation/").get_data(as_text=True))
    credentials = nav.split("Credentials", 1)[1]
    assert '<span class="queue-count">1</span>' in credentials.split("</a>", 1)[0]


def test_the_queue_links_are_not_shown_to_patients(client, auth, create_user):
    auth.login(create_user())
    assert "Moderation queues" not in client.get("/").get_data(as_text=True)
