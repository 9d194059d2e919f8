"""The name box's field and the rule that a search needs a place, a name, or both."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import Length, StopValidation

from provider_dir.geo.names.fold import MAX_QUERY_LENGTH

PLACE_OR_NAME = (
    "Enter a 5-digit ZIP code (e.g. 10001), a city and state (e.g. Denver, CO) or coordinates, "
    "or a clinic or clinician name."
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def name_field() -> StringField:
    """Return the "Clinic or clinician name" field (q in the address)."""
    return StringField(
        "Clinic or clinician name",
        validators=[Length(max=MAX_QUERY_LENGTH, message=f"Keep the name under {MAX_QUERY_LENGTH} letters.")],
        filters=[_strip],
    )


class PlaceOrName:
    """The place is needed unless a name was typed (then an empty place means: anywhere in the country)."""

    def __call__(self, form, field) -> None:
        if field.data:
            return
        field.errors[:] = []
        if getattr(form, "q", None) is not None and form.q.data:
            raise StopValidation()
        raise StopValidation(PLACE_OR_NAME)
