"""In a real browser: a clinic with a safety warning and one without, as a patient sees them."""

import re

import pytest
from playwright.sync_api import expect

from provider_dir.extensions import db
from tests.scoring import builders

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_clinics(live_db):
    """Commit a fully verified clinic and one that has not shown two safety-critical items."""
    moderator = builders.make_moderator(db.session, builders.unique("Moderator Ana"))
    good = builders.exemplary_clinic(db.session, moderator, slug=builders.unique("careful-clinic"))
    risky = builders.make_clinic(db.session, slug=builders.unique("unclear-clinic"))
    builders.add_verified_medical_director(db.session, risky, moderator)
    from provider_dir.scoring.vocab import AnswerStatus

    builders.answer_everything(db.session, risky, AnswerStatus.SELF_REPORTED, skip=("C07", "C08"))
    db.session.commit()
    yield good.slug, risky.slug, moderator.display_name


def test_the_verified_clinic_shows_safety_met_the_score_and_who_checked(page, two_clinics):
    good, _, moderator = two_clinics
    page.goto(f"/clinics/{good}")
    panel = page.locator("#quality-score")
    status = page.get_by_role("status").filter(has_text="Safety-critical items met")
    expect(status).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(panel).to_contain_text("Safety-critical items met.")
    expect(panel.locator(".score-number")).to_have_text("100")
    assert status.bounding_box()["y"] < panel.locator(".score-number").bounding_box()["y"]
    bars = panel.locator(".score-bar")
    expect(bars).to_have_count(11)
    full = panel.locator(".bar-fill").first.bounding_box()["width"]
    track = panel.locator(".bar").first.evaluate("el => el.clientWidth")  # inside its border
    assert full == pytest.approx(track, abs=1)
    item = panel.locator("#item-C08")
    expect(item).to_contain_text("Verified")
    expect(item).to_contain_text(f"Document checked by moderator {moderator} on March 5, 2026.")
    expect(item).to_contain_text("Rests on: ASA")


def test_the_unclear_clinic_warns_first_and_names_the_missing_items(page, two_clinics):
    _, risky, _ = two_clinics
    page.goto(f"/clinics/{risky}")
    panel = page.locator("#quality-score")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Safety warning")
    expect(alert).to_contain_text("Continuous monitoring during the infusion")
    expect(alert).to_contain_text("Emergency equipment and a transfer plan")
    expect(alert).to_contain_text("capped at 50")
    assert alert.bounding_box()["y"] < page.locator("[data-score]").bounding_box()["y"]
    warning = panel.locator(".safety-warning")
    expect(warning).to_contain_text("C07 Continuous monitoring during the infusion")
    expect(warning).to_contain_text("C08 Emergency equipment and a transfer plan")
    expect(warning).to_contain_text("it can be at most 50 out of 100")
    assert warning.bounding_box()["y"] < panel.locator(".score-number").bounding_box()["y"]
    expect(panel.locator(".score-number")).to_have_text("50")
    expect(panel.locator("#item-C07 .score-badge")).to_have_text("Unknown")
    expect(panel.locator("#item-C09 .score-badge")).to_have_text("Self-reported")
    safety_bar = panel.locator(".score-bar", has_text="Safety").locator(".bar-fill")
    assert re.search(r"\bw-(\d+)\b", safety_bar.get_attribute("class")).group(1) != "100"
    expect(panel.get_by_text("What this score does not tell you")).to_be_visible()
    page.locator("details.score-category summary", has_text="Treatment plan").click()
    page.get_by_role("link", name="How the score is worked out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the score and the ratings are worked out")
    expect(page.get_by_text("No payment, subscription or advertising changes")).to_be_visible()
