"""Add appeals, the public decision log, monthly decision totals and an index on credential expiry dates.

Revision ID: a7d3f1c9e2b5
Revises: 7e3b1f0c9a21
Create Date: 2026-12-04 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3f1c9e2b5'
down_revision = '7e3b1f0c9a21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'appeal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('log_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('clinic_id', sa.Integer(), nullable=True),
        sa.Column('appellant_id', sa.Integer(), nullable=True),
        sa.Column('first_moderator_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('open', 'upheld', 'reversed', name='appeal_status', native_enum=False,
                                    create_constraint=True, length=8), nullable=False),
        sa.Column('decision_reason', sa.String(length=40), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['appellant_id'], ['user.id'], name=op.f('fk_appeal_appellant_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_appeal_clinic_id_clinic'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_appeal_decided_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['first_moderator_id'], ['user.id'], name=op.f('fk_appeal_first_moderator_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['log_id'], ['moderation_log.id'], name=op.f('fk_appeal_log_id_moderation_log'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal')),
        sa.UniqueConstraint('log_id', name=op.f('uq_appeal_log_id')),
    )
    op.create_index('ix_appeal_status_created', 'appeal', ['status', 'created_at'])
    op.create_index(op.f('ix_appeal_clinic_id'), 'appeal', ['clinic_id'])
    op.create_index(op.f('ix_appeal_appellant_id'), 'appeal', ['appellant_id'])
    op.create_table(
        'public_decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('log_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('clinic_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_public_decision_clinic_id_clinic'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['log_id'], ['moderation_log.id'],
                                name=op.f('fk_public_decision_log_id_moderation_log'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_public_decision')),
    )
    op.create_index('ix_public_decision_created', 'public_decision', ['created_at', 'id'])
    op.create_index('ix_public_decision_clinic_created', 'public_decision', ['clinic_id', 'created_at', 'id'])
    op.create_index('ix_public_decision_kind_created', 'public_decision', ['kind', 'created_at', 'id'])
    op.create_index('ix_public_decision_outcome_created', 'public_decision', ['outcome', 'created_at', 'id'])
    op.create_index('ix_public_decision_kind_outcome_created', 'public_decision',
                    ['kind', 'outcome', 'created_at', 'id'])
    op.create_table(
        'decision_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('stars', sa.SmallInteger(), nullable=False),
        sa.Column('wait_bucket', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_tally')),
        sa.UniqueConstraint('month', 'kind', 'outcome', 'reason', 'stars', 'wait_bucket',
                            name=op.f('uq_decision_tally_month_kind_outcome_reason_stars_wait_bucket')),
    )
    op.create_index('ix_decision_tally_covering', 'decision_tally',
                    ['month', 'outcome', 'kind', 'reason', 'stars', 'wait_bucket', 'n'])
    op.create_index('ix_decision_tally_kind_month', 'decision_tally', ['kind', 'month', 'outcome', 'n'])
    op.create_index(op.f('ix_credential_expires_on'), 'credential', ['expires_on'])


def downgrade():
    op.drop_index(op.f('ix_credential_expires_on'), table_name='credential')
    op.drop_table('decision_tally')
    op.drop_table('public_decision')
    op.drop_table('appeal')
