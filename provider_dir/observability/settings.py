"""LOG_FORMAT and LOG_LEVEL as the environment spells them. No Flask."""

from __future__ import annotations

import logging
from collections.abc import Mapping

LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class LogConfigError(ValueError):
    """A logging variable holds a value we do not know."""


def logging_from(env: Mapping[str, str]) -> dict[str, str]:
    """Return LOG_FORMAT (text or json) and LOG_LEVEL (INFO unless set), refusing anything else by name."""
    log_format = env.get("LOG_FORMAT", "").strip().lower() or "text"
    if log_format not in LOG_FORMATS:
        raise LogConfigError(f"LOG_FORMAT={log_format!r} is not a log format: write text (the default) or json.")
    level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS or not isinstance(logging.getLevelName(level), int):
        raise LogConfigError(f"LOG_LEVEL={level!r} is not a level: write one of {', '.join(LOG_LEVELS)}.")
    return {"LOG_FORMAT": log_format, "LOG_LEVEL": level}
