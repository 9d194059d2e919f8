"""Add import runs, the provenance of imported listings and outside ratings.

Revision ID: 7e3b1f0c9a21
Revises: b8802f4dc6ae
Create Date: 2026-12-04 14:43:25.185848

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e3b1f0c9a21'
down_revision = 'b8802f4dc6ae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('file_format', sa.String(length=20), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.Column('undo_report', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_import_run_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['user.id'], name=op.f('fk_import_run_undone_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_run'))
    )
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_run_actor_id'), ['actor_id'], unique=False)

    op.create_table('outside_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('site', sa.String(length=80), nullable=False),
    sa.Column('stars', sa.Float(), nullable=False),
    sa.Column('rating_count', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_outside_rating_clinic_id_clinic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outside_rating')),
    sa.UniqueConstraint('clinic_id', 'site', name=op.f('uq_outside_rating_clinic_id_site'))
    )
    with op.batch_alter_table('outside_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outside_rating_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('listing_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('source_id', sa.String(length=120), nullable=False),
    sa.Column('source_url', sa.String(length=300), nullable=False),
    sa.Column('row_digest', sa.String(length=64), nullable=False),
    sa.Column('created_by_run_id', sa.Integer(), nullable=True),
    sa.Column('imported_on', sa.Date(), nullable=False),
    sa.Column('refreshed_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_listing_source_clinic_id_clinic'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_run_id'], ['import_run.id'], name=op.f('fk_listing_source_created_by_run_id_import_run'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_source')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_listing_source_source_source_id'))
    )
    with op.batch_alter_table('listing_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_source_clinic_id'), ['clinic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_source_created_by_run_id'), ['created_by_run_id'], unique=False)



def downgrade():
    with op.batch_alter_table('listing_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_source_created_by_run_id'))
        batch_op.drop_index(batch_op.f('ix_listing_source_clinic_id'))

    op.drop_table('listing_source')
    with op.batch_alter_table('outside_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outside_rating_clinic_id'))

    op.drop_table('outside_rating')
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_run_actor_id'))

    op.drop_table('import_run')
