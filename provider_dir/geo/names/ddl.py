"""The databases' own text indexes over clinic and clinician names, and what keeps them current.

SQLite: two FTS5 tables filled by triggers on clinic and staff_member. `name_search_words` (unicode61 with
remove_diacritics 2) answers word-prefix queries with accents folded; `name_search_grams` (trigram) finds
candidates for misspelt words. Clinics are stored under rowid = clinic id, clinicians under rowid = -staff id.

PostgreSQL: GIN indexes on a folded (unaccented, lower-case) name of each clinic and clinician, by pg_trgm's
trigrams (misspellings, substrings) and by its words (`to_tsvector('simple', ...)`: word prefixes). The database
keeps an index current by itself on every write, COPY included. Beside them, `name_search_vocab` lists every word
of every name (kept by triggers), so a typed prefix is read as the words it starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from provider_dir.models.rewrites import rebuilt_however_it_ends

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


# The word table also indexes every word's first 2 to 5 letters, so that a prefix being typed ("asc"*) reads one
# list of names instead of merging those of every word it starts: at 100,000 clinics 350 -> 52 microseconds for
# the two look-ups of a suggestion, for an index about 4 times as large (10 MB more at 100,000 clinics).
WORD_PREFIXES = "2 3 4 5"


def _words_create(prefixes: str | None) -> str:
    prefix = f", prefix='{prefixes}'" if prefixes else ""
    return ("CREATE VIRTUAL TABLE name_search_words USING fts5(body, clinic_id UNINDEXED, "
            f"tokenize='unicode61 remove_diacritics 2'{prefix})")


_TRIGGER_NAMES = ("clinic_insert", "clinic_rename", "clinic_delete", "staff_insert", "staff_change", "staff_delete")
# A clinic's clinicians leave with it through staff_member's own delete trigger (ON DELETE CASCADE), and a row
# left behind would not be found anyway: look-ups join the clinic.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS name_search_clinic_insert AFTER INSERT ON clinic BEGIN
        {_rows('NEW.id', 'NEW.name', 'NEW.id')}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS name_search_clinic_rename AFTER UPDATE OF name ON clinic BEGIN
        {_delete('OLD.id')}; {_rows('NEW.id', 'NEW.name', 'NEW.id')}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS name_search_clinic_delete AFTER DELETE ON clinic BEGIN {_delete('OLD.id')}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS name_search_staff_insert AFTER INSERT ON staff_member BEGIN
        {_rows('-NEW.id', 'NEW.full_name', 'NEW.clinic_id')}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS name_search_staff_change AFTER UPDATE OF full_name, clinic_id ON staff_member BEGIN
        {_delete('-OLD.id')}; {_rows('-NEW.id', 'NEW.full_name', 'NEW.clinic_id')}; END""",
    f"""CREATE TRIGGER IF NOT EXISTS name_search_staff_delete AFTER DELETE ON staff_member BEGIN
        {_delete('-OLD.id')}; END""",
]
SQLITE_CREATE = [
    _words_create(WORD_PREFIXES),
    "CREATE VIRTUAL TABLE name_search_grams USING fts5(body, clinic_id UNINDEXED, tokenize='trigram')",
    *SQLITE_TRIGGERS,
]


def _fill(table: str) -> list[str]:
    # In ascending rowid order, clinicians (-id) first: FTS5 writes its pending terms out as a new segment
    # whenever a rowid is not above the last one, so clinicians in id order (rowids falling) made a segment per
    # row to merge (at 100,000 clinics 5.9 s for the word table against well under a second).
    return [
        f"INSERT INTO {table}(rowid, body, clinic_id) SELECT -id, full_name, clinic_id FROM staff_member"  # noqa: S608  # nosec B608
        " ORDER BY id DESC",
        f"INSERT INTO {table}(rowid, body, clinic_id) SELECT id, name, id FROM clinic ORDER BY id",  # noqa: S608  # nosec B608
    ]


# While a table is filled in bulk, FTS5 merges 16 segments of a level at a time instead of its default 4 (fewer
# passes over the growing index: at 100,000 -> 1,000,000 clinics 2.0 -> 30.2 s of CPU with 4, 1.9 -> 21.7 with
# 16) and gathers 16 MB of terms in memory before writing a segment instead of 1 MB (fewer, larger segments to
# merge: both tables at a million clinics 21.0 -> 19.3 s, unchanged at 100,000), then merges them all into one
# (what queries read fastest) and goes back to FTS5's defaults for later writes.
BULK_AUTOMERGE, AUTOMERGE = 16, 4
BULK_HASHSIZE, HASHSIZE = 16 * 2**20, 2**20


