"""The base of the moderator's "Verify or Refuse" forms (credentials, checklist evidence): one button, a reason."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from provider_dir.moderation.vocab import RefusalReason
from provider_dir.reviews.forms import choices

BOTH_OR_NEITHER = "Choose either Verify or Refuse."


def refusal_field(reasons: Sequence[RefusalReason]) -> SelectField:
    """Return the "reason for refusing" select, offering only these reasons."""
    return SelectField(
        "Reason for refusing (required to refuse)",
        choices=choices([(r.value, r.label) for r in reasons], "Choose a reason"),
        validators=[Optional()],
    )


class VerifyOrRefuseForm(FlaskForm):
    """Verify or refuse one item as the moderator last saw it (its version); a refusal needs a reason.

    A subclass adds its `reason` (refusal_field), names the field that shows a missing or double choice
    (`choice_field`), says what a refusal without a reason is told (`missing_reason`), and checks what a
    verification needs in `validate_verification`.
    """

    choice_field = "reason"
    missing_reason = "Choose the reason for refusing from the list."

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    note = TextAreaField(
        "Note for the log (optional, not shown to the clinic)", validators=[Optional(), Length(max=1000)]
    )
    verify = SubmitField("Verify")
    refuse = SubmitField("Refuse")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(self.verify.data) == bool(self.refuse.data):
            self[self.choice_field].errors.append(BOTH_OR_NEITHER)
            return False
        if self.verify.data:
            return self.validate_verification()
        if not self.reason.data:
            self.reason.errors.append(self.missing_reason)
            return False
        return True

    def validate_verification(self) -> bool:
        """Add an error and return False when a verification lacks what it needs; True otherwise."""
        return True

    @property
    def chosen_reason(self) -> RefusalReason | None:
        """The reason, when refusing."""
        return RefusalReason(self.reason.data) if self.refuse.data and self.reason.data else None
