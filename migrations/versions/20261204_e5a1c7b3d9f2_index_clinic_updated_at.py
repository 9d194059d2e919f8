"""Index published clinics by when they changed, so the HSDS API's modified_after filter reads a range of the index.

Revision ID: e5a1c7b3d9f2
Revises: e6a2c4f8b1d9
Create Date: 2026-12-04 18:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a1c7b3d9f2'
down_revision = 'e6a2c4f8b1d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_clinic_status_updated_at', 'clinic', ['status', 'updated_at'], unique=False)


def downgrade():
    op.drop_index('ix_clinic_status_updated_at', table_name='clinic')
