"""The app's Jinja environment: cheaper macro imports, calls and escapes from templates, with Jinja's own behaviour."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import KeysView, MutableMapping
from itertools import chain
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import markupsafe
from flask.templating import Environment
from jinja2 import Template
from jinja2.runtime import Context, Macro, new_context
from markupsafe import Markup


class TemplateGlobals(ChainMap):
    """A template's globals over the environment's (Jinja's own ChainMap), whose keys() is a dict's keys view.

    Every `{% from ... import ... %}` takes the difference between the names of the importing context's globals
    and the imported template's (jinja2's Template._get_default_module). Over a ChainMap's KeysView that is a
    membership test in Python per name through each map, about 35 microseconds an import; over a dict's keys view
    the same difference runs in C. The keys are read afresh on each call, so later globals are seen.
    """

    def keys(self) -> KeysView:
        return dict.fromkeys(chain.from_iterable(self.maps)).keys()


# Callables whose own __call__ never takes a context: only a jinja_pass_arg on the object itself (set by
# pass_context and its kind, on a function or a method's function) changes how Jinja calls them.
_PLAIN_CALLABLES = frozenset({FunctionType, MethodType, BuiltinFunctionType, Macro})


class TemplateContext(Context):
    """Jinja's Context, whose call() takes a short way for the functions, methods and macros templates call.

    Context.call looks for a jinja_pass_arg three times (on the object, on its __call__, again on the object)
    before each call, some two hundred calls a clinic page (8 % of a worker's time on it, with the call itself);
    for a plain function, method or macro one look is enough. Anything else goes through Context.call.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Context.call's own signature
        if type(__obj) not in _PLAIN_CALLABLES or getattr(__obj, "jinja_pass_arg", None) is not None:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


# markupsafe's own text escaper (C), which its escape() wraps; markupsafe 3 names it so. Without it templates
# keep markupsafe.escape.
_escape_text = getattr(markupsafe, "_escape_inner", None)
_as_markup = str.__new__  # Markup.__new__ only unwraps an __html__, which str and int have not


def template_escape(value: Any) -> Markup:
    """markupsafe.escape, with the same answers, taking a short way for what templates print most.

    A clinic page prints some 550 values (340 texts, 140 whole numbers, 70 already Markup); markupsafe.escape
    builds each result through Markup.__new__ in Python and copies a Markup it is given. Here a text is escaped
    by markupsafe's own escaper, a whole number's digits need none, and a Markup is itself.
    """
    kind = type(value)
    if kind is str:
        return _as_markup(Markup, _escape_text(value))
    if kind is int:
        return _as_markup(Markup, int.__repr__(value))
    if kind is Markup:
        return value
    return markupsafe.escape(value)


class TemplateCode(Template):
    """Jinja's Template, whose compiled code escapes with template_escape (when markupsafe has its escaper), and
    whose new contexts copy the globals map by map."""

    def new_context(self, vars=None, shared=False, locals=None) -> Context:  # noqa: A002 - Template.new_context's
        # Jinja copies the globals with dict(globals, **vars): over a ChainMap that is a lookup in Python through
        # each map for every one of some 55 names, 40 microseconds a page. Their dicts merged in C give the same
        # mapping (the first map wins, as in a ChainMap; vars over all), passed on as the shared parent.
        maps = getattr(self.globals, "maps", None)
        if shared or maps is None or any(type(each) is not dict for each in maps):
            return super().new_context(vars, shared, locals)
        parent: dict = {}
        for each in reversed(maps):
            parent.update(each)
        if vars:
            parent.update(vars)
        return new_context(self.environment, self.name, self.blocks, parent, True, self.globals, locals)

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):  # noqa: A002 - Template._from_namespace's names
        # The compiled module imports Jinja's escape (markupsafe's) into its namespace and looks it up per call.
        if _escape_text is not None:
            namespace["escape"] = template_escape
        return super()._from_namespace(environment, namespace, globals)


class TemplateEnvironment(Environment):
    """Flask's Jinja environment, with TemplateGlobals for each template's globals, TemplateContext and
    TemplateCode."""

    context_class = TemplateContext
    template_class = TemplateCode

    def __init__(self, app, **options) -> None:
        # Every template kept, in a dict: Jinja's default keeps 400 in an LRUCache, whose lookup (in Python, under a
        # lock) every {% include %} and {% from ... import %} of a page pays, some twenty a clinic page. The app has
        # about a hundred templates, so nothing was ever evicted anyway.
        options.setdefault("cache_size", -1)
        super().__init__(app, **options)

    def make_globals(self, d: MutableMapping | None) -> MutableMapping:
        return TemplateGlobals({} if d is None else d, self.globals)
