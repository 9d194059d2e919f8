"""The app's Jinja environment calls, imports and escapes as Jinja does: contexts passed where asked, later globals
seen, every printed value escaped as markupsafe escapes it."""

from __future__ import annotations

from http import HTTPStatus

import markupsafe
from jinja2 import DictLoader, Template, pass_context, pass_environment
from markupsafe import Markup

from provider_dir.core.templating import (
    TemplateCode,
    TemplateContext,
    TemplateEnvironment,
    TemplateGlobals,
    template_escape,
)


def environment(app, **templates) -> TemplateEnvironment:
    env = app.jinja_env.overlay(loader=DictLoader(templates))
    assert isinstance(env, TemplateEnvironment) and env.context_class is TemplateContext
    return env


@pass_context
def who_asks(context, suffix):
    return f"{context['name']}{suffix}"


@pass_environment
def env_kind(env):
    return type(env).__name__


class Greeter:
    @pass_context
    def __call__(self, context):
        return f"hello {context['name']}"

    def plain(self, word):
        return word.upper()


def stops():
    raise StopIteration


def test_functions_methods_macros_and_context_takers_are_called_as_jinja_calls_them(app):
    env = environment(app, page=(
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
        "{{ who_asks('!') }}|{{ env_kind() }}|{{ greeter() }}|{{ greeter.plain('m') }}|{{ twice('ab') }}|"
        "{{ len([1, 2]) }}|{{ stops() is undefined }}"
        "{% for i in [1] %}|{{ who_asks(i) }}{% endfor %}"
    ))
    page = env.get_template("page").render(name="Ana", who_asks=who_asks, env_kind=env_kind, greeter=Greeter(),
                                           len=len, stops=stops)
    assert page == "Ana!|TemplateEnvironment|hello Ana|M|abab|2|True|Ana1"


def test_an_imported_macro_sees_a_global_added_after_its_template_was_loaded(app):
    env = environment(app, macros="{% macro shout() %}{{ extra }}!{% endmacro %}",
                      page='{% from "macros" import shout %}{{ shout() }}')
    env.get_template("macros")
    env.globals["extra"] = "late"
    assert env.get_template("page").render() == "late!"
    assert isinstance(env.get_template("page").globals, TemplateGlobals)
    assert {"extra"} <= set(env.get_template("page").globals.keys())


class Shown:
    def __html__(self):
        return "<b>shown</b>"


PRINTED = ["plain", "Tom & Jerry <script>\"x\" 'y'</script>", "", "García", 0, 42, -7, 10**30, True, None, 2.5,
           float("nan"), Markup("<em>kept</em>"), Markup("a &amp; b"), Shown(), [1, "<a>"], HTTPStatus.OK]


def test_escape_gives_markupsafe_answers_for_everything_a_template_prints():
    for value in PRINTED:
        escaped = template_escape(value)
        assert escaped == markupsafe.escape(value) and type(escaped) is Markup, value


def test_templates_print_values_escaped_as_markupsafe_escapes_them(app):
    env = environment(app, **{"page.html": "{% for v in values %}[{{ v }}]{% endfor %}"})
    assert isinstance(env.get_template("page.html"), TemplateCode)
    page = env.get_template("page.html").render(values=PRINTED)
    assert page == "".join(f"[{markupsafe.escape(v)}]" for v in PRINTED)
    assert "Tom &amp; Jerry &lt;script&gt;&#34;x&#34; &#39;y&#39;&lt;/script&gt;" in page
    assert "[<em>kept</em>]" in page and "[<b>shown</b>]" in page


def test_a_new_context_holds_what_jinjas_own_holds(app):
    env = environment(app, page="{{ shared }}|{{ own }}|{{ late }}|{{ given }}")
    template = env.get_template("page", globals={"own": "template's", "shared": "template's"})
    env.globals.update(shared="environment's", late="added later")
    for given, local in (({"given": "v", "own": "from vars"}, None), ({}, {"l_1_x": 1}), (None, None)):
        ours, jinjas = template.new_context(given, locals=local), Template.new_context(template, given, locals=local)
        assert ours.parent == jinjas.parent and ours.globals_keys == jinjas.globals_keys
    shared = {"only": "this"}
    assert template.new_context(shared, shared=True).parent is shared  # shared: passed as it is, as Jinja does
    assert template.render(given="v") == "template's|template's|added later|v"
