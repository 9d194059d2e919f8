"""Index the words of clinic and clinician names on PostgreSQL, so suggestions match word prefixes from an index.

Revision ID: b5d7f9a1c3e4
Revises: a4c6e8f0b2d1
Create Date: 2026-12-06 06:00:00

"""
from alembic import op

from provider_dir.geo.names import ddl

# revision identifiers, used by Alembic.
revision = 'b5d7f9a1c3e4'
down_revision = 'a4c6e8f0b2d1'
branch_labels = None
depends_on = None


def upgrade():
    # Suggestions matched '%pine%cre%' through the trigram indexes: a short last word made PostgreSQL recheck
    # thousands of rows (up to 300 ms). SQLite's word table already has its prefixes (a4c6e8f0b2d1).
    if op.get_bind().dialect.name == "postgresql":
        for statement in ddl.POSTGRESQL_WORD_INDEXES:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in ddl.POSTGRESQL_WORD_DROP:
            op.execute(statement)
