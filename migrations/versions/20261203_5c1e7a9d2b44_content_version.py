"""Add the content version: one number every write to public data raises, so kept pages know they are stale.

Revision ID: 5c1e7a9d2b44
Revises: 818e2cb5aba7
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5c1e7a9d2b44'
down_revision = '818e2cb5aba7'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'content_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('number', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'number': 0}])


def downgrade():
    op.drop_table('content_version')
