"""Compare the database's Alembic revision with the newest revision shipped."""

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory


def migration_state(connection, migrations_dir: str) -> tuple[str | None, str | None]:
    """Return (current revision in the database, head revision on disk)."""
    config = Config()
    config.set_main_option("script_location", migrations_dir)
    head = ScriptDirectory.from_config(config).get_current_head()
    current = MigrationContext.configure(connection).get_current_revision()
    return current, head
