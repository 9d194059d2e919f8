"""Closed vocabularies of appeals: where an appeal stands and the grounds for upholding or reversing it."""

from provider_dir.models.base import LabelledEnum

APPEAL_DAYS = 30
APPEAL_MAX_CHARS = 2000


class AppealStatus(LabelledEnum):
    """Where an appeal stands."""

    OPEN = ("open", "Waiting for a second moderator")
    UPHELD = ("upheld", "The decision stands")
    REVERSED = ("reversed", "The decision was reversed")


class AppealReason(LabelledEnum):
    """The closed list of grounds a second moderator gives; the first three uphold, the last three reverse."""

    RULE_APPLIED = ("rule_applied", "The rule was applied correctly")
    NOTHING_NEW = ("nothing_new", "The appeal shows nothing the first decision missed")
    OUT_OF_SCOPE = ("out_of_scope", "The appeal is about something this decision did not decide")
    MISREAD = ("misread", "The first decision misread the item")
    RULE_MISAPPLIED = ("rule_misapplied", "The rule given does not apply to this item")
    NEW_INFORMATION = ("new_information", "The appeal shows the item meets the rules")


UPHOLD_REASONS = (AppealReason.RULE_APPLIED, AppealReason.NOTHING_NEW, AppealReason.OUT_OF_SCOPE)
REVERSE_REASONS = (AppealReason.MISREAD, AppealReason.RULE_MISAPPLIED, AppealReason.NEW_INFORMATION)
