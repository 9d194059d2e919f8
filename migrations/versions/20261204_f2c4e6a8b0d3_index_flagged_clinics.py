"""Index the clinics flagged as having verified staff credentials, so the daily lapse check reads only their ids.

Revision ID: f2c4e6a8b0d3
Revises: f1b3d5a7c9e2
Create Date: 2026-12-04 21:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'f2c4e6a8b0d3'
down_revision = 'f1b3d5a7c9e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_clinic_credentials_flagged', 'clinic', ['has_verified_credentials', 'id'], unique=False,
                    sqlite_where=sa.text('has_verified_credentials IS 1'),
                    postgresql_where=sa.text('has_verified_credentials IS true'))


def downgrade():
    op.drop_index('ix_clinic_credentials_flagged', table_name='clinic')
