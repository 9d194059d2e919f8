"""Closed vocabularies of corrections: which fact, where it stands, and the grounds of a decision."""

from provider_dir.models.base import LabelledEnum


class CorrectionField(LabelledEnum):
    """The listing fact a correction is about."""

    PHONE = ("phone", "Phone number")
    WEBSITE = ("website", "Website")
    ADDRESS = ("address", "Address")
    HOURS = ("hours", "Opening hours")
    PRICES = ("prices", "Prices")
    ROUTES = ("routes", "Routes offered")
    CLOSED = ("closed", "Open or closed")


# The Clinic attributes each kind of correction sets.
ATTRIBUTES: dict[CorrectionField, tuple[str, ...]] = {
    CorrectionField.PHONE: ("phone",),
    CorrectionField.WEBSITE: ("website",),
    CorrectionField.ADDRESS: ("street", "city", "state", "zip_code"),
    CorrectionField.HOURS: ("hours",),
    CorrectionField.PRICES: ("price_per_infusion_usd", "price_series_usd", "series_infusions"),
    CorrectionField.ROUTES: ("routes",),
    CorrectionField.CLOSED: ("closure", "reopens_on"),
}


class CorrectionStatus(LabelledEnum):
    """Where a suggested correction stands."""

    PENDING = ("pending", "Waiting for a moderator")
    ACCEPTED = ("accepted", "Accepted: the listing was changed")
    DECLINED = ("declined", "Declined")


class AcceptBasis(LabelledEnum):
    """The closed list of grounds on which a moderator accepts a correction."""

    SOURCE_SHOWS = ("source_shows", "The source given shows it")
    CLINIC_WEBSITE = ("clinic_website", "The clinic's own website shows it")
    CLINIC_CONFIRMED = ("clinic_confirmed", "The clinic confirmed it by phone or email")
    PUBLIC_RECORD = ("public_record", "A public record shows it")


class DeclineReason(LabelledEnum):
    """The closed list of grounds on which a moderator declines a correction."""

    NOT_SHOWN = ("not_shown", "Nothing we could check shows it")
    ALREADY_CORRECT = ("already_correct", "The listing already says this")
    CONTRADICTED = ("contradicted", "The clinic or its website says otherwise")
    WRONG_CLINIC = ("wrong_clinic", "It is about a different clinic")
    DUPLICATE = ("duplicate", "It repeats another suggestion")
    NOT_A_CORRECTION = ("not_a_correction", "Not a correction (spam, abuse or an opinion)")
