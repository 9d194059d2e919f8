"""The moderators' forms of the registry pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput


class OneClickVerifyForm(FlaskForm):
    """Verify a credential whose registry check matches, as the moderator last saw it."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    submit = SubmitField("Verify by the registry check")


class ExclusionDecisionForm(FlaskForm):
    """Confirm a possible exclusion against the OIG's own search, or dismiss it."""

    note = TextAreaField("Note for the log (optional, not shown publicly)", validators=[Optional(), Length(max=500)])
    confirm = SubmitField("Confirm: it is this clinician")
    dismiss = SubmitField("Dismiss: it is someone else")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(self.confirm.data) == bool(self.dismiss.data):
            self.note.errors.append("Choose either Confirm or Dismiss.")
            return False
        return True
