"""SEARCH_POINTS_* settings from the environment, refused with a message when they do not parse. No Flask."""

from __future__ import annotations

from collections.abc import Mapping

from provider_dir.core.switches import parse_switch

DEFAULTS = {"SEARCH_POINTS_ENABLED": "true", "SEARCH_POINTS_SECONDS": "300", "SEARCH_POINTS_REBUILD_SECONDS": "10"}


class PointsConfigError(ValueError):
    """A SEARCH_POINTS_* variable that cannot be used."""


def points_settings_from(env: Mapping[str, str]) -> dict[str, object]:
    """Return SEARCH_POINTS_ENABLED, SEARCH_POINTS_SECONDS (longest a table is used) and
    SEARCH_POINTS_REBUILD_SECONDS (least time between two builds while the data keeps changing)."""
    raw = {name: (env.get(name, "").strip() or default) for name, default in DEFAULTS.items()}
    try:
        enabled = parse_switch("SEARCH_POINTS_ENABLED", raw["SEARCH_POINTS_ENABLED"])
    except ValueError as exc:
        raise PointsConfigError(str(exc)) from None
    numbers = {}
    for name in ("SEARCH_POINTS_SECONDS", "SEARCH_POINTS_REBUILD_SECONDS"):
        try:
            numbers[name] = float(raw[name])
        except ValueError:
            raise PointsConfigError(f"{name}={raw[name]!r} is not a number, such as {DEFAULTS[name]}.") from None
        if numbers[name] < 0:
            raise PointsConfigError(f"{name}={raw[name]!r} must be 0 or more.")
    return {"SEARCH_POINTS_ENABLED": enabled, **numbers}
