"""What a patient sees: the score on the clinic page, /methodology, and the score in the JSON API."""

import html as html_lib
import re
from datetime import date, timedelta

import pytest

from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.reviews.vocab import Answer
from provider_dir.scoring.checklist.items import ITEMS, SOURCES
from provider_dir.scoring.vocab import AnswerStatus
from tests.scoring import builders


def text_of(html: str) -> str:
    """Return the page's visible text, tags stripped and spaces collapsed."""
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def score_section(html: str) -> str:
    start = html.rindex("<section", 0, html.index('id="quality-score"'))
    return html[start:html.index("</section>", start)]


def test_a_complete_clinic_shows_safety_met_first_then_100_and_every_item(client, exemplary, moderator):
    clinic = exemplary()
    html = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    section = score_section(html)
    text = text_of(section)
    assert "Safety-critical items met." in text
    assert "Safety warning" not in text
    # Safety first: the page's summary says so before it shows the score.
    assert html.index('data-safety="ok"') < html.index("data-score")
    assert re.search(r'class="score-number">100<', section)
    for item in ITEMS:
        assert f'data-code="{item.code}"' in section
    assert f"Document checked by moderator {moderator.display_name} on March 5, 2026." in text
    assert "Rests on: APA 2017, Spravato REMS." in text  # C07
    assert "What this score does not tell you" in text
    assert "Checklist version 2026.1" in text


def test_a_clinic_missing_safety_items_shows_a_plain_warning_before_the_capped_score(client, exemplary):
    clinic = exemplary()
    for answer in list(clinic.checklist_answers):
        if answer.item_code in ("C05", "C08"):
            db.session.delete(answer)
    db.session.flush()
    section = score_section(client.get(f"/clinics/{clinic.slug}").get_data(as_text=True))
    text = text_of(section)
    assert section.index('data-safety="warning"') < section.index('class="score-number"')
    assert "Safety warning" in text
    assert "Not shown by the clinic: C05 Screening for contraindications; C08 Emergency equipment" in text
    assert "it can be at most 50 out of 100" in text
    assert re.search(r'class="score-number">50<', section)
    assert "Without the safety cap the items would add up to 84." in text


def test_contradicting_patients_and_expired_credentials_are_shown_as_such(client, create_clinic, add_review,
                                                                          moderator):
    clinic = create_clinic()
    builders.add_staff(db.session, clinic, StaffRole.REGISTERED_NURSE, [
        builders.credential(CredentialKind.ACLS, moderator, expires_on=date.today() - timedelta(days=1),
                            issuer="American Heart Association")], name="Sam Lee")
    builders.answer(db.session, clinic, "C07", AnswerStatus.SELF_REPORTED)
    for _ in range(5):
        add_review(clinic, vitals_monitored=Answer.NO)
    text = text_of(score_section(client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)))
    assert "Contradicted by patients' reviews: C07 Continuous monitoring during the infusion." in text
    assert "Evidence expired: C03 ACLS-certified clinician present throughout." in text
    assert "Were your vital signs monitored? Patients in published reviews: 0 yes, 5 no, 0 not sure." in text
    assert "Sam Lee, MD: ACLS" in text and "expired" in text


def test_the_category_graphic_uses_classes_not_inline_styles(client, exemplary):
    clinic = exemplary()
    response = client.get(f"/clinics/{clinic.slug}")
    section = score_section(response.get_data(as_text=True))
    assert "style=" not in section
    assert section.count("bar-fill w-100") == 11
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.get("/static/css/scoring.css").status_code == 200


def test_a_patient_url_that_is_not_http_is_not_made_a_link(client, create_clinic):
    clinic = create_clinic()
    builders.answer(db.session, clinic, "C19", AnswerStatus.SELF_REPORTED, evidence_url="javascript:alert(1)",
                    evidence_text="<b>Prices</b> on our site")
    html = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert "javascript:alert" not in html
    assert "&lt;b&gt;Prices&lt;/b&gt;" in html


def test_methodology_explains_items_sources_weights_rules_and_payment(client):
    response = client.get("/methodology")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    for item in ITEMS:
        assert item.why in text
    for source in SOURCES.values():
        assert source.citation in text
    assert "No payment, subscription or advertising changes a clinic's score or its place in search results" in text
    assert "at least 5 patients" in text and "at least 60 %" in text
    assert "capped at 50 out of 100" in text
    assert "Verified : a moderator checked" in text and "100 %" in text and "75 %" in text and "50 %" in text
    assert "version 2026.1" in text
    assert "Safety-critical" in text


@pytest.mark.parametrize("code", ["C01", "C11", "C21"])
def test_methodology_lists_each_item_with_its_weight(client, code):
    html = client.get("/methodology").get_data(as_text=True)
    row = html[html.index(f'<tr id="{code}">'):]
    row = row[:row.index("</tr>")]
    item = next(i for i in ITEMS if i.code == code)
    assert f"<td>{item.weight}</td>" in row


def test_the_api_gives_the_score_object(client, exemplary):
    clinic = exemplary()
    for answer in list(clinic.checklist_answers):
        if answer.item_code == "C11":
            db.session.delete(answer)
    db.session.flush()
    score = client.get(f"/api/v1/clinics/{clinic.slug}").get_json()["score"]
    assert (score["total"], score["version"], score["max_total"]) == (50, "2026.1", 100)
    assert score["safety"]["ok"] is False and score["safety"]["unknown"] == ["C11"]
    assert score["safety"]["message"].startswith("Safety warning")
    assert [i["code"] for i in score["items"]] == [i.code for i in ITEMS]
    c07 = score["items"][6]
    assert (c07["status"], c07["points"], c07["max_points"]) == ("verified", 8.0, 8)
    assert c07["evidence"][0]["verified_at"].startswith("2026-03-05")
    assert score["items"][0]["evidence"][0]["credential"] == "state_license"
    assert sum(c["max_points"] for c in score["categories"]) == 100
