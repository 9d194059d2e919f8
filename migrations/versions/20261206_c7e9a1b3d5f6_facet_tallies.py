"""Add the facet tallies (the filter bits spread out for counting, kept by the facet triggers) to the clinic and
to search's covering index.

Revision ID: c7e9a1b3d5f6
Revises: b5d7f9a1c3e4
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa

from provider_dir.geo.filters import bits

# revision identifiers, used by Alembic.
revision = 'c7e9a1b3d5f6'
down_revision = 'b5d7f9a1c3e4'
branch_labels = None
depends_on = None

GEO_SEARCH = ['geo_cell', 'geo_x', 'geo_y', 'geo_z', 'status', 'closure', 'reopens_on', 'conditions_mask',
              'routes_mask', 'price_per_infusion_usd', 'score_total', 'rating_bayes', 'has_verified_credentials',
              'accepting_new_patients', 'search_facets']
TALLIES = ['facet_tally_0', 'facet_tally_1', 'facet_tally_2', 'facet_tally_3', 'facet_tally_4']


def _geo_search_index(columns: list[str]) -> None:
    # Plain DROP/CREATE INDEX: a batch copy of the clinic table would drop SQLite's search triggers.
    op.drop_index('ix_clinic_geo_search', table_name='clinic')
    op.create_index('ix_clinic_geo_search', 'clinic', columns, unique=False)
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        # Dropping the index dropped SQLite's statistics of it: a database that had them gets them again
        # (one that never had them keeps going without, as before).
        analysed = bind.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar()
        if analysed and bind.exec_driver_sql("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'clinic'").scalar():
            op.execute('ANALYZE clinic')


def _facet_triggers(tallies: bool) -> None:
    dialect = op.get_bind().dialect.name
    for statement in bits.drop_statements(dialect):
        op.execute(statement)
    for statement in bits.create_statements(dialect, tallies=tallies):
        op.execute(statement)


def upgrade():
    assert tuple(TALLIES) == bits.TALLY_COLUMNS
    for name in TALLIES:
        op.add_column('clinic', sa.Column(name, sa.BigInteger(), nullable=True))
    op.execute(bits.fill_all_tallies_sql())
    _facet_triggers(tallies=True)
    _geo_search_index([*GEO_SEARCH, *TALLIES, 'id'])


def downgrade():
    _geo_search_index([*GEO_SEARCH, 'id'])
    _facet_triggers(tallies=False)
    for name in reversed(TALLIES):
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE clinic DROP COLUMN {name}')
        else:
            op.drop_column('clinic', name)
