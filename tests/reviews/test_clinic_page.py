"""What the clinic page and the methodology page show about reviews."""

from __future__ import annotations

import re

from flask import render_template

from provider_dir.listings.vocab import Condition
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.reviews.vocab import ReviewStatus, SideEffect, TimeToRelief
from tests.reviews.helpers import text_of


def test_the_rating_panel_shows_count_average_and_distribution(client, create_clinic, add_review):
    clinic = create_clinic()
    for rating in (5, 5, 4, 2):
        add_review(clinic, rating=rating, would_recommend=rating >= 4)
    add_review(clinic, rating=1, status=ReviewStatus.PENDING)
    response = client.get(f"/clinics/{clinic.slug}")
    page = text_of(response)
    assert "4 published reviews" in page
    assert "4.0 out of 5" in page
    assert "5 stars 2 (50 %)" in page and "4 stars 1 (25 %)" in page and "1 star 0 (0 %)" in page
    assert "3 of 4 would recommend this clinic (75 %)" in page
    assert "the true share is at least" in page
    # The bars are SVG attributes, never inline styles (the CSP forbids them).
    html = response.get_data(as_text=True)
    assert 'class="rv-bar-fill" x="0" y="0" width="50"' in html
    assert " style=" not in html and "<script>" not in html


def test_side_effects_relief_sub_ratings_and_outcomes_are_shown(client, create_clinic, add_review):
    clinic = create_clinic()
    add_review(
        clinic,
        rating=5,
        rating_staff=5,
        side_effects=[SideEffect.NAUSEA],
        time_to_relief=TimeToRelief.HOURS,
        condition=Condition.PTSD,
    )
    add_review(
        clinic,
        rating=3,
        rating_staff=4,
        side_effects=[SideEffect.NONE],
        time_to_relief=TimeToRelief.NONE,
        condition=Condition.PTSD,
    )
    add_review(clinic, rating=4)
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert "Nausea 1 (50 %)" in page and "None 1 (50 %)" in page
    assert "Within hours 1 (50 %)" in page and "No relief 1 (50 %)" in page
    assert "Staff 4.5 / 5" in page and "Value n/a" in page
    assert re.search(r"PTSD 2 4\.0 50 %", page)


def test_the_count_is_visible_when_there_are_no_reviews(client, create_clinic):
    page = text_of(client.get(f"/clinics/{create_clinic().slug}"))
    assert "0 published reviews" in page
    assert "No published reviews yet" in page


def test_transparency_counts_submitted_published_and_withheld_by_reason(client, create_clinic, add_review):
    clinic = create_clinic()
    add_review(clinic, rating=5)
    add_review(clinic, rating=1)
    add_review(clinic, rating=1, status=ReviewStatus.REJECTED, rejection_reason=RejectionReason.PERSONAL_INFO)
    add_review(clinic, rating=5, status=ReviewStatus.REJECTED, rejection_reason=RejectionReason.SPAM)
    add_review(clinic, rating=5, status=ReviewStatus.REJECTED, rejection_reason=RejectionReason.SPAM)
    add_review(clinic, rating=3, status=ReviewStatus.PENDING)
    add_review(clinic, rating=2, status=ReviewStatus.WITHDRAWN)
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert ("Submitted 7 Published 2 Awaiting moderation 1 Withdrawn by their authors 1 Withheld 3") in page
    assert "Contains someone else's personal information: 1" in page
    assert "Spam or a duplicate: 2" in page


def test_the_percentile_compares_rated_clinics(client, create_clinic, add_review):
    from provider_dir.extensions import db

    best, middle, worst = create_clinic(), create_clinic(), create_clinic()
    for clinic, rating in ((best, 5), (middle, 4), (worst, 2)):
        for _ in range(3):
            add_review(clinic, rating=rating)
    db.session.commit()
    assert "higher than about 83 % of the 3 rated clinics" in text_of(client.get(f"/clinics/{best.slug}"))
    assert "higher than about 17 % of the 3 rated clinics" in text_of(client.get(f"/clinics/{worst.slug}"))
    # The cached ranking follows the next change of any clinic's figures.
    newcomer = create_clinic()
    for _ in range(3):
        add_review(newcomer, rating=1)
    db.session.commit()
    assert "higher than about 38 % of the 4 rated clinics" in text_of(client.get(f"/clinics/{worst.slug}"))


def test_reviews_show_their_structured_answers_as_text(client, create_clinic, add_review):
    clinic = create_clinic()
    add_review(
        clinic,
        body="<script>alert('x')</script> and a real story",
        sessions_count=6,
        side_effects=[SideEffect.DIZZINESS, SideEffect.FATIGUE],
        would_recommend=False,
    )
    response = client.get(f"/clinics/{clinic.slug}")
    html = response.get_data(as_text=True)
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html
    page = text_of(response)
    assert "Sessions 6" in page and "Side effects Dizziness, Fatigue" in page and "Would recommend No" in page


def test_the_methodology_partial_shows_approval_rate_per_star(app, create_clinic, add_review):
    clinic = create_clinic()
    for _ in range(3):
        add_review(clinic, rating=5)
    add_review(clinic, rating=5, status=ReviewStatus.REJECTED, rejection_reason=RejectionReason.SPAM)
    add_review(clinic, rating=1)
    add_review(clinic, rating=1, status=ReviewStatus.REJECTED, rejection_reason=RejectionReason.HARASSMENT)
    add_review(clinic, rating=1, status=ReviewStatus.PENDING)
    with app.test_request_context("/methodology"):
        html = render_template("reviews/_methodology_ratings.html")
    rows = {
        star: " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for star, row in re.findall(r'<tr data-star="(\d)">(.*?)</tr>', html, flags=re.S)
    }
    assert rows["5"] == "5 stars 4 3 1 75 %"
    assert rows["1"] == "1 star 3 1 1 50 %"
    assert rows["3"] == "3 stars 0 0 0 n/a"
    assert "moderators do not see the stars" in html
