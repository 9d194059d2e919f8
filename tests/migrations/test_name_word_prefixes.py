"""On SQLite, the word-prefix migration makes the name index again with its prefix indexes: every name already there is
still found (by prefix too), and names written afterwards are indexed by the triggers as before."""

from datetime import datetime

import pytest
from sqlalchemy import text

from provider_dir.geo.names import ddl

PREFIX_REVISION = "a4c6e8f0b2d1"
NEW_YEAR = datetime(2026, 1, 1)


def _clinic(runner, number, name):
    runner.insert_into("clinic", {
        "id": number, "slug": f"clinic-{number}", "name": name, "description": "", "street": "1 Main St",
        "city": "Albany", "state": "NY", "zip_code": "12207", "latitude": 42.65, "longitude": -73.75,
        "phone": "", "website": "", "hours": "", "routes_mask": 1, "conditions_mask": 1, "insurance": "none",
        "languages": ["English"], "accessibility": "", "accepting_new_patients": True,
        "telehealth_intake": False, "status": "published", "rating_count": 0, "has_verified_credentials": False,
        "created_at": NEW_YEAR, "updated_at": NEW_YEAR,
    })


def _found(connection, match):
    return sorted(connection.execute(
        text("SELECT rowid FROM name_search_words WHERE name_search_words MATCH :m"), {"m": match}).scalars())


def test_the_word_index_gets_its_prefixes_and_keeps_every_name(alembic_runner, alembic_engine):
    if alembic_engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's trigram indexes are unchanged by this migration")
    alembic_runner.migrate_down_to("base")  # the migration tests share one database; start from empty
    alembic_runner.migrate_up_before(PREFIX_REVISION)
    with alembic_engine.begin() as connection:
        ddl.set_word_prefixes(connection, None)  # the word table as databases made before this change have it
        assert ddl.word_prefixes(connection) is None
    _clinic(alembic_runner, 1, "Ascend Infusion Center")
    _clinic(alembic_runner, 2, "Ascension Wellness")

    alembic_runner.migrate_up_one()

    with alembic_engine.begin() as connection:
        assert ddl.word_prefixes(connection) == ddl.WORD_PREFIXES
        assert _found(connection, '"asc"*') == [1, 2]
        assert _found(connection, '"infusion"') == [1]
        connection.execute(text("UPDATE clinic SET name = 'Harbor Wellness' WHERE id = 1"))  # the triggers still run
        assert _found(connection, '"asc"*') == [2]
        assert _found(connection, '"har"*') == [1]

    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as connection:
        assert ddl.word_prefixes(connection) is None
        assert _found(connection, '"wel"*') == [1, 2]
