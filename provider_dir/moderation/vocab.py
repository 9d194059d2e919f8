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
