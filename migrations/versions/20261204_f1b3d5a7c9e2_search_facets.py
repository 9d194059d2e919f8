"""Add search_facets (the patient filters as bits, kept by triggers) to the clinic and to search's covering index.

Revision ID: f1b3d5a7c9e2
Revises: e5c7a9d2b4f6
Create Date: 2026-12-04 21:00:00

"""
from alembic import op
import sqlalchemy as sa

from provider_dir.geo.filters import bits

# revision identifiers, used by Alembic.
revision = 'f1b3d5a7c9e2'
down_revision = 'e5c7a9d2b4f6'
branch_labels = None
depends_on = None

GEO_SEARCH = ['geo_cell', 'geo_x', 'geo_y', 'geo_z', 'status', 'closure', 'reopens_on', 'conditions_mask',
              'routes_mask', 'price_per_infusion_usd', 'score_total', 'rating_bayes', 'has_verified_credentials',
              'accepting_new_patients']


def _geo_search_index(columns: list[str]) -> None:
    # Plain DROP/CREATE INDEX: a batch copy of the clinic table would drop SQLite's search triggers.
    op.drop_index('ix_clinic_geo_search', table_name='clinic')
    op.create_index('ix_clinic_geo_search', 'clinic', columns, unique=False)


def upgrade():
    bind = op.get_bind()
    op.add_column('clinic', sa.Column('search_facets', sa.Integer(), nullable=True))
    op.execute(bits.fill_all_sql())
    for statement in bits.create_statements(bind.dialect.name, tallies=False):  # as they were then
        op.execute(statement)
    _geo_search_index([*GEO_SEARCH, 'search_facets', 'id'])


def downgrade():
    bind = op.get_bind()
    _geo_search_index([*GEO_SEARCH, 'id'])
    for statement in bits.drop_statements(bind.dialect.name):
        op.execute(statement)
    if bind.dialect.name == 'sqlite':
        op.execute('ALTER TABLE clinic DROP COLUMN search_facets')
    else:
        op.drop_column('clinic', 'search_facets')
