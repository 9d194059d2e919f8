"""/metrics: hidden without the token; request counts, kept pages and moderation queues when scraped with it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from provider_dir.models.base import utcnow
from provider_dir.observability.metrics import SCRAPE_COLLECTORS
from provider_dir.reviews.vocab import ReviewStatus
from tests.observability.helpers import samples, value

TOKEN = "scraper-token-for-tests"


@pytest.fixture
def scrape(app, client, monkeypatch):
    """Configure METRICS_TOKEN; return a function that scrapes /metrics with it."""
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)

    def read() -> str:
        answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 200 and answer.mimetype == "text/plain"
        return answer.text

    return read


def test_without_a_configured_token_metrics_do_not_exist(client):
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything"}):
        assert client.get("/metrics", headers=headers).status_code == 404


def test_a_wrong_or_missing_token_gets_the_same_404(client, scrape):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": TOKEN}):  # fmt: skip
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 404 and "provider_dir_http" not in answer.text
    assert "provider_dir_http_requests_total" in scrape()


def test_requests_are_counted_and_timed_by_endpoint_and_status(client, scrape):
    labels = {"endpoint": "core.about", "method": "GET", "status": "200"}
    before = scrape()
    for _ in range(3):
        client.get("/about")
    client.get("/no-such-page")
    after = scrape()
    assert value(after, "provider_dir_http_requests_total", **labels) - value(
        before, "provider_dir_http_requests_total", **labels) == 3  # fmt: skip
    timed = {"endpoint": "core.about", "status": "200"}
    assert value(after, "provider_dir_http_request_duration_seconds_count", **timed) - value(
        before, "provider_dir_http_request_duration_seconds_count", **timed) == 3  # fmt: skip
    assert value(after, "provider_dir_http_requests_total", endpoint="unmatched", status="404") >= 1


def test_kept_pages_count_their_hits_and_misses(client, scrape):
    before = scrape()
    path = f"/?visit={uuid.uuid4().hex}"  # a URL no earlier test kept
    assert client.get(path).headers["X-Page-Cache"] == "miss"
    assert client.get(path).headers["X-Page-Cache"] == "hit"
    assert client.get(path).headers["X-Page-Cache"] == "hit"
    after = scrape()
    for result, count in (("miss", 1), ("hit", 2)):
        assert value(after, "provider_dir_kept_pages_total", result=result) - value(
            before, "provider_dir_kept_pages_total", result=result) == count  # fmt: skip


def test_moderation_queues_show_their_size_and_oldest_item(create_clinic, add_review, scrape):
    clinic = create_clinic()
    two_hours_ago = utcnow() - timedelta(hours=2)
    add_review(clinic, status=ReviewStatus.PENDING, created_at=two_hours_ago, queued_at=two_hours_ago)
    add_review(clinic, status=ReviewStatus.PENDING)
    text = scrape()
    assert value(text, "provider_dir_moderation_queue_items", queue="reviews") == 2
    assert 7200 <= value(text, "provider_dir_moderation_queue_oldest_age_seconds", queue="reviews") < 7200 + 120
    queues = {labels["queue"] for labels, _ in samples(text, "provider_dir_moderation_queue_items")}
    assert queues == {"reviews", "claims", "new_listings", "listing_edits", "credentials", "evidence", "corrections",
                      "appeals", "possible_exclusions"}
    assert value(text, "provider_dir_moderation_queue_items", queue="claims") == 0
    assert value(text, "provider_dir_moderation_queue_oldest_age_seconds", queue="claims") == 0


def test_mail_waiting_and_failed_and_job_runs_are_scraped_from_their_tables(app, scrape):
    from provider_dir.extensions import db
    from provider_dir.mail.models import MailStatus
    from provider_dir.mail.services import queue_mail
    from provider_dir.worker.models import JobRun, JobStatus

    before = scrape()
    waiting = value(before, "provider_dir_mail_messages", state="waiting")
    failed = value(before, "provider_dir_mail_messages", state="failed")
    with app.test_request_context():
        queue_mail("one@example.test", "Waiting", "Body")
        queue_mail("two@example.test", "Given up", "Body").status = MailStatus.FAILED
    db.session.add_all([JobRun(job="backup", period="2026-12-01", status=JobStatus.FAILED, worker="w1"),
                        JobRun(job="backup", period="2026-12-02", status=JobStatus.DONE, worker="w1")])
    db.session.commit()

    text = scrape()
    assert value(text, "provider_dir_mail_messages", state="waiting") == waiting + 1
    assert value(text, "provider_dir_mail_messages", state="failed") == failed + 1
    assert value(text, "provider_dir_job_runs", job="backup", outcome="failed") >= 1
    assert value(text, "provider_dir_job_runs", job="backup", outcome="done") >= 1


def test_a_failing_collector_is_reported_and_the_others_still_answer(scrape, monkeypatch):
    def broken():
        raise RuntimeError("the mail table is not there")

    monkeypatch.setitem(SCRAPE_COLLECTORS, "broken", broken)
    text = scrape()
    assert value(text, "provider_dir_scrape_collector_up", collector="broken") == 0
    assert value(text, "provider_dir_scrape_collector_up", collector="moderation_queues") == 1
    assert samples(text, "provider_dir_moderation_queue_items")
