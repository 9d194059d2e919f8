"""Forms for signing up and logging in."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Regexp, ValidationError

from provider_dir.accounts.passwords import MAX_LENGTH, password_problem


class RegisterForm(FlaskForm):
    """A patient's sign-up: an email and a pseudonym, never a real name."""

    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    display_name = StringField(
        "Display name (shown on your reviews; do not use your real name)",
        validators=[
            DataRequired(),
            Length(min=3, max=40),
            Regexp(r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes or underscores."),
        ],
    )
    password = PasswordField("Password (at least 8 characters)", validators=[DataRequired(), Length(max=MAX_LENGTH)])

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
