"""Forms of the portal's listing pages: editing a listing, creating one, claiming one, and the emailed code."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from provider_dir.core.validators import no_nul
from provider_dir.geo.places.states import STATE_NAMES
from provider_dir.hours.forms import WeekHoursField
from provider_dir.hours.parse import parse_hours, periods_from_json, periods_to_json
from provider_dir.listings.display import safe_web_url
from provider_dir.listings.vocab import Closure, Condition, InsuranceOption, Route
from provider_dir.portal.listings.edit import OWNER_FIELDS
from provider_dir.portal.vocab import ClaimMethod
from provider_dir.reviews.forms import MultiCheckboxField, choices, enum_choices

STATE_CHOICES = choices(sorted(STATE_NAMES.items(), key=lambda pair: pair[1]), "Choose a state")
PHONE_CHARS = re.compile(r"^[0-9+().\-\s]*$")
LANGUAGE_SPLIT = re.compile(r"\s*[,;]\s*")


def website_check(form, field) -> None:
    """Accept only an absolute http(s) address; javascript: and data: links are refused by name."""
    value = (field.data or "").strip()
    field.data = value
    if not value:
        return
    if safe_web_url(value) is None:
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        if scheme in ("javascript", "data", "vbscript", "file"):
            raise ValidationError(f"A “{scheme}:” link is not allowed. Enter the clinic's web address, "
                                  "starting with https:// or http://.")  # fmt: skip
        raise ValidationError("Enter a full web address starting with https:// or http://, such as https://example.com.")


def phone_check(form, field) -> None:
    """Accept digits and the usual separators, with 7 to 15 digits."""
    value = (field.data or "").strip()
    field.data = value
    if not value:
        return
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARS.match(value) or not 7 <= len(digits) <= 15:
        raise ValidationError("Enter a phone number such as (212) 555-0147.")


def _price(label: str) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(0, 100_000, "Enter an amount in whole dollars.")])


class ListingForm(FlaskForm):
    """The fields an owner may set on a listing, and only those."""

    description = TextAreaField("Description", validators=[no_nul, Optional(), Length(max=4000)])
    street = StringField(
        "Street address", validators=[no_nul, DataRequired("Enter the street address."), Length(max=200)]
    )
    city = StringField("City", validators=[no_nul, DataRequired("Enter the city."), Length(max=100)])
    state = SelectField("State", choices=STATE_CHOICES, validators=[DataRequired("Choose the state.")])
    zip_code = StringField(
        "ZIP code",
        validators=[DataRequired("Enter the ZIP code."),
                    Regexp(r"^\d{5}(?:-\d{4})?$", message="Enter a 5-digit ZIP code such as 10001.")],
    )  # fmt: skip
    phone = StringField("Phone", validators=[Optional(), Length(max=30), phone_check])
    website = StringField("Website", validators=[Optional(), Length(max=300), website_check])
    opening_hours = WeekHoursField("Opening hours")
    hours = StringField(
        "Notes about the hours (optional)", validators=[no_nul, Optional(), Length(max=300)],
        description="What the table above cannot say, such as “By appointment” or “First Saturday of the month "
                    "9:00 am to 2:00 pm”.",
    )  # fmt: skip
    routes = MultiCheckboxField("Routes offered", choices=enum_choices(Route))
    conditions = MultiCheckboxField("Conditions treated", choices=enum_choices(Condition))
    price_per_infusion_usd = _price("Price per infusion (USD)")
    price_series_usd = _price("Price of a series (USD)")
    series_infusions = IntegerField(
        "Infusions in a series", validators=[Optional(), NumberRange(1, 60, "A series has between 1 and 60 infusions.")]
    )
    insurance = SelectField("Insurance", choices=enum_choices(InsuranceOption), default=InsuranceOption.NONE.value)
    languages = StringField("Languages (separated by commas)", validators=[no_nul, Optional(), Length(max=300)])
    accessibility = StringField("Accessibility", validators=[no_nul, Optional(), Length(max=500)])
    accepting_new_patients = BooleanField("Accepting new patients")
    telehealth_intake = BooleanField("Telehealth intake")
    offers_psychotherapy = BooleanField("Psychotherapy offered alongside ketamine (integration sessions or KAP)")
    wheelchair_accessible = SelectField(
        "Wheelchair accessible", default="",
        choices=choices([("yes", "Yes: step-free from the street to the treatment room and restroom"), ("no", "No")],
                        "Not stated"))

    def fill_from(self, clinic) -> None:
        """Show the listing's current values (on GET)."""
        for name in OWNER_FIELDS:
            if not hasattr(self, name):
                continue  # the closure fields belong to the edit form only
            value = getattr(clinic, name)
            if name in ("routes", "conditions"):
                value = [member.value for member in value]
            elif name == "insurance":
                value = value.value
            elif name == "languages":
                value = ", ".join(value or [])
            elif name == "opening_hours":
                self.opening_hours.set_periods(periods_from_json(value))
                continue
            elif name == "wheelchair_accessible":
                value = "" if value is None else ("yes" if value else "no")
            getattr(self, name).data = value

    def owner_values(self) -> dict:
        """Return the posted values as Clinic attributes take them; only OWNER_FIELDS."""
        languages = [part for part in LANGUAGE_SPLIT.split((self.languages.data or "").strip()) if part][:20]
        values = {
            "description": (self.description.data or "").strip(),
            "street": self.street.data.strip(),
            "city": self.city.data.strip(),
            "state": self.state.data,
            "zip_code": self.zip_code.data.strip(),
            "phone": self.phone.data or "",
            "website": self.website.data or "",
            **self.hours_values(),
            "routes": [Route(v) for v in self.routes.data or []],
            "conditions": [Condition(v) for v in self.conditions.data or []],
            "price_per_infusion_usd": self.price_per_infusion_usd.data,
            "price_series_usd": self.price_series_usd.data,
            "series_infusions": self.series_infusions.data,
            "insurance": InsuranceOption(self.insurance.data),
            "languages": [language[:40] for language in languages],
            "accessibility": (self.accessibility.data or "").strip(),
            "accepting_new_patients": bool(self.accepting_new_patients.data),
            "telehealth_intake": bool(self.telehealth_intake.data),
            "offers_psychotherapy": bool(self.offers_psychotherapy.data),
            "wheelchair_accessible": {"yes": True, "no": False}.get(self.wheelchair_accessible.data),
        }
        return values

    def hours_values(self) -> dict:
        """Return the periods (unless the widget was not posted) and the note; a note that is only periods fills an
        empty week."""
        note = (self.hours.data or "").strip()
        periods = self.opening_hours.data
        if periods is None:  # a post without the widget (a script): the note alone, read as periods if it is
            parsed = parse_hours(note)
            return {"opening_hours": periods_to_json(parsed.periods), "hours": ""} if note and parsed.understood \
                else {"hours": note}
        if not periods and note:
            parsed = parse_hours(note)
            if parsed.understood:
                periods, note = parsed.periods, ""
        return {"opening_hours": periods_to_json(periods), "hours": note}


