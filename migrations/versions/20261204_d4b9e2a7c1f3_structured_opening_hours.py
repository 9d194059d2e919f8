"""Opening hours as data: periods per weekday, the free text kept as a note, evening and weekend flags for search.

Revision ID: d4b9e2a7c1f3
Revises: c3e8a1d5f7b2
Create Date: 2026-12-04 17:50:00

"""
import sys

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4b9e2a7c1f3'
down_revision = 'c3e8a1d5f7b2'
branch_labels = None
depends_on = None

clinic = sa.table('clinic', sa.column('id', sa.Integer), sa.column('slug', sa.String), sa.column('hours', sa.String),
                  sa.column('opening_hours', sa.JSON), sa.column('open_evenings', sa.Boolean),
                  sa.column('open_weekends', sa.Boolean))


def upgrade():
    # Plain ADD COLUMN: a batch copy of the clinic table would drop SQLite's search triggers.
    op.add_column('clinic', sa.Column('opening_hours', sa.JSON(), server_default='[]', nullable=False))
    op.add_column('clinic', sa.Column('open_evenings', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('clinic', sa.Column('open_weekends', sa.Boolean(), server_default=sa.false(), nullable=False))
    _convert_texts()


def downgrade():
    from provider_dir.hours.parse import format_periods, periods_from_json

    bind = op.get_bind()
    rows = bind.execute(sa.select(clinic.c.id, clinic.c.hours, clinic.c.opening_hours)).all()
    for clinic_id, note, stored in rows:
        text = "; ".join(part for part in (format_periods(periods_from_json(stored)), note) if part)[:300]
        bind.execute(clinic.update().where(clinic.c.id == clinic_id).values(hours=text))
    op.drop_column('clinic', 'open_weekends')
    op.drop_column('clinic', 'open_evenings')
    op.drop_column('clinic', 'opening_hours')


def _convert_texts():
    """Read every clinic's free-text hours into periods; list the rows not (or not wholly) understood."""
    from provider_dir.hours.services import hours_columns

    bind = op.get_bind()
    texts = bind.execute(sa.select(clinic.c.hours, sa.func.count()).where(clinic.c.hours != '')
                         .group_by(clinic.c.hours)).all()
    odd = 0
    for text, count in texts:
        columns = hours_columns(text)
        if columns["hours"]:
            odd += count
            slugs = bind.scalars(sa.select(clinic.c.slug).where(clinic.c.hours == text).limit(5)).all()
            print(f"opening hours not wholly understood, kept as a note ({count} clinic(s): {', '.join(slugs)}"
                  f"{', ...' if count > 5 else ''}): {text}", file=sys.stderr)
        if columns["opening_hours"]:
            # One statement per distinct text; a note left behind never holds periods, so it is not read again.
            bind.execute(clinic.update().where(clinic.c.hours == text).values(**columns))
    if odd:
        print(f"opening hours: {odd} clinic(s) kept some text as a note; flask hours unparsed lists them",
              file=sys.stderr)
