"""The listing-text screen (checklist item 20): cure, guarantee and miracle claims are found; honest text is not."""

from __future__ import annotations

import pytest

from provider_dir.portal.listings.screening import screen_listing_fields, screen_listing_text


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Ketamine cures depression.", "cure"),
        ("Our patients are cured in weeks", "cure"),
        ("A CURE for chronic pain", "cure"),
        ("Results guaranteed or your money back", "guarantee"),
        ("We guarantee relief", "guarantee"),
        ("A miracle treatment", "miracle"),
        ("Miraculous results after one session", "miracle"),
        ("100% success rate", "100% success"),
        ("100 % effective", "100% success"),
        ("A permanent fix for PTSD", "permanent fix"),
        ("Permanent relief from migraine", "permanent fix"),
        ("Risk-free infusions", "risk-free"),
        ("Instant relief", "instant results"),
        ("Your depression will never come back", "never come back"),
    ],
)
def test_the_screen_finds_prohibited_claims(text, phrase):
    assert phrase in screen_listing_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine infusions for treatment-resistant depression, with monitoring throughout.",
        "We measure your symptoms with the PHQ-9 before and during the course.",
        "Secure parking; procurement of supplies follows DEA rules.",  # "procurement" is not "cure"
        "Accurate dosing with an infusion pump.",
        "",
    ],
)
def test_honest_text_passes(text):
    assert screen_listing_text(text) == []


def test_fields_report_only_those_with_claims():
    found = screen_listing_fields({"description": "A miracle cure", "hours": "Mon-Fri", "accessibility": ""})
    assert found == {"description": ["cure", "miracle"]}
