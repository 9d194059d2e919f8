"""The credential and evidence decision forms: one "Verify or Refuse" rule, each with its own words."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from provider_dir.moderation.credentials.forms import CredentialDecisionForm
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason
from provider_dir.scoring.evidence.forms import EvidenceDecisionForm


def checked(app, form_class, **data):
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({"version": "3", **data}))
        valid = form.validate()
        return valid, {name: field.errors for name, field in form._fields.items() if field.errors}, form


@pytest.mark.parametrize(("form_class", "field"), [(CredentialDecisionForm, "method"), (EvidenceDecisionForm, "basis")])
@pytest.mark.parametrize("buttons", [{}, {"verify": "Verify", "refuse": "Refuse"}])
def test_neither_or_both_buttons_is_refused(app, form_class, field, buttons):
    valid, errors, _ = checked(app, form_class, **buttons)
    assert not valid and errors == {field: ["Choose either Verify or Refuse."]}


@pytest.mark.parametrize(("form_class", "message"), [
    (CredentialDecisionForm, "Choose the reason for refusing from the list."),
    (EvidenceDecisionForm, "Choose the reason for refusing; the clinic is told it."),
])  # fmt: skip
def test_a_refusal_needs_a_reason_from_the_forms_own_list(app, form_class, message):
    valid, errors, _ = checked(app, form_class, refuse="Refuse")
    assert not valid and errors == {"reason": [message]}
    valid, errors, _ = checked(app, form_class, refuse="Refuse", reason=RefusalReason.PROHIBITED_CLAIM.value)
    assert not valid and errors == {"reason": ["Not a valid choice."]}
    valid, errors, form = checked(app, form_class, refuse="Refuse", reason="no_match", note="Different number.")
    assert valid and form.chosen_reason == RefusalReason.NO_MATCH


def test_a_credential_verification_says_how_and_a_registry_one_gives_its_reference(app):
    valid, errors, _ = checked(app, CredentialDecisionForm, verify="Verify")
    assert not valid and errors == {"method": ["Say how you checked it: a registry look-up or the attached document."]}
    valid, errors, _ = checked(app, CredentialDecisionForm, verify="Verify", method="registry", reference=" ")
    assert not valid and errors == {
        "reference": ["Give the registry's reference, for example the NPPES look-up date and ID."]}
    assert checked(app, CredentialDecisionForm, verify="Verify", method="document")[0]
    valid, _, form = checked(app, CredentialDecisionForm, verify="Verify", method="registry", reference="NPPES 2026")
    assert valid and form.chosen_reason is None


def test_an_evidence_verification_names_its_basis(app):
    valid, errors, _ = checked(app, EvidenceDecisionForm, verify="Verify")
    assert not valid and errors == {"basis": ["Choose what the verification rests on."]}
    valid, _, form = checked(app, EvidenceDecisionForm, verify="Verify", basis="meets_policy")
    assert valid and form.chosen_basis == ApprovalBasis.MEETS_POLICY and form.chosen_reason is None
