"""The clinic page shows its hours as a table, today's row marked, open now or closed now in the clinic's zone."""

import re
import time as clock
from datetime import UTC, datetime

import pytest

from provider_dir.extensions import db
from provider_dir.hours import page
from provider_dir.hours.services import set_hours_from_text
from provider_dir.listings.vocab import Closure
from provider_dir.pagecache.hooks import CACHE_HEADER


def stand_at(monkeypatch, text: str) -> None:
    """Make the page see this instant (UTC) as now."""
    instant = datetime.fromisoformat(text).replace(tzinfo=UTC)
    monkeypatch.setattr(page, "current_instant", lambda: instant)


def rows(html: str) -> list[str]:
    """The table's rows as text, tags dropped."""
    table = html[html.index('<table class="hours-table">'):html.index("</table>")]
    cells = (re.sub(r"</?span[^>]*>", "", row) for row in re.findall(r"<tr.*?</tr>", table, re.S))
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in cells][1:]


@pytest.fixture
def phoenix_clinic(create_clinic):
    clinic = create_clinic(name="Desert Sun Ketamine", city="Phoenix", state="AZ", zip_code="85004",
                           latitude=33.4484, longitude=-112.0740)
    set_hours_from_text(clinic, "Mon 09:00-17:00; Tue 09:00-12:00,13:00-19:00; Wed-Fri 9-5; By appointment on "
                                "Saturdays")
    db.session.commit()
    return clinic


def test_the_table_has_a_caption_every_weekday_several_periods_and_closed_days(client, phoenix_clinic, monkeypatch):
    stand_at(monkeypatch, "2026-12-01 17:30")  # Tuesday 10:30 am in Phoenix
    html = client.get(f"/clinics/{phoenix_clinic.slug}").text
    assert "<caption>Opening hours, local time (Mountain Time, no daylight saving)</caption>" in html
    assert rows(html) == [
        "Monday 9:00 am to 5:00 pm",
        "Tuesday (today) 9:00 am to 12:00 pm, 1:00 pm to 7:00 pm",
        "Wednesday 9:00 am to 5:00 pm", "Thursday 9:00 am to 5:00 pm", "Friday 9:00 am to 5:00 pm",
        "Saturday Closed", "Sunday Closed",
    ]
    assert '<tr class="hours-today" aria-current="date">' in html and html.count('aria-current="date"') == 1
    assert "Open now: closes at 12:00 pm" in html
    assert "By appointment on Saturdays" in html


def test_today_and_open_now_are_the_clinics_not_the_servers(client, phoenix_clinic, monkeypatch):
    stand_at(monkeypatch, "2026-12-05 02:30")  # Saturday in UTC, still Friday 7:30 pm in Phoenix
    html = client.get(f"/clinics/{phoenix_clinic.slug}").text
    assert [row for row in rows(html) if "(today)" in row] == ["Friday (today) 9:00 am to 5:00 pm"]
    assert "Closed now: opens Monday at 9:00 am" in html


def test_a_kept_page_expires_when_the_clinic_closes(app, phoenix_clinic, monkeypatch):
    path = f"/clinics/{phoenix_clinic.slug}"
    stand_at(monkeypatch, "2026-12-01 18:59:59.7")  # Tuesday, 0.3 s before 12:00 pm in Phoenix
    first, second = app.test_client().get(path), app.test_client().get(path)
    assert first.headers[CACHE_HEADER] == "miss" and second.headers[CACHE_HEADER] == "hit"
    assert "Open now: closes at 12:00 pm" in second.text
    clock.sleep(0.4)
    stand_at(monkeypatch, "2026-12-01 19:00:00.1")
    after = app.test_client().get(path)
    assert after.headers[CACHE_HEADER] == "miss"
    assert "Closed now: opens at 1:00 pm" in after.text


def test_a_clinic_with_only_a_note_shows_the_note_and_no_table(client, create_clinic):
    clinic = create_clinic()
    set_hours_from_text(clinic, "By appointment only")
    db.session.commit()
    html = client.get(f"/clinics/{clinic.slug}").text
    assert "By appointment only" in html and "hours-table" not in html and "now:" not in html


def test_a_temporarily_closed_clinic_does_not_say_open_now(client, phoenix_clinic, monkeypatch):
    stand_at(monkeypatch, "2026-12-01 17:30")
    phoenix_clinic.closure = Closure.PERMANENT
    db.session.commit()
    html = client.get(f"/clinics/{phoenix_clinic.slug}").text
    assert "hours-table" in html and "Open now" not in html and "Closed now" not in html
