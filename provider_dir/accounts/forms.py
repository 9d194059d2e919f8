"""Forms for signing up, logging in and changing what an account logs in with."""

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Regexp, ValidationError

from provider_dir.accounts.passwords import MAX_LENGTH, MIN_LENGTH, password_problem


def no_control_characters(form, field) -> None:
    """Refuse NUL and other control characters, which no email or name contains (PostgreSQL rejects NUL)."""
    if field.data and any(ord(ch) < 32 or ord(ch) == 127 for ch in field.data):
        raise ValidationError("Remove the invisible control characters from this field.")


def strip(value: str | None) -> str | None:
    """Trim spaces around what was typed (never applied to passwords)."""
    return value.strip() if isinstance(value, str) else value


# What sign-up accepts as a log-in address (after DataRequired); a change of address takes the same.
SIGN_UP_EMAIL = [
    no_control_characters,
    Email(check_deliverability=False, message="Enter an email address such as name@example.com."),
    Length(max=254),
]


class RegisterForm(FlaskForm):
    """A patient's sign-up: an email and a pseudonym, never a real name."""

    email = EmailField(
        "Email", filters=[strip], validators=[DataRequired(message="Enter your email address."), *SIGN_UP_EMAIL]
    )
    display_name = StringField(
        "Display name",
        description="Shown on your reviews. Please don't use your real name.",
        filters=[strip],
        validators=[
            DataRequired(message="Choose a display name."),
            no_control_characters,
            Length(min=3, max=40, message="Use 3 to 40 characters."),
            Regexp(r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes or underscores."),
        ],
    )
    # No Length validator: password_problem gives one clear message for every length problem.
    password = PasswordField(
        "Password",
        description=f"At least {MIN_LENGTH} characters; a long passphrase is best. Up to {MAX_LENGTH}.",
        validators=[DataRequired(message="Choose a password.")],
    )

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", context=(self.email.data or "", self.display_name.data or ""))
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        "Email",
        filters=[strip],
        validators=[DataRequired(message="Enter your email address."), no_control_characters, Length(max=254)],
    )
    password = PasswordField(
        "Password", validators=[DataRequired(message="Enter your password."), Length(max=MAX_LENGTH)]
    )


def email_address(form, field) -> None:
    """Refuse what is not an email address; reserved test domains pass, as accounts made by the CLI may use one."""
    try:
        validate_email(field.data or "", check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValidationError("Enter an email address such as name@example.com.") from exc


class ResetRequestForm(FlaskForm):
    """The address to send a password reset link to."""

    email = EmailField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired(message="Enter your email address."),
            no_control_characters,
            Length(max=254),
            email_address,
        ],
    )


class NewPasswordForm(FlaskForm):
    """A new password, checked by the same rules as at sign-up; set context to the account's own words."""

    password = PasswordField(
        "New password",
        description=f"At least {MIN_LENGTH} characters; a long passphrase is best. Up to {MAX_LENGTH}.",
        validators=[DataRequired(message="Choose a new password.")],
    )
    context: tuple[str, ...] = ()

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", context=self.context)
        if problem:
            raise ValidationError(problem)


def current_password_field() -> PasswordField:
    """Return the field that asks for the account's current password before a change."""
    return PasswordField(
        "Current password",
        validators=[DataRequired(message="Enter your current password."), Length(max=MAX_LENGTH)],
    )


class ChangePasswordForm(NewPasswordForm):
    """The current password and a new one, checked by the same rules as at sign-up."""

    current_password = current_password_field()


class ChangeEmailForm(FlaskForm):
    """A new log-in address, accepted by the same rules as at sign-up, and the current password."""

    email = EmailField(
        "New email address",
        filters=[strip],
        validators=[DataRequired(message="Enter the new email address."), *SIGN_UP_EMAIL],
    )
    current_password = current_password_field()
