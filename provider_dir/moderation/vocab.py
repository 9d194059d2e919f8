"""The closed, content-neutral list of grounds on which a review may be withheld."""

from provider_dir.models.base import LabelledEnum


class RejectionReason(LabelledEnum):
    """Content-neutral grounds (16 CFR 465) applied the same to every star rating."""

    PERSONAL_INFO = ("personal_info", "Contains someone else's personal information")
    HARASSMENT = ("harassment", "Harassing or abusive")
    OBSCENE = ("obscene_discriminatory", "Obscene or discriminatory")
    UNRELATED = ("unrelated", "Unrelated to the clinic's services")
    FALSE = ("clearly_false", "Clearly false")
    CONFLICT = ("conflict_of_interest", "Written by someone connected to the clinic")
    SPAM = ("spam_duplicate", "Spam or a duplicate")


class ReportStatus(LabelledEnum):
    """Where a report about a published review stands."""

    OPEN = ("open", "Waiting for a moderator")
    UPHELD = ("upheld", "The review was withheld")
    DISMISSED = ("dismissed", "The review stays published")
    CLOSED = ("closed", "The author withdrew the review")


class ApprovalBasis(LabelledEnum):
    """The closed list of grounds a moderator gives for approving a claim, listing, edit, credential or evidence."""

    REGISTRY_MATCH = ("registry_match", "Matches the public registry")
    DOCUMENT_MATCH = ("document_match", "The document shows it")
    DOMAIN_EMAIL = ("domain_email", "Confirmed from an address at the clinic's own domain")
    MEETS_POLICY = ("meets_policy", "Meets the listing rules")


class RefusalReason(LabelledEnum):
    """The closed list of grounds a moderator gives for refusing a claim, listing, edit, credential or evidence."""

    UNREADABLE = ("unreadable", "The document cannot be read")
    NO_MATCH = ("no_match", "The registry or document does not match what was stated")
    EXPIRED = ("expired", "The document or credential has expired")
    NOT_SHOWN = ("not_shown", "The evidence does not show the item")
    NO_AUTHORITY = ("no_authority", "Nothing shows the person acts for this clinic")
    PROHIBITED_CLAIM = ("prohibited_claim", "Claims a cure, a guarantee or a miracle")
    NOT_A_CLINIC = ("not_a_clinic", "Not a ketamine clinic that patients can visit")
    DUPLICATE = ("duplicate", "Duplicates another listing or request")
    INCOMPLETE = ("incomplete", "Required information is missing")
