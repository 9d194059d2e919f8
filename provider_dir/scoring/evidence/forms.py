"""Forms for checklist evidence: the owner's answer to one item, and the moderator's decision about it."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from provider_dir.core.validators import no_nul
from provider_dir.documents.storage import ACCEPTED_TYPES_TEXT
from provider_dir.moderation.decisions.forms import VerifyOrRefuseForm, refusal_field
from provider_dir.moderation.evidence.queue import REFUSAL_REASONS, VERIFY_BASES
from provider_dir.moderation.vocab import ApprovalBasis
from provider_dir.reviews.forms import choices
from provider_dir.scoring.answers import MAX_TEXT, link_problem


def _link(form, field) -> None:
    field.data = (field.data or "").strip()
    if field.data:
        problem = link_problem(field.data)
        if problem:
            raise ValidationError(problem)


class EvidenceForm(FlaskForm):
    """The owner's answer to one checklist item: the clinic does this, shown by text, a link and/or a document.

    Only these fields are read: a posted status, verifier, evidence kind or clinic is ignored.
    """

    text = TextAreaField(
        "What the clinic does",
        description="Say how the clinic meets this item, in your own words (what a moderator should look for).",
        validators=[Optional(), no_nul, Length(max=MAX_TEXT, message=f"Keep it to {MAX_TEXT} characters or fewer.")],
    )
    url = StringField(
        "Link to evidence (optional)",
        description="A public web page that shows it, starting with https:// or http://.",
        validators=[_link],
    )
    document = FileField("Document (optional)", description=f"A policy, certificate or form: {ACCEPTED_TYPES_TEXT}.")
    remove_document = BooleanField("Remove the document on record")
    expires_on = DateField(
        "Valid until",
        description="The date on the certificate or pledge; the evidence stops counting after it.",
        validators=[Optional()],
    )
    submit = SubmitField("Send for checking")

    def __init__(self, *args, needs_expiry: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_expiry = needs_expiry

    def validate_expires_on(self, field) -> None:
        if self.needs_expiry and field.data is not None and field.data < date.today():
            raise ValidationError(
                "This date has passed, and expired evidence does not count. Give evidence that is still valid."
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        field = self.expires_on
        if self.needs_expiry and field.data is None and not field.errors:
            field.errors = ["This item's evidence has an expiry date: give the date it is valid until."]
            return False
        return valid

    def has_new_file(self) -> bool:
        """Return True when a file was chosen."""
        return bool(self.document.data)

    def check_some_evidence(self, has_document_on_record: bool) -> bool:
        """Add an error unless text, a link or a document is given; return True when some is."""
        keeps_document = has_document_on_record and not self.remove_document.data
        if (self.text.data or "").strip() or self.url.data or self.has_new_file() or keeps_document:
            return True
        self.text.errors = [*self.text.errors, "Give some evidence: a few words, a link or a document."]
        return False


class EvidenceDecisionForm(VerifyOrRefuseForm):
    """Verify or refuse one piece of evidence; it names the version the moderator saw."""

    choice_field = "basis"
    missing_reason = "Choose the reason for refusing; the clinic is told it."

    basis = SelectField(
        "Basis for verifying (required to verify)",
        choices=choices([(b.value, b.label) for b in VERIFY_BASES], "Choose a basis"),
        validators=[Optional()],
    )
    reason = refusal_field(REFUSAL_REASONS)

    def validate_verification(self) -> bool:
        if not self.basis.data:
            self.basis.errors.append("Choose what the verification rests on.")
            return False
        return True

    @property
    def chosen_basis(self) -> ApprovalBasis | None:
        """The basis, when verifying."""
        return ApprovalBasis(self.basis.data) if self.verify.data and self.basis.data else None
