"""The public moderation log: every decision with its date, kind, clinic, outcome and reason; filters; JSON; and
never a reviewer's or moderator's name, a withheld review's text, a document or anything from an email."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.api.openapi import DECISION_KINDS, DECISION_OUTCOMES
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import services
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.transparency import public_log
from provider_dir.transparency.kinds import KINDS
from tests.reviews.helpers import review_form, text_of


@pytest.fixture
def moderator(create_user):
    return create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow(), display_name="Moderator Quillfeather",
                       email="quillfeather-mod@example.test")


def _decide(review, moderator, approve, reason=None):
    services.decide(review, moderator, review.version, approve=approve, reason=reason)
    db.session.commit()


def test_decisions_appear_newest_first_with_kind_clinic_outcome_and_reason(client, create_clinic, add_review,
                                                                           moderator):
    clinic = create_clinic(name="Juniper Infusions")
    first = add_review(clinic, status=ReviewStatus.PENDING)
    second = add_review(clinic, status=ReviewStatus.PENDING)
    _decide(first, moderator, True)
    _decide(second, moderator, False, RejectionReason.HARASSMENT)
    body = client.get("/api/v1/transparency/log").get_json()
    today = utcnow().strftime("%Y-%m-%d")
    assert body["items"][:2] == [
        {"date": today, "kind": "review", "kind_label": "Review", "outcome": "refused", "outcome_label": "Refused",
         "reason": "harassment", "reason_label": "Harassing or abusive",
         "clinic": {"slug": clinic.slug, "name": "Juniper Infusions"}},
        {"date": today, "kind": "review", "kind_label": "Review", "outcome": "approved", "outcome_label": "Approved",
         "reason": None, "reason_label": None, "clinic": {"slug": clinic.slug, "name": "Juniper Infusions"}},
    ]
    page = text_of(client.get("/transparency/log"))
    assert "Juniper Infusions Refused Harassing or abusive harassment" in page


def test_the_log_filters_by_clinic_kind_outcome_and_month(client, create_clinic, add_review, moderator):
    one, other = create_clinic(name="Alder Clinic"), create_clinic(name="Birch Clinic")
    for clinic, approve in ((one, True), (one, False), (other, False)):
        review = add_review(clinic, status=ReviewStatus.PENDING)
        _decide(review, moderator, approve, None if approve else RejectionReason.SPAM)
    review = add_review(other)
    from provider_dir.moderation.reports.services import file_report

    file_report(review, None, RejectionReason.FALSE)
    _decide(review, moderator, True)

    def items(**args):
        return client.get("/api/v1/transparency/log", query_string=args).get_json()["items"]

    assert {i["clinic"]["name"] for i in items(clinic=one.slug)} == {"Alder Clinic"}
    assert len(items(clinic=one.slug)) == 2
    assert [i["outcome"] for i in items(kind="report")] == ["declined"]
    assert [i["clinic"]["name"] for i in items(outcome="refused")] == ["Birch Clinic", "Alder Clinic"]
    assert [i["clinic"]["name"] for i in items(outcome="refused", clinic=other.slug, kind="review")] == ["Birch Clinic"]
    this_month = utcnow().strftime("%Y-%m")
    assert len(items(month=this_month)) == 4
    assert items(month="2001-01") == []
    html = client.get("/transparency/log", query_string={"clinic": one.slug, "outcome": "refused"})
    assert "Alder Clinic" in text_of(html) and "Birch Clinic" not in text_of(html)


def test_the_log_pages_newest_first(client, create_clinic, add_review, moderator, monkeypatch):
    monkeypatch.setattr(public_log, "PER_PAGE", 2)
    clinic = create_clinic()
    reviews = [add_review(clinic, status=ReviewStatus.PENDING) for _ in range(3)]
    for review in reviews:
        _decide(review, moderator, False, RejectionReason.UNRELATED)
    first = client.get("/api/v1/transparency/log").get_json()
    second = client.get("/api/v1/transparency/log?page=2").get_json()
    assert (len(first["items"]), first["next_page"]) == (2, 2)
    assert (len(second["items"]), second["next_page"]) == (1, None)
    assert 'rel="next"' in client.get("/transparency/log").get_data(as_text=True)
    assert 'rel="prev"' in client.get("/transparency/log?page=2").get_data(as_text=True)


@pytest.mark.parametrize(("query", "status", "message"), [
    ("kind=gossip", 400, "Choose a kind"), ("outcome=maybe", 400, "Choose an outcome"),
    ("month=2026-13", 400, "YYYY-MM"), ("month=last", 400, "YYYY-MM"), ("page=0", 400, "whole number"),
    ("page=x", 400, "whole number"), ("author=5", 400, "not a filter"), ("clinic=no-such-clinic", 404, "No published"),
])  # fmt: skip
def test_bad_filters_are_explained(client, query, status, message):
    html = client.get(f"/transparency/log?{query}")
    assert html.status_code == status and message in html.get_data(as_text=True)
    api = client.get(f"/api/v1/transparency/log?{query}")
    assert api.status_code == status and message in api.get_json()["error"]["message"]


def test_the_openapi_lists_match_the_registry():
    assert set(DECISION_KINDS) == set(KINDS)
    assert set(DECISION_OUTCOMES) == {code for code, _ in public_log.outcome_choices()}


def test_a_clinic_page_links_to_its_own_lines_of_the_log(client, create_clinic):
    clinic = create_clinic()
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert f'/transparency/log?clinic={clinic.slug}"' in page


LINK = re.compile(r'href="([^"]+)"')


def crawl(client, starts: list[str], limit: int = 150) -> dict[str, str]:
    """Fetch every page, CSV and JSON under /transparency (and the log's JSON) reachable from starts."""
    seen: dict[str, str] = {}
    todo = list(starts)
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        seen[url] = body
        for href in LINK.findall(body):
            href = unescape(href)
            path = urlsplit(urljoin(url, href))
            if path.path.startswith(("/transparency", "/api/v1/transparency")):
                todo.append(path.path + (f"?{path.query}" if path.query else ""))
    return seen


def test_a_withheld_review_leaves_no_trace_of_its_words_or_people_under_transparency(
        client, auth, create_clinic, create_user, moderator):
    clinic = create_clinic(name="Sequoia Ketamine Care")
    author = create_user(display_name="Zephyrine Octavia Quill", email="zephyrine-private@example.test",
                         email_confirmed_at=utcnow())
    db.session.commit()
    auth.login(author)
    secret_title, secret_body = "Xylophonic marmalade tribunal", (
        "Perambulating quetzalcoatl vouchsafed unguentary zeugmas on Thursday, then left."
    )
    posted = client.post(f"/clinics/{clinic.slug}/review", data=review_form(title=secret_title, body=secret_body))
    assert posted.status_code in (200, 302)
    auth.logout()
    review = db.session.scalars(select(Review).where(Review.author_id == author.id)).one()
    assert review.status == ReviewStatus.PENDING
    auth.login(moderator)
    decided = client.post(f"/moderation/reviews/{review.id}/decision",
                          data={"version": review.version, "reject": "Withhold", "reason": "personal_info",
                                "note": "Names the nurse Wilhelmina Brackenbury."})  # fmt: skip
    assert decided.status_code == 302
    auth.logout()
    db.session.expire_all()
    assert db.session.get(Review, review.id).status == ReviewStatus.REJECTED

    pages = crawl(client, ["/transparency", "/transparency/log", "/api/v1/transparency/log",
                           f"/transparency/log?clinic={clinic.slug}"])
    assert any(u.endswith(".csv") or ".csv?" in u for u in pages)
    assert any("/api/v1/transparency/log" in u for u in pages)
    # The decision itself is there...
    assert any("personal_info" in body and "Sequoia Ketamine Care" in body for body in pages.values())
    secrets = ["Xylophonic", "marmalade", "Perambulating", "quetzalcoatl", "unguentary", "Zephyrine", "Octavia",
               "zephyrine-private", "Quillfeather", "quillfeather-mod", "Wilhelmina", "Brackenbury"]
    for url, body in pages.items():
        for secret in secrets:
            assert secret.lower() not in body.lower(), f"{secret!r} appears in {url}"
