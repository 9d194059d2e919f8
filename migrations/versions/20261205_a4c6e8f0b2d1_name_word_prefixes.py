"""Index the first 2 to 5 letters of every word of the names on SQLite, so suggestions read a prefix's names at once.

Revision ID: a4c6e8f0b2d1
Revises: f2c4e6a8b0d3
Create Date: 2026-12-05 13:50:00

"""
from alembic import op

from provider_dir.geo.names import ddl

# revision identifiers, used by Alembic.
revision = 'a4c6e8f0b2d1'
down_revision = 'f2c4e6a8b0d3'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite's FTS5 takes its prefix indexes when the table is made: the word table is made again and refilled
    # (a database made since name_search already has them). PostgreSQL's trigram indexes need nothing.
    ddl.set_word_prefixes(op.get_bind(), ddl.WORD_PREFIXES)


def downgrade():
    ddl.set_word_prefixes(op.get_bind(), None)
