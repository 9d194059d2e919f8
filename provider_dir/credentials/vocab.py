"""Closed vocabularies for staff and credentials."""

from provider_dir.models.base import LabelledEnum


class StaffRole(LabelledEnum):
    """A staff member's role at a clinic."""

    MEDICAL_DIRECTOR = ("medical_director", "Medical director")
    ANESTHESIOLOGIST = ("anesthesiologist", "Anesthesiologist")
    PSYCHIATRIST = ("psychiatrist", "Psychiatrist")
    CRNA = ("crna", "Certified registered nurse anesthetist (CRNA)")
    NURSE_PRACTITIONER = ("nurse_practitioner", "Nurse practitioner")
    PHYSICIAN_ASSISTANT = ("physician_assistant", "Physician assistant")
    REGISTERED_NURSE = ("registered_nurse", "Registered nurse")
    THERAPIST = ("therapist", "Therapist")
    OTHER = ("other", "Other")


class CredentialKind(LabelledEnum):
    """What a credential is."""

    NPI = ("npi", "NPI")
    STATE_LICENSE = ("state_license", "State licence")
    BOARD_CERTIFICATION = ("board_certification", "Board certification")
    ACLS = ("acls", "ACLS")
    BLS = ("bls", "BLS")
    DEA = ("dea", "DEA registration")


class CredentialStatus(LabelledEnum):
    """How far a credential has been checked."""

    SELF_REPORTED = ("self_reported", "Self-reported")
    VERIFIED = ("verified", "Verified")
    EXPIRED = ("expired", "Expired")
    # A moderator checked the registry or document and it did not match; counts nothing.
    REFUSED = ("refused", "Refused by a moderator")


class VerificationMethod(LabelledEnum):
    """How a moderator checked a credential or a piece of evidence."""

    REGISTRY = ("registry", "Registry look-up")
    DOCUMENT = ("document", "Document")