def _settings(table: str, automerge: int, hashsize: int) -> list[str]:
    return [f"INSERT INTO {table}({table}, rank) VALUES('{name}', {value})"  # noqa: S608  # nosec B608
            for name, value in (("automerge", automerge), ("hashsize", hashsize))]


def _bulk_fill(table: str) -> list[str]:
    return [
        *_settings(table, BULK_AUTOMERGE, BULK_HASHSIZE),
        *_fill(table),
        f"INSERT INTO {table}({table}) VALUES('optimize')",  # noqa: S608  # nosec B608
        *_settings(table, AUTOMERGE, HASHSIZE),
    ]


SQLITE_FILL = [
    *(f"DELETE FROM {table}" for table in _TABLES),  # noqa: S608  # nosec B608
    *(statement for table in _TABLES for statement in _bulk_fill(table)),
]
_DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS name_search_{name}" for name in _TRIGGER_NAMES]
SQLITE_DROP = [
    *_DROP_TRIGGERS,
    "DROP TABLE IF EXISTS name_search_grams",
    "DROP TABLE IF EXISTS name_search_words",
]  # fmt: skip

# unaccent() is only STABLE (its dictionary could change), so an index needs an IMMUTABLE wrapper; the
# dictionary is named with its schema so that the function does not depend on the search_path.
_FOLD_UNACCENT = "lower(public.unaccent('public.unaccent'::regdictionary, $1))"
_FOLD_PLAIN = "lower($1)"


# The words of a folded name, for suggestions' word-prefix matches (a query such as 'pine:* & cre:*'): the
# 'simple' configuration keeps every word as it is, stop words included.
PG_WORDS = "to_tsvector('simple'::regconfig, name_search_fold({column}))"
POSTGRESQL_WORD_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS name_search_clinic_words ON clinic USING gin ({PG_WORDS.format(column='name')})",
    "CREATE INDEX IF NOT EXISTS name_search_staff_words ON staff_member "
    f"USING gin ({PG_WORDS.format(column='full_name')})",
]
POSTGRESQL_WORD_DROP = ["DROP INDEX IF EXISTS name_search_staff_words", "DROP INDEX IF EXISTS name_search_clinic_words"]

# Every word of every name, for the look-ups to read a typed prefix as the words it starts ('ketami:*' becomes
# 'ketamine'): GIN gathers every entry a prefix matches into one bitmap before anything else (at 100,000 clinics
# 'sitka & ketami:*' took 7.9 ms, 'sitka & ketamine' 0.4 ms), while whole words let it skip through the common
# word's list to the rare word's names, and let the planner see how common each word is. Added by statement
# triggers (one statement for a whole COPY or multi-row INSERT) and by row triggers for renames; a word whose
# names have all gone stays (it then matches nothing, and costs one entry).
_VOCAB_COLUMNS = {"clinic": "name", "staff_member": "full_name"}


def _vocab_insert(names: str, column: str) -> str:
    # In the words' order: a new word is a new key, which a writer adding it too waits on until the first one's
    # transaction ends, and two statements adding the same new words wait in turn rather than deadlock.
    # Only constants are formatted in: the source of the names and their column.
    return (f"INSERT INTO name_search_vocab(word) SELECT DISTINCT word FROM {names}"  # noqa: S608  # nosec B608
            f"unnest(tsvector_to_array({PG_WORDS.format(column=column)})) AS word ORDER BY word ON CONFLICT DO NOTHING")


def _vocab_function(name: str, insert: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {insert}; RETURN NULL; "
            "END $$")


