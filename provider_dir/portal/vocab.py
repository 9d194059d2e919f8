"""Closed vocabularies of the clinic portal: claims and listing changes."""

from provider_dir.models.base import LabelledEnum

# The owner terms a claim or a new listing accepts; a change of wording gets a new version.
OWNER_TERMS_VERSION = "2026-12"


class ClaimMethod(LabelledEnum):
    """How a claimant proves they act for the clinic."""

    DOMAIN_EMAIL = ("domain_email", "A code sent to an address at the clinic website's domain")
    DOCUMENT = ("document", "A document for a moderator to check")


class ClaimStatus(LabelledEnum):
    """Where a claim stands."""

    AWAITING_CODE = ("awaiting_code", "Waiting for the emailed code")
    PENDING = ("pending", "Waiting for a moderator")
    APPROVED = ("approved", "Approved")
    REJECTED = ("rejected", "Rejected")
    WITHDRAWN = ("withdrawn", "Withdrawn")


class ChangeKind(LabelledEnum):
    """What a listing change asks a moderator to publish."""

    NEW_LISTING = ("new_listing", "New listing")
    EDIT = ("edit", "Edit held by the listing-text screen")


class ChangeStatus(LabelledEnum):
    """Where a listing change stands."""

    PENDING = ("pending", "Waiting for a moderator")
    APPROVED = ("approved", "Published")
    REJECTED = ("rejected", "Refused")
    SUPERSEDED = ("superseded", "Replaced by a later edit")
