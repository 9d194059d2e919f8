"""Make sure SQLite connections have the math functions that the search triggers use.

SQLite builds since 3.35 usually include them; where one does not, Python's own are registered instead.
"""

from __future__ import annotations

import math
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

FUNCTIONS = {"sin": math.sin, "cos": math.cos, "radians": math.radians, "sqrt": math.sqrt, "floor": math.floor}


@event.listens_for(Engine, "connect")
def _ensure_math_functions(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    try:
        dbapi_connection.execute("SELECT sin(0), cos(0), radians(0), sqrt(1), floor(1.5)").fetchone()
    except sqlite3.OperationalError:
        for name, function in FUNCTIONS.items():
            dbapi_connection.create_function(name, 1, function, deterministic=True)
