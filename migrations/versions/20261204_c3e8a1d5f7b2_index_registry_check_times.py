"""Index registry checks by when they ran, so the transparency report counts a month's checks from the index.

Revision ID: c3e8a1d5f7b2
Revises: a7f3c2e91b05
Create Date: 2026-12-04 16:50:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3e8a1d5f7b2'
down_revision = 'a7f3c2e91b05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_registry_check_checked_at', 'registry_check', ['checked_at'], unique=False)


def downgrade():
    op.drop_index('ix_registry_check_checked_at', table_name='registry_check')