class ReopeningDateField(DateField):
    """A yyyy-mm-dd date whose error says what to type."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter the reopening date as a date, such as 2027-03-01.") from None


def closure_check(closure_field, reopens_field, today: date) -> bool:
    """Check a closure and its reopening date together, adding errors to the fields; return True when valid."""
    if reopens_field.data is None:
        return True
    if closure_field.data != Closure.TEMPORARY.value:
        reopens_field.errors.append("Only a temporarily closed clinic has a reopening date: choose "
                                    "“Temporarily closed”, or clear the date.")  # fmt: skip
        return False
    if reopens_field.data <= today:
        reopens_field.errors.append("The reopening date must be after today. Choose “Open” if the clinic is "
                                    "open again.")  # fmt: skip
        return False
    return True


class EditListingForm(ListingForm):
    """The owner's edit form: the listing's fields, and whether the clinic is open."""

    closure = SelectField("Is the clinic open?", choices=enum_choices(Closure), default=Closure.OPEN.value)
    reopens_on = ReopeningDateField("Reopening date, if temporarily closed (optional)", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return closure_check(self.closure, self.reopens_on, date.today()) and ok

    def fill_from(self, clinic) -> None:
        super().fill_from(clinic)
        self.closure.data = clinic.effective_closure().value
        self.reopens_on.data = clinic.reopens_on if self.closure.data == Closure.TEMPORARY.value else None

    def owner_values(self) -> dict:
        return {**super().owner_values(), "closure": Closure(self.closure.data), "reopens_on": self.reopens_on.data}


TERMS_REQUIRED = "Please read and accept the owner terms."


class NewListingForm(ListingForm):
    """A new listing: its name, the owner fields, and the owner terms."""

    name = StringField("Clinic name", validators=[DataRequired("Enter the clinic's name."), Length(max=160)])
    accept_terms = BooleanField("I accept the owner terms above", validators=[DataRequired(TERMS_REQUIRED)])


class ClaimForm(FlaskForm):
    """Claim a listing: the role at the clinic, the proof, and the owner terms."""

    role_at_clinic = StringField(
        "Your role at the clinic",
        validators=[DataRequired("Say what your role at the clinic is, e.g. practice manager."), Length(max=120)],
    )
    method = RadioField(
        "How will you show it?", choices=enum_choices(ClaimMethod), validators=[InputRequired("Choose how to show it.")]
    )
    proof_email = EmailField(
        "Your address at the clinic's domain",
        validators=[Optional(), Email("Enter an email address.", check_deliverability=False), Length(max=254)],
    )
    document = FileField("A document showing your role (PDF, PNG or JPEG, at most 5 MB)")
    accept_terms = BooleanField("I accept the owner terms above", validators=[DataRequired(TERMS_REQUIRED)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.method.data == ClaimMethod.DOMAIN_EMAIL.value and not self.proof_email.data:
            self.proof_email.errors.append("Enter your address at the clinic's domain.")
            ok = False
        if self.method.data == ClaimMethod.DOCUMENT.value and not getattr(self.document.data, "filename", ""):
            self.document.errors.append("Choose the document to upload.")
            ok = False
        return ok


class CodeForm(FlaskForm):
    """The code from the email."""

    code = StringField(
        "The code from the email",
        validators=[DataRequired("Enter the code from the email."), Length(max=20)],
    )
