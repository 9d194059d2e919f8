"""The public transparency pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("transparency", __name__)
