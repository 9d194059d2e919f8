"""Forms of the admin import pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from provider_dir.core.validators import no_nul
from provider_dir.imports.importer import SOURCE_MAX


class UploadForm(FlaskForm):
    """Upload a file and name its source."""

    source = StringField("Source name (kept on every listing, e.g. “State medical board list, Nov 2026”)",
                         validators=[no_nul, DataRequired("Name the source of the file."), Length(max=SOURCE_MAX)])
    file = FileField("File: CSV, HSDS JSON (.json) or HSDS data package (.zip), at most 8 MB")


class DecisionForm(FlaskForm):
    """Confirm or cancel a checked upload (the button pressed is the decision)."""


class UndoForm(FlaskForm):
    """Undo an import; the hidden field makes an empty POST a refusal, not an undo."""

    confirm = HiddenField(validators=[AnyOf(["undo"], message="Reload the page and press Undo again.")])
