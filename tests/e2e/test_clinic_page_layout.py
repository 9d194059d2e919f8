"""In a real browser: the clinic page puts what a patient decides on first, at a phone's and a laptop's width."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from provider_dir.accounts.models import User
from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.vocab import Condition, InsuranceOption, Route
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import Answer, ReviewStatus, SideEffect, TimeToRelief
from provider_dir.scoring.checklist.items import ITEMS
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind
from tests.conftest import test_password_hash
from tests.scoring import builders

pytestmark = pytest.mark.e2e

VIEWPORTS = [(1280, 900), (375, 800)]
# As long as the demo data's reviews (about 450 characters).
BODY = (
    "I had stopped answering texts and could barely get through a workday when I booked a consult. The intake was "
    "thorough: a full medical history, my medication list and a long talk about my mental health. A nurse stayed "
    "with me through every infusion and checked my blood pressure every few minutes. The dissociation was strange "
    "the first time and calmer after that. Tiredness was the main side effect; I planned nothing after sessions."
)
STAFF = [
    (StaffRole.MEDICAL_DIRECTOR, "Hollis Nguyen", "DO", "Sets the clinic's dosing and monitoring protocols."),
    (StaffRole.CRNA, "Zainab Blackwood", "CRNA", "Keeps a close eye on vital signs throughout each session."),
    (StaffRole.REGISTERED_NURSE, "Miriam Pellegrino", "RN", "Known for calmly talking patients through it."),
    (StaffRole.CRNA, "Chidi Rasmussen", "CRNA", "Delivers infusions on a pump and stays to the end."),
    (StaffRole.THERAPIST, "Alejandro Halvorsen", "LCSW", "Offers preparation and integration sessions."),
    (StaffRole.PHYSICIAN_ASSISTANT, "Camila Novak", "PA-C", "Handles medical histories and follow-up calls."),
]


def _busy_clinic(safety_ok: bool):
    """Commit a clinic as full as the busiest demo clinics: 6 staff, 20 credentials, 21 answers, 30 reviews."""
    moderator = builders.make_moderator(db.session, builders.unique("mod"))
    clinic = builders.make_clinic(
        db.session, slug=builders.unique("busy-clinic"), name="Ascend Infusions of the Greater Lakeshore",
        phone="(312) 555-0104", website="https://ascend.example", hours="Mon-Fri 8am-6pm; Sat 9am-1pm",
        price_per_infusion_usd=700, price_series_usd=4200, series_infusions=6, insurance=InsuranceOption.SUPERBILL,
        languages=["English", "Spanish", "Polish"], accessibility="Step-free entrance, lift to the second floor.",
        description="Physician-led IV ketamine for depression, PTSD and chronic pain. " * 4,
        telehealth_intake=True,
    )
    clinic.routes = [Route.IV, Route.ESKETAMINE, Route.ORAL]
    clinic.conditions = [Condition.DEPRESSION, Condition.ANXIETY, Condition.PTSD, Condition.FIBROMYALGIA,
                         Condition.CRPS, Condition.NEUROPATHIC]
    kinds = [CredentialKind.NPI, CredentialKind.STATE_LICENSE, CredentialKind.DEA, CredentialKind.ACLS,
             CredentialKind.BOARD_CERTIFICATION]
    for index, (role, name, degree, bio) in enumerate(STAFF):
        count = 5 if index == 0 else 3
        credentials = [
            builders.credential(kind, moderator if (index + k) % 3 else None, issuer="American Heart Association"
                                if kind == CredentialKind.ACLS else "American Board of Anesthesiology"
                                if kind == CredentialKind.BOARD_CERTIFICATION else "IL")
            for k, kind in enumerate(kinds[:count])
        ]
        member = builders.add_staff(db.session, clinic, role, credentials, name=name)
        member.degree, member.bio = degree, bio
    skip = () if safety_ok else ("C07", "C08")
    for item in ITEMS:
        if item.from_credentials or item.code in skip:
            continue
        status = AnswerStatus.VERIFIED if item.number % 3 else AnswerStatus.SELF_REPORTED
        extra = {"expires_on": builders.NEXT_YEAR} if item.expires else {}
        builders.answer(db.session, clinic, item.code, status, moderator,
                        evidence_kind=EvidenceKind.MOD if item.code == "C20" else EvidenceKind.DOC,
                        evidence_text=f"Written policy for {item.title.lower()}", **extra)
    conditions = itertools.cycle([Condition.DEPRESSION, Condition.PTSD, Condition.ANXIETY, Condition.FIBROMYALGIA])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(30):
        author = User(email=f"{builders.unique('p')}@e2e.test", display_name=builders.unique("patient")[:40],
                      password_hash=test_password_hash())
        db.session.add(Review(
            clinic=clinic, author=author, rating_overall=5 - i % 3, title=f"Careful and kind, visit {i}", body=BODY,
            status=ReviewStatus.APPROVED, published_at=start + timedelta(days=i), condition=next(conditions),
            route=Route.IV, sessions_count=6 + i % 10, time_to_relief=TimeToRelief.DAYS, would_recommend=True,
            side_effects=[SideEffect.NAUSEA, SideEffect.FATIGUE], verified_patient=i % 3 == 0,
            evaluated_before=Answer.YES, vitals_monitored=Answer.YES, clinician_present=Answer.YES,
            ride_required=Answer.YES, symptoms_tracked=Answer.YES, private_room=Answer.YES,
            price_matched=Answer.YES, psychotherapy_offered=Answer.NO,
        ))
    slug = clinic.slug
    db.session.commit()
    db.session.remove()
    return slug


@pytest.fixture(scope="module")
def busy(live_app):
    """A busy clinic with every safety-critical item met, and one where two are not shown."""
    with live_app.app_context():
        return {"ok": _busy_clinic(True), "warning": _busy_clinic(False)}


KEY_FACTS = {
    "name": "#clinic-name",
    "safety status": ".summary-safety",
    "score": "[data-score]",
    "rating": ".key-rating",
    "price": ".key-price",
    "phone": ".key-phone a",
}


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
@pytest.mark.parametrize("kind", ["ok", "warning"])
def test_name_safety_score_rating_price_and_phone_are_on_the_first_screen(browser, live_server, busy, kind,
                                                                          width, height):
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height})
    tab = context.new_page()
    try:
        tab.goto(f"/clinics/{busy[kind]}")
        for what, selector in KEY_FACTS.items():
            box = tab.locator(selector).first.bounding_box()
            assert box is not None, f"{what} is not shown"
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{what} is below the first screen: {box}"
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{what} is off the side: {box}"
        safety = tab.locator(".summary-safety")
        if kind == "ok":
            expect(safety).to_have_attribute("role", "status")
            expect(safety).to_contain_text("Safety-critical items met")
        else:
            expect(safety).to_have_attribute("role", "alert")
            expect(safety).to_contain_text("Safety warning")
            expect(safety).to_contain_text("capped at 50")
        expect(tab.locator(".key-phone a")).to_have_attribute("href", "tel:+13125550104")
        expect(tab.locator(".key-price")).to_contain_text("$700")
    finally:
        context.close()


def test_the_page_is_about_4000_px_tall_at_1280_with_the_checklist_closed(browser, live_server, busy):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    try:
        tab.goto(f"/clinics/{busy['ok']}")
        # With every safety-critical item met, every category starts closed.
        expect(tab.locator("details.score-category[open]")).to_have_count(0)
        expect(tab.locator("details.score-category")).to_have_count(11)
        height = tab.evaluate("document.documentElement.scrollHeight")
        assert height <= 4100, f"the clinic page is {height} px tall at 1280 px"
        # The order a patient decides in: summary, staff, ratings and reviews, then the checklist.
        tops = [tab.locator(s).first.bounding_box()["y"] for s in
                (".clinic-summary", "#staff", "#ratings", "#reviews", "#quality-score")]
        assert tops == sorted(tops)
    finally:
        context.close()


def test_a_category_with_an_unmet_safety_item_starts_open_and_the_others_closed(page, busy):
    page.goto(f"/clinics/{busy['warning']}")
    open_categories = page.locator("details.score-category[open]")
    expect(open_categories).to_have_count(1)
    expect(open_categories.locator("summary")).to_contain_text("Safety")
    expect(page.locator("#item-C08")).to_be_visible()
    expect(page.locator("#item-C08 .score-badge")).to_have_text("Unknown")
    expect(page.locator("#item-C09")).to_be_hidden()  # Treatment plan stays closed
    page.locator("details.score-category summary", has_text="Treatment plan").click()
    expect(page.locator("#item-C09")).to_be_visible()


def test_the_page_works_without_javascript_and_the_map_is_an_extra(browser, live_server, busy):
    for javascript in (False, True):
        context = browser.new_context(base_url=live_server, java_script_enabled=javascript,
                                      viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        try:
            tab.goto(f"/clinics/{busy['ok']}")
            expect(tab.locator(".place-address")).to_contain_text("1 Test Street")
            expect(tab.get_by_role("link", name="Open the location on OpenStreetMap")).to_be_visible()
            if javascript:
                expect(tab.locator("#clinic-map")).to_be_visible()
                expect(tab.locator("#clinic-map .leaflet-marker-icon")).to_have_count(1)
            else:
                expect(tab.locator("#clinic-map")).to_be_hidden()
                tab.locator("details.score-category summary", has_text="Oversight").click()  # native, no script
                expect(tab.locator("#item-C01")).to_be_visible()
        finally:
            context.close()


def test_filtering_reviews_in_the_browser_keeps_the_choice_in_the_address(page, busy):
    page.goto(f"/clinics/{busy['ok']}")
    page.get_by_label("Condition", exact=True).select_option("ptsd")
    page.get_by_label("Verified patients only").check()
    page.get_by_role("button", name="Show reviews").click()
    page.wait_for_url("**condition=ptsd**")
    assert "verified=1" in page.url
    reviews = page.locator("article.rv-review")
    assert reviews.count() >= 1
    for i in range(reviews.count()):
        expect(reviews.nth(i)).to_contain_text("PTSD")
        expect(reviews.nth(i).locator(".rv-verified")).to_have_count(1)
    page.go_back()
    assert "condition=" not in page.url  # the filters live in the address, so back undoes them


def test_the_questions_page_and_the_guide_are_one_click_away(page, busy):
    page.goto(f"/clinics/{busy['warning']}")
    page.get_by_role("link", name="Questions to ask this clinic").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Questions to ask")
    expect(page.locator("#ask-C08")).to_contain_text("emergency equipment")
    expect(page.locator("#print-button")).to_be_visible()  # shown only when JavaScript can print
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".question").first).to_be_visible()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="What to expect: a guide for a first treatment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What to expect: a guide for a first-time patient")
    page.goto("/")
    page.get_by_role("link", name="New to ketamine treatment? Read what to expect, step by step").click()
    page.wait_for_url("**/guide")
