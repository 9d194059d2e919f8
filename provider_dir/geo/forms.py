"""Search forms: the page's (radius with a unit) and the API's (radius_mi or radius_km, per_page)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import NamedTuple

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import NumberInput, Select, TextInput

from provider_dir.core.kept import Kept
from provider_dir.geo.distance import km_to_miles
from provider_dir.geo.filters.vocab import LANGUAGES, Feature, Payment
from provider_dir.geo.names.forms import PlaceOrName, name_field
from provider_dir.geo.search import MAX_PER_PAGE, MAX_RADIUS_MILES, MIN_RADIUS_MILES, SortOrder, Unit
from provider_dir.listings.vocab import Condition, Route
from provider_dir.reviews.forms import choice_values, choices

FALSE_VALUES = ("false", "0", "off", "no", "")
LOCATION_HELP = "Enter a 5-digit ZIP code (e.g. 10001), a city and state (e.g. Denver, CO) or coordinates."


class FiniteFloatField(FloatField):
    """A decimal number that refuses "nan" and "inf", which Python's float() accepts."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not math.isfinite(self.data):
            raise ValueError("Enter an ordinary number, such as 25.")


TRUE_VALUES = ("true", "1", "on", "yes", "y")


class YesNoField(BooleanField):
    """A yes-or-no filter that refuses a value meaning neither (such as "null"), as the API document says."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            self.data = False
            return
        value = str(valuelist[0]).strip().lower()
        if value not in (*TRUE_VALUES, *FALSE_VALUES, "n"):
            self.data = False
            raise ValueError(f"Give true or false (not {valuelist[0]!r}).")
        self.data = value in TRUE_VALUES


@lru_cache(maxsize=4096)
def _option_html(choice) -> str:
    return Select.render_option(choice)


class KeptOptionsSelect(Select):
    """A <select> whose options' HTML is kept by what each one shows (value, label, selected).

    The counts beside the filters change the language and payment labels on every search, so the whole field's
    HTML is rarely the same twice (see render_field), but each option's is.
    """

    @classmethod
    def render_option(cls, choice, **kwargs):
        """Return the option as WTForms writes it, kept when it has no extra attributes."""
        if kwargs or choice.render_kw or not isinstance(choice.value, str) or not isinstance(choice.label, str):
            return super().render_option(choice, **kwargs)
        return _option_html(_Option(choice.value, choice.label, bool(choice.selected)))


class _Option(NamedTuple):
    value: str
    label: str
    selected: bool
    render_kw: None = None


class ChoiceField(SelectField):
    """A select whose error names the value given and the values allowed."""

    widget = KeptOptionsSelect()

    def pre_validate(self, form) -> None:
        values = choice_values(self.choices)
        allowed = [value for value in values if value]
        if self.data not in values:
            raise ValidationError(f"Unknown {self.name} {self.data!r}. Choose one of: {', '.join(allowed)}.")


# Rendered inputs of the search form, by everything their HTML depends on. WTForms builds each <select> option
# by option (about 1 ms of the search page's 9 ms of CPU), and almost every search shows the same few states.
RENDERED_LIMIT = 2048
_rendered: Kept[str] = Kept(RENDERED_LIMIT)


def _render_key(field, render_kw: dict, slotted: bool = False) -> tuple | None:
    """Return what a field's HTML depends on, or None when something in it cannot be a cache key.

    slotted: the field's value is left out (its HTML is kept with a slot for it, see kept_field_html).
    """
    options = getattr(field, "choices", None)
    pairs = tuple((o.value, o.label) for o in options) if options else None
    try:
        value = _VALUE_SLOT if slotted else field._value() if hasattr(field, "_value") else None
        data = _VALUE_SLOT if slotted else repr(field.data)
        key = (type(field), type(field.widget), field.name, field.id, value, data,
               pairs, tuple(sorted(vars(field.flags).items())),
               tuple(sorted({**(field.render_kw or {}), **render_kw}.items())))  # fmt: skip
        hash(key)
    except TypeError:
        return None
    return key


# The whole labelled field (label, hint, errors, input) as the `field` macro writes it, by the same key plus what
# the macro adds: on a new search most of the form's dozen fields are in a state seen before.
_fields: Kept[Markup] = Kept(RENDERED_LIMIT)


# Where each count goes in a select's option labels until the field's kept HTML is filled in: the labels, and so
# the kept HTML, stay the same from one search to the next, and only the numbers are put in (0.25 ms a field
# rendered anew; the language and payment selects were rendered anew on nine searches in ten). Private-use
# characters, which WTForms leaves as they are and nothing else on the page holds.
_COUNT_SLOT = re.compile("\ue000(\\d+)\ue001")


def count_slot(index: int) -> str:
    """Return the mark that the index-th count of a field's options stands in for until it is filled in."""
    return f"\ue000{index}\ue001"


