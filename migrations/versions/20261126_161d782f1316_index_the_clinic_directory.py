"""Index published clinics by state, city and name, for the directory and the busiest cities on the home page.

Revision ID: 161d782f1316
Revises: 39b662fcaed7
Create Date: 2026-11-26 10:55:35.036658

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '161d782f1316'
down_revision = '39b662fcaed7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_clinic_directory', 'clinic', ['status', 'state', 'city', 'name', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_clinic_directory', table_name='clinic')
