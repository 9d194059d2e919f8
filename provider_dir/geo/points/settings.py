"""SEARCH_POINTS_* settings from the environment, refused with a message when they do not parse. No Flask."""

from __future__ import annotations

from collections.abc import Mapping

from provider_dir.core.switches import parse_number, parse_switch

DEFAULTS = {"SEARCH_POINTS_ENABLED": "true", "SEARCH_POINTS_SECONDS": "300", "SEARCH_POINTS_REBUILD_SECONDS": "10"}


class PointsConfigError(ValueError):
    """A SEARCH_POINTS_* variable that cannot be used."""


def points_settings_from(env: Mapping[str, str]) -> dict[str, object]:
    """Return SEARCH_POINTS_ENABLED, SEARCH_POINTS_SECONDS (longest a table is used) and
    SEARCH_POINTS_REBUILD_SECONDS (least time between two builds while the data keeps changing)."""
    raw = {name: (env.get(name, "").strip() or default) for name, default in DEFAULTS.items()}
    try:
        enabled = parse_switch("SEARCH_POINTS_ENABLED", raw["SEARCH_POINTS_ENABLED"])
        numbers = {name: parse_number(name, raw[name], DEFAULTS[name], more_than_zero=False)
                   for name in ("SEARCH_POINTS_SECONDS", "SEARCH_POINTS_REBUILD_SECONDS")}
    except ValueError as exc:
        raise PointsConfigError(str(exc)) from None
    return {"SEARCH_POINTS_ENABLED": enabled, **numbers}
