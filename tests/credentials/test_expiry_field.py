"""Every credential kind with an expiry date checks it the same way, with the kind's own word when it is missing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from provider_dir.credentials.forms import LATEST_EXPIRY_YEARS, form_for
from provider_dir.credentials.vocab import CredentialKind
from tests.credentials.helpers import VALID

MISSING = {
    CredentialKind.STATE_LICENSE: "Enter the licence's expiry date.",
    CredentialKind.ACLS: "Enter the card's expiry date.",
    CredentialKind.BLS: "Enter the card's expiry date.",
    CredentialKind.DEA: "Enter the registration's expiry date.",
}
DATED = [*MISSING, CredentialKind.BOARD_CERTIFICATION]


def errors(app, kind: CredentialKind, **overrides) -> list[str]:
    with app.test_request_context(method="POST"):
        form = form_for(kind)(formdata=MultiDict({**VALID[kind.value], **overrides}))
        form.validate()
        return form.expires_on.errors


@pytest.mark.parametrize("kind", DATED)
def test_a_passed_or_far_off_or_unreadable_date_is_refused_alike(app, kind):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert errors(app, kind, expires_on=yesterday) == [
        "That date has passed. Enter the expiry date of the current card, licence or registration."]
    far = date.today().replace(year=date.today().year + LATEST_EXPIRY_YEARS + 1).isoformat()
    assert errors(app, kind, expires_on=far) == [
        f"That date is more than {LATEST_EXPIRY_YEARS} years away; please re-check it."]
    assert errors(app, kind, expires_on="30/06/2027") == [
        "'30/06/2027' is not a date we can read. Enter it as year-month-day, for example 2027-06-30."]
    assert errors(app, kind, expires_on=date.today().isoformat()) == []


@pytest.mark.parametrize("kind", list(MISSING))
def test_a_missing_date_names_the_kinds_document_and_the_field_is_required(app, kind):
    assert errors(app, kind, expires_on="") == [MISSING[kind]]
    with app.test_request_context():
        field = form_for(kind)().expires_on
        assert (field.label.text, field.description, field.flags.required) == (
            "Expiry date", "The date printed on the document.", True)


def test_a_board_certification_may_have_no_expiry_date(app):
    assert errors(app, CredentialKind.BOARD_CERTIFICATION, expires_on="") == []
    with app.test_request_context():
        field = form_for(CredentialKind.BOARD_CERTIFICATION)().expires_on
        assert field.label.text == "Expiry date (optional)" and not field.flags.required


def test_the_npi_has_no_expiry_date(app):
    with app.test_request_context():
        assert "expires_on" not in form_for(CredentialKind.NPI)()