def _vocab_drop_triggers(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS name_search_vocab_{table}_{event} ON {table}" for event in ("insert", "rename")]


def _vocab_create(table: str) -> list[str]:
    column = _VOCAB_COLUMNS[table]
    each_statement, each_row = f"name_search_vocab_{table}", f"name_search_vocab_{table}_row"
    return [
        _vocab_function(each_statement, _vocab_insert("named, ", f"named.{column}")),
        _vocab_function(each_row, _vocab_insert("", f"NEW.{column}")),
        *_vocab_drop_triggers(table),
        f"CREATE TRIGGER name_search_vocab_{table}_insert AFTER INSERT ON {table} "
        f"REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION {each_statement}()",
        # A row trigger: statement triggers with transition tables cannot name columns, and would read the names
        # of every clinic any UPDATE touches (scores, ratings) instead of only the renamed ones.
        f"CREATE TRIGGER name_search_vocab_{table}_rename AFTER UPDATE OF {column} ON {table} FOR EACH ROW "
        f"WHEN (OLD.{column} IS DISTINCT FROM NEW.{column}) EXECUTE FUNCTION {each_row}()",
    ]


POSTGRESQL_VOCAB_CREATE = [
    # "C" collation: the look-ups read a prefix as a range of the primary key (word >= 'keta' AND word < 'ketb').
    'CREATE TABLE IF NOT EXISTS name_search_vocab (word text COLLATE "C" PRIMARY KEY)',
    *_vocab_create("clinic"),
    *_vocab_create("staff_member"),
    _vocab_insert("clinic, ", "name"),
    _vocab_insert("staff_member, ", "full_name"),
]
POSTGRESQL_VOCAB_DROP = [
    *(statement for table in _VOCAB_COLUMNS for statement in _vocab_drop_triggers(table)),
    *(f"DROP FUNCTION IF EXISTS name_search_vocab_{table}{kind}()"
      for table in _VOCAB_COLUMNS for kind in ("", "_row")),
    "DROP TABLE IF EXISTS name_search_vocab",
]


def postgresql_create(has_unaccent: bool) -> list[str]:
    """Return the statements that install the trigram and word indexes (folding accents where unaccent is there)."""
    fold = _FOLD_UNACCENT if has_unaccent else _FOLD_PLAIN
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE OR REPLACE FUNCTION name_search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
        f"RETURN {fold}",
        "CREATE INDEX IF NOT EXISTS name_search_clinic_trgm ON clinic USING gin (name_search_fold(name) gin_trgm_ops)",
        "CREATE INDEX IF NOT EXISTS name_search_staff_trgm ON staff_member "
        "USING gin (name_search_fold(full_name) gin_trgm_ops)",
        *POSTGRESQL_WORD_INDEXES,
        *POSTGRESQL_VOCAB_CREATE,
    ]


POSTGRESQL_DROP = [
    *POSTGRESQL_VOCAB_DROP,
    *POSTGRESQL_WORD_DROP,
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


def word_prefixes(connection) -> str | None:
    """Return the prefix lengths SQLite's word table indexes (e.g. "2 3 4 5"), or None when it has none."""
    sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'name_search_words'").scalar()
    found = re.search(r"prefix\s*=\s*'([^']*)'", sql or "")
    return found.group(1) if found else None


def set_word_prefixes(connection, prefixes: str | None) -> None:
    """Make SQLite's word table again with these prefix lengths indexed (None: none), filled from the rows.

    The triggers name the table, so they are dropped while it is made again and then put back.
    """
    if connection.dialect.name != "sqlite" or word_prefixes(connection) == prefixes:
        return
    for statement in [*_DROP_TRIGGERS, "DROP TABLE IF EXISTS name_search_words", _words_create(prefixes),
                      *_bulk_fill("name_search_words"), *SQLITE_TRIGGERS]:
        connection.exec_driver_sql(statement)


@contextmanager
def names_filled_after(session) -> Iterator[None]:
    """On SQLite, load without the name triggers, then fill the name tables from the rows once, however it ends.

    For a bulk load into a new database: through the triggers FTS5 indexes row by row, and every clinician (rowid
    -id, falling as ids rise) writes a segment of its own to merge; filled in rowid order at the end, both tables
    take about 2 s at 100,000 clinics. The caller decides that the load is worth it (the whole tables are read again).
    """
    if session.connection().dialect.name != "sqlite":
        yield
        return
    for statement in _DROP_TRIGGERS:
        session.connection().exec_driver_sql(statement)
    # On failure the tables are filled from the rows that stay and the triggers put back (their DROP may have been
    # committed with an earlier batch).
    with rebuilt_however_it_ends(session, lambda: _fill_and_keep(session)):
        yield


def _fill_and_keep(session) -> None:
    connection = session.connection()
    for statement in [*SQLITE_FILL, *SQLITE_TRIGGERS]:
        connection.exec_driver_sql(statement)
