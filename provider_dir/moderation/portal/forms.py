"""The decision form of the claim, new-listing and held-edit queues: approve or refuse, each with its closed reason."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason
from provider_dir.reviews.forms import enum_choices


class PortalDecisionForm(FlaskForm):
    """Approve with an ApprovalBasis or refuse with a RefusalReason; names the version the moderator saw."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    basis = SelectField("Grounds for approving", choices=enum_choices(ApprovalBasis, "Choose the grounds"),
                        validators=[Optional()])  # fmt: skip
    reason = SelectField("Reason for refusing", choices=enum_choices(RefusalReason, "Choose a reason"),
                         validators=[Optional()])  # fmt: skip
    note = TextAreaField("Note to the owner (optional; they see it)", validators=[Optional(), Length(max=1000)])
    approve = SubmitField("Approve")
    reject = SubmitField("Refuse")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(self.approve.data) == bool(self.reject.data):
            self.basis.errors.append("Choose either Approve or Refuse.")
            return False
        if self.approve.data and not self.basis.data:
            self.basis.errors.append("Choose the grounds for approving from the list.")
            return False
        if self.reject.data and not self.reason.data:
            self.reason.errors.append("Choose the reason for refusing from the list; the owner sees it.")
            return False
        return True

    @property
    def approving(self) -> bool:
        """True when the moderator approves."""
        return bool(self.approve.data)

    @property
    def chosen(self) -> ApprovalBasis | RefusalReason:
        """The grounds or the reason, as its vocabulary member."""
        return ApprovalBasis(self.basis.data) if self.approving else RefusalReason(self.reason.data)
