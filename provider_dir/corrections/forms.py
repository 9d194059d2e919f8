"""The "Suggest a correction" form (checked like the listing form) and the moderator's decision form."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from provider_dir.core.validators import no_nul
from provider_dir.corrections.vocab import ATTRIBUTES, AcceptBasis, CorrectionField, DeclineReason
from provider_dir.geo.places.placement import locate_address
from provider_dir.listings.display import safe_web_url
from provider_dir.listings.vocab import Closure, Route
from provider_dir.portal.listings.forms import (
    STATE_CHOICES,
    ReopeningDateField,
    closure_check,
    phone_check,
    website_check,
)
from provider_dir.reviews.forms import MultiCheckboxField, enum_choices

MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


def no_markup(form, field) -> None:
    """Refuse HTML tags in plain text (they would show as text anyway, and only spam sends them)."""
    if isinstance(field.data, str) and MARKUP.search(field.data):
        raise ValidationError("Write plain text, without HTML tags such as <a> or <script>.")


def source_check(form, field) -> None:
    """Accept only an absolute http(s) link as the source."""
    value = (field.data or "").strip()
    field.data = value
    if value and safe_web_url(value) is None:
        raise ValidationError("Enter a full web address starting with https:// or http://, or leave it empty.")


def _price(label: str) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(0, 100_000, "Enter an amount in whole dollars.")])


class CorrectionForm(FlaskForm):
    """Which fact is wrong, what it should say, and where that can be seen."""

    field = RadioField("What is wrong or out of date?", choices=enum_choices(CorrectionField),
                       validators=[InputRequired("Choose what to correct.")])  # fmt: skip
    phone = StringField("The clinic's phone number", validators=[Optional(), Length(max=30), phone_check])
    website = StringField("The clinic's website", validators=[Optional(), Length(max=300), website_check])
    street = StringField("Street address", validators=[no_nul, no_markup, Optional(), Length(max=200)])
    city = StringField("City", validators=[no_nul, no_markup, Optional(), Length(max=100)])
    state = SelectField("State", choices=STATE_CHOICES, validators=[Optional()])
    zip_code = StringField("ZIP code", validators=[
        Optional(), Regexp(r"^\d{5}(?:-\d{4})?$", message="Enter a 5-digit ZIP code such as 10001.")])
    hours = TextAreaField("Opening hours", validators=[no_nul, no_markup, Optional(), Length(max=300)])
    price_per_infusion_usd = _price("Price per infusion (USD)")
    price_series_usd = _price("Price of a series (USD)")
    series_infusions = IntegerField(
        "Infusions in a series", validators=[Optional(), NumberRange(1, 60, "A series has between 1 and 60 infusions.")]
    )
    routes = MultiCheckboxField("Routes the clinic offers", choices=enum_choices(Route))
    closure = SelectField("Is the clinic open?", choices=enum_choices(Closure, "Choose"), validators=[Optional()])
    reopens_on = ReopeningDateField("Reopening date, if temporarily closed and known", validators=[Optional()])
    source_url = StringField("Where can this be seen? A link (optional)",
                             validators=[Optional(), Length(max=300), source_check])  # fmt: skip
    note = TextAreaField("Anything else a moderator should know (optional)",
                         validators=[no_nul, no_markup, Optional(), Length(max=1000)])  # fmt: skip

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if not self.field.data or self.field.errors:
            return False
        # Only the chosen fact's inputs count: something left in another one (the person changed their mind) is
        # neither checked nor sent.
        kind = CorrectionField(self.field.data)
        relevant = {"field", "source_url", "note", "csrf_token", *ATTRIBUTES[kind]}
        for f in self:
            if f.name not in relevant:
                f.errors = []
        getattr(self, f"_check_{kind.value}")()
        return not any(f.errors for f in self)

    def _require(self, *fields, message: str) -> bool:
        missing = [f for f in fields if f.data in (None, "", []) and not f.errors]
        for f in missing:
            f.errors.append(message)
        return not missing

    def _check_phone(self) -> bool:
        return self._require(self.phone, message="Enter the phone number the clinic uses now.")

    def _check_website(self) -> bool:
        return self._require(self.website, message="Enter the clinic's web address, starting with https://.")

    def _check_hours(self) -> bool:
        return self._require(self.hours, message="Enter the opening hours, e.g. Mon-Fri 8-18.")

    def _check_routes(self) -> bool:
        return self._require(self.routes, message="Tick each route the clinic offers.")

    def _check_prices(self) -> bool:
        prices = (self.price_per_infusion_usd, self.price_series_usd, self.series_infusions)
        if any(f.errors for f in prices):
            return False
        if all(f.data is None for f in prices):
            self.price_per_infusion_usd.errors.append("Enter at least one price, in whole dollars.")
            return False
        return True

    def _check_address(self) -> bool:
        ok = True
        for f, message in ((self.street, "Enter the street address."), (self.city, "Enter the city."),
                           (self.state, "Choose the state."), (self.zip_code, "Enter the ZIP code.")):  # fmt: skip
            ok = self._require(f, message=message) and ok
        if not ok or any(f.errors for f in (self.street, self.city, self.zip_code)):
            return False
        if locate_address(self.city.data, self.state.data, self.zip_code.data) is None:
            self.zip_code.errors.append(f"We could not place this address: neither ZIP code “{self.zip_code.data}” "
                                        f"nor “{self.city.data}, {self.state.data}” is known. Check them.")
            return False
        return True

    def _check_closed(self) -> bool:
        if not self._require(self.closure, message="Choose whether the clinic is open or closed."):
            return False
        return closure_check(self.closure, self.reopens_on, date.today())

    def proposed(self) -> dict:
        """Return the proposed values of the chosen field as JSON, as services.suggest takes them."""
        field = CorrectionField(self.field.data)
        if field == CorrectionField.ADDRESS:
            return {"street": self.street.data.strip(), "city": self.city.data.strip(), "state": self.state.data,
                    "zip_code": self.zip_code.data.strip()}  # fmt: skip
        if field == CorrectionField.PRICES:
            prices = {f.name: f.data for f in (self.price_per_infusion_usd, self.price_series_usd,
                                               self.series_infusions)}  # fmt: skip
            return {name: value for name, value in prices.items() if value is not None}
        if field == CorrectionField.ROUTES:
            return {"routes": [Route(v).value for v in self.routes.data]}
        if field == CorrectionField.CLOSED:
            reopens = self.reopens_on.data
            return {"closure": self.closure.data, "reopens_on": reopens.isoformat() if reopens else None}
        name = field.value
        return {name: (getattr(self, name).data or "").strip()}


class CorrectionDecisionForm(FlaskForm):
    """Accept with grounds or decline with a reason, both from closed lists; names the version the moderator saw."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    basis = SelectField("Grounds for accepting", choices=enum_choices(AcceptBasis, "Choose the grounds"),
                        validators=[Optional()])  # fmt: skip
    reason = SelectField("Reason for declining", choices=enum_choices(DeclineReason, "Choose a reason"),
                         validators=[Optional()])  # fmt: skip
    note = TextAreaField("Note (optional; the clinic's owners see it when accepted)",
                         validators=[no_nul, Optional(), Length(max=1000)])  # fmt: skip
    accept = SubmitField("Accept and change the listing")
    decline = SubmitField("Decline")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(self.accept.data) == bool(self.decline.data):
            self.basis.errors.append("Choose either Accept or Decline.")
            return False
        if self.accept.data and not self.basis.data:
            self.basis.errors.append("Choose the grounds for accepting from the list.")
            return False
        if self.decline.data and not self.reason.data:
            self.reason.errors.append("Choose the reason for declining from the list.")
            return False
        return True

    @property
    def chosen(self) -> AcceptBasis | DeclineReason:
        """The grounds or the reason, as its vocabulary member."""
        return AcceptBasis(self.basis.data) if self.accept.data else DeclineReason(self.reason.data)
