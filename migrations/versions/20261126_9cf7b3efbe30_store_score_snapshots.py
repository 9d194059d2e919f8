"""Store each clinic's score snapshots with their checklist version, so scores keep a history.

Revision ID: 9cf7b3efbe30
Revises: db6e5d5f4616
Create Date: 2026-11-26 10:44:51.201959

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9cf7b3efbe30'
down_revision = 'db6e5d5f4616'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('score_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('uncapped_total', sa.Integer(), nullable=False),
    sa.Column('safety_ok', sa.Boolean(), nullable=False),
    sa.Column('items', sa.String(length=300), nullable=False),
    sa.Column('computed_on', sa.Date(), nullable=False),
    sa.Column('changes_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_score_snapshot_clinic_id_clinic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_snapshot'))
    )
    with op.batch_alter_table('score_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_snapshot_changes_on'), ['changes_on'], unique=False)
        batch_op.create_index('ix_score_snapshot_clinic_latest', ['clinic_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('score_snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_score_snapshot_clinic_latest')
        batch_op.drop_index(batch_op.f('ix_score_snapshot_changes_on'))

    op.drop_table('score_snapshot')
