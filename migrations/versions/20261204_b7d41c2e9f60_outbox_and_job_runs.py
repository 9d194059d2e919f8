"""Add the mail outbox (outgoing_mail) and the scheduled jobs' runs (job_run), both drained or run by flask worker.

Revision ID: b7d41c2e9f60
Revises: a7d3f1c9e2b5
Create Date: 2026-12-04 15:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b7d41c2e9f60'
down_revision = 'a7d3f1c9e2b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outgoing_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('sender', sa.String(length=254), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('status', sa.Enum('waiting', 'sending', 'sent', 'failed', name='mail_status', native_enum=False,
                                    create_constraint=True, length=7), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('give_up_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_by', sa.String(length=64), nullable=True),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail')),
        sa.UniqueConstraint('message_id', name=op.f('uq_outgoing_mail_message_id')),
    )
    op.create_index('ix_outgoing_mail_due', 'outgoing_mail', ['status', 'next_attempt_at'], unique=False)
    op.create_table(
        'job_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('period', sa.String(length=20), nullable=False),
        sa.Column('status', sa.Enum('running', 'done', 'failed', name='job_status', native_enum=False,
                                    create_constraint=True, length=7), nullable=False),
        sa.Column('worker', sa.String(length=64), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('summary', sa.Text(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run')),
        sa.UniqueConstraint('job', 'period', name=op.f('uq_job_run_job_period')),
    )


def downgrade():
    op.drop_table('job_run')
    op.drop_index('ix_outgoing_mail_due', table_name='outgoing_mail')
    op.drop_table('outgoing_mail')
