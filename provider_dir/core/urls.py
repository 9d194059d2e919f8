"""URLs built once per process: a page's links are the same for every request (and url_for is not cheap).

A clinic page asks url_for about 30 times and a search page about 45 (style sheets, navigation, forms,
pagination), at some 15-25 microseconds each. The path url_for returns inside a request depends only on
the endpoint, its arguments and the script root, so it is kept in a bounded per-process dict. Anything
else goes to Flask unchanged: absolute URLs (_external, _scheme), calls outside a request, arguments that
cannot be dict keys, and every call while the app has url_defaults functions (which could add arguments).

Links to one of many pages (a clinic's page from a search card or a suggestion, a review's report link) are mostly
new to the process, so a kept URL would not help: for an endpoint of one rule whose only argument is a plain string
(the default converter) with a value of unreserved characters only (as slugs are), or a whole number (the int
converter, without fixed digits) with a non-negative int, the URL is built once around a marker (with its anchor,
if any) and the value put in its place, which is what the converter gives for such a value. So is the one argument
of a rule that has none, which goes to the query string, where such a value is written as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, current_app, request
from flask.globals import _cv_request as _request_context  # the context variable behind flask.request
from werkzeug.routing.converters import IntegerConverter, UnicodeConverter

MAX_KEPT = 8_192
# RFC 3986's unreserved characters: quote() leaves them as they are.
_PLAIN = re.compile(r"[A-Za-z0-9._~-]+")
_MARKER = "u7rlmarker0q"  # unreserved, so built as it is, and in no route of ours
_NUMBER_MARKER = 9_876_543_210_123  # digits that appear in no route of ours


def plain_path_value(value: str) -> bool:
    """Return True when a URL path argument is of unreserved characters only, which a URL holds as they are."""
    return _PLAIN.fullmatch(value) is not None


def install_url_memo(app: Flask) -> None:
    """Make app.url_for (which flask.url_for and templates call) answer repeated relative URLs from memory."""
    build = app.url_for
    kept: dict[tuple, str] = {}
    around: dict[tuple, tuple[str, str] | None] = {}

    def one_plain_argument(endpoint: str, name: str, number: bool) -> bool:
        rules = app.url_map._rules_by_endpoint.get(endpoint, [])
        if len(rules) != 1:
            return False
        rule = rules[0]
        if not rule.arguments and name not in (rule.defaults or {}):
            return True  # the value goes to the query string, where a plain value or a number is written as it is
        if rule.arguments != {name}:
            return False
        converter = rule._converters.get(name)
        if number:
            return type(converter) is IntegerConverter and not converter.fixed_digits
        return type(converter) is UnicodeConverter

    def url_for(endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values) -> str:
        # The request context straight from its context variable: `request` is a proxy that looks it up on every
        # attribute, and a page asks some 50 URLs.
        context = _request_context.get(None)
        if _external or _scheme is not None or context is None or app.url_default_functions:
            return build(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external,
                         **values)
        current = context.request
        # A relative endpoint (".page") names the current blueprint's.
        blueprint = current.blueprint if endpoint.startswith(".") else None
        if len(values) == 1 and _method is None:
            ((name, value),) = values.items()
            number = type(value) is int and value >= 0
            if number or (isinstance(value, str) and _PLAIN.fullmatch(value)):
                shape = (current.script_root, blueprint, endpoint, name, number, _anchor)
                if shape not in around:
                    whole = endpoint if blueprint is None else f"{blueprint}{endpoint}"
                    marked = ""
                    if one_plain_argument(whole, name, number):
                        marked = build(endpoint, _anchor=_anchor, **{name: _NUMBER_MARKER if number else _MARKER})
                    marker = str(_NUMBER_MARKER) if number else _MARKER
                    around[shape] = tuple(marked.split(marker)) if marked.count(marker) == 1 else None
                parts = around[shape]
                if parts is not None:
                    return parts[0] + (str(value) if number else value) + parts[1]
        try:
            key = (current.script_root, blueprint, endpoint, _anchor, _method, *sorted(values.items()))
            url = kept.get(key)
        except TypeError:  # a list or other unhashable argument
            return build(endpoint, _anchor=_anchor, _method=_method, _external=_external, **values)
        if url is None:
            url = build(endpoint, _anchor=_anchor, _method=_method, _external=_external, **values)
            if len(kept) >= MAX_KEPT:
                kept.clear()
            kept[key] = url
        return url

    app.url_for = url_for  # type: ignore[method-assign]
    # Templates call the url_for the Jinja environment got when it was made (blueprints' filters make it early).
    app.jinja_env.globals["url_for"] = url_for
    app.jinja_env.globals["page_url_builder"] = page_url_builder


def page_url_builder(anchor: str | None = None) -> Callable[[int], str]:
    """Return a function of a page number giving this request's URL at that page, its other arguments kept.

    Pagination links differ only in their page: the URL is built once around a marker and each number put in its
    place (a search's links are new to the process, so a kept URL would not help; each took 20-30 microseconds).
    """
    def build(number: int) -> str:
        arguments = dict(request.view_args or {}, **dict(request.args, page=number))
        return current_app.url_for(request.endpoint, _anchor=anchor, **arguments)

    parts = build(_NUMBER_MARKER).split(str(_NUMBER_MARKER))
    if len(parts) != 2:  # the marker's digits typed into another argument too
        return build
    head, tail = parts
    return lambda number: f"{head}{int(number)}{tail}"
