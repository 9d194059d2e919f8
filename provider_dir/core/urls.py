"""URLs built once per process: a page's links are the same for every request (and url_for is not cheap).

A clinic page asks url_for about 30 times and a search page about 45 (style sheets, navigation, forms,
pagination), at some 15-25 microseconds each. The path url_for returns inside a request depends only on
the endpoint, its arguments and the script root, so it is kept in a bounded per-process dict. Anything
else goes to Flask unchanged: absolute URLs (_external, _scheme), calls outside a request, arguments that
cannot be dict keys, and every call while the app has url_defaults functions (which could add arguments).
"""

from __future__ import annotations

from flask import Flask, has_request_context, request

MAX_KEPT = 8_192


def install_url_memo(app: Flask) -> None:
    """Make app.url_for (which flask.url_for and templates call) answer repeated relative URLs from memory."""
    build = app.url_for
    kept: dict[tuple, str] = {}

    def url_for(endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values) -> str:
        if _external or _scheme is not None or not has_request_context() or app.url_default_functions:
            return build(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external,
                         **values)
        # A relative endpoint (".page") names the current blueprint's.
        blueprint = request.blueprint if endpoint.startswith(".") else None
        try:
            key = (request.script_root, blueprint, endpoint, _anchor, _method, *sorted(values.items()))
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
