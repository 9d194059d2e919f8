"""The moderator's decision form for one credential."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from provider_dir.credentials.vocab import VerificationMethod
from provider_dir.moderation.credential_queue import CREDENTIAL_REFUSALS
from provider_dir.reviews.forms import choices, enum_choices

REFUSAL_CHOICES = choices([(r.value, r.label) for r in CREDENTIAL_REFUSALS], "Choose a reason")


class CredentialDecisionForm(FlaskForm):
    """Verify (by registry look-up or by the attached document) or refuse one credential, as last seen."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    method = RadioField("How did you check it?", choices=enum_choices(VerificationMethod), validators=[Optional()])
    reference = StringField(
        "Registry reference",
        description="Required for a registry look-up: for example the NPPES look-up date and NPI, or the state "
        "board's licence page reference.",
        validators=[Optional(), Length(max=200)],
    )
    reason = SelectField("Reason for refusing (required to refuse)", choices=REFUSAL_CHOICES, validators=[Optional()])
    note = TextAreaField(
        "Note for the log (optional, not shown to the clinic)", validators=[Optional(), Length(max=1000)]
    )
    verify = SubmitField("Verify")
    refuse = SubmitField("Refuse")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(self.verify.data) == bool(self.refuse.data):
            self.method.errors.append("Choose either Verify or Refuse.")
            return False
        if self.verify.data:
            if not self.method.data:
                self.method.errors.append("Say how you checked it: a registry look-up or the attached document.")
                return False
            if self.method.data == VerificationMethod.REGISTRY.value and not (self.reference.data or "").strip():
                self.reference.errors.append(
                    "Give the registry's reference, for example the NPPES look-up date and ID."
                )
                return False
        if self.refuse.data and not self.reason.data:
            self.reason.errors.append("Choose the reason for refusing from the list.")
            return False
        return True
