"""Forms of the clinic portal."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from provider_dir.portal.invitations import MAX_BATCH


class InvitationForm(FlaskForm):
    """How many single-use invitation codes to issue."""

    count = IntegerField(
        "How many codes?",
        default=10,
        validators=[
            InputRequired("Enter how many codes you need."),
            NumberRange(1, MAX_BATCH, f"Issue between 1 and {MAX_BATCH} codes at a time."),
        ],
    )


class ReplyForm(FlaskForm):
    """The clinic's public reply to one review."""

    body = TextAreaField(
        "Your public reply",
        validators=[DataRequired("Write a reply, or use the standard reply."), Length(max=1500)],
    )
    use_template = SubmitField("Fill in the standard reply")
    post = SubmitField("Post reply")
