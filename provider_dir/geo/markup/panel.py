"""The search page's form as HTML made once per state of the form and filled in with each page's values.

templates/geo/_search_panel.html stays the source of the panel (the place and name boxes, the radius, the order, the
filters and the counts beside them). What its HTML depends on is the form's input and errors, whether results show
and whether counts show (and are exact); within one such state only what a person typed in the text boxes and the
counts differ from one new search to the next. So the macro is rendered once per state with a mark where each of those
goes (geo.forms.panel_mark) and split at the marks, and a page joins the parts with its own values, escaped as the
fields escape them. The panel went through Jinja and a dozen kept fields on every new search: a tenth of the page.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from flask import get_template_attribute, request
from markupsafe import Markup, escape

from provider_dir.core.kept import Kept
from provider_dir.geo.filters.vocab import Feature
from provider_dir.geo.forms import COUNT_SLOT_KIND, VALUE_SLOT_KIND, panel_mark, panel_shaping, value_slotted

MACRO = ("geo/_search_panel.html", "search_panel")
FEATURES = tuple(Feature)
FEATURE_SLOT_KIND = "f"  # a mark's first letter for a yes-or-no filter's count (geo.forms has the others)
_SPLIT = re.compile("\ue004([^\ue005]*)\ue005")
# States seen: in a day's searches a few hundred at most (the filters people combine); each some 9 KB of text.
_SHAPES: Kept[tuple[list[str], tuple[tuple[int, str, str, int], ...]]] = Kept(256)


class ShownCounts(NamedTuple):
    """The counts beside the yes-or-no filters as the panel prints them (text), and whether they are exact."""

    features: dict[str, str]
    exact: bool


def search_panel_html(form, outcome, counts) -> Markup:
    """Return the search panel for this form, results (outcome, or None) and counts (FilterCounts, or None)."""
    results_shown = outcome is not None
    key = panel_key(form, results_shown, counts)
    if key is None:
        return _render(form, results_shown, _shown(counts))
    pieces, slots = _SHAPES.get(key, lambda: _parts(form, results_shown, counts))
    html = pieces.copy()
    for position, kind, name, index in slots:
        if kind == VALUE_SLOT_KIND:
            html[position] = str(escape(form[name]._value()))
        elif kind == COUNT_SLOT_KIND:
            html[position] = f"{form[name].slot_counts[index]:,}"
        else:
            html[position] = f"{counts.features[name]:,}"
    # The literal text came out of the autoescaped macro; every value was escaped or is digits and commas.
    return Markup("".join(html))  # noqa: S704 # nosec B704


def panel_key(form, results_shown: bool, counts) -> tuple | None:
    """Return everything the panel's HTML depends on but its slots, or None when some of it cannot be a key.

    Each field by its input (what the request gave it) and its errors, a typed value without errors only by whether
    it is empty (the filters' "in use" count reads that): a field's HTML follows from those, as the form's class
    fixes its labels, choices and defaults. The language and payment choices change only when counts show.
    """
    fields = []
    for field in form:
        if value_slotted(field):
            fields.append((field.name, field.data is None))
        else:
            fields.append((field.name, tuple(field.raw_data or ()), tuple(field.errors)))
    key = (type(form), request.script_root, results_shown, None if counts is None else counts.exact,
           tuple(form.form_errors), tuple(fields))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _render(form, results_shown: bool, counts: ShownCounts | None) -> Markup:
    return get_template_attribute(*MACRO)(form, results_shown, counts, FEATURES)


def _shown(counts) -> ShownCounts | None:
    if counts is None:
        return None
    return ShownCounts({name: f"{n:,}" for name, n in counts.features.items()}, counts.exact)


def _parts(form, results_shown: bool, counts) -> tuple[list[str], tuple[tuple[int, str, str, int], ...]]:
    """Render the macro once for this state, with marks for the typed values and the counts.

    Return its pieces (literal text at even positions, slots at odd ones) and, per slot, its position, its kind
    (a typed value, a select's count, a yes-or-no filter's count), the field or filter, and the count's index.
    """
    marked = None
    if counts is not None:
        marked = ShownCounts({f.value: panel_mark(FEATURE_SLOT_KIND + f.value) for f in FEATURES}, counts.exact)
    with panel_shaping():
        pieces = _SPLIT.split(str(_render(form, results_shown, marked)))  # literal, slot name, literal, ...
    return pieces, tuple((2 * i + 1, *_slot(name)) for i, name in enumerate(pieces[1::2]))


def _slot(mark: str) -> tuple[str, str, int]:
    """Return a mark's kind, field or filter, and count index (0 where it has none)."""
    kind, name = mark[0], mark[1:]
    if kind == COUNT_SLOT_KIND:
        name, index = name.rsplit(".", 1)
        return kind, name, int(index)
    if kind not in (VALUE_SLOT_KIND, FEATURE_SLOT_KIND):
        raise ValueError(f"unknown mark {mark!r} in the search panel")
    return kind, name, 0
