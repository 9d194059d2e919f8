"""The moderator's decision form for one credential."""

from __future__ import annotations

from wtforms import RadioField, StringField
from wtforms.validators import Length, Optional

from provider_dir.credentials.vocab import VerificationMethod
from provider_dir.moderation.credentials.queue import CREDENTIAL_REFUSALS
from provider_dir.moderation.decisions.forms import VerifyOrRefuseForm, refusal_field
from provider_dir.reviews.forms import enum_choices


class CredentialDecisionForm(VerifyOrRefuseForm):
    """Verify (by registry look-up or by the attached document) or refuse one credential, as last seen."""

    choice_field = "method"

    method = RadioField("How did you check it?", choices=enum_choices(VerificationMethod), validators=[Optional()])
    reference = StringField(
        "Registry reference",
        description="Required for a registry look-up: for example the NPPES look-up date and NPI, or the state "
        "board's licence page reference.",
        validators=[Optional(), Length(max=200)],
    )
    reason = refusal_field(CREDENTIAL_REFUSALS)

    def validate_verification(self) -> bool:
        if not self.method.data:
            self.method.errors.append("Say how you checked it: a registry look-up or the attached document.")
            return False
        if self.method.data == VerificationMethod.REGISTRY.value and not (self.reference.data or "").strip():
            self.reference.errors.append("Give the registry's reference, for example the NPPES look-up date and ID.")
            return False
        return True
