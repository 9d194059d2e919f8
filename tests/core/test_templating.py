"""The app's Jinja environment calls and imports as Jinja does: contexts passed where asked, later globals seen."""

from __future__ import annotations

from jinja2 import DictLoader, pass_context, pass_environment

from provider_dir.core.templating import TemplateContext, TemplateEnvironment, TemplateGlobals


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
