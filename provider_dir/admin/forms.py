"""Forms of account administration; each names the state the admin saw, so a stale change is refused."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from provider_dir.accounts.vocab import UserRole
from provider_dir.reviews.forms import enum_choices

ROLE_CHOICES = enum_choices(UserRole)
ROLE_VALUES = [role.value for role in UserRole]
NOTE = "Note for the audit log (optional)"


class RoleForm(FlaskForm):
    """Change an account's role."""

    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired(message="Choose a role.")])
    seen_role = HiddenField(validators=[AnyOf(ROLE_VALUES, message="Reload the page and try again.")])
    role_note = StringField(NOTE, validators=[Optional(), Length(max=500)])


class ActiveForm(FlaskForm):
    """Deactivate or reactivate an account: it names the state wanted, so pressing twice changes nothing."""

    active = HiddenField(validators=[AnyOf(["0", "1"], message="Reload the page and try again.")])
    active_note = StringField(NOTE, validators=[Optional(), Length(max=500)])
