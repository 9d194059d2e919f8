"""Forms of appeals: making one, and a second moderator's decision on it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from provider_dir.appeals.vocab import APPEAL_MAX_CHARS, REVERSE_REASONS, UPHOLD_REASONS
from provider_dir.core.validators import no_nul
from provider_dir.reviews.forms import choices

DECISION_CHOICES = choices(
    [(reason.value, f"Uphold: {reason.label}") for reason in UPHOLD_REASONS]
    + [(reason.value, f"Reverse: {reason.label}") for reason in REVERSE_REASONS],
    "Choose an outcome and its ground",
)


class AppealForm(FlaskForm):
    """Ask a second moderator to look again at a decision."""

    text = TextAreaField(
        f"Why should the decision be looked at again? (up to {APPEAL_MAX_CHARS:,} characters)",
        validators=[DataRequired("Say why the decision should be looked at again."), no_nul,
                    Length(max=APPEAL_MAX_CHARS, message=f"Keep the appeal to {APPEAL_MAX_CHARS:,} characters.")],
    )  # fmt: skip


class AppealDecisionForm(FlaskForm):
    """Uphold or reverse an appeal with a ground from the closed list; it names the version the moderator saw."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reason = SelectField("Outcome and ground", choices=DECISION_CHOICES,
                         validators=[DataRequired("Choose whether to uphold or reverse, and on which ground.")])
    note = TextAreaField("Note to both sides (optional; emailed to them, never published)",
                         validators=[Optional(), no_nul, Length(max=1000)])
