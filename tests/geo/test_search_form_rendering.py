"""The search form's fields are bound and rendered once per state and reused: pages stay exactly what WTForms
would give."""

import re

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta

import provider_dir.geo.forms as forms
import provider_dir.geo.markup.panel as panel
from provider_dir.geo.filters.counts import FilterCounts
from provider_dir.geo.filters.vocab import LANGUAGES

QUERIES = [
    "/search",
    "/search?location=10001",
    "/search?location=10001&condition=ptsd&route=iv_infusion&sort=score&verified=y",
    "/search?location=10001&unit=km&radius=40&max_price=300&min_score=50&min_rating=4",
    "/search?location=10001&radius=abc&min_rating=nan",
    "/search?location=10001&route=nope",
    "/search?location=",
    "/search?location=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "/search?location=Denver%2C+CO&q=O%27Brien+%26+%22Sons%22+%3Cb%3E&radius=13.5&max_price=250",
    "/search?location=10001&telehealth=1&evenings=true&weekends=yes&accepting=y&include_closed=1",
    "/search?location=10001&verified=maybe&wheelchair=%3Cb%3E&psychotherapy=0",
]


def chosen(html: str, name: str) -> list[str]:
    """Return the selected options of a select."""
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option selected value="([^"]*)"', select)


@pytest.mark.parametrize("query", QUERIES)
def test_a_page_from_reused_fields_equals_the_page_rendered_afresh(client, create_clinic, monkeypatch, query):
    create_clinic(name="Chelsea Infusions")
    twice = [client.get(query).text for _ in range(2)]  # the second from the kept fields
    monkeypatch.setattr(forms, "_render_key", lambda field, render_kw, slotted=False: None)  # WTForms every time
    monkeypatch.setattr(forms.FilterForm.Meta, "bind_field", DefaultMeta.bind_field)  # fields bound by WTForms
    monkeypatch.setattr(panel, "panel_key", lambda form, results_shown, counts: None)  # the panel's macro too
    assert twice == [client.get(query).text] * 2


def test_fields_copied_from_an_earlier_form_keep_nothing_of_it(app):
    args = MultiDict({"location": "10001", "radius": "abc", "language": "Spanish", "condition": "ptsd"})
    with app.test_request_context("/search"):
        first = forms.SearchForm(args)
        assert not first.validate() and first.radius.errors
        first.show_counts(FilterCounts(payments=dict.fromkeys(["in_network", "superbill", "self_pay"], 3),
                                       languages=dict.fromkeys(LANGUAGES, 2)))
        first.condition.choices.append(SelectChoice("extra", "Extra"))
        second = forms.SearchForm(MultiDict({"location": "Denver, CO"}))
        assert second.validate(), second.errors
        options = {"prefix": "", "translations": None}
        fresh = [DefaultMeta.bind_field(second.meta, second, unbound, {**options, "name": name})
                 for name, unbound in forms.SearchForm._unbound_fields]
    assert second.location.data == "Denver, CO" and second.radius.data == 25 and not second.radius.errors
    assert second.language.data == "" and second.condition.data == ""
    for field, afresh in zip(second, fresh, strict=True):
        assert field is not first[field.short_name] and field._form is second and field.meta is second.meta
        assert [(c.value, c.label) for c in getattr(field, "choices", [])] == [
            (c.value, c.label) for c in getattr(afresh, "choices", [])], field.name
        assert (field.id, field.label.text, field.render_kw, field.description) == (
            afresh.id, afresh.label.text, afresh.render_kw, afresh.description)


def test_a_field_in_another_state_is_rendered_in_that_state(client):
    first = client.get("/search?location=10001&condition=ptsd").text
    second = client.get("/search?location=10001&condition=anxiety").text
    again = client.get("/search?location=Denver%2C+CO").text
    assert chosen(first, "condition") == ["ptsd"]
    assert chosen(second, "condition") == ["anxiety"]
    assert chosen(again, "condition") == [""]
    assert 'value="10001"' in second and 'value="Denver, CO"' in again


def test_what_a_person_typed_is_shown_in_the_field_kept_from_an_earlier_search(client, create_clinic, monkeypatch):
    # The typed fields are kept with a slot for their value: a new search shows its own words, escaped.
    create_clinic(name="Chelsea Infusions")
    typed = "/search?location=Denver%2C+CO&q=O%27Brien+%26+%22Sons%22+%3Cb%3E&radius=13.5&max_price=250"
    client.get("/search?location=10001&q=Zephyrine&radius=12.5&max_price=300")
    page = client.get(typed).text
    assert 'value="Denver, CO"' in page and 'value="13.5"' in page and 'value="250"' in page
    assert 'value="O&#39;Brien &amp; &#34;Sons&#34; &lt;b&gt;"' in page and "<b>" not in page
    assert "Zephyrine" not in page and "12.5" not in page and 'value="300"' not in page
    assert "\ue002" not in page
    monkeypatch.setattr(forms, "_render_key", lambda field, render_kw, slotted=False: None)  # WTForms every time
    monkeypatch.setattr(panel, "panel_key", lambda form, results_shown, counts: None)
    assert client.get(typed).text == page


def test_each_box_shows_whether_its_own_page_ticked_it(client, create_clinic):
    create_clinic(name="Chelsea Infusions")
    plain = client.get("/search?location=10001").text
    ticked = client.get("/search?location=10001&accepting=y&telehealth=1").text
    again = client.get("/search?location=10001").text
    assert '<input id="accepting" name="accepting" type="checkbox" value="y">' in plain
    assert '<input checked id="accepting" name="accepting" type="checkbox" value="y">' in ticked
    assert '<input checked id="telehealth" name="telehealth" type="checkbox" value="1">' in ticked
    assert again == plain
