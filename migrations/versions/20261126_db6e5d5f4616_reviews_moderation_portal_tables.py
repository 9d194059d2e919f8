"""Add invitation codes, clinic replies, review reports, notifications, the rating prior and queue columns.

Revision ID: db6e5d5f4616
Revises: 39b662fcaed7
Create Date: 2026-11-26 10:44:54.954974

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db6e5d5f4616'
down_revision = '161d782f1316'
branch_labels = None
depends_on = None


def upgrade():
    prior = op.create_table('site_rating_prior',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_count', sa.BigInteger(), nullable=False),
    sa.Column('rating_sum', sa.BigInteger(), nullable=False),
    sa.Column('mean', sa.Float(), nullable=True),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(), nullable=True),
    sa.Column('figures_token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_rating_prior'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('clinic_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_clinic_reply_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_clinic_reply_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_reply')),
    sa.UniqueConstraint('review_id', name=op.f('uq_clinic_reply_review_id'))
    )
    op.create_table('invitation_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinic.id'], name=op.f('fk_invitation_code_clinic_id_clinic'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_invitation_code_issued_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_invitation_code_review_id_review'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_invitation_code_code_hash')),
    sa.UniqueConstraint('review_id', name=op.f('uq_invitation_code_review_id'))
    )
    with op.batch_alter_table('invitation_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_code_clinic_id'), ['clinic_id'], unique=False)

    op.create_table('review_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('personal_info', 'harassment', 'obscene_discriminatory', 'unrelated', 'clearly_false', 'conflict_of_interest', 'spam_duplicate', name='review_report_reason', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'upheld', 'dismissed', 'closed', name='review_report_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_review_report_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_review_report_reporter_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_report_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_report'))
    )
    with op.batch_alter_table('review_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_report_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index('ix_review_report_review_status', ['review_id', 'status'], unique=False)

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duplicate_similarity', sa.Float(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_review_duplicate_of_id_review'), 'review', ['duplicate_of_id'], ['id'], ondelete='SET NULL')

    # Reviews already waiting entered the queue when they were written; the totals start from what exists
    # (weight 0 marks the prior as never computed, so the first review change refreshes every clinic).
    op.execute(sa.text("UPDATE review SET queued_at = created_at"))
    op.bulk_insert(
        prior, [{"id": 1, "review_count": 0, "rating_sum": 0, "mean": None, "weight": 0, "figures_token": ""}]
    )
    op.execute(sa.text(
        "UPDATE site_rating_prior SET "
        "review_count = (SELECT count(*) FROM review WHERE status = 'approved'), "
        "rating_sum = (SELECT coalesce(sum(rating_overall), 0) FROM review WHERE status = 'approved')"
    ))



def downgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_duplicate_of_id_review'), type_='foreignkey')
        batch_op.drop_column('duplicate_similarity')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('queued_at')

    with op.batch_alter_table('review_report', schema=None) as batch_op:
        batch_op.drop_index('ix_review_report_review_status')
        batch_op.drop_index(batch_op.f('ix_review_report_reporter_id'))

    op.drop_table('review_report')
    with op.batch_alter_table('invitation_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_code_clinic_id'))

    op.drop_table('invitation_code')
    op.drop_table('clinic_reply')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_created')

    op.drop_table('notification')
    op.drop_table('site_rating_prior')
