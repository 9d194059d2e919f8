"""Clinics for the API document's tests: one at the document's example slug with full evidence, one bare."""

from __future__ import annotations

import pytest

from provider_dir.api.openapi import EXAMPLE_SLUG
from provider_dir.extensions import db
from provider_dir.listings.vocab import InsuranceOption
from provider_dir.scoring.vocab import AnswerStatus
from tests.scoring.builders import answer, exemplary_clinic, make_clinic, make_moderator


@pytest.fixture
def api_clinics(app, add_review) -> list[str]:
    """Add two published clinics near ZIP 10001 and return their slugs (the first is the document's example)."""
    moderator = make_moderator(db.session)
    full = exemplary_clinic(db.session, moderator, slug=EXAMPLE_SLUG, phone="(617) 555-0100",
                            website="https://harbor.example", hours="Mon-Fri 9-5", price_per_infusion_usd=520,
                            price_series_usd=2900, series_infusions=6, insurance=InsuranceOption.IN_NETWORK,
                            score_total=100.0, rating_avg=4.5, rating_bayes=4.2, rating_count=2,
                            has_verified_credentials=True)  # fmt: skip
    add_review(full, rating=5)
    add_review(full, rating=4)
    bare = make_clinic(db.session, slug="bare-ketamine-clinic", website="javascript:alert(1)")
    answer(db.session, bare, "C10", AnswerStatus.SELF_REPORTED, evidence_text="We say so.")
    db.session.commit()
    return [full.slug, bare.slug]
