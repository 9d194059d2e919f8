"""Forms of two-factor sign-in: a code, and the password with a code to turn it off."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from provider_dir.accounts.forms import current_password_field, no_control_characters, strip

CODE_HINT = "The six digits your authenticator app shows for this site, or one of your recovery codes."


def code_field(label: str = "Code", hint: str = CODE_HINT) -> StringField:
    """Return the field for a TOTP code or a recovery code."""
    return StringField(
        label,
        description=hint,
        filters=[strip],
        validators=[DataRequired(message="Type the code."), no_control_characters, Length(max=40)],
    )


class CodeForm(FlaskForm):
    """A code from the authenticator app or a recovery code."""

    code = code_field()


class ConfirmSetupForm(FlaskForm):
    """The first code from the app, which proves the key was saved in it."""

    code = code_field("Code from the app", "The six digits your authenticator app now shows for this site.")


class TurnOffForm(FlaskForm):
    """The current password and a code."""

    current_password = current_password_field()
    code = code_field()


class ResetForm(FlaskForm):
    """An admin's reset of another account's second factor."""

    reset_note = StringField("Note for the audit log (optional)", validators=[Optional(), Length(max=500)])
