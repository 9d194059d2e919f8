"""The structured review form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from provider_dir.core.validators import no_nul
from provider_dir.listings.vocab import Condition, Route
from provider_dir.models.base import LabelledEnum
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import Answer, SideEffect, TimeToRelief


def choices(pairs, blank: str | None = None) -> list:
    """Return form choices from (value, label) pairs, with an optional empty first choice."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(value, label) for value, label in pairs]


def choice_values(options) -> list[str]:
    """Return the values of form choices made by choices()."""
    return [option.value for option in options]


def enum_choices(enum_cls: type[LabelledEnum], blank: str | None = None) -> list:
    """Return the members of a labelled enum as form choices."""
    return choices(enum_cls.choices(), blank)


STARS = choices([(5, "5 (excellent)"), (4, "4"), (3, "3"), (2, "2"), (1, "1 (very poor)")])
YES_NO = choices([("yes", "Yes"), ("no", "No")])
ANSWER_FIELDS = (
    ("evaluated_before", "Were you evaluated (medical and mental-health history) before your first session?"),
    ("vitals_monitored", "Were your vital signs (blood pressure, heart rate, oxygen) monitored during sessions?"),
    ("clinician_present", "Did a clinician stay with you throughout each session?"),
    ("ride_required", "Did the clinic require someone to drive you home?"),
    ("symptoms_tracked", "Did the clinic track your symptoms over time (for example with questionnaires)?"),
    ("private_room", "Were you treated in a private, quiet room?"),
    ("price_matched", "Did the price you paid match the quote you were given?"),
    ("psychotherapy_offered", "Was psychotherapy or integration support offered?"),
)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _stars(label: str, required: bool = False) -> RadioField:
    if required:
        return RadioField(label, choices=STARS, coerce=int, validators=[InputRequired("Choose a rating from 1 to 5.")])
    return RadioField(label, choices=STARS, coerce=int, validators=[Optional()])


def _answer(label: str) -> RadioField:
    return RadioField(label, choices=enum_choices(Answer), validators=[Optional()])


def _optional_enum(enum_cls, value: str | None):
    return enum_cls(value) if value else None


class ReviewForm(FlaskForm):
    """Every structured field of a review, the free text, and an optional invitation code."""

    rating_overall = _stars("Overall, how would you rate this clinic?", required=True)
    rating_staff = _stars("Staff and communication (optional)")
    rating_safety = _stars("Safety and monitoring (optional)")
    rating_value = _stars("Value for money (optional)")
    condition = SelectField(
        "Condition treated", choices=enum_choices(Condition, "Prefer not to say"), validators=[Optional()]
    )
    route = SelectField(
        "How was ketamine given?", choices=enum_choices(Route, "Prefer not to say"), validators=[Optional()]
    )
    sessions_count = IntegerField(
        "Number of sessions so far (optional)",
        validators=[Optional(), NumberRange(0, 500, "Enter a number of sessions from 0 to 500.")],
    )
    time_to_relief = RadioField(
        "When did you first feel relief? (optional)", choices=enum_choices(TimeToRelief), validators=[Optional()]
    )
    side_effects = MultiCheckboxField(
        "Side effects you felt (tick all that apply, optional)",
        choices=enum_choices(SideEffect),
        validators=[Optional()],
    )
    evaluated_before = _answer(ANSWER_FIELDS[0][1])
    vitals_monitored = _answer(ANSWER_FIELDS[1][1])
    clinician_present = _answer(ANSWER_FIELDS[2][1])
    ride_required = _answer(ANSWER_FIELDS[3][1])
    symptoms_tracked = _answer(ANSWER_FIELDS[4][1])
    private_room = _answer(ANSWER_FIELDS[5][1])
    price_matched = _answer(ANSWER_FIELDS[6][1])
    psychotherapy_offered = _answer(ANSWER_FIELDS[7][1])
    would_recommend = RadioField(
        "Would you recommend this clinic to a friend?",
        choices=YES_NO,
        validators=[InputRequired("Tell us whether you would recommend this clinic.")],
    )
    title = StringField(
        "Title of your review",
        validators=[DataRequired("Give your review a short title."), no_nul, Length(max=120)],
    )
    body = TextAreaField(
        "Your review",
        validators=[
            DataRequired("Write a few sentences about your experience."),
            no_nul,
            Length(min=30, max=5000, message="Write between 30 and 5,000 characters."),
        ],
    )
    invitation_code = StringField(
        "Invitation code from the clinic (optional; it marks your review as from a verified patient)",
        validators=[Optional(), Length(max=20)],
    )
    no_connection = BooleanField(
        "I am (or care for) a patient of this clinic, and I have no business, employment or family "
        "connection to it.",
        validators=[DataRequired("Please confirm that you have no connection to this clinic.")],
    )

    @property
    def answer_fields(self):
        """The yes / no / not sure questions, in order."""
        return [self[name] for name, _ in ANSWER_FIELDS]

    def validate_side_effects(self, field) -> None:
        if SideEffect.NONE.value in (field.data or []) and len(field.data) > 1:
            raise ValidationError("Choose “None” on its own, or the side effects you felt.")

    def review_fields(self) -> dict[str, object]:
        """Return the validated answers as model attribute values."""
        fields: dict[str, object] = {
            "rating_overall": self.rating_overall.data,
            "rating_staff": self.rating_staff.data or None,
            "rating_safety": self.rating_safety.data or None,
            "rating_value": self.rating_value.data or None,
            "condition": _optional_enum(Condition, self.condition.data),
            "route": _optional_enum(Route, self.route.data),
            "sessions_count": self.sessions_count.data,
            "time_to_relief": _optional_enum(TimeToRelief, self.time_to_relief.data),
            "side_effects": [SideEffect(v) for v in self.side_effects.data or []],
            "would_recommend": self.would_recommend.data == "yes",
            "title": self.title.data.strip(),
            "body": self.body.data.strip(),
        }
        for name, _ in ANSWER_FIELDS:
            fields[name] = _optional_enum(Answer, self[name].data)
        return fields

    @classmethod
    def for_review(cls, review: Review) -> ReviewForm:
        """Return the form filled with an existing review (on a GET; a POST reads what was sent)."""
        form = cls(obj=review)
        if not form.is_submitted():
            form.would_recommend.data = None if review.would_recommend is None else (
                "yes" if review.would_recommend else "no"
            )
            form.side_effects.data = [s.value for s in review.side_effects]
            form.no_connection.data = True
        return form
