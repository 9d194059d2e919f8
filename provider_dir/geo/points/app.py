"""The app's side of the points table: its settings, the content version read once per request, built at start."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from provider_dir.extensions import db
from provider_dir.geo.points.held import PointsSettings, hold_points, points_for
from provider_dir.pagecache.memo import current_version

log = logging.getLogger(__name__)


def hold_search_points(app: Flask, engine: Engine) -> None:
    """Let searches on the app's engine use a points table, as SEARCH_POINTS_* say."""
    hold_points(engine, PointsSettings(
        enabled=bool(app.config.get("SEARCH_POINTS_ENABLED", True)),
        max_age=float(app.config.get("SEARCH_POINTS_SECONDS", 300)),
        rebuild_after=float(app.config.get("SEARCH_POINTS_REBUILD_SECONDS", 10)),
        version=current_version,
    ))


def build_search_points(app: Flask) -> None:
    """Build the table before the first search asks for it (a worker's start; nothing when it is off)."""
    with app.app_context():
        try:
            points_for(db.session)
        except SQLAlchemyError as exc:  # a database not migrated yet: the first search builds it, or goes without
            log.warning("search points not built at start: %s", exc.__class__.__name__)
        finally:
            db.session.remove()