# What a person types (a place, a name, a radius, a price) differs from one new search to the next, and it is the
# only part of such a field's HTML that changes with it: the field is kept with this mark as its value, and the
# value (escaped as WTForms escapes it) is put in as the field is written out. A private-use character, as above.
_VALUE_SLOT = "\ue002"


def value_slotted(field) -> bool:
    """Return True when the field is a typed input without errors, whose value only appears in value="..."."""
    return isinstance(field.widget, (TextInput, NumberInput)) and not field.errors and hasattr(field, "_value")


def _rendered_with_slot(render: Callable[..., Markup], field, attrs: dict) -> Markup:
    field._value = lambda: _VALUE_SLOT  # the instance's own value, for this one rendering
    try:
        return render(field, **attrs)
    finally:
        del field._value


# While geo.markup.panel renders the search panel's shape, the typed values and the counts are left as the panel's
# marks (panel_mark), to be filled in for each page, instead of being put in here.
_SHAPING: ContextVar[bool] = ContextVar("provider_dir.search_panel_shaping", default=False)
VALUE_SLOT_KIND, COUNT_SLOT_KIND = "v", "c"  # a panel mark's first letter: a field's typed value, a select's count


@contextmanager
def panel_shaping():
    """Within it, typed values and counts come out of kept_field_html as panel marks, not as this page's values."""
    token = _SHAPING.set(True)
    try:
        yield
    finally:
        _SHAPING.reset(token)


def panel_mark(name: str) -> str:
    """Return the mark that a slot of the search panel (geo.markup.panel) stands in for until it is filled in."""
    return f"\ue004{name}\ue005"


def kept_field_html(render: Callable[..., Markup], field, attrs: dict) -> Markup:
    """Return render(field, **attrs), reusing the HTML of the same field in the very same state."""
    slotted = value_slotted(field)
    key = _render_key(field, attrs, slotted)
    shaping = _SHAPING.get()
    if key is None:
        # A panel's shape never holds one page's typed value, even for a field whose state makes no key.
        slotted = slotted and shaping
        html = _rendered_with_slot(render, field, attrs) if slotted else render(field, **attrs)
    else:
        make = (lambda: _rendered_with_slot(render, field, attrs)) if slotted else (lambda: render(field, **attrs))
        html = _fields.get((key, tuple(field.errors), field.description, field.label.text), make)
    if slotted:
        value = panel_mark(VALUE_SLOT_KIND + field.name) if shaping else escape(field._value())
        html = html.replace(_VALUE_SLOT, value)  # Markup.replace keeps it Markup
    counts = getattr(field, "slot_counts", None)
    if counts is not None:
        if shaping:
            def fill(slot):
                return panel_mark(f"{COUNT_SLOT_KIND}{field.name}.{slot.group(1)}")
        else:
            def fill(slot):
                return f"{counts[int(slot.group(1))]:,}"
        # Digits and commas, or the panel's marks, in the field's own markup.
        html = Markup(_COUNT_SLOT.sub(fill, html))  # noqa: S704 # nosec B704
    return html


# Each field of the search forms as WTForms binds it before any data: its attributes, by form class and field. WTForms
# binds every field anew for each form (Field.__init__: its label, flags, validators checked, choices copied), 0.2 ms
# of a search's 21 fields; a copy of the same field bound before is the same field for a fraction of that.
_BOUND: dict[tuple, tuple[type, dict, tuple[str, ...]]] = {}


def _own_copies(attributes: dict, own: tuple[str, ...]) -> dict:
    """Give these attributes their own copy of each list or dict named (choices, validators, render_kw)."""
    for name in own:
        attributes[name] = attributes[name].copy()
    return attributes


