"""Add what the patient filters need: psychotherapy offered alongside ketamine, and wheelchair access.

Revision ID: e6a2c4f8b1d9
Revises: d4b9e2a7c1f3
Create Date: 2026-12-04 18:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'e6a2c4f8b1d9'
down_revision = 'd4b9e2a7c1f3'
branch_labels = None
depends_on = None

ORAL_WITH_PSYCHOTHERAPY_BIT = 8  # Route.ORAL in listings/vocab.py


def upgrade():
    # Plain ADD COLUMN: a batch copy of the clinic table would drop SQLite's search triggers.
    op.add_column('clinic', sa.Column('offers_psychotherapy', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.add_column('clinic', sa.Column('wheelchair_accessible', sa.Boolean(), nullable=True))
    # Psychotherapy from what listings already say: a therapist on the team, or ketamine-assisted psychotherapy
    # as a route. Wheelchair access stays "not stated" until the clinic says: guessing it would mislead.
    op.execute(
        "UPDATE clinic SET offers_psychotherapy = true "
        f"WHERE (routes_mask & {ORAL_WITH_PSYCHOTHERAPY_BIT}) != 0 OR EXISTS ("
        "SELECT 1 FROM staff_member WHERE staff_member.clinic_id = clinic.id AND staff_member.role = 'therapist')"
    )


def downgrade():
    op.drop_column('clinic', 'wheelchair_accessible')
    op.drop_column('clinic', 'offers_psychotherapy')
