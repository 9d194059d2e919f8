"""Forms of the moderation queue and of reports."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from provider_dir.core.validators import no_nul
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.reviews.forms import enum_choices

REASON_CHOICES = enum_choices(RejectionReason, "Choose a reason")


class DecisionForm(FlaskForm):
    """Publish or withhold one queue item; it names the version the moderator saw."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reason = SelectField(
        "Reason for withholding (required to withhold)", choices=REASON_CHOICES, validators=[Optional()]
    )
    note = TextAreaField("Note for the log (optional, not shown publicly)", validators=[Optional(), Length(max=1000)])
    approve = SubmitField("Publish")
    reject = SubmitField("Withhold")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.approve.data == self.reject.data:
            self.reason.errors.append("Choose either Publish or Withhold.")
            return False
        if self.reject.data and not self.reason.data:
            self.reason.errors.append("Choose the rule this review breaks; a review is withheld only for one of them.")
            return False
        return True

    @property
    def chosen_reason(self) -> RejectionReason | None:
        """The reason as a RejectionReason, when withholding."""
        return RejectionReason(self.reason.data) if self.reject.data and self.reason.data else None


class ReportForm(FlaskForm):
    """Report a published review for breaking one of the site's content-neutral rules."""

    reason = SelectField(
        "Which rule does this review break?",
        choices=REASON_CHOICES,
        validators=[DataRequired("Choose the rule this review breaks.")],
    )
    note = TextAreaField(
        "What should the moderator look at? (optional)", validators=[Optional(), no_nul, Length(max=1000)]
    )


class ConfirmForm(FlaskForm):
    """An empty form that carries the CSRF token of a POST-only button."""
