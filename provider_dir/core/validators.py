"""Form validators shared by every feature."""

from wtforms.validators import ValidationError


def no_nul(form, field) -> None:
    """Refuse NUL characters, which no text needs and PostgreSQL cannot store in a text column."""
    data = field.data
    if isinstance(data, str) and "\x00" in data:
        raise ValidationError("Remove the invisible NUL characters from this field.")
