"""What the patient filters offer: languages, ways to pay, and the yes-or-no facts a clinic can have."""

from __future__ import annotations

from provider_dir.models.base import LabelledEnum

# The languages most spoken in US homes after English (Census ACS), plus those clinics list most; a clinic's own
# list is free text, matched without regard to case.
LANGUAGES = ("Spanish", "Chinese", "Mandarin", "Cantonese", "Tagalog", "Vietnamese", "Arabic", "French",
             "Korean", "Russian", "Haitian Creole", "Portuguese", "Polish", "Hindi", "Somali", "Hmong",
             "American Sign Language", "English")


class Payment(LabelledEnum):
    """How a patient means to pay."""

    IN_NETWORK = ("in_network", "Takes some insurance in network")
    SUPERBILL = ("superbill", "Gives a superbill for out-of-network claims")
    SELF_PAY = ("self_pay", "Publishes its self-pay price")


class Feature(LabelledEnum):
    """The yes-or-no filters, by their URL parameter."""

    TELEHEALTH = ("telehealth", "Telehealth intake")
    PSYCHOTHERAPY = ("psychotherapy", "Psychotherapy alongside ketamine")
    EVENINGS = ("evenings", "Open evenings (after 6 pm)")
    WEEKENDS = ("weekends", "Open weekends")
    WHEELCHAIR = ("wheelchair", "Wheelchair accessible")
