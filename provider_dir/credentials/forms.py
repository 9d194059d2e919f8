"""The owner's forms for staff and for each kind of credential: only the fields an owner may set."""

from __future__ import annotations

from datetime import date, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from provider_dir.core.validators import no_nul
from provider_dir.credentials.dea import dea_problem, normalise_dea
from provider_dir.credentials.npi import npi_problem
from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.geo.places.states import STATE_NAMES
from provider_dir.reviews.forms import choices, enum_choices

DATE_HINT = "The date printed on the document."
LATEST_EXPIRY_YEARS = 30


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ExpiryField(DateField):
    """A date typed as YYYY-MM-DD, with a message a person can act on when it is not one."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(
                f"{valuelist[0].strip()!r} is not a date we can read. Enter it as year-month-day, for example "
                "2027-06-30."
            ) from None


def current_expiry(form, field) -> None:
    """Refuse an expiry date that has passed or lies implausibly far ahead."""
    if field.data is None:
        return
    today = date.today()
    if field.data < today:
        raise ValidationError(
            "That date has passed. Enter the expiry date of the current card, licence or registration."
        )
    if field.data.year > today.year + LATEST_EXPIRY_YEARS:
        raise ValidationError(f"That date is more than {LATEST_EXPIRY_YEARS} years away; please re-check it.")


def expiry_field(missing: str | None) -> ExpiryField:
    """Return the expiry-date field with its checks: required (missing is what an empty one is told), or optional.

    Every kind that carries an expiry date uses this one field, so a passed or implausible date is refused
    the same way for all of them.
    """
    if missing is None:
        return ExpiryField(
            "Expiry date (optional)", description="Leave empty when the certificate has none.",
            validators=[Optional(), current_expiry],
        )  # fmt: skip
    return ExpiryField("Expiry date", description=DATE_HINT, validators=[InputRequired(missing), current_expiry])


class StaffForm(FlaskForm):
    """A staff member: name, degree, role, a short biography and their place in the list."""

    full_name = StringField(
        "Full name", filters=[_strip], validators=[DataRequired("Enter the person's name."), no_nul, Length(max=120)]
    )
    degree = StringField(
        "Degree", description="For example MD, DO, NP, CRNA or LCSW.", filters=[_strip],
        validators=[Optional(), no_nul, Length(max=40)],
    )  # fmt: skip
    role = SelectField(
        "Role at the clinic", choices=enum_choices(StaffRole, "Choose a role"),
        validators=[DataRequired("Choose the person's role.")],
    )  # fmt: skip
    bio = TextAreaField(
        "Short biography (optional)", filters=[_strip], validators=[Optional(), no_nul, Length(max=2000)]
    )
    sort_order = IntegerField(
        "Place in the list", default=0, description="Lower numbers are listed first.",
        validators=[Optional(), NumberRange(0, 999, "Use a number from 0 to 999.")],
    )  # fmt: skip

    def values(self) -> dict:
        """Return the fields as model values."""
        return {
            "full_name": self.full_name.data,
            "degree": self.degree.data or "",
            "role": StaffRole(self.role.data),
            "bio": self.bio.data or "",
            "sort_order": self.sort_order.data or 0,
        }


class CredentialForm(FlaskForm):
    """Fields every kind shares: an optional document for the moderator to check."""

    kind: CredentialKind
    # The issuer stored for kinds whose form does not ask for one (set on a new credential only).
    default_issuer = ""
    document = FileField(
        "Document for the moderator (optional)",
        description="A PDF, PNG or JPEG of the card, licence or certificate, at most 5 MB. Only this clinic's "
        "owners and the moderators can open it.",
    )

    def values(self) -> dict:
        """Return the fields as Credential column values."""
        values = {}
        for name in ("identifier", "issuer", "expires_on"):
            if name in self:
                values[name] = self[name].data if name == "expires_on" else (self[name].data or "")
        return values

    @classmethod
    def fill(cls, credential) -> dict:
        """Return form data from a stored credential (the kind's own fields only)."""
        return {"identifier": credential.identifier, "issuer": credential.issuer, "expires_on": credential.expires_on}


class NpiForm(CredentialForm):
    """The 10-digit National Provider Identifier."""

    kind = CredentialKind.NPI
    identifier = StringField(
        "NPI number", description="10 digits, as listed in the NPPES registry.", filters=[_strip],
        validators=[DataRequired("Enter the 10-digit NPI.")],
    )  # fmt: skip

    def validate_identifier(self, field) -> None:
        problem = npi_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    default_issuer = "NPPES"

    def values(self) -> dict:
        return {"identifier": self.identifier.data, "expires_on": None}


STATE_CHOICES = choices(sorted(STATE_NAMES.items(), key=lambda pair: pair[1]), "Choose the state")


class LicenceForm(CredentialForm):
    """A state licence to practise: state, number and expiry date."""

    kind = CredentialKind.STATE_LICENSE
    issuer = SelectField(
        "Issuing state", choices=STATE_CHOICES, validators=[DataRequired("Choose the state that issued the licence.")]
    )
    identifier = StringField(
        "Licence number", filters=[_strip],
        validators=[DataRequired("Enter the licence number."), Length(max=60)],
    )  # fmt: skip
    expires_on = expiry_field("Enter the licence's expiry date.")


class BoardForm(CredentialForm):
    """A board certification: the board, the specialty, and an expiry date when the board sets one."""

    kind = CredentialKind.BOARD_CERTIFICATION
    issuer = StringField(
        "Certifying board", description="For example American Board of Anesthesiology.", filters=[_strip],
        validators=[DataRequired("Enter the board that certified this person."), Length(max=120)],
    )  # fmt: skip
    identifier = StringField(
        "Specialty", description="For example Anesthesiology, Psychiatry or Pain Medicine.", filters=[_strip],
        validators=[DataRequired("Enter the specialty of the certification."), Length(max=60)],
    )  # fmt: skip
    expires_on = expiry_field(None)


class CardForm(CredentialForm):
    """An ACLS or BLS card: who issued it, its number and its expiry date."""

    issuer = StringField(
        "Issued by", description="For example American Heart Association.", filters=[_strip],
        validators=[Optional(), Length(max=120)],
    )  # fmt: skip
    identifier = StringField("Card number (optional)", filters=[_strip], validators=[Optional(), Length(max=60)])
    expires_on = expiry_field("Enter the card's expiry date.")


class AclsForm(CardForm):
    """Advanced cardiovascular life support."""

    kind = CredentialKind.ACLS


class BlsForm(CardForm):
    """Basic life support."""

    kind = CredentialKind.BLS


class DeaForm(CredentialForm):
    """A DEA registration: two letters and seven digits, and its expiry date."""

    kind = CredentialKind.DEA
    identifier = StringField(
        "DEA number", description="Two letters and seven digits, for example AB1234563.", filters=[_strip],
        validators=[DataRequired("Enter the DEA registration number.")],
    )  # fmt: skip
    expires_on = expiry_field("Enter the registration's expiry date.")

    def validate_identifier(self, field) -> None:
        problem = dea_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    default_issuer = "DEA"

    def values(self) -> dict:
        return {"identifier": normalise_dea(self.identifier.data), "expires_on": self.expires_on.data}


FORMS: dict[CredentialKind, type[CredentialForm]] = {
    form.kind: form for form in (NpiForm, LicenceForm, BoardForm, AclsForm, BlsForm, DeaForm)
}


def form_for(kind: CredentialKind) -> type[CredentialForm]:
    """Return the form class of a credential kind."""
    return FORMS[kind]
