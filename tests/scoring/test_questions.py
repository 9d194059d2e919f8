"""Questions to ask a clinic: one per checklist item nobody checked there, why it matters, the general ones."""

import html as html_lib
import re

from provider_dir.extensions import db
from provider_dir.scoring.checklist.items import ITEMS, ITEMS_BY_CODE
from provider_dir.scoring.checklist.questions import GENERAL_QUESTIONS, ITEM_QUESTIONS, missing_questions
from provider_dir.scoring.vocab import AnswerStatus
from tests.scoring import builders


def asked_codes(html: str) -> list[str]:
    return re.findall(r'id="ask-(C\d\d)"', html)


def text_of(html: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_every_item_has_a_plain_question():
    assert missing_questions() == []
    assert set(ITEM_QUESTIONS) == {item.code for item in ITEMS}
    assert all(q.endswith("?") for q in ITEM_QUESTIONS.values())


def test_the_general_questions_cover_what_the_brief_says_to_ask():
    text = " ".join(q.text for q in GENERAL_QUESTIONS).lower()
    for topic in ("during an infusion", "after the infusion", "side effects", "psychotherapy", "how many sessions",
                  "cost"):
        assert topic in text


def test_a_clinic_is_asked_about_unknown_self_reported_and_expired_items_only(client, moderator):
    clinic = builders.exemplary_clinic(db.session, moderator, slug=builders.unique("ask"))
    answers = {a.item_code: a for a in clinic.checklist_answers}
    db.session.delete(answers["C07"])  # unknown
    answers["C09"].status = AnswerStatus.SELF_REPORTED  # the clinic's word only
    answers["C21"].expires_on = builders.NEXT_YEAR.replace(year=2020)  # expired
    db.session.flush()
    response = client.get(f"/clinics/{clinic.slug}/questions")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert asked_codes(html) == ["C07", "C09", "C21"]
    text = text_of(html)
    for code in ("C07", "C09", "C21"):
        assert ITEM_QUESTIONS[code] in text
        assert ITEMS_BY_CODE[code].why in text
    assert "unknown here; safety-critical" in text and "self-reported here" in text and "expired here" in text
    for question in GENERAL_QUESTIONS:
        assert question.text in text and question.why in text
    assert "not medical advice" in text and "988" in text


def test_a_clinic_with_nothing_on_record_is_asked_everything(client, create_clinic):
    clinic = create_clinic()
    html = client.get(f"/clinics/{clinic.slug}/questions").get_data(as_text=True)
    assert asked_codes(html) == [item.code for item in ITEMS]


def test_the_page_prints_with_its_own_stylesheet_and_the_clinic_page_links_to_it(client, create_clinic):
    clinic = create_clinic()
    html = client.get(f"/clinics/{clinic.slug}/questions").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/css/print.css">' in html
    assert "<style" not in html and " style=" not in html and "<script>" not in html
    css = client.get("/static/css/print.css").get_data(as_text=True)
    assert "@media print" in css and ".site-header" in css
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert f'href="/clinics/{clinic.slug}/questions"' in page
    assert "Questions to ask this clinic" in page


def test_unknown_or_unpublished_clinics_have_no_questions_page(client, create_clinic):
    from provider_dir.listings.vocab import ClinicStatus

    draft = create_clinic(status=ClinicStatus.DRAFT)
    assert client.get(f"/clinics/{draft.slug}/questions").status_code == 404
    assert client.get("/clinics/no-such-clinic/questions").status_code == 404
