"""Database triggers that keep a clinic's derived search columns in step with its latitude and longitude.

The arithmetic is the same as provider_dir.geo.distance.ecef_km and cell_of, written in SQL that both
SQLite (3.35+ math functions) and PostgreSQL run.
"""

from __future__ import annotations

from provider_dir.geo.distance import CELLS_PER_BAND, CELLS_PER_DEGREE, WGS84_A_KM, WGS84_E2


def derived_sql(lat: str, lon: str) -> dict[str, str]:
    """Return SQL expressions for the derived columns, given SQL for the latitude and longitude."""
    sin_lat = f"sin(radians({lat}))"
    n = f"({WGS84_A_KM!r} / sqrt(1 - {WGS84_E2!r} * {sin_lat} * {sin_lat}))"
    return {
        "geo_cell": (
            f"CAST(floor(({lat} + 90) * {CELLS_PER_DEGREE}) AS INTEGER) * {CELLS_PER_BAND}"
            f" + CAST(floor(({lon} + 180) * {CELLS_PER_DEGREE}) AS INTEGER)"
        ),
        "geo_x": f"{n} * cos(radians({lat})) * cos(radians({lon}))",
        "geo_y": f"{n} * cos(radians({lat})) * sin(radians({lon}))",
        "geo_z": f"{n} * {1 - WGS84_E2!r} * {sin_lat}",
    }


def _assignments(lat: str, lon: str, separator: str, operator: str, target: str = "") -> str:
    return separator.join(f"{target}{column} {operator} {sql}" for column, sql in derived_sql(lat, lon).items())


SQLITE_CREATE = [
    # Writers that leave the derived columns empty (Core bulk inserts, raw SQL) get them filled here.
    f"""CREATE TRIGGER clinic_geo_after_insert AFTER INSERT ON clinic
    WHEN NEW.geo_cell IS NULL OR NEW.geo_x IS NULL OR NEW.geo_y IS NULL OR NEW.geo_z IS NULL
    BEGIN
        UPDATE clinic SET {_assignments('NEW.latitude', 'NEW.longitude', ', ', '=')} WHERE id = NEW.id;
    END""",  # noqa: S608  # nosec B608 # DDL from numeric constants and column names, no input
    # A move that did not also set the derived columns (the ORM sets them itself).
    f"""CREATE TRIGGER clinic_geo_after_move AFTER UPDATE OF latitude, longitude ON clinic
    WHEN NEW.geo_x IS OLD.geo_x AND NEW.geo_y IS OLD.geo_y AND NEW.geo_z IS OLD.geo_z
    BEGIN
        UPDATE clinic SET {_assignments('NEW.latitude', 'NEW.longitude', ', ', '=')} WHERE id = NEW.id;
    END""",  # noqa: S608  # nosec B608 # DDL from numeric constants and column names, no input
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS clinic_geo_after_move", "DROP TRIGGER IF EXISTS clinic_geo_after_insert"]

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION clinic_geo_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_assignments('NEW.latitude', 'NEW.longitude', '; ', ':=', 'NEW.')};
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER clinic_geo_fill BEFORE INSERT OR UPDATE OF latitude, longitude ON clinic
    FOR EACH ROW EXECUTE FUNCTION clinic_geo_fill()""",
]
POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS clinic_geo_fill ON clinic", "DROP FUNCTION IF EXISTS clinic_geo_fill()"]


def create_statements(dialect: str) -> list[str]:
    """Return the statements that install the triggers on this dialect."""
    return {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(dialect, [])


def drop_statements(dialect: str) -> list[str]:
    """Return the statements that remove the triggers on this dialect."""
    return {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(dialect, [])
