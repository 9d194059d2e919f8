"""Closed vocabularies of a structured review."""

from provider_dir.models.base import LabelledEnum


class ReviewStatus(LabelledEnum):
    """Where a review stands in moderation."""

    PENDING = ("pending", "Pending moderation")
    APPROVED = ("approved", "Published")
    REJECTED = ("rejected", "Withheld")
    WITHDRAWN = ("withdrawn", "Withdrawn by its author")


class TimeToRelief(LabelledEnum):
    """How soon a patient first felt relief."""

    HOURS = ("hours", "Within hours")
    DAYS = ("days", "Within days")
    WEEKS = ("weeks", "Within weeks")
    NONE = ("none", "No relief")


class SideEffect(LabelledEnum):
    """Side effects a patient felt."""

    NAUSEA = ("nausea", "Nausea")
    DIZZINESS = ("dizziness", "Dizziness")
    RAISED_BP = ("raised_bp", "Raised blood pressure")
    DISSOCIATION = ("dissociation", "Hallucinations or dissociation")
    FATIGUE = ("fatigue", "Fatigue")
    OTHER = ("other", "Other")
    NONE = ("none", "None")


class Answer(LabelledEnum):
    """A patient's answer to a yes/no question about their care."""

    YES = ("yes", "Yes")
    NO = ("no", "No")
    NOT_SURE = ("not_sure", "Not sure")
