"""A near-copy of another account's review is flagged for the moderator, whatever its rating."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.reviews.models import Review
from provider_dir.reviews.similarity import jaccard, most_similar, shingles
from tests.reviews.helpers import review_form, text_of

ORIGINAL = (
    "Best ketamine clinic in the city. The staff were amazing, the rooms were calm and I felt better after "
    "my very first infusion. Highly recommend to anyone struggling with depression."
)
# A copy with one word swapped and its case and punctuation changed.
COPY = ORIGINAL.replace("city", "area").replace("Highly recommend", "HIGHLY recommend!!").replace(",", "...")
DIFFERENT = (
    "Parking was hard to find and the intake paperwork took an hour, but the nurse explained the monitoring "
    "and stayed in the room for the whole infusion. Blood pressure went up a little at first."
)


def test_similarity_of_examples():
    assert jaccard(shingles(ORIGINAL), shingles(COPY)) >= 0.8
    assert jaccard(shingles(ORIGINAL), shingles(DIFFERENT)) < 0.2
    assert most_similar("Great clinic.", [(1, "Great clinic.")]) is None  # too short to call a copy


@given(st.text(min_size=0, max_size=300))
def test_a_text_is_identical_to_itself_and_similarity_is_symmetric(text):
    own = shingles(text)
    other = shingles(text[::-1])
    assert jaccard(own, other) == jaccard(other, own)
    assert 0.0 <= jaccard(own, other) <= 1.0
    if own:
        assert jaccard(own, own) == 1.0


def test_a_near_copy_by_another_account_is_flagged_in_the_queue(client, auth, create_user, create_clinic, add_review):
    first_clinic, second_clinic = create_clinic(), create_clinic()
    original = add_review(first_clinic, rating=5, title="Amazing", body=ORIGINAL)
    patient = create_user()
    auth.login(patient)
    client.post(
        f"/clinics/{second_clinic.slug}/review", data=review_form(rating_overall="1", title="Amazing", body=COPY)
    )
    copy = db.session.scalar(select(Review).where(Review.author_id == patient.id))
    assert copy.duplicate_of_id == original.id and copy.duplicate_similarity >= 0.8
    auth.login(create_user(role=UserRole.MODERATOR))
    queue = text_of(client.get("/moderation/"))
    assert "Near-duplicate" in queue and f"match review #{original.id} by another account" in queue


def test_different_texts_and_the_authors_own_reviews_are_not_flagged(
    client, auth, create_user, create_clinic, add_review
):
    patient = create_user()
    add_review(create_clinic(), body=ORIGINAL, author=patient)  # the same person reviewing two clinics alike
    add_review(create_clinic(), body=DIFFERENT)
    target = create_clinic()
    auth.login(patient)
    client.post(f"/clinics/{target.slug}/review", data=review_form(body=COPY))
    mine = db.session.scalar(select(Review).where(Review.author_id == patient.id, Review.clinic_id == target.id))
    assert mine.duplicate_of_id is None


def test_an_edit_that_removes_the_copy_clears_the_flag(client, auth, create_user, create_clinic, add_review):
    add_review(create_clinic(), title="Careful monitoring, calm rooms", body=ORIGINAL)
    clinic = create_clinic()
    patient = create_user()
    auth.login(patient)
    client.post(f"/clinics/{clinic.slug}/review", data=review_form(body=COPY))
    review = db.session.scalar(select(Review).where(Review.author_id == patient.id))
    assert review.duplicate_of_id is not None
    client.post(f"/reviews/{review.id}/edit", data=review_form(body=DIFFERENT))
    db.session.expire_all()
    assert db.session.get(Review, review.id).duplicate_of_id is None
