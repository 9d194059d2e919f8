"""Name search: FTS5 tables kept by triggers on SQLite, pg_trgm (and unaccent) GIN indexes on PostgreSQL.

Revision ID: e5c7a9d2b4f6
Revises: e5a1c7b3d9f2
Create Date: 2026-12-04 18:30:00

"""
from alembic import op

from provider_dir.geo.names import ddl

# revision identifiers, used by Alembic.
revision = 'e5c7a9d2b4f6'
down_revision = 'e5a1c7b3d9f2'
branch_labels = None
depends_on = None


def upgrade():
    ddl.install(op.get_bind())


def downgrade():
    ddl.uninstall(op.get_bind())
