"""Evidence statuses and kinds for checklist answers."""

from provider_dir.models.base import LabelledEnum


class AnswerStatus(LabelledEnum):
    """How far a clinic's answer to a checklist item is supported."""

    UNKNOWN = ("unknown", "Unknown")
    SELF_REPORTED = ("self_reported", "Self-reported")
    VERIFIED = ("verified", "Verified")
    EXPIRED = ("expired", "Expired")
    # A moderator looked at the evidence and it did not show the item; counts nothing until new evidence.
    REFUSED = ("refused", "Refused by a moderator")


class EvidenceKind(LabelledEnum):
    """What supports an answer."""

    SR = ("SR", "Clinic's own statement")
    DOC = ("DOC", "Document")
    REG = ("REG", "Registry number")
    PR = ("PR", "Patients' answers in reviews")
    MOD = ("MOD", "Moderator's check")
