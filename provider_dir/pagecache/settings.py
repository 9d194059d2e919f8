"""PAGE_CACHE_* settings from the environment, refused with a message when they do not parse."""

from __future__ import annotations

from collections.abc import Mapping

from provider_dir.core.switches import parse_number, parse_switch

DEFAULTS = {"PAGE_CACHE_ENABLED": "true", "PAGE_CACHE_MB": "64", "PAGE_CACHE_SECONDS": "300"}


class PageCacheConfigError(ValueError):
    """A PAGE_CACHE_* variable that cannot be used."""


def page_cache_from(env: Mapping[str, str]) -> dict[str, object]:
    """Return PAGE_CACHE_ENABLED, PAGE_CACHE_MB (per process) and PAGE_CACHE_SECONDS (longest a page is kept)."""
    raw = {name: (env.get(name, "").strip() or default) for name, default in DEFAULTS.items()}
    try:
        enabled = parse_switch("PAGE_CACHE_ENABLED", raw["PAGE_CACHE_ENABLED"])
        numbers = {name: parse_number(name, raw[name], DEFAULTS[name], more_than_zero=True,
                                      hint="PAGE_CACHE_ENABLED=false turns the cache off")
                   for name in ("PAGE_CACHE_MB", "PAGE_CACHE_SECONDS")}
    except ValueError as exc:
        raise PageCacheConfigError(str(exc)) from None
    return {"PAGE_CACHE_ENABLED": enabled, **numbers}
