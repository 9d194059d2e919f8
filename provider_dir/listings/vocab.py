"""Closed vocabularies of a listing: routes, conditions, statuses."""

from datetime import date

from provider_dir.models.base import LabelledEnum


class Route(LabelledEnum):
    """How ketamine is given."""

    IV = ("iv_infusion", "IV infusion")
    IM = ("im_injection", "IM injection")
    ESKETAMINE = ("esketamine_nasal", "Esketamine nasal spray (Spravato)")
    ORAL = ("oral_sublingual", "Oral/sublingual with psychotherapy")


class Condition(LabelledEnum):
    """Conditions a clinic treats."""

    DEPRESSION = ("depression", "Depression")
    ANXIETY = ("anxiety", "Anxiety")
    PTSD = ("ptsd", "PTSD")
    OCD = ("ocd", "OCD")
    BIPOLAR = ("bipolar_depression", "Bipolar depression")
    SUICIDAL = ("suicidal_ideation", "Suicidal ideation")
    FIBROMYALGIA = ("fibromyalgia", "Fibromyalgia")
    CRPS = ("crps", "CRPS")
    NEUROPATHIC = ("neuropathic_pain", "Neuropathic pain")
    MIGRAINE = ("migraine", "Migraine")
    OTHER_PAIN = ("other_chronic_pain", "Other chronic pain")


class ClinicStatus(LabelledEnum):
    """Whether a listing is shown."""

    DRAFT = ("draft", "Draft")
    PUBLISHED = ("published", "Published")
    SUSPENDED = ("suspended", "Suspended")


class Closure(LabelledEnum):
    """Whether a clinic is operating: not the moderation state (ClinicStatus), which says whether it is listed."""

    OPEN = ("open", "Open")
    TEMPORARY = ("temporarily_closed", "Temporarily closed")
    PERMANENT = ("permanently_closed", "Permanently closed")


def closure_as_of(closure: Closure | None, reopens_on: date | None, today: date | None = None) -> Closure:
    """Return the closure as of today: a temporary closure whose reopening date has come is open again."""
    reopened = reopens_on is not None and reopens_on <= (today or date.today())
    if closure == Closure.TEMPORARY and reopened:
        return Closure.OPEN
    return closure or Closure.OPEN


class InsuranceOption(LabelledEnum):
    """How a clinic deals with insurance."""

    NONE = ("none", "Self-pay only")
    SUPERBILL = ("superbill", "Superbill for out-of-network claims")
    IN_NETWORK = ("in_network", "Some insurance accepted")