class FilterForm(FlaskForm):
    """Fields shared by the page and the API: the place, the filters, the order and the page."""

    class Meta:
        csrf = False  # a GET search changes nothing

        def bind_field(self, form, unbound_field, options):
            """Bind a field as WTForms does: the first time by WTForms, then as a copy of that field, before data."""
            key = (type(form), unbound_field, options.get("name"), options.get("prefix"))
            kept = _BOUND.get(key)
            if kept is None:
                field = super().bind_field(form, unbound_field, options)
                # Lists and dicts are copied, as binding made them the field's own.
                own = tuple(name for name, value in vars(field).items() if type(value) in (list, dict))
                _BOUND[key] = (type(field), _own_copies(dict(vars(field)), own), own)
                return field
            field_class, state, own = kept
            field = object.__new__(field_class)  # Field.__new__ without a form would make an UnboundField
            vars(field).update(_own_copies(dict(state), own))
            # What binding takes from this form: its meta, the form itself, its translations.
            field.meta, field._form = self, form
            if options.get("translations") is not None:
                field._translations = options["translations"]
            return field

        def render_field(self, field, render_kw):
            """Render a field as WTForms does, reusing the HTML of a field in the very same state."""
            render = super().render_field
            key = _render_key(field, render_kw)
            if key is None:
                return render(field, render_kw)
            return _rendered.get(key, lambda: render(field, render_kw))

    location = StringField(
        "ZIP code, city or coordinates",
        validators=[PlaceOrName(), Length(max=100, message="Keep the place under 100 letters.")],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    q = name_field()
    condition = ChoiceField("Condition treated", choices=choices(Condition.choices(), "Any condition"), default="")
    route = ChoiceField("Treatment route", choices=choices(Route.choices(), "Any route"), default="")
    max_price = IntegerField(
        "Max price per infusion (USD)",
        validators=[Optional(), NumberRange(min=0, max=100_000, message="Enter a price between $0 and $100,000.")],
    )
    min_score = IntegerField(
        "Min quality score",
        validators=[Optional(), NumberRange(min=0, max=100, message="The quality score runs from 0 to 100.")],
    )
    min_rating = FiniteFloatField(
        "Min rating",
        validators=[Optional(), NumberRange(min=1, max=5, message="Ratings run from 1 to 5 stars.")],
    )
    verified = YesNoField("Only clinics with verified staff credentials", false_values=FALSE_VALUES)
    accepting = YesNoField("Only clinics accepting new patients", false_values=FALSE_VALUES)
    language = ChoiceField("Language spoken", choices=choices([(name, name) for name in LANGUAGES], "Any language"),
                           default="")
    payment = ChoiceField("Paying", choices=choices(Payment.choices(), "Any way of paying"), default="")
    telehealth = YesNoField(Feature.TELEHEALTH.label, false_values=FALSE_VALUES, render_kw={"value": "1"})
    psychotherapy = YesNoField(Feature.PSYCHOTHERAPY.label, false_values=FALSE_VALUES, render_kw={"value": "1"})
    evenings = YesNoField(Feature.EVENINGS.label, false_values=FALSE_VALUES, render_kw={"value": "1"})
    weekends = YesNoField(Feature.WEEKENDS.label, false_values=FALSE_VALUES, render_kw={"value": "1"})
    wheelchair = YesNoField(Feature.WHEELCHAIR.label, false_values=FALSE_VALUES, render_kw={"value": "1"})
    # Ticked, it reads include_closed=1 in the address, as the API spells it.
    include_closed = YesNoField("Include temporarily closed clinics", false_values=FALSE_VALUES,
                                  render_kw={"value": "1"})  # fmt: skip
    sort = ChoiceField("Sort by", choices=choices(SortOrder.choices()), default=SortOrder.DISTANCE.value)
    page = IntegerField(
        "Page", default=1, validators=[Optional(), NumberRange(min=1, message="The page number must be 1 or more.")]
    )

    def radius_miles(self) -> float:
        """The radius asked for, in miles."""
        raise NotImplementedError

    def per_page(self, default: int) -> int:
        """Results per page."""
        return default

    def show_counts(self, counts) -> None:
        """Put each language's and way of paying's count of clinics beside it in the selects.

        The labels hold a slot per count, filled in as the field is written out (kept_field_html).
        """
        language_choices, payment_choices = _counted_choices()
        self.language.choices = list(language_choices)  # the field's own list, as binding gives it
        self.language.slot_counts = [counts.languages[n] for n in LANGUAGES]
        self.payment.choices = list(payment_choices)
        self.payment.slot_counts = [counts.payments[p.value] for p in Payment]

    def features(self) -> frozenset[str]:
        """Return the yes-or-no patient filters ticked (Feature values)."""
        return frozenset(feature.value for feature in Feature if getattr(self, feature.value).data)

    def filters_in_use(self) -> int:
        """Return how many filters narrow the search (shown on the phone's "Filters (N)" button)."""
        chosen = (self.condition.data, self.route.data, self.language.data, self.payment.data, self.verified.data,
                  self.accepting.data, self.include_closed.data)
        numbers = (self.max_price.data, self.min_score.data, self.min_rating.data)
        return sum(map(bool, chosen)) + sum(value is not None for value in numbers) + len(self.features())

    def has_filters(self) -> bool:
        """Return True when any filter narrows the search."""
        return self.filters_in_use() - bool(self.include_closed.data) > 0

    def criteria(self, per_page: int) -> dict:
        """Return the SearchQuery fields (all but the origin) that these fields describe."""
        return {
            "radius_miles": self.radius_miles(),
            "condition": Condition(self.condition.data) if self.condition.data else None,
            "route": Route(self.route.data) if self.route.data else None,
            "max_price_usd": self.max_price.data,
            "min_score": self.min_score.data,
            "min_rating": self.min_rating.data,
            "verified_only": bool(self.verified.data),
            "accepting_only": bool(self.accepting.data),
            "language": self.language.data or None,
            "payment": self.payment.data or None,
            "features": self.features(),
            "include_closed": bool(self.include_closed.data),
            "sort": SortOrder(self.sort.data),
            "page": self.page.data or 1,
            "per_page": self.per_page(per_page),
        }


@lru_cache(maxsize=1)
def _counted_choices() -> tuple[tuple, tuple]:
    """Return the language and payment choices with a count slot in each label (the same on every search)."""
    languages = choices([(n, f"{n} ({count_slot(i)})") for i, n in enumerate(LANGUAGES)], "Any language")
    payments = choices([(p.value, f"{p.label} ({count_slot(i)})") for i, p in enumerate(Payment)], "Any way of paying")
    return tuple(languages), tuple(payments)


def check_radius_miles(miles: float | None) -> None:
    """Raise ValidationError unless the radius is within the allowed range."""
    if miles is not None and not (MIN_RADIUS_MILES <= round(miles, 6) <= MAX_RADIUS_MILES):
        raise ValidationError(
            f"Choose a radius from {MIN_RADIUS_MILES} to {MAX_RADIUS_MILES} miles (2 to 804 km)."
        )


class SearchForm(FilterForm):
    """The search page: a radius and its unit."""

    radius = FiniteFloatField("Within", default=25, validators=[Optional()])
    unit = ChoiceField("Unit", choices=choices(Unit.choices()), default=Unit.MILES.value)

    def validate_radius(self, field) -> None:
        if field.data is not None:
            check_radius_miles(km_to_miles(field.data) if self.unit.data == Unit.KILOMETRES.value else field.data)

    def radius_miles(self) -> float:
        value = self.radius.data if self.radius.data is not None else 25.0
        return round(km_to_miles(value), 6) if self.unit.data == Unit.KILOMETRES.value else value


class ApiSearchForm(FilterForm):
    """The JSON API: radius_mi (default 25) or radius_km, and per_page."""

    radius_mi = FiniteFloatField("radius_mi", validators=[Optional()])
    radius_km = FiniteFloatField("radius_km", validators=[Optional()])
    per_page_field = IntegerField(
        "per_page",
        name="per_page",
        validators=[Optional(), NumberRange(min=1, max=MAX_PER_PAGE, message=f"Ask for 1 to {MAX_PER_PAGE} per page.")],
    )

    def validate_radius_mi(self, field) -> None:
        if field.data is not None and self.radius_km.data is not None:
            raise ValidationError("Give radius_mi or radius_km, not both.")
        check_radius_miles(field.data)

    def validate_radius_km(self, field) -> None:
        if field.data is not None:
            check_radius_miles(km_to_miles(field.data))

    def radius_miles(self) -> float:
        if self.radius_km.data is not None:
            return round(km_to_miles(self.radius_km.data), 6)
        return self.radius_mi.data if self.radius_mi.data is not None else 25.0

    def per_page(self, default: int) -> int:
        return self.per_page_field.data or default

    def field_errors(self) -> dict[str, list[str]]:
        """Return errors keyed by the parameter names a client sent."""
        return {field.name: list(field.errors) for field in self if field.errors}
