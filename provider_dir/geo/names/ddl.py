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

_WORDS = "name_search_words"
_GRAMS = "name_search_grams"


def _sqlite_rows(kind: str, rowid: str, body: str, clinic_id: str) -> str:
    return "; ".join(
        f"INSERT INTO {table}(rowid, body, clinic_id) VALUES ({rowid}, {body}, {clinic_id})" for table in (_WORDS, _GRAMS)
    )


def _sqlite_delete(rowid: str) -> str:
    return "; ".join(f"DELETE FROM {table} WHERE rowid = {rowid}" for table in (_WORDS, _GRAMS))


SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {_WORDS} USING fts5(body, clinic_id UNINDEXED, tokenize='unicode61 remove_diacritics 2')",
    f"CREATE VIRTUAL TABLE {_GRAMS} USING fts5(body, clinic_id UNINDEXED, tokenize='trigram')",
    f"""CREATE TRIGGER name_search_clinic_insert AFTER INSERT ON clinic BEGIN
        {_sqlite_rows('clinic', 'NEW.id', 'NEW.name', 'NEW.id')}; END""",
    f"""CREATE TRIGGER name_search_clinic_rename AFTER UPDATE OF name ON clinic BEGIN
        {_sqlite_delete('OLD.id')}; {_sqlite_rows('clinic', 'NEW.id', 'NEW.name', 'NEW.id')}; END""",
    f"""CREATE TRIGGER name_search_clinic_delete AFTER DELETE ON clinic BEGIN
        {_sqlite_delete('OLD.id')}; DELETE FROM {_WORDS} WHERE clinic_id = OLD.id;
        DELETE FROM {_GRAMS} WHERE clinic_id = OLD.id; END""",
    f"""CREATE TRIGGER name_search_staff_insert AFTER INSERT ON staff_member BEGIN
        {_sqlite_rows('staff', '-NEW.id', 'NEW.full_name', 'NEW.clinic_id')}; END""",
    f"""CREATE TRIGGER name_search_staff_change AFTER UPDATE OF full_name, clinic_id ON staff_member BEGIN
        {_sqlite_delete('-OLD.id')}; {_sqlite_rows('staff', '-NEW.id', 'NEW.full_name', 'NEW.clinic_id')}; END""",
    f"""CREATE TRIGGER name_search_staff_delete AFTER DELETE ON staff_member BEGIN
        {_sqlite_delete('-OLD.id')}; END""",
]
SQLITE_FILL = [
    f"DELETE FROM {_WORDS}",
    f"DELETE FROM {_GRAMS}",
    *(f"INSERT INTO {t}(rowid, body, clinic_id) SELECT id, name, id FROM clinic" for t in (_WORDS, _GRAMS)),  # noqa: S608  # nosec B608
    *(f"INSERT INTO {t}(rowid, body, clinic_id) SELECT -id, full_name, clinic_id FROM staff_member" for t in (_WORDS, _GRAMS)),  # noqa: S608,E501  # nosec B608
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS name_search_{name}" for name in
      ("clinic_insert", "clinic_rename", "clinic_delete", "staff_insert", "staff_change", "staff_delete")),
    f"DROP TABLE IF EXISTS {_GRAMS}",
    f"DROP TABLE IF EXISTS {_WORDS}",
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
