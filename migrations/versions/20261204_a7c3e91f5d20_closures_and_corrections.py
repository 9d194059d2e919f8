"""Add a clinic's closure (open, temporarily closed until a date, permanently closed) and suggested corrections.

Revision ID: a7c3e91f5d20
Revises: 5c1e7a9d2b44
Create Date: 2026-12-04 15:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'a7c3e91f5d20'
down_revision = '5c1e7a9d2b44'
branch_labels = None
depends_on = None

CLOSURES = ('open', 'temporarily_closed', 'permanently_closed')
GEO_SEARCH = ['geo_cell', 'geo_x', 'geo_y', 'geo_z', 'status', 'conditions_mask', 'routes_mask',
              'price_per_infusion_usd', 'score_total', 'rating_bayes', 'has_verified_credentials',
              'accepting_new_patients', 'id']
WALK_TAIL = ['id', 'geo_x', 'geo_y', 'geo_z']


def _search_indexes(with_closure: bool) -> None:
    """Recreate the three search indexes, with or without the closure columns (so search reads them too)."""
    closure = ['closure', 'reopens_on'] if with_closure else []
    geo = GEO_SEARCH[:5] + closure + GEO_SEARCH[5:]
    with op.batch_alter_table('clinic', schema=None) as batch_op:
        batch_op.drop_index('ix_clinic_score_walk')
        batch_op.drop_index('ix_clinic_rating_walk')
        batch_op.drop_index('ix_clinic_geo_search')
        batch_op.create_index('ix_clinic_geo_search', geo, unique=False)
        batch_op.create_index('ix_clinic_rating_walk', ['status', 'rating_bayes', *WALK_TAIL, *closure], unique=False)
        batch_op.create_index('ix_clinic_score_walk', ['status', 'score_total', *WALK_TAIL, *closure], unique=False)


def upgrade():
    # Plain ALTER TABLE ADD COLUMN with the CHECK as the column's own, so SQLite keeps the table and its geo
    # triggers (a batch copy would drop them); Alembic would leave the CHECK out on SQLite, so it is written here.
    if op.get_bind().dialect.name == 'sqlite':
        allowed = ", ".join(f"'{value}'" for value in CLOSURES)
        op.execute("ALTER TABLE clinic ADD COLUMN closure VARCHAR(18) DEFAULT 'open' NOT NULL "
                   f"CONSTRAINT ck_clinic_clinic_closure CHECK (closure IN ({allowed}))")
    else:
        op.add_column('clinic', sa.Column(
            'closure', sa.Enum(*CLOSURES, name='clinic_closure', native_enum=False, create_constraint=True, length=18),
            server_default='open', nullable=False))
    op.add_column('clinic', sa.Column('reopens_on', sa.Date(), nullable=True))
    _search_indexes(with_closure=True)

    op.create_table('clinic_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.Enum('phone', 'website', 'address', 'hours', 'prices', 'routes', 'closed', name='clinic_correction_field', native_enum=False, create_constraint=True, length=7), nullable=False),
    sa.Column('proposed', sa.JSON(), nullable=False),
    sa.Column('current', sa.JSON(), nullable=False),
    sa.Column('source_url', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('submitter_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='clinic_correction_status', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('decision_reason', sa.String(length=40), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_clinic_correction_clinic_id_clinic'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_clinic_correction_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitter_id'], ['user.id'], name=op.f('fk_clinic_correction_submitter_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_correction'))
    )
    with op.batch_alter_table('clinic_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clinic_correction_clinic_id'), ['clinic_id'], unique=False)
        batch_op.create_index('ix_clinic_correction_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clinic_correction_submitter_id'), ['submitter_id'], unique=False)


def downgrade():
    with op.batch_alter_table('clinic_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clinic_correction_submitter_id'))
        batch_op.drop_index('ix_clinic_correction_status_created')
        batch_op.drop_index(batch_op.f('ix_clinic_correction_clinic_id'))
    op.drop_table('clinic_correction')

    _search_indexes(with_closure=False)
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+ allows it for a column whose CHECK is its own), keeping the triggers.
    op.drop_column('clinic', 'reopens_on')
    op.drop_column('clinic', 'closure')
