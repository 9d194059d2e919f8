"""The databases' own text indexes over clinic and clinician names, and what keeps them current.

SQLite: two FTS5 tables filled by triggers on clinic and staff_member. `name_search_words` (unicode61 with
remove_diacritics 2) answers word-prefix queries with accents folded; `name_search_grams` (trigram) finds
candidates for misspelt words. Clinics are stored under rowid = clinic id, clinicians under rowid = -staff id.

PostgreSQL: pg_trgm GIN indexes on a folded (unaccented, lower-case) name of each clinic and clinician. The
database keeps an index current by itself on every write, COPY included, so no trigger is needed.
"""

from __future__ import annotations

# Names starting with this are not in the models; migrations/env.py leaves them out of the drift check.
PREFIX = "name_search"

_TABLES = ("name_search_words", "name_search_grams")


def _rows(rowid: str, body: str, clinic_id: str) -> str:
    return "; ".join(
        f"INSERT INTO {table}(rowid, body, clinic_id) VALUES ({rowid}, {body}, {clinic_id})"  # noqa: S608  # nosec B608
        for table in _TABLES
    )


def _delete(rowid: str) -> str:
    return "; ".join(f"DELETE FROM {table} WHERE rowid = {rowid}" for table in _TABLES)  # noqa: S608  # nosec B608


# A clinic's clinicians leave with it through staff_member's own delete trigger (ON DELETE CASCADE), and a row
# left behind would not be found anyway: look-ups join the clinic.
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE name_search_words USING fts5(body, clinic_id UNINDEXED, "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE name_search_grams USING fts5(body, clinic_id UNINDEXED, tokenize='trigram')",
    f"""CREATE TRIGGER name_search_clinic_insert AFTER INSERT ON clinic BEGIN
        {_rows('NEW.id', 'NEW.name', 'NEW.id')}; END""",
    f"""CREATE TRIGGER name_search_clinic_rename AFTER UPDATE OF name ON clinic BEGIN
        {_delete('OLD.id')}; {_rows('NEW.id', 'NEW.name', 'NEW.id')}; END""",
    f"""CREATE TRIGGER name_search_clinic_delete AFTER DELETE ON clinic BEGIN {_delete('OLD.id')}; END""",
    f"""CREATE TRIGGER name_search_staff_insert AFTER INSERT ON staff_member BEGIN
        {_rows('-NEW.id', 'NEW.full_name', 'NEW.clinic_id')}; END""",
    f"""CREATE TRIGGER name_search_staff_change AFTER UPDATE OF full_name, clinic_id ON staff_member BEGIN
        {_delete('-OLD.id')}; {_rows('-NEW.id', 'NEW.full_name', 'NEW.clinic_id')}; END""",
    f"""CREATE TRIGGER name_search_staff_delete AFTER DELETE ON staff_member BEGIN {_delete('-OLD.id')}; END""",
]
SQLITE_FILL = [
    "DELETE FROM name_search_words",
    "DELETE FROM name_search_grams",
    "INSERT INTO name_search_words(rowid, body, clinic_id) SELECT id, name, id FROM clinic",
    "INSERT INTO name_search_grams(rowid, body, clinic_id) SELECT id, name, id FROM clinic",
    "INSERT INTO name_search_words(rowid, body, clinic_id) SELECT -id, full_name, clinic_id FROM staff_member",
    "INSERT INTO name_search_grams(rowid, body, clinic_id) SELECT -id, full_name, clinic_id FROM staff_member",
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS name_search_{name}" for name in
      ("clinic_insert", "clinic_rename", "clinic_delete", "staff_insert", "staff_change", "staff_delete")),
    "DROP TABLE IF EXISTS name_search_grams",
    "DROP TABLE IF EXISTS name_search_words",
]  # fmt: skip

# unaccent() is only STABLE (its dictionary could change), so an index needs an IMMUTABLE wrapper; the
# dictionary is named with its schema so that the function does not depend on the search_path.
_FOLD_UNACCENT = "lower(public.unaccent('public.unaccent'::regdictionary, $1))"
_FOLD_PLAIN = "lower($1)"


def postgresql_create(has_unaccent: bool) -> list[str]:
    """Return the statements that install the trigram indexes (folding accents where unaccent is available)."""
    fold = _FOLD_UNACCENT if has_unaccent else _FOLD_PLAIN
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE OR REPLACE FUNCTION name_search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
        f"RETURN {fold}",
        "CREATE INDEX IF NOT EXISTS name_search_clinic_trgm ON clinic USING gin (name_search_fold(name) gin_trgm_ops)",
        "CREATE INDEX IF NOT EXISTS name_search_staff_trgm ON staff_member "
        "USING gin (name_search_fold(full_name) gin_trgm_ops)",
    ]


POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS name_search_staff_trgm",
    "DROP INDEX IF EXISTS name_search_clinic_trgm",
    "DROP FUNCTION IF EXISTS name_search_fold(text)",
]


def install(connection) -> None:
    """Install the name indexes on this connection's database (and fill them from the rows already there)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        for statement in [*SQLITE_CREATE, *SQLITE_FILL]:
            connection.exec_driver_sql(statement)
    elif dialect == "postgresql":
        available = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_available_extensions WHERE name = 'unaccent'"
        ).scalar()
        if available:
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        for statement in postgresql_create(bool(available)):
            connection.exec_driver_sql(statement)


def uninstall(connection) -> None:
    """Remove the name indexes (the extensions stay: other databases' objects may use them)."""
    statements = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(connection.dialect.name, [])
    for statement in statements:
        connection.exec_driver_sql(statement)


def refill(connection) -> None:
    """Rebuild SQLite's name tables from the rows (after a bulk load that ran without the triggers)."""
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_FILL:
            connection.exec_driver_sql(statement)
